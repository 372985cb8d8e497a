"""How a group of learners is taking part in the discussion, for the people who support them.

Every read takes the group as a subquery of user ids (`cohorts.learner_ids`) and answers
in one aggregate query or one bounded list, whatever the number of comments. Deleted and
hidden comments are left out: they are no longer part of the conversation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from lms.accounts.models import User
from lms.comments import rules
from lms.comments.excerpts import Excerpt, excerpt
from lms.comments.models import Comment, Report
from lms.extensions import db
from lms.i18n import HTML_LANG

LIVE = (Comment.deleted_at.is_(None), Comment.hidden_at.is_(None))
UNANSWERED = (Comment.parent_id.is_(None), Comment.reply_count == 0)


@dataclass(frozen=True)
class StepActivity:
    step_id: int
    this_week: int
    total: int
    unanswered: int  # comments (not replies) nobody has replied to


def activity_by_step(member_ids: sa.Select, since: datetime) -> dict[int, StepActivity]:
    """Per step: the group's comments and replies since a moment and in all, and how many of
    their comments have no reply (one query)."""
    rows = db.session.execute(
        sa.select(
            Comment.step_id,
            sa.func.count().filter(Comment.created_at >= since),
            sa.func.count(),
            sa.func.count().filter(*UNANSWERED),
        )
        .where(Comment.author_id.in_(member_ids), *LIVE)
        .group_by(Comment.step_id)
    ).all()
    return {row[0]: StepActivity(*row) for row in rows}


def open_reports(member_ids: sa.Select) -> int:
    """How many of the group's comments are reported and waiting for a facilitator (one query)."""
    return (
        db.session.scalar(
            sa.select(sa.func.count(sa.distinct(Report.comment_id)))
            .join(Comment, Comment.id == Report.comment_id)
            .where(Report.resolved_at.is_(None), Comment.author_id.in_(member_ids))
        )
        or 0
    )


@dataclass(frozen=True)
class Waiting:
    """A comment waiting for someone to answer it, who wrote it, and why it was reported if it was."""

    comment_id: int
    step_id: int
    author_id: int
    author_name: str
    created_at: datetime
    excerpt: Excerpt
    reported: tuple[str, ...] = ()  # the open reports' reasons, in words, each once, in the forms' order
    language: str = "en"  # what the comment is written in (its excerpt's `lang`)

    @property
    def html_lang(self) -> str:
        return HTML_LANG.get(self.language, "en-GB")


# The reasons of a listed comment's open reports ("unkind,spam"), read in the list's own query.
_REPORTED = (
    sa.select(sa.func.aggregate_strings(Report.reason, ","))
    .where(Report.comment_id == Comment.id, Report.resolved_at.is_(None))
    .correlate(Comment)
    .scalar_subquery()
)


def _reasons(codes: str | None) -> tuple[str, ...]:
    given = set((codes or "").split(","))
    return tuple(str(words) for code, words in rules.REASONS.items() if code in given)  # in the page's language


def _waiting(query: sa.Select, limit: int) -> tuple[list[Waiting], int]:
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    rows = db.session.execute(query.add_columns(_REPORTED).order_by(Comment.created_at, Comment.id).limit(limit)).all()
    return [
        Waiting(c_id, step_id, author_id, name, created, excerpt(body_md, body_html), _reasons(reported), language)
        for c_id, step_id, author_id, name, created, body_md, body_html, language, reported in rows
    ], total


def _unanswered_comments() -> sa.Select:
    return (
        sa.select(
            Comment.id,
            Comment.step_id,
            Comment.author_id,
            User.display_name,
            Comment.created_at,
            Comment.body_md,
            Comment.body_html,
            Comment.language,
        )
        .join(User, User.id == Comment.author_id)
        .where(*LIVE, *UNANSWERED)
    )


def unanswered_first_comments(member_ids: sa.Select, limit: int) -> tuple[list[Waiting], int]:
    """The group's learners whose only comment so far has no reply: oldest first, and how many (two queries)."""
    mine = so.aliased(Comment)
    only_one = (
        sa.select(mine.author_id)
        .where(mine.author_id.in_(member_ids), mine.deleted_at.is_(None))
        .group_by(mine.author_id)
        .having(sa.func.count() == 1)
    )
    return _waiting(_unanswered_comments().where(Comment.author_id.in_(only_one)), limit)


def unanswered_since(member_ids: sa.Select, before: datetime, limit: int) -> tuple[list[Waiting], int]:
    """The group's comments posted before a moment that still have no reply: oldest first (two queries)."""
    return _waiting(_unanswered_comments().where(Comment.author_id.in_(member_ids), Comment.created_at < before), limit)
