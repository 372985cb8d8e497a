"""The figures of a cohort's self-assessments, kept batch by batch.

Pages show the newest batch of a cohort and step, never the responses themselves, so the
figures move only when a batch is taken (facilitation.aggregate.snapshot_due). A row holds
counts, means and spreads of five or more learners and no one's answers or id: it is not
personal data, and it stays when a learner who was counted deletes their account (their
answers are gone from the next batch).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from lms.db import UTCDateTime, utcnow
from lms.extensions import db


class AggregateSnapshot(db.Model):
    """One batch: a cohort's self-assessment figures as they stood when it was taken."""

    __tablename__ = "assessment_aggregate_snapshots"
    # One row per batch number: two answers racing for the same batch cannot both take it.
    __table_args__ = (sa.UniqueConstraint("cohort_id", "step_id", "batch"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    cohort_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("cohorts.id", ondelete="CASCADE"))
    step_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("steps.id"), index=True)
    batch: so.Mapped[int]  # 1 for the first figures of this cohort and step
    responses: so.Mapped[int]  # learners counted (each once, with their latest answers)
    summary: so.Mapped[dict] = so.mapped_column(sa.JSON)  # facilitation.aggregate.Summary.as_data()
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow)
