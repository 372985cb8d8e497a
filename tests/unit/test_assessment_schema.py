"""The front matter of quizzes, tests and self-assessments: every malformed case is named."""

from __future__ import annotations

import copy

import pytest
import yaml

from lms.content import assessment_schema
from lms.content.files import parse_document, read_tree
from lms.content.schema import validate

QUIZ = {
    "questions": [
        {
            "id": "q1",
            "prompt": "Which is right?",
            "choose": "one",
            "options": [
                {"text": "This", "correct": True, "feedback": "Yes."},
                {"text": "That", "correct": False, "feedback": "No."},
            ],
        },
        {
            "id": "q2",
            "prompt": "Which are right?",
            "choose": "many",
            "options": [
                {"text": "A", "correct": True, "feedback": "Yes."},
                {"text": "B", "correct": True, "feedback": "Yes."},
                {"text": "C", "correct": False, "feedback": "No."},
            ],
        },
    ],
}
TEST = {**QUIZ, "pass_mark": 70, "attempts": 3}
BAND = [
    {"up_to": 2.5, "label": "Starting", "feedback": "Try this."},
    {"up_to": 5, "label": "Strong", "feedback": "Keep going."},
]
SELF = {
    "scale": "frequency",
    "audience": "self",
    "dimensions": [
        {"id": "attending", "title": "Attending", "bands": BAND},
        {"id": "helping", "title": "Helping", "description": "Taking action.", "bands": BAND},
    ],
    "statements": [
        {"id": "s1", "dimension": "attending", "text": "I listen."},
        {"id": "s2", "dimension": "attending", "text": "I interrupt.", "reverse": True},
        {"id": "s3", "dimension": "helping", "text": "I help."},
    ],
}
READ = {
    "quiz": assessment_schema.read_quiz,
    "test": assessment_schema.read_test,
    "self-assessment": assessment_schema.read_self_assessment,
}


class Reader:
    """The step reader's interface, collecting problems as text."""

    def __init__(self, text: str):
        self.doc = parse_document(text, "step.md")
        self.problems: list[str] = []

    def fail(self, message: str, *path) -> None:
        self.problems.append(str(self.doc.problem(message, *path)))


def read(kind: str, meta: dict) -> tuple[dict, list[str]]:
    reader = Reader("---\n" + yaml.safe_dump(meta, sort_keys=False) + "---\nIntro\n")
    return READ[kind](reader), reader.problems


def changed(meta: dict, change) -> dict:
    meta = copy.deepcopy(meta)
    change(meta)
    return meta


@pytest.mark.parametrize("kind, meta", [("quiz", QUIZ), ("test", TEST), ("self-assessment", SELF)])
def test_valid_settings_have_no_problems_and_keep_their_field_names(kind, meta):
    settings, problems = read(kind, meta)
    assert problems == []
    assert settings == meta


def test_named_scales_have_five_labels_each():
    assert assessment_schema.scale_labels("frequency") == ("Never", "Rarely", "Sometimes", "Often", "Always")
    assert assessment_schema.scale_labels("agreement")[0] == "Strongly disagree"
    assert assessment_schema.scale_labels("agreement")[-1] == "Strongly agree"
    assert len(assessment_schema.scale_labels("agreement")) == 5
    assert assessment_schema.scale_labels(["a", "b", "c", "d", "e"]) == ("a", "b", "c", "d", "e")


def _drop(key):
    return lambda m: m.pop(key)


