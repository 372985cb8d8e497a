"""The outbox: one row per message waiting, sent or given up on.

A message is written in the transaction of the action that causes it, so a rolled-back
action sends nothing and a crash after the commit loses nothing. `kind` says how it leaves
(lms.mail.outbox keeps one delivery per kind): "mail" by SMTP, "xapi" a statement POSTed to
the learning record store (lms.xapi). Every kind shares the claims, retries and admin page.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from lms.db import UTCDateTime, utcnow
from lms.extensions import db


class OutboxStatus(str, enum.Enum):
    PENDING = "pending"  # waiting for its next attempt
    SENDING = "sending"  # claimed by a delivery process
    SENT = "sent"
    FAILED = "failed"  # given up on after the last retry; an admin can retry it


class OutboxMessage(db.Model):
    __tablename__ = "outbox"
    __table_args__ = (
        sa.Index("ix_outbox_status_due", "status", "next_attempt_at"),
        sa.Index("ix_outbox_kind_status", "kind", "status"),
        sa.Index("uq_outbox_dedupe_key", "dedupe_key", unique=True),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(20), default="mail")
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    recipient: so.Mapped[str] = so.mapped_column(sa.String(254))  # an address; for a statement, "learning record store"
    subject: so.Mapped[str] = so.mapped_column(sa.String(200))  # for a statement, its verb
    payload: so.Mapped[dict] = so.mapped_column(sa.JSON)  # what the message is built from (text, html, headers)
    # Set on a message that must be queued at most once (a step opened: once a day); null otherwise.
    dedupe_key: so.Mapped[str | None] = so.mapped_column(sa.String(120))
    status: so.Mapped[OutboxStatus] = so.mapped_column(
        sa.Enum(OutboxStatus, native_enum=False, length=10, values_callable=lambda e: [s.value for s in e]),
        default=OutboxStatus.PENDING,
    )
    attempts: so.Mapped[int] = so.mapped_column(default=0)
    next_attempt_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow)
    claim: so.Mapped[str | None] = so.mapped_column(sa.String(32))  # the delivery run holding it
    claimed_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())
    last_error: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow, index=True)
    sent_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())
