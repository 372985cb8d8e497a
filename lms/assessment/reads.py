"""What pages above assessment read of a learner's self-assessments: for the learning
record, each one's first and latest result, dimension by dimension. Two queries whatever
the history (the two responses per step, and the steps' settings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from lms.assessment import scoring
from lms.assessment.models import SelfAssessmentResponse
from lms.assessment.service import SELF_ASSESSMENT
from lms.content import service as content
from lms.content.outline import CourseOutline, StepSummary
from lms.extensions import db


@dataclass(frozen=True)
class DimensionChange:
    title: str
    first: float | None
    latest: float | None
    band: str | None  # the latest score's band label

    @property
    def change(self) -> float | None:
        return scoring.change(self.latest, self.first)


@dataclass(frozen=True)
class SelfAssessmentChange:
    """One self-assessment: how often taken, when first and last, and each dimension's change."""

    step: StepSummary
    taken: int
    first_taken: datetime
    latest_taken: datetime
    dimensions: tuple[DimensionChange, ...]


def _first_and_latest(
    user_id: int, step_ids: list[int]
) -> dict[int, tuple[SelfAssessmentResponse, SelfAssessmentResponse, int]]:
    """Per step, the learner's first and latest responses (the same one if taken once), and how many."""
    ends = (
        sa.select(
            SelfAssessmentResponse.step_id,
            sa.func.min(SelfAssessmentResponse.id).label("first"),
            sa.func.max(SelfAssessmentResponse.id).label("latest"),
            sa.func.count(SelfAssessmentResponse.id).label("taken"),
        )
        .where(SelfAssessmentResponse.user_id == user_id, SelfAssessmentResponse.step_id.in_(step_ids))
        .group_by(SelfAssessmentResponse.step_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(SelfAssessmentResponse, ends.c.first, ends.c.taken)
        .join(ends, sa.or_(SelfAssessmentResponse.id == ends.c.first, SelfAssessmentResponse.id == ends.c.latest))
        .order_by(SelfAssessmentResponse.id)
    ).all()
    found: dict[int, dict] = {}
    for row, first_id, taken in rows:
        entry = found.setdefault(row.step_id, {"taken": taken})
        entry["first" if row.id == first_id else "latest"] = row
    return {step_id: (e["first"], e.get("latest", e["first"]), e["taken"]) for step_id, e in found.items()}


def _dimension(dimension: dict, first: SelfAssessmentResponse, latest: SelfAssessmentResponse) -> DimensionChange:
    now = latest.scores.get(dimension["id"])
    band = scoring.band_for(dimension["bands"], now) if now is not None else None
    return DimensionChange(dimension["title"], first.scores.get(dimension["id"]), now, band["label"] if band else None)


def self_assessment_changes(user_id: int, outline: CourseOutline) -> list[SelfAssessmentChange]:
    """Each self-assessment the learner took, in course order, first against latest."""
    step_ids = [s.id for s in outline.steps if s.type == SELF_ASSESSMENT]
    taken = _first_and_latest(user_id, step_ids) if step_ids else {}
    settings = content.get_settings_of(list(taken))
    changes = []
    for step in outline.steps:
        if step.id not in taken:
            continue
        first, latest, count = taken[step.id]
        dimensions = tuple(_dimension(d, first, latest) for d in settings.get(step.id, {}).get("dimensions", []))
        changes.append(SelfAssessmentChange(step, count, first.submitted_at, latest.submitted_at, dimensions))
    return changes
