from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from lms.db import UTCDateTime, utcnow
from lms.extensions import db


class Enrolment(db.Model):
    __tablename__ = "enrolments"
    __table_args__ = (sa.UniqueConstraint("user_id", "course_id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("courses.id"), index=True)
    joined_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow)


class StepProgress(db.Model):
    """Per learner and step: when first and last visited, and when marked complete."""

    __tablename__ = "step_progress"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "step_id"),
        sa.Index("ix_step_progress_user_last_visited", "user_id", "last_visited_at"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    step_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("steps.id"), index=True)
    first_visited_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow)
    last_visited_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow)
    completed_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime(), index=True)
