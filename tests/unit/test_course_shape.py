"""The real course in content/ holds to the shape the syllabus asks for.

Structure comes from `load_course` (the same checker `flask content check` runs); the
assessment settings are read from each file's YAML directly, as the author wrote them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import pytest
import yaml

from lms.content.schema import check_step, load_course

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
NUMBERED = re.compile(r"^(\d+)-([a-z0-9]+(?:-[a-z0-9]+)*)$")
ASSESSMENT_FIELDS = ("questions", "pass_mark", "attempts", "scale", "audience", "dimensions", "statements")
CITATION_HEADING = re.compile(r"^#{1,6}\s*(sources|references|further reading)\b", re.I)
HEADING = re.compile(r"^#{1,6}\s")

# The syllabus: module slugs and their hours ("about 2 hours" ...).
MODULES = {
    "why-compassion-matters": 2,
    "what-compassionate-leadership-is": 2.5,
    "cultures-and-collective-leadership": 2.5,
    "teams-and-boundaries": 2,
    "building-compassionate-cultures": 2,
}


@dataclass(frozen=True)
class Step:
    module: str
    number: int
    slug: str
    path: Path
    type: str
    title: str
    duration: object
    prompt: str | None
    body: str
    settings: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        """Everything a learner reads on the step, for looking up facts."""
        return self.path.read_text(encoding="utf-8")


def front_matter(path: Path) -> tuple[dict, str]:
    """A content file's YAML front matter and Markdown body, read with yaml directly."""
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


@lru_cache(maxsize=1)
def course():
    return load_course(CONTENT)


def module_folders() -> list[tuple[int, str, str]]:
    """(number, slug, folder name) of every module folder in content/, in order."""
    found = []
    for folder in (CONTENT / "modules").iterdir():
        match = NUMBERED.match(folder.name)
        if folder.is_dir() and match:
            found.append((int(match[1]), match[2], folder.name))
    return sorted(found)


@cache
def steps(module_slug: str) -> tuple[Step, ...]:
    """A module's steps in order, as load_course reads them, with their files' settings."""
    folder = next(name for _, slug, name in module_folders() if slug == module_slug)
    spec = {s.slug: s for s in next(m for m in course().modules if m.slug == module_slug).steps}
    found = []
    for path in (CONTENT / "modules" / folder).glob("*.md"):
        match = NUMBERED.match(path.stem)
        if path.name == "module.md" or not match:
            continue
        number, slug = int(match[1]), match[2]
        meta, _ = front_matter(path)
        s = spec[slug]
        found.append(
            Step(
                module_slug,
                number,
                slug,
                path,
                s.type,
                s.title,
                s.duration,
                s.prompt,
                s.body,
                s.settings or {k: meta[k] for k in ASSESSMENT_FIELDS if k in meta},
            )
        )
    return tuple(sorted(found, key=lambda s: s.number))


def all_steps() -> list[Step]:
    return [step for slug in MODULES for step in steps(slug)]


def step(module_slug: str, slug: str) -> Step:
    return next(s for s in steps(module_slug) if s.slug == slug)


def prose_words(body: str) -> int:
    """Words a learner reads, leaving out headings and Sources / Further reading lists."""
    kept, skipping = [], False
    for line in body.splitlines():
        if HEADING.match(line):
            skipping = bool(CITATION_HEADING.match(line))
            continue
        if not skipping:
            kept.append(line)
    return len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’.,%-]*", "\n".join(kept)))


# The course as a whole -----------------------------------------------------------------


def test_the_course_loads_with_five_modules_in_order():
    assert [m.slug for m in course().modules] == list(MODULES)
    assert [slug for _, slug, _ in module_folders()] == list(MODULES)


def test_every_step_file_passes_the_checker_and_is_in_the_course():
    files = sorted(
        p for p in (CONTENT / "modules").glob("*/*.md") if p.name != "module.md" and not p.name.endswith(".cy.md")
    )
    assert len(files) == len(all_steps()) >= 40
    for path in files:
        module = next(m for m in course().modules if path.parent.name.endswith(m.slug))
        meta, body = front_matter(path)
        assert check_step(meta, body, [a.slug for a in module.activities]) == [], path.name


def test_course_hours_equal_the_sum_of_module_hours_and_the_about_text():
    total = sum(m.hours for m in course().modules)
    assert course().hours == total
    assert f"about {course().hours:g} hours" in course().about


