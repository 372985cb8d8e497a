"""Modules 4 and 5 hold the corrections of the course's second edition (issue 20).

Each test reads the real course in content/ through `load_course`, the loader that
`flask content check` runs, and holds one fact an editor found wrong or missing: national
bodies in England and Wales (not "the UK"), a further-reading list of only the works the
course cites, a composite case with its outcome in the following step, a summary step,
examples from social care and from primary, community or mental-health care, and the
cited years the source documents give.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from lms.config import ROOT
from lms.content.schema import StepSpec, load_course

MODULE_4 = "teams-and-boundaries"
MODULE_5 = "building-compassionate-cultures"
HEADING = re.compile(r"^#{1,6}\s")
SOURCES_HEADING = re.compile(r"^#{1,6}\s*(sources|further reading)\b", re.I)
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
SIGNIFICANT = re.compile(r"[a-z][a-z'’-]{4,}")


@cache
def course():
    return load_course(ROOT / "content")


def steps(module_slug: str) -> tuple[StepSpec, ...]:
    module = next(m for m in course().modules if m.slug == module_slug)
    return tuple(sorted(module.steps, key=lambda s: s.position))


def step(module_slug: str, slug: str) -> StepSpec:
    return next(s for s in steps(module_slug) if s.slug == slug)


def all_steps() -> list[tuple[str, StepSpec]]:
    return [(m.slug, s) for m in course().modules for s in steps(m.slug)]


def cited_items(body: str) -> list[str]:
    """The list items under a step's Sources or Further reading heading (and its subheadings)."""
    items, inside = [], False
    for line in body.splitlines():
        if HEADING.match(line):
            inside = bool(SOURCES_HEADING.match(line)) or (inside and line.startswith("###"))
            continue
        if inside and line.startswith("- "):
            items.append(line[2:])
    return items


def signature(item: str) -> set[str]:
    """The longer words of a citation, without link addresses, for matching one work cited two ways."""
    text = LINK.sub(lambda m: m[1], item).lower().replace("’", "'")
    return set(SIGNIFICANT.findall(text)) - {"website", "slides", "presentation", "https", "kingsfund"}


def same_work(a: str, b: str) -> bool:
    small, large = sorted((signature(a), signature(b)), key=len)
    return bool(small) and len(small & large) / len(small) >= 0.75


def prose(body: str) -> str:
    """A step's text without its Sources or Further reading lists."""
    kept, skipping = [], False
    for line in body.splitlines():
        if HEADING.match(line):
            skipping = bool(SOURCES_HEADING.match(line)) or (skipping and line.startswith("###"))
        if not skipping:
            kept.append(line)
    return "\n".join(kept)


# 5.4: national bodies in England and Wales --------------------------------------------------


def test_the_national_picture_speaks_of_england_and_wales_not_the_uk():
    national = step(MODULE_5, "the-national-picture")
    assert national.position == 4
    text = prose(national.body)
    assert "England and in Wales" in text
    assert "## England: Developing people, improving care" in text and "## Wales:" in text
    for module in (MODULE_4, MODULE_5):
        for s in steps(module):
            assert "across the UK" not in s.body, s.slug
            assert "national bodies across" not in s.body.lower(), s.slug


def test_rewritten_steps_no_longer_keep_the_sources_phrases():
    """4.6 and 5.4 were rewritten afresh: none of the phrases the editor found survive."""
    kept = [
        "both efficiently and effectively",
        "prioritising overall patient care",
        "rather than the success of their component",
        "great leaders care about connecting",
        "shift in leadership thinking",
        "complex federation of disparate organisations",
        "the control, space and support they need",
    ]
    for module in (MODULE_4, MODULE_5):
        for s in steps(module):
            text = s.body.lower()
            assert not [phrase for phrase in kept if phrase in text], s.slug


# 5.9: further reading lists only what the course cites ---------------------------------------


