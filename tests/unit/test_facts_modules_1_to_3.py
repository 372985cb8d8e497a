"""Modules 1 to 3 hold the corrections of the second edition (issue 20), read from the real
content: each fact as the sources give it, a named case per module with its outcome in the
step after it, a summary at the end of each module, and settings beyond the hospital."""

from __future__ import annotations

import re

import pytest

from lms.config import ROOT
from tests.unit.test_course_shape import step, steps

MODULES = ("why-compassion-matters", "what-compassionate-leadership-is", "cultures-and-collective-leadership")
NEXT_MODULE_TITLE = {
    "why-compassion-matters": "What compassionate leadership is",
    "what-compassionate-leadership-is": "Cultures of high-quality care and collective leadership",
    "cultures-and-collective-leadership": "Teams and working across boundaries",
}
# (module, step with the case, step that opens with its outcome, name, words of the outcome)
NAMED_CASES = [
    ("why-compassion-matters", "workforce-under-pressure", "mid-staffordshire", "Grace", "Every visit went ahead"),
    (
        "what-compassionate-leadership-is",
        "judiths-dilemma",
        "connection-is-compassion-in-action",
        "Judith",
        "invited the regulator",
    ),
    (
        "cultures-and-collective-leadership",
        "sustaining-the-culture",
        "reflection-your-part-in-the-culture",
        "Dev",
        "Dev did not write the procedure himself",
    ),
]
SOCIAL_CARE = re.compile(r"care home|home care|social work|social care", re.I)
PRIMARY_COMMUNITY_MENTAL_HEALTH = re.compile(r"\bGPs?\b|general practice|primary care|community|mental health", re.I)


def prose(body: str) -> str:
    """A step's body without its Sources list, where a setting's name proves nothing."""
    return re.split(r"^## Sources\s*$", body, flags=re.M)[0]


