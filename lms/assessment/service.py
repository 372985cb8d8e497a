"""Self-assessments, quizzes and tests: take them, keep every attempt, say where a learner is.

Scoring is pure (scoring.py). This module checks that a sheet belongs to its step,
applies the rules (a test's attempts; completion on submission), and keeps the history:
nothing is ever overwritten. Every read costs a fixed number of queries, whatever the
number of attempts. Results pages are read through results.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.assessment import scoring, signals
from lms.assessment.models import QuizAttempt, SelfAssessmentResponse
from lms.content import service as content
from lms.content.assessment_schema import scale_labels
from lms.content.outline import StepSummary
from lms.db import insert_once, submission_of, utcnow
from lms.errors import DomainError, InvalidInput, NotAllowed, NotFound
from lms.extensions import db
from lms.learning import completion

SELF_ASSESSMENT = "self-assessment"
QUIZ_TYPES = ("quiz", "test")
ASSESSED_TYPES = (*QUIZ_TYPES, SELF_ASSESSMENT)
# The named scales' words as the answer sheet shows them (lms.content keeps them in English;
# an author's own list of labels is course content, shown as written).
SCALE_WORDS = {
    "Never": _l("Never"),
    "Rarely": _l("Rarely"),
    "Sometimes": _l("Sometimes"),
    "Often": _l("Often"),
    "Always": _l("Always"),
    "Strongly disagree": _l("Strongly disagree"),
    "Disagree": _l("Disagree"),
    "Neither agree nor disagree": _l("Neither agree nor disagree"),
    "Agree": _l("Agree"),
    "Strongly agree": _l("Strongly agree"),
}


class TamperedSheet(DomainError):
    """The sheet is not one this step's page produced: refuse it whole (400)."""


class NoAttemptsLeft(NotAllowed):
    """A test already passed, or with every attempt used."""


class Incomplete(InvalidInput):
    """Some statements or questions were left unanswered; the sheet is kept to show again."""

    def __init__(self, missing: list[str], given: dict[str, list[str]]):
        super().__init__(f"{len(missing)} left unanswered")
        self.missing, self.given = missing, given


@dataclass(frozen=True)
class Panel:
    """What the step page shows to answer a step, and the learner's record on it so far."""

    step: StepSummary
    settings: dict
    taken: int = 0  # attempts or responses so far
    last_taken: datetime | None = None
    best_score: int | None = None
    passed: bool = False
    errors: dict[str, str] = field(default_factory=dict)  # statement or question id -> message
    given: dict[str, list[str]] = field(default_factory=dict)  # answers to show again

    @property
    def kind(self) -> str:
        return self.step.type

    @property
    def attempts_left(self) -> int | None:
        """A test's remaining attempts (None for quizzes and self-assessments: unlimited)."""
        return max(self.settings["attempts"] - self.taken, 0) if self.kind == "test" else None

    @property
    def is_open(self) -> bool:
        """Whether a new sheet would be accepted (a test closes once passed or used up)."""
        return self.kind != "test" or (not self.passed and self.attempts_left > 0)

    @property
    def labels(self) -> tuple[str, ...]:
        labels = scale_labels(self.settings["scale"])
        if isinstance(self.settings["scale"], str):
            return tuple(str(SCALE_WORDS.get(label, label)) for label in labels)
        return labels

    @property
    def groups(self) -> list[tuple[dict, list[dict]]]:
        """Each dimension with its statements, in the order written."""
        return [
            (d, [s for s in self.settings["statements"] if s["dimension"] == d["id"]])
            for d in self.settings["dimensions"]
        ]


def settings_for(step: StepSummary, types: tuple[str, ...]) -> dict:
    """The step's settings, after checking it is one of these types."""
    if step.type not in types:
        raise NotFound(_("This step takes no answers"))
    return content.get_step_settings(step.id)


