"""Scoring: read an answer sheet against a step's settings, score it, band it, grade it.

Pure: no Flask, no database. The settings are those `content.assessment_schema` accepted,
so their shape is trusted here; the answers come from a browser, so nothing about them is.

Rules (design.md section 3, decisions in README):
- A self-assessment answer is 1..5; a reversed statement scores 6 - answer.
- A dimension's score is the mean of its statements, rounded half up to one decimal; that
  rounded figure is the one stored, banded and shown, so a score always sits in the band
  shown beside it. The band is the first whose `up_to` is at least the score.
- A quiz or test question is right when exactly its correct options are chosen; the
  score is the percentage of questions right, rounded half up to a whole number.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SCALE = range(1, 6)


class UnexpectedAnswer(ValueError):
    """The sheet names a statement, question or option the step does not have: not a
    learner's slip but a tampered or stale form."""


def round_half_up(value: float, places: int = 1) -> float:
    """Round as people expect (2.25 -> 2.3), not as floats do (banker's rounding, 2.2)."""
    step = Decimal(1).scaleb(-places)
    return float(Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP))


# Self-assessments ---------------------------------------------------------------------


def read_ratings(statements: list[dict], sheet: dict[str, list[str]]) -> tuple[dict[str, int], list[str]]:
    """The answers on a sheet as {statement id: 1..5}, and the ids left unanswered."""
    known = {s["id"] for s in statements}
    unknown = set(sheet) - known
    if unknown:
        raise UnexpectedAnswer(f"unknown statements: {', '.join(sorted(unknown))}")
    ratings = {}
    for statement_id, values in sheet.items():
        if len(values) != 1 or values[0] not in {str(v) for v in SCALE}:
            raise UnexpectedAnswer(f"statement {statement_id}: {values!r} is not on the scale")
        ratings[statement_id] = int(values[0])
    return ratings, [s["id"] for s in statements if s["id"] not in ratings]


def statement_score(statement: dict, answer: int) -> int:
    return 6 - answer if statement.get("reverse") else answer


def dimension_scores(settings: dict, ratings: dict[str, int]) -> dict[str, float]:
    """Each dimension's score: the rounded mean of its statements' scores."""
    totals: dict[str, list[int]] = {d["id"]: [] for d in settings["dimensions"]}
    for statement in settings["statements"]:
        totals[statement["dimension"]].append(statement_score(statement, ratings[statement["id"]]))
    return {dimension: round_half_up(sum(scores) / len(scores)) for dimension, scores in totals.items() if scores}


def band_for(bands: list[dict], score: float) -> dict | None:
    """The first band whose `up_to` is at least the score (None only if bands are short)."""
    return next((band for band in bands if score <= band["up_to"]), None)


def overall_score(scores: dict[str, float]) -> float | None:
    """The mean of the dimension scores, each dimension counting the same."""
    return round_half_up(sum(scores.values()) / len(scores)) if scores else None


def change(now: float | None, before: float | None) -> float | None:
    """The difference between two shown scores, rounded so 0.1 + 0.2 prints as 0.3."""
    return None if now is None or before is None else round_half_up(now - before)


# Quizzes and tests --------------------------------------------------------------------


def option_keys(question: dict) -> list[str]:
    """Options are answered by their position, 1 first, as the form sends them."""
    return [str(number) for number in range(1, len(question["options"]) + 1)]


def read_choices(questions: list[dict], sheet: dict[str, list[str]]) -> tuple[dict[str, list[str]], list[str]]:
    """The answers on a sheet as {question id: chosen option keys}, and the ids left unanswered."""
    by_id = {q["id"]: q for q in questions}
    unknown = set(sheet) - set(by_id)
    if unknown:
        raise UnexpectedAnswer(f"unknown questions: {', '.join(sorted(unknown))}")
    choices = {}
    for question_id, values in sheet.items():
        question = by_id[question_id]
        keys = option_keys(question)
        if not values or any(v not in keys for v in values) or len(set(values)) != len(values):
            raise UnexpectedAnswer(f"question {question_id}: {values!r} are not its options")
        if question["choose"] == "one" and len(values) > 1:
            raise UnexpectedAnswer(f"question {question_id} takes one answer")
        choices[question_id] = sorted(values, key=int)
    return choices, [q["id"] for q in questions if q["id"] not in choices]


def correct_keys(question: dict) -> list[str]:
    return [key for key, option in zip(option_keys(question), question["options"]) if option["correct"]]


@dataclass(frozen=True)
class Grade:
    results: dict[str, bool]  # question id -> answered right
    correct: int
    total: int
    score: int  # percent
    passed: bool


def grade(questions: list[dict], choices: dict[str, list[str]], pass_mark: int = 100) -> Grade:
    """Mark each question right or wrong and score the sheet out of 100."""
    results = {q["id"]: sorted(choices.get(q["id"], [])) == sorted(correct_keys(q)) for q in questions}
    correct = sum(results.values())
    score = int(round_half_up(100 * correct / len(questions), 0)) if questions else 0
    return Grade(results, correct, len(questions), score, score >= pass_mark)


@dataclass(frozen=True)
class Chosen:
    """How a "choose many" answer compares with the right options, by number only (which
    options are right is the feedback's to reveal, or not)."""

    right: int  # right options chosen
    of: int  # right options in all
    wrong: int  # options chosen that are not right

    @property
    def partly_right(self) -> bool:
        return self.right > 0 and (self.right < self.of or self.wrong > 0)


def chosen(question: dict, keys: list[str]) -> Chosen:
    right = set(correct_keys(question))
    return Chosen(len(right & set(keys)), len(right), len(set(keys) - right))