@pytest.mark.parametrize("slug", MODULES)
def test_module_hours_match_step_durations_and_the_syllabus(slug):
    module = next(m for m in course().modules if m.slug == slug)
    minutes = sum(s.duration for s in steps(slug))
    assert module.hours == round(minutes / 30) / 2, f"{slug}: {minutes} minutes of steps"
    assert abs(module.hours - MODULES[slug]) <= 0.5
    assert (
        f"about {module.hours:g}" in module.introduction
        or f"{module.hours:g} hours" in module.introduction
        or "2 and a half hours" in module.introduction
    )


# Each module ----------------------------------------------------------------------------


@pytest.mark.parametrize("slug", MODULES)
def test_every_module_has_an_introduction_a_discussion_a_reflection_and_ends_with_a_quiz_or_test(slug):
    """The quiz or test is the last step, or the last before the module's summary article."""
    module = next(m for m in course().modules if m.slug == slug)
    kinds = [s.type for s in steps(slug) if s.slug != "summary"]  # a module's summary may follow its quiz
    assert len(module.introduction.split()) >= 60
    assert "discussion" in kinds and "reflection" in kinds
    assert kinds[-1] in ("quiz", "test")
    assert kinds.count("quiz") + kinds.count("test") == 1


@pytest.mark.parametrize("slug", MODULES)
def test_steps_are_numbered_without_gaps(slug):
    assert [s.number for s in steps(slug)] == list(range(1, len(steps(slug)) + 1))


def test_every_step_has_a_title_and_a_realistic_duration():
    for s in all_steps():
        assert isinstance(s.title, str) and s.title.strip(), s.path
        assert isinstance(s.duration, int) and 5 <= s.duration <= 30, s.path


def test_articles_are_300_to_800_words():
    for s in all_steps():
        if s.type == "article":
            assert 300 <= prose_words(s.body) <= 800, f"{s.path.name}: {prose_words(s.body)} words"


def test_video_steps_carry_a_summary_and_key_points():
    """Any video step (1.3 became an article: there is no recording to show)."""
    for s in (s for s in all_steps() if s.type == "video"):
        assert "## Summary" in s.body and "## Key points" in s.body, s.path


def test_discussions_and_reflections_ask_about_experience_and_application():
    for s in all_steps():
        if s.type in ("discussion", "reflection"):
            assert s.prompt and "?" in s.prompt and re.search(r"\byou(r)?\b", s.prompt, re.I), s.path


def test_steps_that_state_findings_list_their_sources():
    finding = re.compile(r"\d+(\.\d+)?%|p = \.\d+|\(\d{4}\)")
    for s in all_steps():
        if s.slug != "welcome" and (s.type in ("article", "video", "quiz", "test") or finding.search(s.body)):
            assert re.search(r"^## (Sources|Further reading)\s*$", s.body, re.M), s.path


def test_pages_use_level_two_headings_and_no_raw_html():
    for s in all_steps():
        assert not re.search(r"^#\s", s.body, re.M), s.path
        assert not re.search(r"<[a-zA-Z][^>]*>", s.body), s.path


# Quizzes and the final test --------------------------------------------------------------


def quizzes() -> list[Step]:
    return [s for s in all_steps() if s.type in ("quiz", "test")]


def test_every_quiz_question_has_the_right_number_of_correct_options_and_feedback_that_teaches():
    assert len(quizzes()) == 5
    for s in quizzes():
        questions = s.settings["questions"]
        assert len({q["id"] for q in questions}) == len(questions), s.path
        for q in questions:
            right = sum(o["correct"] is True for o in q["options"])
            assert len(q["options"]) >= 3, (s.path.name, q["id"])
            if q["choose"] == "one":
                assert right == 1, (s.path.name, q["id"])
            else:
                assert q["choose"] == "many" and 2 <= right < len(q["options"]), (s.path.name, q["id"])
            for option in q["options"]:
                assert len(option["feedback"].split()) >= 8, (s.path.name, q["id"], option["text"])


def test_module_quizzes_have_four_to_six_questions():
    for s in quizzes():
        if s.type == "quiz":
            assert 4 <= len(s.settings["questions"]) <= 6, s.path


def test_the_final_test_ends_the_course_with_twelve_to_fifteen_questions_from_every_module():
    final = steps("building-compassionate-cultures")[-1]
    assert final.type == "test" and [s for s in quizzes() if s.type == "test"] == [final]
    assert final.settings["pass_mark"] == 70 and final.settings["attempts"] == 3
    questions = final.settings["questions"]
    assert 12 <= len(questions) <= 15
    for number in range(1, 6):
        assert sum(q["id"].startswith(f"m{number}-") for q in questions) >= 2, f"module {number}"