def _sheet_settings(step: StepSummary, types: tuple[str, ...], sheet_step: str | None) -> dict:
    """The step's settings, after checking the sheet says it was written for this step."""
    settings = settings_for(step, types)
    if sheet_step != str(step.id):
        raise TamperedSheet("These answers were written for a different step")
    return settings


def _quiz_record(user_id: int, step_id: int) -> tuple[int, int | None, bool, datetime | None]:
    """How many attempts, the best score, whether any passed, and when last: one query."""
    taken, best, passed, last = db.session.execute(
        sa.select(
            sa.func.count(QuizAttempt.id),
            sa.func.max(QuizAttempt.score),
            sa.func.max(sa.cast(QuizAttempt.passed, sa.Integer)),
            sa.func.max(QuizAttempt.submitted_at),
        ).where(QuizAttempt.user_id == user_id, QuizAttempt.step_id == step_id)
    ).one()
    return taken, best, bool(passed), last


def _self_record(user_id: int, step_id: int) -> tuple[int, datetime | None]:
    return db.session.execute(
        sa.select(sa.func.count(SelfAssessmentResponse.id), sa.func.max(SelfAssessmentResponse.submitted_at)).where(
            SelfAssessmentResponse.user_id == user_id, SelfAssessmentResponse.step_id == step_id
        )
    ).one()


def step_panel(
    user_id: int, step: StepSummary, errors: dict[str, str] | None = None, given: dict[str, list[str]] | None = None
) -> Panel | None:
    """The answer sheet for the step page; None for steps that take no answers (no queries)."""
    if step.type not in ASSESSED_TYPES:
        return None
    settings = content.get_step_settings(step.id)
    kept = {"errors": errors or {}, "given": given or {}}
    if step.type == SELF_ASSESSMENT:
        taken, last = _self_record(user_id, step.id)
        return Panel(step, settings, taken, last, **kept)
    taken, best, passed, last = _quiz_record(user_id, step.id)
    return Panel(step, settings, taken, last, best, passed, **kept)


def incomplete_panel(user_id: int, step: StepSummary, error: Incomplete) -> Panel:
    """The sheet again, with each unanswered item marked and every given answer kept."""
    message = _("Choose an answer for this statement") if step.type == SELF_ASSESSMENT else _("Answer this question")
    return step_panel(user_id, step, {item: message for item in error.missing}, error.given)


def _sent_before(model, user_id: int, key: str | None):
    """The response or attempt this sheet was kept as when it was first sent, if it was."""
    if key is None:
        return None
    return db.session.scalar(sa.select(model).where(model.user_id == user_id, model.submission_key == key))


def take_self_assessment(
    user_id: int,
    step: StepSummary,
    sheet_step: str | None,
    sheet: dict[str, list[str]],
    submission_key: str | None = None,
) -> SelfAssessmentResponse:
    """Score and keep one response; the step counts as complete from the first. The same
    sheet sent again (its `submission_key` and answers) returns the response kept the first time."""
    settings = _sheet_settings(step, (SELF_ASSESSMENT,), sheet_step)
    try:
        ratings, missing = scoring.read_ratings(settings["statements"], sheet)
    except scoring.UnexpectedAnswer as error:
        raise TamperedSheet(str(error)) from None
    if missing:
        raise Incomplete(missing, sheet)
    key = submission_of(submission_key, ratings)
    response = insert_once(
        db.session,
        SelfAssessmentResponse,
        dict(
            user_id=user_id,
            step_id=step.id,
            audience=settings["audience"],
            answers=ratings,
            scores=scoring.dimension_scores(settings, ratings),
            submission_key=key,
            submitted_at=utcnow(),
        ),
    )
    if response is None:  # sent before (or at the same moment): the first one stands
        return _sent_before(SelfAssessmentResponse, user_id, key)
    completion.complete_step(user_id, step.id)
    signals.self_assessment_taken.send(response)  # the cohort's next batch of figures, if due
    db.session.commit()
    return response


