"""The course's quizzes and final test teach without giving their answers away (issue 20).

Read through the project's content loader (`load_course`, as `flask content check` does),
so these hold for the questions learners are actually shown.

Conventions the content keeps, so that these tests can see them:
- A final-test question's id starts `m<N>-` for the module it draws on (1 to 5).
- A scenario question, one that sets out a situation at work and asks the learner to apply
  an idea to it, has an id starting `m<N>-scenario-`. Every other question is recall.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from lms.content.schema import StepSpec, load_course

CONTENT = Path(__file__).resolve().parents[2] / "content"
SCENARIO = re.compile(r"^m([1-5])-scenario-[a-z0-9-]+$")
MODULE_PREFIX = re.compile(r"^m([1-5])-")
LONGER_BY = 1.3  # a right option this many times the longest wrong one stands out


@lru_cache(maxsize=1)
def assessed() -> tuple[tuple[str, StepSpec], ...]:
    """(module slug, step) for every quiz and test in the course."""
    course = load_course(CONTENT)
    return tuple((m.slug, s) for m in course.modules for s in m.steps if s.type in ("quiz", "test"))


def questions() -> list[tuple[str, dict]]:
    return [(f"{step.slug}/{q['id']}", q) for _, step in assessed() for q in step.settings["questions"]]


def final_test() -> StepSpec:
    tests = [step for _, step in assessed() if step.type == "test"]
    assert len(tests) == 1
    return tests[0]


def normalised(text: str) -> str:
    """Lower case, words only, padded with spaces so that a match falls on word edges."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("’", "'").replace("'", ""))
    return f" {' '.join(words)} "


def question_text(question: dict) -> str:
    parts = [question["prompt"]]
    for option in question["options"]:
        parts += [option["text"], option["feedback"]]
    return "\n".join(parts)


QUESTIONS = questions()
IDS = [name for name, _ in QUESTIONS]


def test_every_quiz_and_the_final_test_are_read():
    assert [step.type for _, step in assessed()].count("quiz") == 4
    assert len(QUESTIONS) >= 35


@pytest.mark.parametrize("name, question", QUESTIONS, ids=IDS)
def test_feedback_on_a_wrong_option_never_states_a_right_option(name, question):
    rights = [normalised(o["text"]) for o in question["options"] if o["correct"]]
    for option in question["options"]:
        if option["correct"]:
            continue
        feedback = normalised(option["feedback"])
        given_away = [right.strip() for right in rights if right in feedback]
        assert not given_away, f"{name}: feedback on {option['text']!r} states {given_away}"


@pytest.mark.parametrize("name, question", QUESTIONS, ids=IDS)
def test_no_right_option_is_much_longer_than_the_wrong_ones(name, question):
    longest_wrong = max(len(o["text"]) for o in question["options"] if not o["correct"])
    for option in question["options"]:
        if option["correct"]:
            assert len(option["text"]) < LONGER_BY * longest_wrong, f"{name}: {option['text']!r}"


def test_the_right_answer_is_not_always_in_the_same_place():
    places = [next(i for i, o in enumerate(q["options"]) if o["correct"]) for _, q in QUESTIONS if q["choose"] == "one"]
    assert len(set(places)) == 4
    assert max(places.count(p) for p in set(places)) <= len(places) / 2


def test_the_final_test_has_fifteen_questions_at_least_six_set_in_a_situation():
    test = final_test()
    ids = [q["id"] for q in test.settings["questions"]]
    scenarios = [i for i in ids if SCENARIO.match(i)]
    assert len(ids) >= 15
    assert len(scenarios) >= 6
    assert all(MODULE_PREFIX.match(i) for i in ids), ids
    # drawn across all five modules, with recall questions besides
    assert {SCENARIO.match(i)[1] for i in scenarios} == {"1", "2", "3", "4", "5"}
    assert len(ids) - len(scenarios) >= 6
    assert (test.settings["pass_mark"], test.settings["attempts"]) == (70, 3)


def test_scenario_questions_describe_a_situation_and_ask_about_it():
    for q in final_test().settings["questions"]:
        if SCENARIO.match(q["id"]):
            *situation, ask = re.split(r"(?<=[.!])\s+", q["prompt"].strip())
            assert situation and ask.endswith("?"), q["id"]


def test_scenarios_are_set_across_health_and_care():
    prompts = " ".join(q["prompt"] for q in final_test().settings["questions"] if SCENARIO.match(q["id"])).lower()
    settings = {
        "hospital ward": r"\bward\b",
        "social care": r"care home|home care|social care",
        "primary care": r"\bgp\b|general practice",
        "community or mental-health services": r"community|mental health|mental-health|district nurs",
    }
    missing = [name for name, pattern in settings.items() if not re.search(pattern, prompts)]
    assert not missing


# The facts the review found wrong (issue 20), checked wherever a question touches them ----------


def test_connectivity_is_compassion_in_action_is_called_five_words():
    phrase = "Connectivity is compassion in action"
    assert len(phrase.split()) == 5
    touching = [q for _, q in QUESTIONS if phrase.lower() in question_text(q).lower()]
    assert touching
    for q in touching:
        assert "five" in q["prompt"].lower() and "four" not in q["prompt"].lower(), q["id"]
    for _, q in QUESTIONS:
        assert "four words" not in question_text(q).lower(), q["id"]


def test_the_30_percent_figure_is_never_tied_to_the_lung_cancer_study():
    """The HEIW note gives 30% longer survival for compassionate palliative care, naming no
    study or illness; the lung cancer study (Michael West, seed 002) gives no figure."""
    for _, q in QUESTIONS:
        text = question_text(q).lower()
        if "30%" in text:
            assert "lung" not in text and "palliative" in text, q["id"]
    assert any("30%" in question_text(q) for _, q in QUESTIONS)


def test_no_question_says_bullying_lay_behind_mid_staffordshire():
    """Powell names bullying as a force that drains compassion, and Mid Staffs as what can
    happen without compassion; neither source links the two."""
    for _, q in QUESTIONS:
        text = question_text(q).lower()
        if "mid staff" in text:
            assert "bull" not in text, q["id"]


def test_no_question_adds_the_detail_that_the_team_finding_drew_attention():
    for _, q in QUESTIONS:
        assert "attention" not in question_text(q).lower() or "real team" not in question_text(q).lower(), q["id"]


KEY_FIGURES = [
    ("92%", "trusts"),
    ("3.3%", "5%"),
    ("p = .006", "3.3%"),
    ("40 deaths a year", "average acute hospital"),
    ("18 years", "half a million"),
    ("15 to 20 volunteers", "change team"),
    ("2030", "health and social care"),
]


@pytest.mark.parametrize("figure, context", KEY_FIGURES)
def test_figures_from_the_sources_appear_with_what_they_measure(figure, context):
    holding = [q for _, q in QUESTIONS if figure in question_text(q)]
    assert holding, figure
    for q in holding:
        assert context.lower() in question_text(q).lower(), (figure, q["id"])
