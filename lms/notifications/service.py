"""Notifications: replies to my comments, likes, new comments from people I follow, and
moderation decisions on my comments.

`notify*` add rows to the caller's transaction (they flush, never commit); nobody is told
of their own action. A notification names who and where, never the comment's words, so
one about a comment later hidden or deleted shows nothing it should not.

Notifications sit above comments: comments cannot call in here without a cycle (this page
lists comments' steps, and followers are comments' rows). So comments sends its signals
(lms.comments.signals) and this module, once imported, receives them inside the poster's
transaction; moderation, above both, calls `notify` itself.

By email (lms.notifications.mailing, .digest): a notification of a kind the person chose
"at once" is mailed in the same transaction; the others wait for their daily digest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.accounts import sign_ins
from lms.accounts.models import User
from lms.comments.models import Comment, Follow
from lms.comments.paging import Cursor, from_time_key, time_key
from lms.comments.signals import comment_flagged, comment_liked, comment_posted
from lms.db import UTCDateTime, one_of, utcnow
from lms.extensions import db
from lms.mail import service as mail
from lms.notifications import digest, mailing
from lms.notifications.models import EmailPreference, Notification
from lms.notifications.preferences import CHANNEL_OF, KINDS, NOW

PAGE_SIZE = 30


def notify(
    user_id: int | None, kind: str, comment_id: int, actor_id: int | None = None, now: datetime | None = None
) -> None:
    """Tell user_id something happened to or near comment_id (flushes, does not commit), and
    mail them at once if that is what they chose for this kind."""
    if user_id is None or user_id == actor_id:
        return
    now = now or utcnow()
    channel = CHANNEL_OF[kind]
    # One statement: the row, and whether it is mailed at once (their choice, read in the INSERT).
    row = db.session.execute(
        _notify_statement(db.engine.dialect.name, channel),
        {"user": user_id, "kind": kind, "actor": actor_id, "comment": comment_id, "now": now},
    ).first()
    if row is not None and row.emailed_at is not None:
        comment = db.session.get(Comment, comment_id)  # already in the session: the caller acts on it
        _mail([user_id], kind, comment, actor_id, now)


def _mail(user_ids: list[int], kind: str, comment: Comment, actor_id: int | None, now: datetime) -> None:
    actor = db.session.get(User, actor_id) if actor_id else None  # the person acting: in the session already
    # Lazy: each person it is mailed to reads it in their own language.
    text = _l(KINDS[kind], actor=actor.display_name if actor else _l("A former learner"))
    mailing.mail_notification(user_ids, text, CHANNEL_OF[kind], comment.id, comment.step_id, now)


def _mailed_at_once(channel: str):
    """`now` when the person is active and chose "at once" for this kind, else NULL: the
    notification's `emailed_at`, so the digest leaves out what was mailed already."""
    return sa.case(
        (sa.and_(User.active, mailing.choice_of(channel) == NOW), sa.bindparam("now", type_=UTCDateTime())),
        else_=sa.null(),
    )


@lru_cache(maxsize=16)
def _notify_statement(dialect: str, channel: str):
    """Built once per database and kind of email, with bound parameters."""
    row = (
        sa.select(
            User.id,
            sa.bindparam("kind", type_=sa.String),
            sa.bindparam("actor", type_=sa.Integer),
            sa.bindparam("comment", type_=sa.Integer),
            sa.bindparam("now", type_=UTCDateTime()),
            _mailed_at_once(channel),
        )
        .outerjoin(EmailPreference, EmailPreference.user_id == User.id)
        .where(User.id == sa.bindparam("user", type_=sa.Integer))
    )
    return (
        sa.insert(Notification.__table__)
        .from_select(["user_id", "kind", "actor_id", "comment_id", "created_at", "emailed_at"], row)
        .returning(Notification.__table__.c.emailed_at)
    )


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


def notify_followers(author_id: int, comment: Comment, skip: set) -> None:
    """Tell everyone who follows the author about a new comment, in one INSERT ... SELECT, and
    mail those who chose "at once" (one more query, only when there are any)."""
    now = utcnow()
    rows = db.session.execute(
        _notify_followers_statement(db.engine.dialect.name),
        {"author": author_id, "comment": comment.id, "now": now, "skip": [s for s in skip if s is not None]},
    ).all()
    mailed = [user_id for user_id, emailed_at in rows if emailed_at is not None]
    if mailed:
        _mail(mailed, "followed", comment, author_id, now)


@lru_cache(maxsize=2)
def _notify_followers_statement(dialect: str):
    """Built once per process and database (`one_of` differs by dialect), with bound parameters:
    every post runs it."""
    followers = (
        sa.select(
            Follow.follower_id,
            sa.literal("followed"),
            sa.bindparam("author", type_=sa.Integer),
            sa.bindparam("comment", type_=sa.Integer),
            sa.bindparam("now", type_=UTCDateTime()),
            _mailed_at_once("followed"),
        )
        .join(User, User.id == Follow.follower_id)
        .outerjoin(EmailPreference, EmailPreference.user_id == Follow.follower_id)
        .where(Follow.followed_id == sa.bindparam("author"), sa.not_(one_of(Follow.follower_id, param="skip")))
    )
    table = Notification.__table__
    return (
        sa.insert(table)
        .from_select(["user_id", "kind", "actor_id", "comment_id", "created_at", "emailed_at"], followers)
        .returning(table.c.user_id, table.c.emailed_at)
    )


@comment_posted.connect
def _tell_of_comment(comment, parent=None) -> None:
    """A reply tells the author of the comment replied to; any comment tells the poster's followers."""
    if parent is not None:
        notify(parent.author_id, "reply", comment.id, actor_id=comment.author_id)
    notify_followers(comment.author_id, comment, skip={parent.author_id} if parent else set())


@comment_liked.connect
def _tell_of_like(comment, by) -> None:
    notify_once(comment.author_id, "like", comment.id, actor_id=by.id)


@comment_flagged.connect
def _tell_of_flag(comment, by, reason) -> None:
    """A comment joined the moderation queue: mail the staff who look after its author and chose "at once"."""
    mailing.mail_flagged(comment, by.id if by else None, reason)


# The digest job: the delivery loop runs it each hour (lms.mail), `flask mail digest` by hand.
mail.every_hour("digests", digest.send_due_digests)


def _unread_for(user_id_column):
    return (
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id_column, Notification.read_at.is_(None))
        .scalar_subquery()
    )


# Read with the signed-in user, in the sign-in query: the header costs no query of its own.
sign_ins.read_with_user("unread_notifications", _unread_for)


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
            _(KINDS[n.kind], actor=name or _("A former learner")),
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