def _check_attempts_left(step: StepSummary, settings: dict, taken: int, passed: bool) -> None:
    if step.type != "test":
        return
    if passed:
        raise NoAttemptsLeft(_("You have already passed this test, so it is closed."))
    if taken >= settings["attempts"]:
        raise NoAttemptsLeft(_("You have used all %(attempts)s attempts at this test.", attempts=settings["attempts"]))


# Each time round, another sheet took the attempt number counted: the loop ends long before
# this unless that many different sheets are sent at the very same moment.
NUMBERING_ROUNDS = 10


def answer_quiz(
    user_id: int,
    step: StepSummary,
    sheet_step: str | None,
    sheet: dict[str, list[str]],
    submission_key: str | None = None,
) -> QuizAttempt:
    """Grade and keep one quiz or test attempt; a quiz counts as complete from the first, a
    test from the first that passes.

    The same sheet sent again, one after the other or many at once (its `submission_key` and
    answers), uses one attempt, and each send returns that attempt, even when it was a test's
    last: a resend is answered as the first send was.
    """
    settings = _sheet_settings(step, QUIZ_TYPES, sheet_step)
    try:
        choices, missing = scoring.read_choices(settings["questions"], sheet)
    except scoring.UnexpectedAnswer as error:
        raise TamperedSheet(str(error)) from None
    key = submission_of(submission_key, choices)
    for _round in range(NUMBERING_ROUNDS):
        taken, best_before, passed, _last = _quiz_record(user_id, step.id)
        try:
            _check_attempts_left(step, settings, taken, passed)
        except NoAttemptsLeft:
            first = _sent_before(QuizAttempt, user_id, key)  # closed by this very sheet, sent before
            if first is None:
                raise
            return first
        if missing:
            raise Incomplete(missing, sheet)
        grade = scoring.grade(settings["questions"], choices, settings.get("pass_mark", 100))
        attempt = insert_once(
            db.session,
            QuizAttempt,
            dict(
                user_id=user_id,
                step_id=step.id,
                number=taken + 1,
                answers=choices,
                results=grade.results,
                correct=grade.correct,
                total=grade.total,
                score=grade.score,
                passed=grade.passed,
                submission_key=key,
                submitted_at=utcnow(),
            ),
        )
        if attempt is None:  # this sheet was kept first (return that), or another took the number (count again)
            first = _sent_before(QuizAttempt, user_id, key)
            if first is not None:
                return first
            continue
        completed = False
        if grade.passed or step.type not in completion.COMPLETED_BY_PASSING:  # a failed test is not complete
            completed = completion.complete_step(user_id, step.id)
        best = max(best_before or 0, grade.score)
        signals.quiz_answered.send(attempt, step=step, completed=completed, best=best, passed=passed or grade.passed)
        db.session.commit()
        return attempt
    raise NoAttemptsLeft(
        _("These answers crossed with others sent at the same moment. Look at your results, then try again.")
    )


@dataclass(frozen=True)
class QuizRecord:
    step_id: int
    taken: int
    best_score: int
    passed: bool


def quiz_records(user_id: int, step_ids: list[int]) -> dict[int, QuizRecord]:
    """Per quiz or test step: attempts, best score and whether any attempt passed (one query)."""
    if not step_ids:
        return {}
    rows = db.session.execute(
        sa.select(
            QuizAttempt.step_id,
            sa.func.count(QuizAttempt.id),
            sa.func.max(QuizAttempt.score),
            sa.func.max(sa.cast(QuizAttempt.passed, sa.Integer)),
        )
        .where(QuizAttempt.user_id == user_id, QuizAttempt.step_id.in_(step_ids))
        .group_by(QuizAttempt.step_id)
    ).all()
    return {step_id: QuizRecord(step_id, taken, best, bool(passed)) for step_id, taken, best, passed in rows}
