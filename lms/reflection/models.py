from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from lms.db import TimestampMixin, UTCDateTime, utcnow
from lms.extensions import db


class Reflection(TimestampMixin, db.Model):
    """A learner's private reflection on a step. Only its author can ever read it."""

    __tablename__ = "reflections"
    __table_args__ = (sa.UniqueConstraint("user_id", "step_id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    step_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("steps.id"), index=True)
    # Free text, or the four revalidation prompts (what, learned, practice, code): Markdown
    # as written, and the sanitised HTML rendered when it was saved.
    body_md: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    body_html: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    sections_md: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)
    sections_html: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)
    in_record: so.Mapped[bool] = so.mapped_column(default=False)  # shown in the learning record
    saved: so.Mapped[bool] = so.mapped_column(default=False)  # False while only autosaved
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow, index=True)