@pytest.mark.parametrize(
    "change, field, message",
    [
        (_drop("questions"), "questions", "must be a list with at least one entry"),
        (lambda m: m.update(questions=[]), "questions", "must be a list with at least one entry"),
        (lambda m: m["questions"].append("q3"), "questions.2", "each entry must be a set of fields"),
        (lambda m: m["questions"][1].update(id="q1"), "questions.1.id", "is used twice"),
        (lambda m: m["questions"][0].pop("id"), "questions.0.id", "is required"),
        (lambda m: m["questions"][0].update(id="has spaces"), "questions.0.id", "must be letters, digits"),
        (lambda m: m["questions"][0].pop("prompt"), "questions.0.prompt", "is required"),
        (lambda m: m["questions"][0].update(prompt=["a"]), "questions.0.prompt", "must be text"),
        (lambda m: m["questions"][0].update(choose="some"), "questions.0.choose", "must be 'one' or 'many'"),
        (lambda m: m["questions"][0].update(hint="x"), "questions.0.hint", "unknown field"),
        (lambda m: m["questions"][0].pop("options"), "questions.0.options", "must be a list with at least one entry"),
        (lambda m: m["questions"][0]["options"].pop(), "questions.0.options", "must offer at least two options"),
        (
            lambda m: m["questions"][0]["options"][1].update(correct=True),
            "questions.0.options",
            "must have exactly one correct option for choose: one (has 2)",
        ),
        (
            lambda m: m["questions"][0]["options"][0].update(correct=False),
            "questions.0.options",
            "must have exactly one correct option for choose: one (has 0)",
        ),
        (
            lambda m: [o.update(correct=False) for o in m["questions"][1]["options"]],
            "questions.1.options",
            "must have at least one correct option",
        ),
        (
            lambda m: m["questions"][0]["options"][0].update(correct="yes"),
            "questions.0.options.0.correct",
            "must be true or false",
        ),
        (
            lambda m: m["questions"][0]["options"][0].pop("correct"),
            "questions.0.options.0.correct",
            "must be true or false",
        ),
        (lambda m: m["questions"][0]["options"][0].pop("text"), "questions.0.options.0.text", "is required"),
        (lambda m: m["questions"][0]["options"][1].pop("feedback"), "questions.0.options.1.feedback", "is required"),
        (
            lambda m: m["questions"][0]["options"].append("D"),
            "questions.0.options.2",
            "each entry must be a set of fields",
        ),
    ],
)
def test_each_bad_question_is_named(change, field, message):
    _, problems = read("quiz", changed(QUIZ, change))
    assert any(f": {field}: {message}" in p for p in problems), problems


@pytest.mark.parametrize(
    "change, field, message",
    [
        (_drop("pass_mark"), "pass_mark", "is required"),
        (lambda m: m.update(pass_mark=0), "pass_mark", "must be a whole number from 1 to 100"),
        (lambda m: m.update(pass_mark=101), "pass_mark", "must be a whole number from 1 to 100"),
        (lambda m: m.update(pass_mark="70%"), "pass_mark", "must be a whole number from 1 to 100"),
        (_drop("attempts"), "attempts", "is required"),
        (lambda m: m.update(attempts=0), "attempts", "must be a whole number from 1 to 100"),
        (lambda m: m.update(attempts=True), "attempts", "must be a whole number from 1 to 100"),
        (lambda m: m["questions"][0].update(choose=None), "questions.0.choose", "must be 'one' or 'many'"),
    ],
)
def test_each_bad_test_field_is_named(change, field, message):
    _, problems = read("test", changed(TEST, change))
    assert any(f": {field}: {message}" in p for p in problems), problems


