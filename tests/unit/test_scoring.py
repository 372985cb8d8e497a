"""Scoring self-assessments and grading quizzes: pure functions, every edge."""

from __future__ import annotations

import pytest

from lms.assessment import scoring
from lms.assessment.chart import NARROWEST, PLOT, TITLE_CHARACTERS, score_chart
from lms.assessment.results import choice_sentence

BANDS = [
    {"up_to": 2.5, "label": "Starting", "feedback": "a"},
    {"up_to": 3.9, "label": "Developing", "feedback": "b"},
    {"up_to": 5, "label": "Strong", "feedback": "c"},
]
SETTINGS = {
    "scale": "frequency",
    "audience": "self",
    "dimensions": [
        {"id": "attending", "title": "Attending", "bands": BANDS},
        {"id": "helping", "title": "Helping", "bands": BANDS},
    ],
    "statements": [
        {"id": "s1", "dimension": "attending", "text": "I listen."},
        {"id": "s2", "dimension": "attending", "text": "I interrupt.", "reverse": True},
        {"id": "s3", "dimension": "attending", "text": "I ask."},
        {"id": "h1", "dimension": "helping", "text": "I help."},
    ],
}
QUESTIONS = [
    {
        "id": "one",
        "prompt": "P",
        "choose": "one",
        "options": [{"text": "A", "correct": False, "feedback": ""}, {"text": "B", "correct": True, "feedback": ""}],
    },
    {
        "id": "many",
        "prompt": "Q",
        "choose": "many",
        "options": [
            {"text": "A", "correct": True, "feedback": ""},
            {"text": "B", "correct": True, "feedback": ""},
            {"text": "C", "correct": False, "feedback": ""},
        ],
    },
    {
        "id": "three",
        "prompt": "R",
        "choose": "one",
        "options": [{"text": "A", "correct": True, "feedback": ""}, {"text": "B", "correct": False, "feedback": ""}],
    },
]


def test_a_reversed_statement_scores_six_minus_the_answer():
    assert scoring.statement_score({"reverse": True}, 1) == 5
    assert scoring.statement_score({"reverse": True}, 5) == 1
    assert scoring.statement_score({}, 2) == 2
    # attending: 4, reversed 2 -> 4, 5: mean 4.333 -> 4.3
    assert scoring.dimension_scores(SETTINGS, {"s1": 4, "s2": 2, "s3": 5, "h1": 1}) == {
        "attending": 4.3,
        "helping": 1.0,
    }


@pytest.mark.parametrize("answer, attending", [(1, 2.3), (3, 3.0), (5, 3.7)])
def test_all_same_answers_are_not_all_same_scores_when_one_is_reversed(answer, attending):
    ratings = dict.fromkeys(["s1", "s2", "s3", "h1"], answer)
    assert scoring.dimension_scores(SETTINGS, ratings) == {"attending": attending, "helping": float(answer)}


def test_all_same_answers_without_reversal_give_that_answer():
    settings = {**SETTINGS, "statements": [dict(s, reverse=False) for s in SETTINGS["statements"]]}
    for answer in range(1, 6):
        assert set(scoring.dimension_scores(settings, dict.fromkeys(["s1", "s2", "s3", "h1"], answer)).values()) == {
            answer
        }


@pytest.mark.parametrize(
    "value, rounded",
    [(2.25, 2.3), (2.35, 2.4), (2.45, 2.5), (3.333, 3.3), (3.6667, 3.7), (4.75, 4.8), (1.05, 1.1), (5.0, 5.0)],
)
def test_scores_round_half_up_to_one_decimal(value, rounded):
    assert scoring.round_half_up(value) == rounded


def test_banding_uses_the_rounded_score_so_the_band_matches_what_is_shown():
    # 2.45 would be "Starting" unrounded (<= 2.5) and is shown as 2.5: both agree at 2.5
    assert scoring.band_for(BANDS, scoring.round_half_up(2.45))["label"] == "Starting"
    # 2.55 is shown as 2.6, so it is "Developing", never "Starting" beside a 2.6
    assert scoring.band_for(BANDS, scoring.round_half_up(2.55))["label"] == "Developing"