def test_further_reading_lists_only_works_that_a_step_of_the_course_cites():
    wrap_up = step(MODULE_5, "wrap-up-and-further-reading")
    listed = cited_items(wrap_up.body)
    assert len(listed) >= 20
    cited_elsewhere = [
        item for _, s in all_steps() if s.slug != "wrap-up-and-further-reading" for item in cited_items(s.body)
    ]
    uncited = [item for item in listed if not any(same_work(item, other) for other in cited_elsewhere)]
    assert not uncited, f"listed in further reading but cited by no step: {uncited}"


def test_further_reading_holds_every_work_the_course_cites():
    listed = cited_items(step(MODULE_5, "wrap-up-and-further-reading").body)
    missing = {
        item
        for _, s in all_steps()
        if s.slug != "wrap-up-and-further-reading"
        for item in cited_items(s.body)
        if not any(same_work(item, entry) for entry in listed)
    }
    assert not missing, f"cited by a step but missing from further reading: {sorted(missing)}"


@pytest.mark.parametrize(
    "work",
    [
        "Looking forward",
        "Northern Ireland quarterly workforce bulletin",
        "NHS Scotland workforce",
        "Caring for doctors, caring for patients",
        "Stress effects on the body",
        "High reliability health care",
    ],
)
def test_the_six_works_no_step_cited_are_gone_from_further_reading(work):
    cited_by_a_step = any(
        work.lower() in s.body.lower() for _, s in all_steps() if s.slug != "wrap-up-and-further-reading"
    )
    listed = work.lower() in step(MODULE_5, "wrap-up-and-further-reading").body.lower()
    assert listed == cited_by_a_step


def test_further_reading_has_real_headings_and_links_that_say_where_they_go():
    body = step(MODULE_5, "wrap-up-and-further-reading").body
    assert "## Further reading" in body
    assert len(re.findall(r"^### Sources on ", body, re.M)) >= 4
    assert not re.search(r"^\*\*[^*]+\*\*\s*$", body, re.M), "bold text standing in for a heading"
    assert not re.search(r"(?<!\()https?://", body), "an address shown as text"
    links = LINK.findall(body)
    assert len(links) >= 10
    for text, _address in links:
        assert not text.startswith("http"), text
        assert re.search(r"website|GOV\.UK|DOI", text), f"link text does not say where it goes: {text}"


def test_the_wrap_up_says_what_the_list_is_without_claiming_more():
    body = step(MODULE_5, "wrap-up-and-further-reading").body
    assert "sources used throughout the course" not in body
    assert "cited in at least one step of this course" in body


# Citations carry the years the source documents give ----------------------------------------

YEARS = {
    "24-Karat or fool's gold": "2015",
    "Why teamwork matters": "2013",
    "Effective team work in health care": "2016",
    "Schippers": "2012",
    "Tannenbaum": "2013",
    "Model of leadership strategy": "2014",  # the Center for Creative Leadership's model
    "Workforce burnout and resilience": "2021",
    "Quality and safety in the NHS": "2013",
    "Collective leadership for cultures of high quality health care": "2014",
    "Leadership and leadership development in health care": "2015",
    "Closing the gap": "2019",
    "make or break": "2018",
}


def test_citations_in_modules_4_and_5_carry_the_year_their_source_gives():
    seen = set()
    for module in (MODULE_4, MODULE_5):
        for s in steps(module):
            for item in cited_items(s.body):
                for work, year in YEARS.items():
                    if work.lower() in item.lower():
                        seen.add(work)
                        assert f"({year})" in item, f"{s.slug}: {item}"
    assert len(seen) == len(YEARS)


# Named cases, with their outcome in the following step ------------------------------------------

CASES = [
    # module, step with the case, the person, words of the outcome that must wait for the next step
    (MODULE_4, "systems-leadership", "Ngozi", "did not start by writing a complaint"),
    (MODULE_5, "culture-and-leadership-programmes", "Rhian", "The change team chose two things"),
]


