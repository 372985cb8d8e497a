from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as so

from lms.db import TimestampMixin
from lms.extensions import db


class AuditEntry(TimestampMixin, db.Model):
    __tablename__ = "audit_log"
    __table_args__ = (sa.Index("ix_audit_log_created_id", "created_at", "id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    actor_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # Who did it, by their name at the time: renaming or deleting the account rewrites no history.
    actor_label: so.Mapped[str] = so.mapped_column(sa.String(200), index=True, default="", server_default="")
    action: so.Mapped[str] = so.mapped_column(sa.String(60), index=True)  # "user.role", "comment.hide"
    target_type: so.Mapped[str] = so.mapped_column(sa.String(40), index=True)
    target_id: so.Mapped[int | None]
    target_label: so.Mapped[str] = so.mapped_column(sa.String(200))  # readable even if the target goes
    reason: so.Mapped[str | None] = so.mapped_column(sa.Text)
    details: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)