@pytest.mark.parametrize(
    "score, label",
    [(1.0, "Starting"), (2.5, "Starting"), (2.6, "Developing"), (3.9, "Developing"), (4.0, "Strong"), (5.0, "Strong")],
)
def test_bands_at_their_edges(score, label):
    assert scoring.band_for(BANDS, score)["label"] == label


def test_overall_is_the_mean_of_dimensions_and_changes_round_cleanly():
    assert scoring.overall_score({"a": 4.3, "b": 1.0}) == 2.7  # 2.65 rounds up
    assert scoring.overall_score({}) is None
    assert scoring.change(3.1, 2.8) == 0.3
    assert scoring.change(2.8, 3.1) == -0.3
    assert scoring.change(3.0, None) is None


def test_ratings_are_read_and_missing_ones_listed():
    ratings, missing = scoring.read_ratings(SETTINGS["statements"], {"s1": ["5"], "h1": ["1"]})
    assert ratings == {"s1": 5, "h1": 1} and missing == ["s2", "s3"]


@pytest.mark.parametrize(
    "sheet",
    [{"nope": ["3"]}, {"s1": ["0"]}, {"s1": ["6"]}, {"s1": ["3.5"]}, {"s1": ["three"]}, {"s1": ["2", "3"]}, {"s1": []}],
)
def test_tampered_ratings_are_refused(sheet):
    with pytest.raises(scoring.UnexpectedAnswer):
        scoring.read_ratings(SETTINGS["statements"], sheet)


def test_a_question_is_right_only_with_exactly_its_correct_options():
    choices = {"one": ["2"], "many": ["1", "2"], "three": ["2"]}
    grade = scoring.grade(QUESTIONS, choices, pass_mark=60)
    assert grade.results == {"one": True, "many": True, "three": False}
    assert (grade.correct, grade.total, grade.score, grade.passed) == (2, 3, 67, True)
    assert not scoring.grade(QUESTIONS, {"one": ["2"], "many": ["1"], "three": ["1"]}).results["many"]
    assert not scoring.grade(QUESTIONS, {"one": ["2"], "many": ["1", "2", "3"], "three": ["1"]}).results["many"]


def _many(right: int, wrong: int) -> dict:
    options = [{"text": f"R{i}", "correct": True, "feedback": ""} for i in range(right)]
    options += [{"text": f"W{i}", "correct": False, "feedback": ""} for i in range(wrong)]
    return {"id": "q", "prompt": "P", "choose": "many", "options": options}


@pytest.mark.parametrize(
    "right_options, wrong_options, chosen, counts, partly, sentence",
    [
        (3, 2, ["1", "2"], (2, 3, 0), True, "You chose 2 of the 3 right answers."),
        (3, 2, ["1", "4"], (1, 3, 1), True, "You chose 1 of the 3 right answers, and 1 that is not right."),
        (3, 2, ["1", "2", "3", "4", "5"], (3, 3, 2), True, "You chose all 3 right answers, and 2 that are not right."),
        (2, 1, ["1", "2", "3"], (2, 2, 1), True, "You chose both right answers, and 1 that is not right."),
        (2, 1, ["3"], (0, 2, 1), False, "You chose none of the 2 right answers."),
        (1, 2, ["1", "2"], (1, 1, 1), True, "You chose the right answer, and 1 that is not right."),
        (1, 2, ["2", "3"], (0, 1, 2), False, "You did not choose the right answer."),
        (2, 1, ["1", "2"], (2, 2, 0), False, "You chose both right answers."),  # right: no "partly"
    ],
)
def test_a_choose_many_answer_is_counted_against_the_right_options_without_naming_them(
    right_options, wrong_options, chosen, counts, partly, sentence
):
    found = scoring.chosen(_many(right_options, wrong_options), chosen)
    assert (found.right, found.of, found.wrong) == counts
    assert found.partly_right is partly
    assert choice_sentence(found) == sentence  # English outside a request
    assert "R0" not in choice_sentence(found) and "W0" not in choice_sentence(found)