@pytest.mark.parametrize(
    "change, field, message",
    [
        (_drop("scale"), "scale", "must be frequency or agreement, or a list of 5 labels"),
        (lambda m: m.update(scale="likert"), "scale", "must be frequency or agreement"),
        (lambda m: m.update(scale=["No", "Yes"]), "scale", "a list of labels must have 5 different labels"),
        (lambda m: m.update(scale=["a", "a", "b", "c", "d"]), "scale", "a list of labels must have 5 different labels"),
        (lambda m: m.update(scale=["a", "", "b", "c", "d"]), "scale.1", "is required"),
        (_drop("audience"), "audience", "must be 'self'"),
        (lambda m: m.update(audience="everyone"), "audience", "must be 'self'"),
        (_drop("dimensions"), "dimensions", "must be a list with at least one entry"),
        (lambda m: m["dimensions"][1].update(id="attending"), "dimensions.1.id", "is used twice"),
        (lambda m: m["dimensions"][0].pop("title"), "dimensions.0.title", "is required"),
        (lambda m: m["dimensions"][0].update(colour="red"), "dimensions.0.colour", "unknown field"),
        (lambda m: m["dimensions"][0].pop("bands"), "dimensions.0.bands", "must be a list with at least one entry"),
        (
            lambda m: m["dimensions"][0].update(bands=[{"up_to": 4, "label": "L", "feedback": "F"}]),
            "dimensions.0.bands",
            "the last band's up_to must be at least 5",
        ),
        (
            lambda m: m["dimensions"][0].update(bands=[BAND[1], BAND[0]]),
            "dimensions.0.bands.1.up_to",
            "must be higher than the band before it",
        ),
        (
            lambda m: m["dimensions"][0].update(bands=[BAND[0], BAND[0], BAND[1]]),
            "dimensions.0.bands.1.up_to",
            "must be higher than the band before it",
        ),
        (
            lambda m: m["dimensions"][0]["bands"][0].update(up_to="low"),
            "dimensions.0.bands.0.up_to",
            "must be a number from 1",
        ),
        (
            lambda m: m["dimensions"][0]["bands"][0].update(up_to=0.5),
            "dimensions.0.bands.0.up_to",
            "must be a number from 1",
        ),
        (lambda m: m["dimensions"][0]["bands"][0].pop("label"), "dimensions.0.bands.0.label", "is required"),
        (lambda m: m["dimensions"][0]["bands"][1].pop("feedback"), "dimensions.0.bands.1.feedback", "is required"),
        (_drop("statements"), "statements", "must be a list with at least one entry"),
        (lambda m: m["statements"][1].update(id="s1"), "statements.1.id", "is used twice"),
        (lambda m: m["statements"][0].pop("id"), "statements.0.id", "is required"),
        (
            lambda m: m["statements"][0].update(dimension="caring"),
            "statements.0.dimension",
            "must be one of the dimension ids: attending, helping",
        ),
        (lambda m: m["statements"][0].pop("text"), "statements.0.text", "is required"),
        (lambda m: m["statements"][1].update(reverse="yes"), "statements.1.reverse", "must be true or false"),
        (lambda m: m["statements"].pop(), "dimensions.1.id", "has no statements: every dimension needs at least one"),
    ],
)
def test_each_bad_self_assessment_field_is_named(change, field, message):
    _, problems = read("self-assessment", changed(SELF, change))
    assert any(f": {field}: {message}" in p for p in problems), problems


def test_a_custom_scale_and_a_team_audience_are_accepted():
    settings, problems = read(
        "self-assessment",
        changed(
            SELF,
            lambda m: m.update(scale=["Not at all", "A little", "Somewhat", "Mostly", "Completely"], audience="team"),
        ),
    )
    assert problems == []
    assert settings["scale"][0] == "Not at all" and settings["audience"] == "team"


def test_a_reversed_statement_false_is_not_stored():
    settings, problems = read("self-assessment", changed(SELF, lambda m: m["statements"][0].update(reverse=False)))
    assert problems == [] and "reverse" not in settings["statements"][0]


def test_problems_give_the_line_of_the_field():
    reader = Reader(
        "---\nquestions:\n  - id: q1\n    prompt: P\n    choose: one\n    options:\n"
        "      - text: A\n        correct: maybe\n        feedback: F\n"
        "      - text: B\n        correct: false\n        feedback: F\n---\n"
    )
    assessment_schema.read_quiz(reader)
    assert "step.md:8: questions.0.options.0.correct: must be true or false" in reader.problems


def test_content_check_reads_a_quiz_step_file_with_lines(content_copy):
    path = content_copy / "modules/01-first-steps/04-check.md"
    front = {
        "title": "Check",
        "type": "quiz",
        "activity": "talking",
        "duration": 5,
        "pass_mark": 50,
        **changed(QUIZ, lambda m: m["questions"][1].update(id="q1")),
    }
    path.write_text("---\n" + yaml.safe_dump(front, sort_keys=False) + "---\nAnswer these.\n", encoding="utf-8")
    course, problems = validate(read_tree(content_copy))
    messages = [str(p) for p in problems]
    assert any(m.startswith("modules/01-first-steps/04-check.md:6: pass_mark: unknown field") for m in messages), (
        messages
    )
    assert any(
        m.startswith("modules/01-first-steps/04-check.md:18: questions.1.id: is used twice") for m in messages
    ), messages


def test_content_check_accepts_each_type(content_copy):
    for number, (kind, meta) in enumerate([("quiz", QUIZ), ("test", TEST), ("self-assessment", SELF)], start=4):
        front = {"title": kind, "type": kind, "activity": "talking", "duration": 5, **meta}
        (content_copy / f"modules/01-first-steps/{number:02d}-{kind}.md").write_text(
            "---\n" + yaml.safe_dump(front, sort_keys=False) + "---\n", encoding="utf-8"
        )
    course, problems = validate(read_tree(content_copy))
    assert problems == []
    assert [s.settings for s in course.modules[0].steps[3:]] == [QUIZ, TEST, SELF]
