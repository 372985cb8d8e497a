"""Notifications: replies to my comments, likes, new comments from people I follow, and
moderation decisions on my comments.

`notify*` add rows to the caller's transaction (they flush, never commit); nobody is told
of their own action. A notification names who and where, never the comment's words, so
one about a comment later hidden or deleted shows nothing it should not.

Notifications sit above comments: comments cannot call in here without a cycle (this page
lists comments' steps, and followers are comments' rows). So comments sends its signals
(lms.comments.signals) and this module, once imported, receives them inside the poster's
transaction; moderation, above both, calls `notify` itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import sqlalchemy as sa
import sqlalchemy.orm as so

from lms.accounts import service as accounts
from lms.accounts.models import User
from lms.comments.models import Comment, Follow
from lms.comments.paging import Cursor, from_time_key, time_key
from lms.comments.signals import comment_liked, comment_posted
from lms.db import UTCDateTime, one_of, utcnow
from lms.extensions import db
from lms.notifications.models import Notification

KINDS = {
    "reply": "{actor} replied to your comment",
    "like": "{actor} liked your comment",
    "followed": "{actor}, whom you follow, posted a comment",
    "hidden": "A facilitator hid your comment and said why",
    "restored": "A facilitator restored your comment: everyone can see it again",
    "kept_hidden": "A facilitator reviewed your comment again and kept it hidden",
    "highlighted": "A facilitator highlighted your comment as an educator highlight",
}
PAGE_SIZE = 30


def notify(user_id: int | None, kind: str, comment_id: int, actor_id: int | None = None) -> None:
    """Tell user_id something happened to or near comment_id (flushes, does not commit)."""
    if user_id is None or user_id == actor_id:
        return
    db.session.add(Notification(user_id=user_id, kind=kind, comment_id=comment_id, actor_id=actor_id))
    db.session.flush()


def notify_once(user_id: int | None, kind: str, comment_id: int, actor_id: int) -> None:
    """Notify unless this actor already caused the same notification (liking, unliking, liking again)."""
    already = db.session.scalar(
        sa.select(
            sa.exists().where(
                Notification.user_id == user_id,
                Notification.kind == kind,
                Notification.comment_id == comment_id,
                Notification.actor_id == actor_id,
            )
        )
    )
    if not already:
        notify(user_id, kind, comment_id, actor_id)


def notify_followers(author_id: int, comment_id: int, skip: set) -> None:
    """Tell everyone who follows the author about a new comment, in one INSERT ... SELECT."""
    db.session.execute(
        _notify_followers_statement(db.engine.dialect.name),
        {"author": author_id, "comment": comment_id, "now": utcnow(), "skip": [s for s in skip if s is not None]},
    )
    db.session.flush()


@lru_cache(maxsize=2)
def _notify_followers_statement(dialect: str):
    """Built once per process and database (`one_of` differs by dialect), with bound parameters:
    every post runs it."""
    followers = sa.select(
        Follow.follower_id,
        sa.literal("followed"),
        sa.bindparam("author", type_=sa.Integer),
        sa.bindparam("comment", type_=sa.Integer),
        sa.bindparam("now", type_=UTCDateTime()),
    ).where(Follow.followed_id == sa.bindparam("author"), sa.not_(one_of(Follow.follower_id, param="skip")))
    return sa.insert(Notification.__table__).from_select(
        ["user_id", "kind", "actor_id", "comment_id", "created_at"], followers
    )


@comment_posted.connect
def _tell_of_comment(comment, parent=None) -> None:
    """A reply tells the author of the comment replied to; any comment tells the poster's followers."""
    if parent is not None:
        notify(parent.author_id, "reply", comment.id, actor_id=comment.author_id)
    notify_followers(comment.author_id, comment.id, skip={parent.author_id} if parent else set())


@comment_liked.connect
def _tell_of_like(comment, by) -> None:
    notify_once(comment.author_id, "like", comment.id, actor_id=by.id)


def _unread_for(user_id_column):
    return (
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id_column, Notification.read_at.is_(None))
        .scalar_subquery()
    )


# Read with the signed-in user, in the sign-in query: the header costs no query of its own.
accounts.read_with_user("unread_notifications", _unread_for)


def unread_count(user_id: int) -> int:
    """How many notifications the user has not read: one query, for the header."""
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        )
        or 0
    )


@dataclass(frozen=True)
class NotificationView:
    id: int
    text: str
    comment_id: int
    step_id: int
    created_at: datetime
    unread: bool


@dataclass(frozen=True)
class NotificationPage:
    items: tuple[NotificationView, ...]
    unread: int
    older: str | None  # cursor of the next (older) page


def list_notifications(user_id: int, after: str | None = None) -> NotificationPage:
    """The user's notifications, newest first, a page at a time by keyset, in three queries."""
    actor = so.aliased(User)
    query = (
        sa.select(Notification, actor.display_name, Comment.step_id)
        .join(Comment, Comment.id == Notification.comment_id)
        .outerjoin(actor, actor.id == Notification.actor_id)
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(PAGE_SIZE + 1)
    )
    cursor = Cursor.decode(after)
    if cursor:
        moment = from_time_key(cursor.key)
        query = query.where(
            sa.or_(
                Notification.created_at < moment,
                sa.and_(Notification.created_at == moment, Notification.id < cursor.id),
            )
        )
    rows = db.session.execute(query).all()
    items = tuple(
        NotificationView(
            n.id,
            KINDS[n.kind].format(actor=name or "A former learner"),
            n.comment_id,
            step_id,
            n.created_at,
            n.read_at is None,
        )
        for n, name, step_id in rows[:PAGE_SIZE]
    )
    older = None
    if len(rows) > PAGE_SIZE:
        older = Cursor(time_key(items[-1].created_at), items[-1].id).encode()
    return NotificationPage(items, unread_count(user_id), older)


def mark_read(user_id: int, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications read, or all of them; return how many changed."""
    query = sa.update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    changed = db.session.execute(query.values(read_at=utcnow())).rowcount
    db.session.commit()
    return changed
