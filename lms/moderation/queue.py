"""The moderation queue: reported comments, and hidden ones whose authors asked for a review,
oldest first, each with its step, the comment it replies to, and its open reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import gettext as _

from lms.accounts import sign_ins
from lms.accounts.models import Role, User
from lms.cohorts import looking_after
from lms.comments import rules
from lms.comments.display import CommentView, Viewer, build, select_with_authors
from lms.comments.models import Comment, Report
from lms.comments.paging import Cursor, from_time_key, time_key
from lms.extensions import db

PAGE_SIZE = 20


def _waiting_for(user_id):
    """How many comments wait in the queue for this person: their cohorts' learners' for a
    facilitator, everyone's for an admin, none for a learner (whose row never runs a count)."""
    flagged = Comment.flagged_at.is_not(None)
    everyone = sa.select(sa.func.count()).select_from(Comment).where(flagged).scalar_subquery()
    theirs = (
        sa.select(sa.func.count())
        .select_from(Comment)
        .where(flagged, Comment.author_id.in_(looking_after.learners_facilitated_by(user_id).correlate(User)))
        .scalar_subquery()
    )
    return sa.case((User.role == Role.ADMIN, everyone), (User.role == Role.FACILITATOR, theirs), else_=0)


# The count beside Moderation in the header, read in the sign-in query: no query of its own.
sign_ins.read_with_user("moderation_waiting", _waiting_for)


@dataclass(frozen=True)
class ReportView:
    reason: str
    details: str
    reporter_name: str
    created_at: datetime


@dataclass(frozen=True)
class QueueItem:
    comment: CommentView
    parent: CommentView | None  # the comment it replies to, for context
    reports: tuple[ReportView, ...]
    flagged_at: datetime


@dataclass(frozen=True)
class QueuePage:
    items: tuple[QueueItem, ...]
    total: int
    next_cursor: str | None


def read_queue(viewer, after: str | None = None, starting_at: int | None = None) -> QueuePage:
    """A page of the queue in four queries: count, comments, the comments they reply to, reports.
    `starting_at`: the page that begins with this comment (none if it is no longer waiting),
    for links to one item from other pages (the care queue)."""
    viewer = Viewer.of(viewer)
    flagged = Comment.flagged_at.is_not(None)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Comment).where(flagged)) or 0
    select = select_with_authors(viewer).where(flagged).order_by(Comment.flagged_at, Comment.id).limit(PAGE_SIZE + 1)
    cursor = Cursor.decode(after)
    if starting_at is not None:
        since = sa.select(Comment.flagged_at).where(Comment.id == starting_at).scalar_subquery()
        select = select.where(
            sa.or_(Comment.flagged_at > since, sa.and_(Comment.flagged_at == since, Comment.id >= starting_at))
        )
    elif cursor:
        moment = from_time_key(cursor.key)
        select = select.where(
            sa.or_(Comment.flagged_at > moment, sa.and_(Comment.flagged_at == moment, Comment.id > cursor.id))
        )
    rows = db.session.execute(select).all()
    more, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
    parent_ids = {r.comment.parent_id for r in rows if r.comment.parent_id}
    parents = (
        {
            r.comment.id: build(r, viewer)
            for r in db.session.execute(select_with_authors(viewer).where(Comment.id.in_(parent_ids))).all()
        }
        if parent_ids
        else {}
    )
    reports = _open_reports([r.comment.id for r in rows])
    items = tuple(
        QueueItem(
            build(r, viewer),
            parents.get(r.comment.parent_id),
            tuple(reports.get(r.comment.id, ())),
            r.comment.flagged_at,
        )
        for r in rows
    )
    next_cursor = Cursor(time_key(rows[-1].comment.flagged_at), rows[-1].comment.id).encode() if more else None
    return QueuePage(items, total, next_cursor)


def _open_reports(comment_ids: list[int]) -> dict[int, list[ReportView]]:
    if not comment_ids:
        return {}
    reporter = so.aliased(User)
    rows = db.session.execute(
        sa.select(Report, reporter.display_name)
        .outerjoin(reporter, reporter.id == Report.reporter_id)
        .where(Report.comment_id.in_(comment_ids), Report.resolved_at.is_(None))
        .order_by(Report.created_at, Report.id)
    ).all()
    grouped: dict[int, list[ReportView]] = {}
    for report, name in rows:
        grouped.setdefault(report.comment_id, []).append(
            ReportView(
                str(rules.REASONS.get(report.reason, report.reason)),
                report.details,
                name or _("A former learner"),
                report.created_at,
            )
        )
    return grouped
