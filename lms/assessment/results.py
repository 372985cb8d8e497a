"""What the results pages and the progress page show of a learner's answers.

Each read is a fixed number of queries whatever the history: the step's settings and
the learner's rows for it. Bands and feedback come from the step's current settings, the
scores from the stored rows, so a result reads the same until the content changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from lms.assessment import scoring
from lms.assessment.chart import Chart, score_chart
from lms.assessment.models import QuizAttempt, SelfAssessmentResponse
from lms.assessment.service import ASSESSED_TYPES, QUIZ_TYPES, SELF_ASSESSMENT, quiz_records, settings_for
from lms.content import service as content
from lms.content.outline import CourseOutline, ModuleOutline, StepSummary
from lms.extensions import db


@dataclass(frozen=True)
class DimensionResult:
    id: str
    title: str
    score: float | None
    band: dict | None  # {up_to, label, feedback}
    since_previous: float | None = None
    since_first: float | None = None


@dataclass(frozen=True)
class Taken:
    """One response in the history: its number, date, and scores in dimension order."""

    number: int
    submitted_at: datetime
    scores: tuple[float | None, ...]
    overall: float | None


@dataclass(frozen=True)
class SelfResults:
    step: StepSummary
    dimensions: tuple[DimensionResult, ...]
    overall: DimensionResult
    history: tuple[Taken, ...]  # newest first
    chart: Chart

    @property
    def latest(self) -> Taken:
        return self.history[0]

    @property
    def strongest(self) -> DimensionResult:
        return max(self.dimensions, key=lambda d: d.score or 0)

    @property
    def weakest(self) -> DimensionResult:
        return min(self.dimensions, key=lambda d: d.score or 0)


def _taken(number: int, row: SelfAssessmentResponse, dimension_ids: list[str]) -> Taken:
    scores = {d: row.scores[d] for d in dimension_ids if d in row.scores}
    return Taken(number, row.submitted_at, tuple(scores.get(d) for d in dimension_ids), scoring.overall_score(scores))


def _compare(dimension: dict, index: int, history: list[Taken]) -> DimensionResult:
    now = history[0].scores[index]
    previous = history[1].scores[index] if len(history) > 1 else None
    first = history[-1].scores[index] if len(history) > 2 else None
    band = scoring.band_for(dimension["bands"], now) if now is not None else None
    return DimensionResult(
        dimension["id"], dimension["title"], now, band, scoring.change(now, previous), scoring.change(now, first)
    )


def _overall(history: list[Taken]) -> DimensionResult:
    now = history[0].overall
    previous = history[1].overall if len(history) > 1 else None
    first = history[-1].overall if len(history) > 2 else None
    return DimensionResult(
        "overall", _("Overall"), now, None, scoring.change(now, previous), scoring.change(now, first)
    )


def _chart(dimensions: list[dict], history: list[Taken]) -> Chart:
    picks = [
        (_("now"), history[0]),
        (_("last time"), history[1] if len(history) > 1 else None),
        (_("first time"), history[-1] if len(history) > 2 else None),
    ]
    picks = [(name, taken) for name, taken in picks if taken is not None]
    return score_chart(
        [name for name, _ in picks],
        [(d["title"], [taken.scores[i] for _, taken in picks]) for i, d in enumerate(dimensions)],
    )


def self_assessment_results(user_id: int, step: StepSummary) -> SelfResults | None:
    """The latest response banded, compared with the previous and the first, and the history."""
    settings = settings_for(step, (SELF_ASSESSMENT,))
    rows = db.session.scalars(
        sa.select(SelfAssessmentResponse)
        .where(SelfAssessmentResponse.user_id == user_id, SelfAssessmentResponse.step_id == step.id)
        .order_by(SelfAssessmentResponse.submitted_at, SelfAssessmentResponse.id)
    ).all()
    if not rows:
        return None
    dimensions = settings["dimensions"]
    ids = [d["id"] for d in dimensions]
    history = [_taken(number, row, ids) for number, row in enumerate(rows, start=1)][::-1]
    return SelfResults(
        step,
        tuple(_compare(d, i, history) for i, d in enumerate(dimensions)),
        _overall(history),
        tuple(history),
        _chart(dimensions, history),
    )


def choice_sentence(counts: scoring.Chosen) -> str:
    """'You chose 2 of the 3 right answers.', 'You chose both right answers, and 1 that is not right.'"""
    # Whole sentences for the translators: the right ones chosen, then any wrong ones.
    wrong = counts.wrong if counts.right else 0
    if counts.of == 1:
        if not counts.right:
            return _("You did not choose the right answer.")
        if not wrong:
            return _("You chose the right answer.")
        return ngettext(
            "You chose the right answer, and %(num)d that is not right.",
            "You chose the right answer, and %(num)d that are not right.",
            wrong,
        )
    if counts.right == 0:
        return _("You chose none of the %(of)d right answers.", of=counts.of)
    if counts.right < counts.of:
        if not wrong:
            return _("You chose %(right)d of the %(of)d right answers.", right=counts.right, of=counts.of)
        return ngettext(
            "You chose %(right)d of the %(of)d right answers, and %(num)d that is not right.",
            "You chose %(right)d of the %(of)d right answers, and %(num)d that are not right.",
            wrong,
            right=counts.right,
            of=counts.of,
        )
    if counts.of == 2:
        if not wrong:
            return _("You chose both right answers.")
        return ngettext(
            "You chose both right answers, and %(num)d that is not right.",
            "You chose both right answers, and %(num)d that are not right.",
            wrong,
        )
    if not wrong:
        return _("You chose all %(of)d right answers.", of=counts.of)
    return ngettext(
        "You chose all %(of)d right answers, and %(num)d that is not right.",
        "You chose all %(of)d right answers, and %(num)d that are not right.",
        wrong,
        of=counts.of,
    )


@dataclass(frozen=True)
class QuestionResult:
    question: dict
    right: bool
    chosen: tuple[dict, ...]  # the options picked, each with its feedback
    correct: tuple[dict, ...]  # the right options, shown when the answers are revealed
    counts: scoring.Chosen | None = None  # a "choose many" answer not right: how many right options it chose

    @property
    def sentence(self) -> str:
        return choice_sentence(self.counts) if self.counts else ""


@dataclass(frozen=True)
class QuizResults:
    step: StepSummary
    settings: dict
    attempts: tuple[QuizAttempt, ...]  # newest first
    questions: tuple[QuestionResult, ...]  # for the newest attempt

    @property
    def latest(self) -> QuizAttempt:
        return self.attempts[0]

    @property
    def best_score(self) -> int:
        return max(a.score for a in self.attempts)

    @property
    def passed(self) -> bool:
        return any(a.passed for a in self.attempts)

    @property
    def shown_as_pass(self) -> bool:
        """A test once passed; a quiz when its latest attempt reached the pass mark (every
        question right, unless the quiz sets a lower mark). Only these are announced in green."""
        return self.passed if self.step.type == "test" else self.latest.passed

    @property
    def attempts_left(self) -> int | None:
        return max(self.settings["attempts"] - len(self.attempts), 0) if self.step.type == "test" else None

    @property
    def reveals_answers(self) -> bool:
        """A test shows its answers only once passed or used up; a quiz on request."""
        return self.step.type == "quiz" or self.passed or self.attempts_left == 0


def _question_result(question: dict, attempt: QuizAttempt) -> QuestionResult:
    options = dict(zip(scoring.option_keys(question), question["options"]))
    chosen = tuple(options[k] for k in attempt.answers.get(question["id"], []) if k in options)
    correct = tuple(options[k] for k in scoring.correct_keys(question))
    right = bool(attempt.results.get(question["id"]))
    keys = [k for k in attempt.answers.get(question["id"], []) if k in options]
    counts = scoring.chosen(question, keys) if question["choose"] == "many" and keys and not right else None
    return QuestionResult(question, right, chosen, correct, counts)


def quiz_results(user_id: int, step: StepSummary) -> QuizResults | None:
    """The newest attempt question by question, and every attempt with its score."""
    settings = settings_for(step, QUIZ_TYPES)
    attempts = db.session.scalars(
        sa.select(QuizAttempt)
        .where(QuizAttempt.user_id == user_id, QuizAttempt.step_id == step.id)
        .order_by(QuizAttempt.number.desc())
    ).all()
    if not attempts:
        return None
    return QuizResults(
        step, settings, tuple(attempts), tuple(_question_result(q, attempts[0]) for q in settings["questions"])
    )


@dataclass(frozen=True)
class StepResult:
    """One assessed step on the progress page."""

    step: StepSummary
    settings: dict
    taken: int = 0
    best_score: int | None = None
    passed: bool = False
    last_taken: datetime | None = None
    dimensions: tuple[DimensionResult, ...] = ()  # the latest self-assessment, banded


def _latest_responses(user_id: int, step_ids: list[int]) -> dict[int, tuple[SelfAssessmentResponse, int]]:
    """Each self-assessment's newest response and how many there are: one query."""
    if not step_ids:
        return {}
    counted = (
        sa.select(
            SelfAssessmentResponse.step_id,
            sa.func.max(SelfAssessmentResponse.id).label("newest"),
            sa.func.count(SelfAssessmentResponse.id).label("taken"),
        )
        .where(SelfAssessmentResponse.user_id == user_id, SelfAssessmentResponse.step_id.in_(step_ids))
        .group_by(SelfAssessmentResponse.step_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(SelfAssessmentResponse, counted.c.taken).join(counted, SelfAssessmentResponse.id == counted.c.newest)
    ).all()
    return {row.step_id: (row, taken) for row, taken in rows}


def _banded(dimension: dict, scores: dict) -> DimensionResult:
    score = scores.get(dimension["id"])
    band = scoring.band_for(dimension["bands"], score) if score is not None else None
    return DimensionResult(dimension["id"], dimension["title"], score, band)


def _step_result(step: StepSummary, settings: dict, quizzes: dict, responses: dict) -> StepResult:
    if step.type in QUIZ_TYPES:
        record = quizzes.get(step.id)
        if record is None:
            return StepResult(step, settings)
        return StepResult(step, settings, record.taken, record.best_score, record.passed)
    if step.id not in responses:
        return StepResult(step, settings)
    row, taken = responses[step.id]
    dimensions = tuple(_banded(d, row.scores) for d in settings.get("dimensions", []))
    return StepResult(step, settings, taken, last_taken=row.submitted_at, dimensions=dimensions)


def results_by_module(user_id: int, outline: CourseOutline) -> list[tuple[ModuleOutline, list[StepResult]]]:
    """Per module, its quizzes, tests and self-assessments with the learner's results (3 queries)."""
    steps = [s for s in outline.steps if s.type in ASSESSED_TYPES]
    if not steps:
        return []
    settings = content.get_settings_of([s.id for s in steps])
    quizzes = quiz_records(user_id, [s.id for s in steps if s.type in QUIZ_TYPES])
    responses = _latest_responses(user_id, [s.id for s in steps if s.type == SELF_ASSESSMENT])
    by_module = []
    for module in outline.modules:
        mine = [_step_result(s, settings.get(s.id, {}), quizzes, responses) for s in module.steps if s in steps]
        if mine:
            by_module.append((module, mine))
    return by_module