@pytest.mark.parametrize("module, slug, name, outcome", CASES, ids=[c[0] for c in CASES])
def test_each_module_has_one_composite_case_with_its_outcome_in_the_following_step(module, slug, name, outcome):
    cases = [s for s in steps(module) if "## Case study:" in s.body]
    assert [s.slug for s in cases] == [slug]
    case = cases[0]
    assert f"## Case study: {name}" in case.body
    assert "This case is a composite" in case.body and f"{name} is not a real person" in case.body
    assert "**What would you do?**" in case.body and "The next step tells you" in case.body
    assert outcome not in case.body

    following = steps(module)[case.position]  # positions start at 1, so this is the next step
    assert following.position == case.position + 1
    assert re.search(rf"^## What {name}('s change team chose| did)$", following.body, re.M)
    assert outcome in following.body
    assert "composite" in following.body and "not evidence" in following.body


# Summary steps -----------------------------------------------------------------------------------


def test_module_4_ends_with_its_summary_after_the_quiz():
    kinds = [(s.slug, s.type) for s in steps(MODULE_4)]
    assert kinds[-2:] == [("quiz-teams-and-systems", "quiz"), ("summary", "article")]


def test_module_5_summary_comes_before_the_wrap_up_and_the_final_test_stays_last():
    slugs = [s.slug for s in steps(MODULE_5)]
    assert slugs[-3:] == ["summary", "wrap-up-and-further-reading", "final-test"]
    final = steps(MODULE_5)[-1]
    assert final.type == "test" and final.settings["pass_mark"] == 70 and final.settings["attempts"] == 3
    assert "## Before the final test" in step(MODULE_5, "wrap-up-and-further-reading").body


@pytest.mark.parametrize("module, number", [(MODULE_4, 4), (MODULE_5, 5)])
def test_each_summary_points_back_to_every_article_of_its_module(module, number):
    summary = step(module, "summary")
    articles = [s for s in steps(module) if s.type == "article" and s.slug not in ("summary",)]
    for s in articles:
        if s.slug == "wrap-up-and-further-reading":
            continue
        assert f"step {number}.{s.position}" in summary.body or f"steps {number}.{s.position}" in summary.body, s.slug
    assert re.search(r"^## Sources$", summary.body, re.M)


def test_the_summaries_keep_the_key_figures_right():
    four = step(MODULE_4, "summary").body
    assert "170 acute trusts" in four and "120,000" in four
    assert "5% more staff" in four and "3.3% lower" in four and "p = .006" in four
    assert "around 40 deaths a year" in four
    five = step(MODULE_5, "summary").body
    assert "15 to 20 volunteers" in five and "discover, design and deliver" in five
    assert "since 2019" in five and "by 2030" in five and "14 days" in five


# Settings beyond the acute hospital ---------------------------------------------------------------

SOCIAL_CARE = re.compile(r"care home|home care|social worker|social work\b", re.I)
PRIMARY_COMMUNITY_OR_MENTAL_HEALTH = re.compile(
    r"\bGPs?\b|general practi|district nurs|community mental health|practice nurse|primary care", re.I
)


@pytest.mark.parametrize("module", [MODULE_4, MODULE_5])
def test_each_module_has_examples_from_social_care_and_from_primary_community_or_mental_health_care(module):
    text = "\n".join(prose(s.body) for s in steps(module))
    assert len(SOCIAL_CARE.findall(text)) >= 3
    assert len(PRIMARY_COMMUNITY_OR_MENTAL_HEALTH.findall(text)) >= 3


@pytest.mark.parametrize("module", [MODULE_4, MODULE_5])
def test_made_up_examples_say_that_they_are_made_up(module):
    """An example the sources do not give is marked as an illustration or a composite."""
    marked = [s.slug for s in steps(module) if re.search(r"an illustration|composite", s.body)]
    assert len(marked) >= 3, marked
    for s in steps(module):
        for paragraph in prose(s.body).split("\n\n"):
            if re.search(r"\b(Ngozi|Rhian)\b", paragraph) and "## What" not in paragraph:
                assert s.slug in marked, s.slug


