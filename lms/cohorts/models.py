from __future__ import annotations

import enum
from datetime import date

import sqlalchemy as sa
import sqlalchemy.orm as so

from lms.db import TimestampMixin
from lms.extensions import db


class CohortRole(str, enum.Enum):
    LEARNER = "learner"
    FACILITATOR = "facilitator"


class Pace(str, enum.Enum):
    SELF_PACED = "self-paced"  # every module open from the start
    WEEKLY = "weekly"  # module N opens at the start of week N (lms.learning.pacing)


class Cohort(TimestampMixin, db.Model):
    __tablename__ = "cohorts"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    course_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("courses.id"), index=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    starts_on: so.Mapped[date]
    # Learners who have it can join themselves; stored upper-case, unique when set.
    join_code: so.Mapped[str | None] = so.mapped_column(sa.String(20), unique=True)
    pace: so.Mapped[Pace] = so.mapped_column(
        sa.Enum(Pace, native_enum=False, length=20, values_callable=lambda e: [p.value for p in e]),
        default=Pace.SELF_PACED,
        server_default=Pace.SELF_PACED.value,
    )
    # The last day its learners may post; after it their discussions are read-only.
    ends_on: so.Mapped[date | None]


class CohortMember(TimestampMixin, db.Model):
    __tablename__ = "cohort_members"
    __table_args__ = (sa.UniqueConstraint("cohort_id", "user_id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    cohort_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: so.Mapped[CohortRole] = so.mapped_column(
        sa.Enum(CohortRole, native_enum=False, length=20, values_callable=lambda e: [r.value for r in e]),
        index=True,
    )
