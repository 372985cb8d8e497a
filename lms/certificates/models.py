from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from lms.db import UTCDateTime, utcnow
from lms.extensions import db


class Certificate(db.Model):
    """A learner's certificate of achievement. What it states is copied in when it is
    claimed, so the certificate and its public check read the same ever after."""

    __tablename__ = "certificates"
    __table_args__ = (sa.UniqueConstraint("user_id", "course_id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("courses.id"), index=True)
    # 80 random bits in Crockford base32, grouped XXXX-XXXX-XXXX-XXXX: unguessable, easy to type.
    code: so.Mapped[str] = so.mapped_column(sa.String(19), unique=True)
    learner_name: so.Mapped[str] = so.mapped_column(sa.String(80))
    course_title: so.Mapped[str] = so.mapped_column(sa.String(200))
    hours: so.Mapped[float]
    issued_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow)
