"""A notification: one row per person told, naming who did what near which comment; and each
person's choices about email.

A notification keeps the comment's id only, never its words: a notification about a comment
later hidden or deleted shows nothing it should not.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from lms.db import UTCDateTime, utcnow
from lms.extensions import db
from lms.notifications.preferences import DEFAULT_DIGEST_HOUR, DEFAULTS, LONDON


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        sa.Index("ix_notifications_user_created", "user_id", "created_at", "id"),
        sa.Index("ix_notifications_user_unread", "user_id", "read_at"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: so.Mapped[str] = so.mapped_column(sa.String(20))  # see lms.notifications.service.KINDS
    actor_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    comment_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow)
    read_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())
    # Mailed at once when it happened (so no digest tells it again); None: not mailed at once.
    emailed_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())


def _choice(key: str) -> so.Mapped[str]:
    return so.mapped_column(sa.String(10), default=DEFAULTS[key], server_default=DEFAULTS[key])


class EmailPreference(db.Model):
    """How and when one person hears by email; no row means the defaults.

    `digest_from`/`digest_until` are the period the person's last digest covered: the digest
    job claims the next period by moving them in one conditional UPDATE, so a period is
    built once however many delivery loops run.
    """

    __tablename__ = "email_preferences"
    __table_args__ = (sa.Index("ix_email_preferences_digest", "time_zone", "digest_hour", "digest_until"),)

    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    replies: so.Mapped[str] = _choice("replies")
    likes: so.Mapped[str] = _choice("likes")
    followed: so.Mapped[str] = _choice("followed")
    moderation: so.Mapped[str] = _choice("moderation")
    reports: so.Mapped[str] = _choice("reports")
    unanswered: so.Mapped[str] = _choice("unanswered")
    time_zone: so.Mapped[str] = so.mapped_column(sa.String(40), default=LONDON, server_default=LONDON)
    digest_hour: so.Mapped[int] = so.mapped_column(default=DEFAULT_DIGEST_HOUR, server_default=str(DEFAULT_DIGEST_HOUR))
    quiet_from: so.Mapped[int | None]  # local hour quiet hours start; None: no quiet hours
    quiet_until: so.Mapped[int | None]  # local hour they end (mail held until then)
    digest_from: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())
    digest_until: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())
