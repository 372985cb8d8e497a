"""A cohort's self-assessments in aggregate, batch by batch: what the facilitator's page and
a learner's mirror read, and the batches they read (AggregateSnapshot, this feature's own
table). The figures themselves are worked out by the pure rules in aggregate.py.

Pages read a cohort's newest batch of figures (AggregateSnapshot), never the responses,
and a new batch is taken only when aggregate.snapshot_due says so: in the transaction of
the answer that makes it due, or, when the count got there another way (learners who had
answered joining the cohort, answers from before batches existed), by the next page that
reads it. Either way the rule is the same, so the figures move five learners at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from lms.assessment import cohort as assessment_cohort
from lms.assessment.service import SELF_ASSESSMENT
from lms.assessment.signals import self_assessment_taken
from lms.cohorts import service as cohorts
from lms.cohorts.models import Cohort, CohortRole
from lms.content import service as content
from lms.content.outline import CourseOutline, StepSummary
from lms.db import dialect_insert, utcnow
from lms.extensions import db
from lms.facilitation.aggregate import MIN_RESPONSES, Summary, responses_needed, snapshot_due, summarise
from lms.facilitation.models import AggregateSnapshot


@dataclass(frozen=True)
class AssessmentAggregate:
    step: StepSummary
    audience: str  # "team" (about the learner's team) or "self"
    summary: Summary | None  # the newest batch; None before the first
    answered: int = 0  # before the first batch: how many have answered (it shows no answers)

    @property
    def needed(self) -> int:
        return responses_needed(self.answered)


def _newest_batches(cohort_id: int, step_ids: list[int]) -> dict[int, AggregateSnapshot]:
    """Per step, the cohort's newest batch (one query)."""
    newest = (
        sa.select(AggregateSnapshot.step_id, sa.func.max(AggregateSnapshot.batch).label("batch"))
        .where(AggregateSnapshot.cohort_id == cohort_id, AggregateSnapshot.step_id.in_(step_ids))
        .group_by(AggregateSnapshot.step_id)
        .subquery()
    )
    rows = db.session.scalars(
        sa.select(AggregateSnapshot)
        .join(newest, sa.and_(AggregateSnapshot.step_id == newest.c.step_id, AggregateSnapshot.batch == newest.c.batch))
        .where(AggregateSnapshot.cohort_id == cohort_id)
    )
    return {row.step_id: row for row in rows}


def _counted(batch: AggregateSnapshot | None) -> int | None:
    return batch.responses if batch is not None else None


def _take_batch(
    cohort_id: int, step_id: int, settings: dict, scores: list[dict], last: AggregateSnapshot | None
) -> AggregateSnapshot | None:
    """The step's next batch, from these scores; None if it is not due after all, or if an
    answer sent at the same moment took this batch number first (its figures stand)."""
    if not snapshot_due(len(scores), _counted(last)):
        return None  # someone left the cohort between the count and the scores
    insert = dialect_insert(db.session)(AggregateSnapshot).values(
        cohort_id=cohort_id,
        step_id=step_id,
        batch=last.batch + 1 if last else 1,
        responses=len(scores),
        summary=summarise(settings, scores).as_data(),
        created_at=utcnow(),
    )
    return db.session.scalars(insert.on_conflict_do_nothing().returning(AggregateSnapshot)).first()


def _batches(
    cohort_id: int, step_ids: list[int], settings: dict[int, dict] | None = None
) -> tuple[dict[int, AggregateSnapshot], dict[int, int], bool]:
    """Per step, the cohort's newest batch, after taking any that is due; how many have
    answered; and whether a batch was taken (to be committed). Two queries, and two more
    and an insert per step when a batch is due."""
    members = cohorts.learner_ids(cohort_id)
    counts = assessment_cohort.responder_counts(members, step_ids)
    newest = _newest_batches(cohort_id, step_ids)
    due = [s for s in step_ids if snapshot_due(counts.get(s, 0), _counted(newest.get(s)))]
    if not due:
        return newest, counts, False
    settings = settings if settings is not None else content.get_settings_of(due)
    scores = assessment_cohort.latest_scores(members, due)
    taken = False
    for step_id in due:
        batch = _take_batch(cohort_id, step_id, settings[step_id], scores[step_id], newest.get(step_id))
        if batch is not None:
            newest[step_id], taken = batch, True
    return newest, counts, taken


@self_assessment_taken.connect
def _batch_on_answer(response, **_) -> None:
    """In the answer's transaction: the next batch of each of the learner's cohorts, if now due."""
    for cohort, role in cohorts.cohorts_of(response.user_id):
        if role == CohortRole.LEARNER:
            _batches(cohort.id, [response.step_id])


def _aggregate(step: StepSummary, settings: dict, batch: AggregateSnapshot | None, answered: int):
    if batch is None:
        return AssessmentAggregate(step, settings.get("audience", "self"), None, answered)
    # From the first batch on, the live count is not shown either: it would move with each answer.
    return AssessmentAggregate(step, settings.get("audience", "self"), Summary.from_data(batch.summary))


def self_assessment_aggregates(cohort: Cohort, outline: CourseOutline) -> list[AssessmentAggregate]:
    """The cohort's self-assessments in step number order, each with its newest batch (three
    queries, and a few more on the rare page that takes a batch)."""
    steps = [s for s in outline.steps if s.type == SELF_ASSESSMENT]
    if not steps:
        return []
    settings = content.get_settings_of([s.id for s in steps])
    steps = [s for s in steps if s.id in settings]
    newest, counts, taken = _batches(cohort.id, [s.id for s in steps], settings)
    if taken:
        db.session.commit()
    found = [_aggregate(s, settings[s.id], newest.get(s.id), counts.get(s.id, 0)) for s in steps]
    return sorted(found, key=lambda a: a.step.number_order)


@dataclass(frozen=True)
class Mirror:
    """What a learner may compare their own scores with: their cohort's newest batch, if any."""

    cohort_name: str | None  # None: the learner is in no cohort
    summary: Summary | None = None  # None: no batch yet
    answered: int = 0  # before the first batch: how many in the cohort have answered
    minimum: int = MIN_RESPONSES

    @property
    def needed(self) -> int:
        return responses_needed(self.answered)


def mirror_for(user_id: int, step: StepSummary) -> Mirror:
    """The learner's (newest) cohort's figures for this self-assessment (three queries)."""
    mine = [c for c, role in cohorts.cohorts_of(user_id) if role == CohortRole.LEARNER]
    if not mine:
        return Mirror(None)
    newest, counts, taken = _batches(mine[0].id, [step.id])
    if taken:
        db.session.commit()
    batch = newest.get(step.id)
    if batch is None:
        return Mirror(mine[0].name, None, counts.get(step.id, 0))
    return Mirror(mine[0].name, Summary.from_data(batch.summary))
