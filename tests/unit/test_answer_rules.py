"""Quizzes and tests that do not give their answers away: feedback on a wrong option never
holds a right option's text (refused), and a right option that stands out by its length is
reported (a warning, not a failure)."""

from __future__ import annotations

import pytest
import yaml

from lms.content.answer_rules import giveaways, long_right_option, normalised
from lms.content.files import read_tree
from lms.content.schema import check_step, validate, warnings
from tests.unit.test_content_files import write


def question(right: str, wrong: list[tuple[str, str]], more_right: tuple[str, ...] = ()) -> dict:
    return {
        "id": "q1",
        "prompt": "Which?",
        "choose": "many" if more_right else "one",
        "options": [
            {"text": right, "correct": True, "feedback": "Yes."},
            *({"text": text, "correct": True, "feedback": "Also yes."} for text in more_right),
            *({"text": text, "correct": False, "feedback": feedback} for text, feedback in wrong),
        ],
    }


def test_text_is_compared_without_case_punctuation_or_spacing():
    assert normalised("  Around 40 deaths,  a YEAR!\n") == "around 40 deaths a year"


@pytest.mark.parametrize(
    "feedback",
    [
        "Not quite: it was around 40 deaths a year.",
        "Not quite. It was AROUND 40   deaths (a year).",
        "The answer: around-40 deaths a year",
    ],
)
def test_feedback_quoting_the_right_option_is_a_giveaway(feedback):
    q = question("Around 40 deaths a year", [("About 4 a year", feedback), ("About 400 a year", "Too high.")])
    assert [index for index, _ in giveaways(q)] == [1]


def test_feedback_that_explains_without_the_answer_passes():
    q = question(
        "92%",
        [("42%", "Too low: concern was close to universal."), ("100%", "Not every trust said so.")],
    )
    assert giveaways(q) == []


def test_a_right_option_inside_a_longer_number_or_word_is_not_a_giveaway():
    q = question("92", [("9", "Think of nearly all of them: 192 is not it either."), ("50", "No.")])
    assert giveaways(q) == []


def test_for_many_answer_questions_any_right_option_counts():
    q = question("Listening", [("Blaming", "Listening and empathy matter more.")], more_right=("Empathy",))
    assert [index for index, _ in giveaways(q)] == [2]


def test_right_options_may_say_themselves_in_their_own_feedback():
    q = question("Listening", [("Blaming", "No.")])
    q["options"][0]["feedback"] = "Yes: listening comes first."
    assert giveaways(q) == []


def test_the_checker_refuses_a_giveaway_with_its_field():
    meta = {"title": "Quiz", "type": "quiz", "activity": "a", "duration": 5}
    meta["questions"] = [question("Around 40 a year", [("About 4 a year", "It was around 40 a year.")])]
    (problem,) = check_step(meta, "", ["a"])
    assert problem.field == "questions.0.options.1.feedback" and "gives the right answer away" in problem.message


@pytest.mark.parametrize(
    ("right", "wrong", "reported"),
    [
        ("x" * 13, ["x" * 10, "x" * 4], True),  # 30% longer: reported
        ("x" * 12, ["x" * 10, "x" * 4], False),  # 20% longer: fine
        ("x" * 5, ["x" * 10, "x" * 4], False),  # shorter: fine
    ],
)
def test_a_right_option_at_least_30_percent_longer_than_the_longest_wrong_one_is_reported(right, wrong, reported):
    message = long_right_option(question(right, [(text, "No.") for text in wrong]))
    assert (message is not None) == reported
    if reported:
        assert message == (
            "the right option is 13 characters, 30% longer than the longest wrong one (10): "
            "make the options of similar length"
        )


def test_long_right_options_are_warnings_with_their_line_not_problems(content_copy):
    quiz = {
        "title": "Quiz",
        "type": "quiz",
        "activity": "looking-back",
        "duration": 5,
        "questions": [
            question("Short", [("Shorter", "No.")]),
            {**question("A much longer right answer than the rest", [("Brief", "No."), ("Small", "No.")]), "id": "q2"},
        ],
    }
    front = yaml.safe_dump(quiz, sort_keys=False)
    write(content_copy, "modules/02-next-steps/02-quiz.md", f"---\n{front}---\n")
    tree = read_tree(content_copy)
    assert validate(tree)[1] == []
    (warning,) = warnings(tree)
    assert str(warning).startswith("modules/02-next-steps/02-quiz.md:")
    assert warning.field == "questions.1.options" and "longer than the longest wrong one" in warning.message
    assert warning.line == 1 + front.splitlines().index("- id: q2") + 1 + 3  # the options line of q2


def test_content_check_prints_warnings_and_still_passes(runner, content_copy):
    path = content_copy / "modules/02-next-steps/02-quiz.md"
    quiz = {"title": "Quiz", "type": "quiz", "activity": "looking-back", "duration": 5}
    quiz["questions"] = [question("A much longer right answer than the rest", [("Brief", "No.")])]
    path.write_text(f"---\n{yaml.safe_dump(quiz, sort_keys=False)}---\n")
    result = runner.invoke(args=["content", "check", str(content_copy)])
    assert result.exit_code == 0 and "Content is valid." in result.output
    assert "Warning: modules/02-next-steps/02-quiz.md:" in result.output