# Self-assessments ----------------------------------------------------------------------------

SELF_ASSESSMENTS = {
    # (module, step number): (scale, audience, dimension titles, statements per dimension)
    ("what-compassionate-leadership-is", 5): (
        "frequency",
        "self",
        ["Attending", "Understanding", "Empathising", "Helping"],
        (4, 5),
    ),
    ("cultures-and-collective-leadership", 5): (
        "agreement",
        "team",
        [
            "An inspiring vision of high-quality care",
            "Clear, aligned goals with helpful feedback",
            "Good people management and staff engagement",
            "Continuous learning and quality improvement",
            "Enthusiastic team-working, cooperation and integration",
        ],
        (3, 4),
    ),
    ("teams-and-boundaries", 5): (
        "agreement",
        "team",
        [  # statements about the learner's team
            "Shared objectives",
            "Interdependence and role clarity",
            "Reflexivity",
            "Positivity and cohesion",
            "Inter-team working",
        ],
        (3, 4),
    ),
}


def test_the_course_has_exactly_the_three_self_assessments():
    found = {(s.module, s.number) for s in all_steps() if s.type == "self-assessment"}
    assert found == set(SELF_ASSESSMENTS)


@pytest.mark.parametrize("where", SELF_ASSESSMENTS, ids=lambda w: f"{w[0]}-{w[1]}")
def test_self_assessment_dimensions_have_statements_a_reversed_one_and_bands_from_1_to_5(where):
    scale, audience, titles, (fewest, most) = SELF_ASSESSMENTS[where]
    s = steps(where[0])[where[1] - 1]
    settings = s.settings
    assert s.type == "self-assessment" and settings["scale"] == scale and settings["audience"] == audience
    assert [d["title"] for d in settings["dimensions"]] == titles
    statements = settings["statements"]
    assert len({st["id"] for st in statements}) == len(statements)
    for dimension in settings["dimensions"]:
        mine = [st for st in statements if st["dimension"] == dimension["id"]]
        assert fewest <= len(mine) <= most, dimension["id"]
        assert any(st.get("reverse") is True for st in mine), dimension["id"]
        assert any(not st.get("reverse") for st in mine), dimension["id"]
        limits = [band["up_to"] for band in dimension["bands"]]
        assert limits == sorted(set(limits)) and 1 <= limits[0] and limits[-1] == 5, dimension["id"]
        for band in dimension["bands"]:
            assert band["label"].strip() and len(band["feedback"].split()) >= 15, (dimension["id"], band["label"])
    assert {st["dimension"] for st in statements} == {d["id"] for d in settings["dimensions"]}


def test_the_action_plan_asks_learners_to_retake_the_first_self_assessment():
    plan = steps("building-compassionate-cultures")[5]
    assert plan.type == "reflection" and plan.number == 6
    assert "2.5" in plan.prompt and "self-assessment" in plan.prompt
    assert "step 5.6" in steps("what-compassionate-leadership-is")[4].body


# Key facts, where the syllabus places them ---------------------------------------------------------