def paragraphs(body: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", body) if p.strip()]


def module_prose(module: str) -> str:
    return "\n\n".join(prose(s.body) for s in steps(module))


# Corrected facts -----------------------------------------------------------------------------


def test_powells_phrase_is_counted_as_five_words_and_quoted():
    body = step("what-compassionate-leadership-is", "connection-is-compassion-in-action").body
    quoted = re.search(r"in five words: \"([^\"]+)\"", body)
    assert quoted and quoted[1] == "connectivity is compassion in action"
    assert len(quoted[1].split()) == 5
    assert "four words" not in body.lower()


def test_judith_has_no_morning_the_source_never_gives():
    body = step("what-compassionate-leadership-is", "judiths-dilemma").body.lower()
    assert "one morning" not in body
    assert "that afternoon" in body and "more than 100" in body and "financial special measures" in body


def test_the_anaesthetists_visits_are_not_called_short_and_practical():
    body = step("what-compassionate-leadership-is", "helping").body
    assert "short and practical" not in body
    assert "instead of sedatives" in body and "anaesthetists" in body


def test_powells_words_on_bullying_are_quoted_and_attributed_not_bolded():
    body = step("why-compassion-matters", "mid-staffordshire").body
    assert 'In his words, "The bullied eventually become the bullies"' in body
    assert "**the bullied" not in body.lower()
    # Powell writes about the system, not a cause of Mid Staffordshire; the step says so.
    assert "not giving a single cause" in body


@pytest.mark.parametrize(
    "phrase", ["Great leaders care about connecting with the people they lead", "both efficiently and effectively"]
)
def test_phrases_kept_from_the_sources_are_gone(phrase):
    for module in MODULES:
        for s in steps(module):
            assert phrase.lower() not in s.body.lower(), s.path.name


def test_the_30_per_cent_figure_is_not_tied_to_the_lung_cancer_study():
    """HEIW gives 30% for compassionate palliative care without naming a study."""
    for module in MODULES:
        for s in steps(module):
            for paragraph in paragraphs(s.body):
                assert not ("30%" in paragraph and "lung" in paragraph.lower()), s.path.name


def test_the_clinical_evidence_is_an_article_without_an_invented_transcript():
    s = step("why-compassion-matters", "compassion-in-clinical-care")
    assert s.type == "article" and s.number == 3
    assert "transcript" not in s.body.lower() and "## Key points" not in s.body
    assert "cannot show that recording here" in s.body
    for fact in ("30%", "50%", "14 days", "reward", "Trzeciak", "20 to 30 seconds", "less than a minute"):
        assert fact in s.body, fact


def test_no_step_still_speaks_of_the_video_in_step_1_3():
    for module in MODULES:
        for s in steps(module):
            assert "video in step 1.3" not in s.body, s.path.name


@pytest.mark.parametrize(
    "work, year",
    [
        ("NHS staff management and health service quality", "2011"),
        ("Workforce burnout and resilience in the NHS and social care", "2021"),
        ("Quality and safety in the NHS", "2013"),
        ("Collective leadership for cultures of high quality health care", "2014"),
        ("Leadership and leadership development in health care", "2015"),
        ("The healthcare workforce in England", "2018"),
        ("Closing the gap", "2019"),
    ],
)
def test_citations_carry_the_year_the_sources_give(work, year):
    cited = [
        line
        for module in MODULES
        for s in steps(module)
        for line in s.body.splitlines()
        if line.startswith("- ") and work in line
    ]
    for line in cited:
        assert f"({year})" in line, line


# Named cases ---------------------------------------------------------------------------------


@pytest.mark.parametrize("module, case, outcome, name, result", NAMED_CASES, ids=[c[3] for c in NAMED_CASES])
def test_each_module_has_a_named_composite_case_with_its_outcome_in_the_next_step(module, case, outcome, name, result):
    asked, told = step(module, case), step(module, outcome)
    assert told.number == asked.number + 1
    assert name in asked.body and "composite" in asked.body
    assert result not in asked.body, "the outcome belongs to the next step"
    assert told.body.lstrip().startswith(f"## What {name} did")
    assert result in told.body


def test_there_is_one_named_case_in_each_module():
    assert sorted(m for m, *_ in NAMED_CASES) == sorted(MODULES)


# Summaries and settings ---------------------------------------------------------------------


@pytest.mark.parametrize("module", MODULES)
def test_each_module_ends_with_a_summary_after_its_quiz(module):
    *_, quiz, summary = steps(module)
    assert quiz.type == "quiz"
    assert summary.slug == "summary" and summary.type == "article"
    assert "## What you covered" in summary.body and "## What comes next" in summary.body
    assert NEXT_MODULE_TITLE[module] in summary.body
    # The steps of this module it sums up come before it.
    own = str(MODULES.index(module) + 1)
    for number in re.findall(rf"steps? {own}\.(\d+)", summary.body):
        assert int(number) < summary.number, number


@pytest.mark.parametrize("module", MODULES)
def test_each_module_has_examples_from_social_care_and_from_primary_community_or_mental_health_care(module):
    text = module_prose(module)
    assert len(SOCIAL_CARE.findall(text)) >= 2, module
    assert len(PRIMARY_COMMUNITY_MENTAL_HEALTH.findall(text)) >= 2, module


@pytest.mark.parametrize("module", MODULES)
def test_made_up_examples_say_so(module):
    text = module_prose(module).lower()
    assert "illustration" in text or "composite" in text


# Diagrams ----------------------------------------------------------------------------------

IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
DIAGRAMS = [  # (module, step, image file, words the text under the image repeats)
    ("why-compassion-matters", "compassion-in-clinical-care", "empathy-and-compassion.svg", ["pain", "reward"]),
    (
        "what-compassionate-leadership-is",
        "four-behaviours",
        "four-behaviours.svg",
        ["Attending", "Understanding", "Empathising", "Helping"],
    ),
    (
        "what-compassionate-leadership-is",
        "caring-to-change",
        "culture-of-innovation.svg",
        ["inspiring vision and strategy", "support and autonomy"],
    ),
    (
        "cultures-and-collective-leadership",
        "five-elements-of-culture",
        "five-elements-of-culture.svg",
        ["an inspiring vision of high-quality care", "continuous learning and quality improvement"],
    ),
    (
        "cultures-and-collective-leadership",
        "direction-alignment-commitment",
        "direction-alignment-commitment.svg",
        ["**direction**", "**alignment**", "**commitment**"],
    ),
    (
        "cultures-and-collective-leadership",
        "staff-engagement",
        "staff-engagement-model.svg",
        ["support from supervisors", "intrinsic engagement", "patient mortality"],
    ),
]


@pytest.mark.parametrize("module, slug, name, repeated", DIAGRAMS, ids=[d[2] for d in DIAGRAMS])
def test_diagrams_are_local_accessible_svg_with_alt_text_and_the_same_information_below(module, slug, name, repeated):
    s = step(module, slug)
    used = {target: alt for alt, target in IMAGE.findall(s.body)}
    assert f"images/{name}" in used
    assert len(used[f"images/{name}"].split()) >= 6, "alt text that says what the diagram shows"
    svg = (s.path.parent / "images" / name).read_text(encoding="utf-8")
    assert re.search(r"<title id=\"[^\"]+\">[^<]{10,}</title>", svg) and re.search(
        r"<desc id=\"[^\"]+\">[^<]{40,}", svg
    )
    assert 'role="img"' in svg and "aria-labelledby=" in svg
    for banned in ("<script", "href", "foreignObject", "onload", "http://www.w3.org/1999/xlink"):
        assert banned not in svg, banned
    sizes = [int(size) for size in re.findall(r'font-size="(\d+)"', svg)]
    assert sizes and min(sizes) >= 16, "text readable when the diagram is scaled to a phone"
    below = s.body.split(f"images/{name})", 1)[1].lower()
    for words in repeated:
        assert words.lower() in below, words


# Glossary ------------------------------------------------------------------------------------

GLOSSARY = ROOT / "content" / "glossary.md"
REQUIRED_TERMS = [
    "Reflexivity",
    "Co-acting group",
    "Schwartz Rounds",
    "Compassionate leadership",
    "Collective leadership",
    "Psychological safety",
    "Staff engagement",
    "Real team",
    "Pseudo team",
    "Systems leadership",
    "Acute trust",
    "Allied health professionals",
    "Longitudinal analysis",
    "Palliative care",
    "Financial special measures",
    "Statistically significant",
    "Action learning",
    "After action review",
    "Peer coaching",
    "Duty of candour",
    "Direction, alignment and commitment",
    "Registered manager",
]


def glossary_entries() -> dict[str, str]:
    text = GLOSSARY.read_text(encoding="utf-8")
    front, body = text.split("---\n", 2)[1:]
    assert front.strip() == "title: Glossary"
    parts = re.split(r"^## (.+)$", body, flags=re.M)
    return {term.strip(): definition.strip() for term, definition in zip(parts[1::2], parts[2::2], strict=True)}


def test_the_glossary_defines_the_terms_a_newcomer_would_not_know():
    entries = glossary_entries()
    assert not [term for term in REQUIRED_TERMS if term not in entries]
    assert list(entries) == sorted(entries, key=str.lower), "terms in alphabetical order"
    for term, definition in entries.items():
        lines = definition.splitlines()
        if lines[0].startswith("Also:"):
            assert all(form.strip() for form in lines[0][len("Also:") :].split(",")), term
            lines = lines[1:]
        assert len(" ".join(lines).split()) >= 12, f"{term}: a definition, not a fragment"


# See also ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "module, slug, target",
    [
        ("why-compassion-matters", "compassion-in-clinical-care", "why-compassion-matters/staff-experience"),
        (
            "what-compassionate-leadership-is",
            "connection-is-compassion-in-action",
            "what-compassionate-leadership-is/judiths-dilemma",
        ),
        (
            "what-compassionate-leadership-is",
            "caring-to-change",
            "cultures-and-collective-leadership/five-elements-of-culture",
        ),
        (
            "cultures-and-collective-leadership",
            "collective-leadership",
            "teams-and-boundaries/real-teams-and-pseudo-teams",
        ),
        (
            "cultures-and-collective-leadership",
            "reflection-your-part-in-the-culture",
            "cultures-and-collective-leadership/sustaining-the-culture",
        ),
    ],
)
def test_steps_that_build_on_others_point_to_them(module, slug, target):
    see_also = step(module, slug).settings["see_also"]
    assert target in see_also
    target_module, target_slug = target.split("/")
    assert step(target_module, target_slug)  # the step it names exists