@pytest.mark.parametrize("right, score, passed", [(0, 0, False), (1, 33, False), (2, 67, True), (3, 100, True)])
def test_scores_are_whole_percentages_and_the_pass_mark_is_inclusive(right, score, passed):
    answers = [("one", ["2"], ["1"]), ("many", ["1", "2"], ["3"]), ("three", ["1"], ["2"])]
    choices = {qid: (good if index < right else bad) for index, (qid, good, bad) in enumerate(answers)}
    grade = scoring.grade(QUESTIONS, choices, pass_mark=67)
    assert (grade.score, grade.passed) == (score, passed)


def test_a_half_score_rounds_up():
    questions = QUESTIONS[:1] + QUESTIONS[2:]
    assert scoring.grade(questions, {"one": ["2"], "three": ["2"]}, pass_mark=50).score == 50
    eight = [dict(QUESTIONS[0], id=f"q{i}") for i in range(8)]
    assert scoring.grade(eight, {f"q{i}": ["2"] for i in range(5)}).score == 63  # 62.5 -> 63


def test_choices_are_read_and_missing_questions_listed():
    choices, missing = scoring.read_choices(QUESTIONS, {"many": ["2", "1"]})
    assert choices == {"many": ["1", "2"]} and missing == ["one", "three"]


@pytest.mark.parametrize(
    "sheet",
    [
        {"other": ["1"]},
        {"one": ["3"]},
        {"one": ["0"]},
        {"one": ["1", "2"]},
        {"many": ["1", "1"]},
        {"many": ["x"]},
        {"one": []},
    ],
)
def test_tampered_choices_are_refused(sheet):
    with pytest.raises(scoring.UnexpectedAnswer):
        scoring.read_choices(QUESTIONS, sheet)


def test_the_chart_draws_a_bar_per_attempt_with_its_words():
    chart = score_chart(["now", "last time"], [("Attending", [5.0, 2.5]), ("Helping", [1.0, None])])
    attending, helping = chart.rows
    assert [b.width for b in attending.bars] == [PLOT, PLOT / 2]
    assert [b.words for b in attending.bars] == ["5.0 now", "2.5 last time"]
    assert [b.words for b in helping.bars] == ["1.0 now"]  # nothing to compare with
    assert helping.title_lines[0][0] > attending.bars[-1].y and chart.height > helping.bars[-1].y
    assert [score for _, score in chart.ticks] == [1, 2, 3, 4, 5]


def test_the_charts_text_is_at_least_12_pixels_on_a_320_pixel_phone():
    """Drawn for the page's column on a 320-pixel screen (288 pixels inside its margins), the
    chart's smallest text is 12 CSS pixels or more; it was 6 when drawn 640 wide and shrunk."""
    chart = score_chart(["now", "last time", "first time"], [("Attending", [5.0, 2.5, 1.0])])
    assert chart.smallest_text_at(NARROWEST) >= 12
    assert chart.smallest_text_at(320 - 2 * 16) >= 12
    assert score_chart(["now"], [("Helping", [3.0])]).width == chart.width  # the same however many bars


def test_a_long_area_title_wraps_onto_lines_that_fit_a_phone():
    title = "Enthusiastic team-working, cooperation and integration"
    chart = score_chart(["now", "last time"], [(title, [4.0, 3.0]), ("Helping", [2.0, 1.0])])
    long, short = chart.rows
    assert " ".join(words for _, words in long.title_lines) == title
    assert len(long.title_lines) == 2 and all(len(words) <= TITLE_CHARACTERS for _, words in long.title_lines)
    # Each line below the one before; the bars below the last line; the next row below the bars.
    ys = [y for y, _ in long.title_lines]
    assert ys == sorted(ys) and long.bars[0].y > ys[-1] and short.title_lines[0][0] > long.bars[-1].y
    # "5.0 first time" after the longest bar still fits the drawing (about 7 pixels a character).
    assert PLOT + 6 + len("5.0 first time") * 7.5 <= chart.width
