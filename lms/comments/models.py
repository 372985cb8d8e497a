"""Comments under steps, and what learners do with them: like, bookmark, follow, report; and
the lock that closes a step's thread.

A comment is never removed while it has replies: deleting clears its text and leaves
"comment deleted" in place, so the replies keep their context. Counts shown on pages
(likes, replies) are kept on the row, so a thread of any size reads in fixed queries.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from lms.accounts.models import User
from lms.db import UTCDateTime, utcnow
from lms.extensions import db

TOP_LEVEL = "parent_id IS NULL"
HIGHLIGHTED = "highlighted_at IS NOT NULL"
OPEN = "resolved_at IS NULL"


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        # One comment per submitted form: a double-click cannot post twice.
        sa.UniqueConstraint("author_id", "submission_key", name="uq_comments_author_submission"),
        # The thread's three sorts, each walked by keyset over top-level comments.
        sa.Index(
            "ix_comments_thread_newest",
            "step_id",
            "created_at",
            "id",
            postgresql_where=sa.text(TOP_LEVEL),
            sqlite_where=sa.text(TOP_LEVEL),
        ),
        sa.Index(
            "ix_comments_thread_liked",
            "step_id",
            "like_count",
            "id",
            postgresql_where=sa.text(TOP_LEVEL),
            sqlite_where=sa.text(TOP_LEVEL),
        ),
        sa.Index("ix_comments_step_created", "step_id", "created_at", "id"),
        # A thread's highlights: only highlighted comments, so finding them costs the same on any thread.
        sa.Index(
            "ix_comments_highlighted",
            "step_id",
            "highlighted_at",
            postgresql_where=sa.text(HIGHLIGHTED),
            sqlite_where=sa.text(HIGHLIGHTED),
        ),
        sa.Index("ix_comments_parent_created", "parent_id", "created_at", "id"),
        sa.Index("ix_comments_author_created", "author_id", "created_at", "id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    step_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("steps.id"))
    # A deleted account leaves its comments, shown as from a former learner.
    author_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # Whether the author was staff when they wrote it: the Educator badge says what they were
    # then, not what they are now. Set at posting and never changed, so kept pages stay right.
    educator: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())
    parent_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"))
    submission_key: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    body_md: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    body_html: so.Mapped[str] = so.mapped_column(sa.Text, default="")  # rendered and sanitised at save
    # The language it is written in, 'en' or 'cy' (lms.i18n.LANGUAGES), chosen by its author:
    # comments are never translated, but their text carries this `lang` on every page.
    language: so.Mapped[str] = so.mapped_column(sa.String(5), default="en", server_default="en")
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow)
    edited_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())
    deleted_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())
    like_count: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    reply_count: so.Mapped[int] = so.mapped_column(default=0, server_default="0")  # replies not deleted
    hidden_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())
    hidden_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    hidden_reason: so.Mapped[str | None] = so.mapped_column(sa.String(100))
    hidden_note: so.Mapped[str | None] = so.mapped_column(sa.String(1000))  # the facilitator's words to the author
    # In the moderation queue since (reported, or the author asked for a review); None when not.
    flagged_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime(), index=True)
    review_requested_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())
    highlighted_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())
    highlighted_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    author: so.Mapped[User | None] = so.relationship(foreign_keys=[author_id], lazy="raise")

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_counted(self) -> bool:
        """Whether the step's comment count includes it: neither deleted nor hidden."""
        return not (self.is_deleted or self.is_hidden)


class CommentLike(db.Model):
    __tablename__ = "comment_likes"
    __table_args__ = (sa.UniqueConstraint("comment_id", "user_id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    comment_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"))
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow)


class Bookmark(db.Model):
    __tablename__ = "bookmarks"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "comment_id"),
        sa.Index("ix_bookmarks_comment_id", "comment_id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    comment_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow)


class Follow(db.Model):
    __tablename__ = "follows"
    __table_args__ = (
        sa.UniqueConstraint("follower_id", "followed_id"),
        sa.CheckConstraint("follower_id <> followed_id", name="not_self"),
        sa.Index("ix_follows_followed_id", "followed_id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    follower_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    followed_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow)


class Report(db.Model):
    """A learner's report of a comment; open until a facilitator hides, restores or dismisses."""

    __tablename__ = "comment_reports"
    __table_args__ = (
        sa.Index("ix_comment_reports_comment_open", "comment_id", "resolved_at"),
        # One open report per person and comment: a report sent twice, or from two tabs, is one.
        sa.Index(
            "uq_comment_reports_open_reporter",
            "comment_id",
            "reporter_id",
            unique=True,
            postgresql_where=sa.text(OPEN),
            sqlite_where=sa.text(OPEN),
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    comment_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"))
    reporter_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reason: so.Mapped[str] = so.mapped_column(sa.String(30))
    details: so.Mapped[str] = so.mapped_column(sa.String(500), default="")
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())
    resolved_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    outcome: so.Mapped[str | None] = so.mapped_column(sa.String(20))  # hidden | dismissed

    reporter: so.Mapped[User | None] = so.relationship(foreign_keys=[reporter_id], lazy="raise")


class ThreadLock(db.Model):
    """A step whose thread takes no new comments or replies."""

    __tablename__ = "thread_locks"

    step_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("steps.id"), primary_key=True)
    locked_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    locked_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow)