KEY_FACTS = [
    ("why-compassion-matters", "staff-experience", ["18 years", "half a million", "acute trusts", "mortality"]),
    ("why-compassion-matters", "compassion-in-clinical-care", ["30%", "50%", "14 days", "reward", "Trzeciak"]),
    ("why-compassion-matters", "workforce-under-pressure", ["92%", "2021", "burnout"]),
    ("why-compassion-matters", "mid-staffordshire", ["the bullied eventually become the bullies"]),
    ("why-compassion-matters", "quiz-the-evidence", ["92%"]),
    (
        "what-compassionate-leadership-is",
        "four-behaviours",
        ["attending", "understanding", "empathising", "helping", "listening with fascination"],
    ),
    ("what-compassionate-leadership-is", "understanding-and-empathising", ["sympathy", "empathy", "reward"]),
    (
        "what-compassionate-leadership-is",
        "caring-to-change",
        [
            "inspiring vision and strategy",
            "positive inclusion and participation",
            "enthusiastic team and cross-boundary working",
            "support and autonomy",
            "heroic",
        ],
    ),
    (
        "what-compassionate-leadership-is",
        "judiths-dilemma",
        ["financial special measures", "more than 100"],
    ),
    (
        "what-compassionate-leadership-is",
        "connection-is-compassion-in-action",  # opens with what Judith did
        ["invited the regulator", "anger", "anxiety", "apathy", "Berwick", "connectivity is compassion in action"],
    ),
    (
        "cultures-and-collective-leadership",
        "five-elements-of-culture",
        [
            "an inspiring vision of high-quality care",
            "clear, aligned goals at every level, with helpful feedback",
            "good people management and staff engagement",
            "continuous learning and quality improvement",
            "enthusiastic team-working, cooperation and integration",
            "2013",
        ],
    ),
    (
        "cultures-and-collective-leadership",
        "direction-alignment-commitment",
        [
            "**direction**",
            "**alignment**",
            "**commitment**",
            "Center for Creative Leadership",
            "authentic",
            "open and honest",
            "humble and curious",
            "optimistic",
            "appreciative",
            "compassionate",
        ],
    ),
    (
        "cultures-and-collective-leadership",
        "staff-engagement",
        [
            "advocacy",
            "intrinsic engagement",
            "involvement",
            "a compelling strategic narrative",
            "Salford",
            "the safest hospital in England",
            "inclusive leadership and management",
            "Nottinghamshire Healthcare",
            "Invest to Lead",
            "staff in charge of service change",
            "Wrightington, Wigan and Leigh",
            "Unipart",
            "values and integrity",
            "stable senior leadership",
            "Schwartz Rounds",
        ],
    ),
    (
        "cultures-and-collective-leadership",
        "collective-leadership",
        ["everyone's responsibility", "shared within and across teams", "interdependently", "consistent"],
    ),
    (
        "teams-and-boundaries",
        "why-teamwork-matters",
        ["lower mortality", "turnover", "financial savings", "Lyubovnikova", "Markiewicz"],
    ),
    (
        "teams-and-boundaries",
        "real-teams-and-pseudo-teams",
        ["5% more staff", "3.3%", "p = .006", "170 acute trusts", "120,000", "around 40 deaths a year"],
    ),
    (
        "teams-and-boundaries",
        "what-makes-a-team-effective",
        [
            "clear, agreed vision and challenging objectives",
            "role clarity",
            "constructive debate",
            "inter-team working",
        ],
    ),
    (
        "teams-and-boundaries",
        "reflexivity-and-team-leadership",
        ["Schippers, West and Dawson (2012)", "objectives", "strategies", "processes", "environment"],
    ),
    (
        "teams-and-boundaries",
        "systems-leadership",
        [
            "heartfelt, shared vision",
            "long-term objectives",
            "frequent personal contact",
            "no chronic conflict",
            "strong mutual support",
            "Well-being of Future Generations Act",
            "A Healthier Wales",
            "candour",
        ],
    ),
    ("teams-and-boundaries", "quiz-teams-and-systems", ["3.3%", "p = .006"]),
    ("building-compassionate-cultures", "a-leadership-strategy", ["Center for Creative Leadership", "collective"]),
    (
        "building-compassionate-cultures",
        "culture-and-leadership-programmes",
        ["discover", "design", "deliver", "15 to 20 volunteers", "ambassadors", "two years", "open source"],
    ),
    (
        "building-compassionate-cultures",
        "evidence-based-interventions",
        [
            "values-based recruitment",
            "compassionate performance management",
            "peer coaching",
            "action learning",
            "leading for quality improvement",
            "team-based appraisal",
            "after action reviews",
            "system leadership",
        ],
    ),
    (
        "building-compassionate-cultures",
        "the-national-picture",
        [
            "Developing people, improving care",
            "since 2019",
            "by 2030",
            "collective and compassionate leadership",
            "five nations",
        ],
    ),
    ("building-compassionate-cultures", "no-time-not-to-be-compassionate", ["less than a minute", "14-day"]),
]


@pytest.mark.parametrize("module, slug, facts", KEY_FACTS, ids=[f"{m}/{s}" for m, s, _ in KEY_FACTS])
def test_key_facts_are_where_the_syllabus_places_them(module, slug, facts):
    text = step(module, slug).text.lower()
    missing = [fact for fact in facts if fact.lower() not in text]
    assert not missing, f"{module}/{slug} lacks {missing}"


def test_no_figure_from_the_seeds_is_misquoted():
    """Figures that are easy to slip on, checked wherever they appear."""
    for s in all_steps():
        text = s.text
        assert "3.3% drop" not in text or "5%" in text, s.path
        assert set(re.findall(r"p ?= ?0?\.\d+", text)) <= {"p = .006"}, s.path
        assert "93%" not in text and "90% of trusts" not in text, s.path