# Diagrams, with the same information in text ------------------------------------------------------

IMAGE = re.compile(r"^!\[([^\]]+)\]\(images/([a-z0-9-]+\.svg)\)$", re.M)
DIAGRAMS = [
    # module folder, step, image, words the text below the image must also hold
    (
        MODULE_4,
        "real-teams-and-pseudo-teams",
        "real-teams-and-pseudo-teams.svg",
        ["| Objectives |", "| Roles |", "| Review |", "Pseudo-team (co-acting group)"],
    ),
    (
        MODULE_5,
        "a-leadership-strategy",
        "leadership-strategy-chain.svg",
        ["new strategies", "new leadership capabilities", "individual and collective", "new leadership cultures"],
    ),
]


def module_folder(module_slug: str):
    return next(p for p in (ROOT / "content" / "modules").iterdir() if p.name.endswith(module_slug))


@pytest.mark.parametrize("module, slug, name, words", DIAGRAMS, ids=[d[2] for d in DIAGRAMS])
def test_diagrams_have_alt_text_an_accessible_svg_and_the_same_facts_in_text_below(module, slug, name, words):
    body = step(module, slug).body
    images = {image: alt for alt, image in IMAGE.findall(body)}
    assert name in images and len(images[name].split()) >= 8, images
    svg = (module_folder(module) / "images" / name).read_text(encoding="utf-8")
    assert re.search(r"<title id=\"[^\"]+\">[^<]{10,}</title>", svg)
    assert re.search(r"<desc id=\"[^\"]+\">[^<]{80,}</desc>", svg)
    assert 'role="img"' in svg and "aria-labelledby" in svg
    assert "<script" not in svg and not re.search(r"\son[a-z]+=", svg)
    assert not re.search(r'font-size="(1[0-5]|[0-9])"', svg), "text smaller than 16px"
    below = body[body.index(f"images/{name}") :]
    assert not [w for w in words if w.lower() not in below.lower()]


def test_the_team_diagram_and_its_table_say_the_same():
    body = step(MODULE_4, "real-teams-and-pseudo-teams").body
    svg = (module_folder(MODULE_4) / "images" / "real-teams-and-pseudo-teams.svg").read_text(encoding="utf-8")
    for cell in [
        "Shared, clear objectives, agreed together",
        "Each person works to their own aims",
        "Rarely, if ever, reflect together",
        "everyone knows their role",
    ]:
        assert cell in body and cell in svg, cell


# See also, and the printable action plan -----------------------------------------------------------


def test_steps_that_build_on_earlier_ones_say_so_in_see_also():
    known = {f"{m}/{s.slug}" for m, s in all_steps()}
    for module in (MODULE_4, MODULE_5):
        linked = [s for s in steps(module) if s.settings.get("see_also")]
        assert len(linked) >= 7, module
        for s in linked:
            assert set(s.settings["see_also"]) <= known, s.slug
    assert (
        "teams-and-boundaries/real-teams-and-pseudo-teams"
        in step(MODULE_4, "what-makes-a-team-effective").settings["see_also"]
    )
    assert (
        "teams-and-boundaries/systems-leadership" in step(MODULE_4, "a-boundary-you-work-across").settings["see_also"]
    )
    assert (
        "what-compassionate-leadership-is/my-compassionate-leadership"
        in (step(MODULE_5, "your-action-plan").settings["see_also"])
    )


def test_the_action_plan_is_printable_and_reads_on_paper():
    plan = step(MODULE_5, "your-action-plan")
    assert plan.position == 6 and plan.type == "reflection"
    assert plan.settings.get("printable") is True
    assert "print it and fill it in by hand" in plan.body
    assert "| Attending | | | |" in plan.body and "| 3 | | | | | |" in plan.body
    assert "step 2.5 of the course (module 2)" in plan.body
    assert "box below" not in plan.body  # on paper there is no box
