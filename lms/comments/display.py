"""What pages show of comments: frozen views built from rows, with the viewer's permissions.

Templates never ask the database or the rules anything: each CommentView carries its
text only when the viewer may read it, and the set of actions the viewer may take on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import has_request_context
from flask_babel import gettext as _

from lms.accounts.models import Role, User
from lms.comments import rules
from lms.comments.models import Bookmark, Comment, CommentLike
from lms.i18n import HTML_LANG, language
from lms.kept import MB, kept_by_app

EDUCATOR_ROLES = (Role.FACILITATOR, Role.ADMIN)
KEPT_VIEWS = 2 * MB  # per process, keys (the rows) included; a view shares its text with its row


@dataclass(frozen=True)
class CommentView:
    id: int
    step_id: int
    parent_id: int | None
    author_id: int | None  # None when the author's account is closed: no profile to link to
    author_name: str
    educator: bool
    created_at: datetime
    edited: bool
    state: str  # open | hidden | deleted
    body_html: str | None  # None when the viewer may not read it
    hidden_reason: str | None  # for the author and facilitators only
    hidden_note: str | None
    review_requested: bool
    flagged: bool  # in the moderation queue (shown to facilitators)
    highlighted: bool
    like_count: int
    reply_count: int
    liked: bool
    bookmarked: bool
    actions: frozenset[str]  # what the viewer may do: edit, delete, like, bookmark, report, reply, ...
    # Not part of equality or the hash: a view is the key its own HTML is kept under
    # (lms.comments.rendering), and its replies are kept under their own views.
    replies: tuple[CommentView, ...] = field(default=(), compare=False)
    more_replies: int = 0  # replies there are but not shown here
    language: str = "en"  # what its text is written in, chosen by its author: never translated

    @property
    def html_lang(self) -> str:
        """The `lang` of its text: 'cy' or 'en-GB'."""
        return HTML_LANG.get(self.language, "en-GB")

    def may(self, action: str) -> bool:
        return action in self.actions


@dataclass(frozen=True)
class Viewer:
    """The person looking, as the rules ask about them: read once per page, not once per
    question. The rules ask a dozen per comment, and each through Flask-Login's proxy and the
    model's role property cost a tenth of a thread page."""

    id: int | None
    is_authenticated: bool
    is_staff: bool

    @classmethod
    def of(cls, user) -> Viewer:
        if not user.is_authenticated:
            return cls(None, False, False)
        return cls(user.id, True, bool(user.is_staff))


# What a view is built from: the comment's columns read as a plain row (a Bundle), not an ORM
# object, since pages only read them; loading 75 ORM objects was a tenth of a step page.
SHOWN = so.Bundle(
    "comment", *(column for column in Comment.__table__.c if column.key not in ("body_md", "submission_key"))
)


class CommentRow(NamedTuple):
    """What a view is built from: the comment (SHOWN), its author, and the viewer's marks. The
    rows of `select_with_authors` have these names too; a kept thread page makes its own."""

    comment: Any
    display_name: str | None
    role: Role | None
    active: bool | None
    liked: bool
    bookmarked: bool

    @classmethod
    def of(cls, row) -> CommentRow:
        """From a `select_with_authors` row that has more columns after these."""
        return cls(*row[:6])


def select_with_authors(viewer):
    """Comments with their author's name and role, and whether the viewer liked and bookmarked
    each (indexed EXISTS per row, so marks cost no query of their own); CommentRows for `build`."""
    if viewer.is_authenticated:
        liked = sa.exists().where(CommentLike.comment_id == Comment.id, CommentLike.user_id == viewer.id)
        bookmarked = sa.exists().where(Bookmark.comment_id == Comment.id, Bookmark.user_id == viewer.id)
    else:
        liked = bookmarked = sa.false()
    return sa.select(
        SHOWN, User.display_name, User.role, User.active, liked.label("liked"), bookmarked.label("bookmarked")
    ).outerjoin(User, User.id == Comment.author_id)


# What a learner whose cohort has ended may no longer do: add to a discussion, or change it.
READ_ONLY_DROPS = frozenset({"edit", "like", "reply"})


def _actions(viewer, comment: Comment, locked: bool, read_only: bool = False) -> frozenset[str]:
    checks = {
        "edit": rules.can_edit(viewer, comment),
        "delete": rules.can_delete(viewer, comment),
        "like": rules.can_like(viewer, comment),
        "bookmark": rules.can_bookmark(viewer, comment),
        "report": rules.can_report(viewer, comment),
        "reply": rules.can_reply(viewer, comment, locked),
        "request_review": rules.can_request_review(viewer, comment),
        "moderate": rules.can_moderate(viewer) and not rules.is_deleted(comment),
    }
    allowed = frozenset(name for name, allowed in checks.items() if allowed)
    return allowed - READ_ONLY_DROPS if read_only else allowed


def _state(comment: Comment) -> str:
    return "deleted" if rules.is_deleted(comment) else "hidden" if rules.is_hidden(comment) else "open"


def build(
    row, viewer, locked: bool = False, replies: tuple = (), shown_replies: int = 0, read_only: bool = False
) -> CommentView:
    """A CommentView from a `select_with_authors` row, as the viewer may see it (`read_only`:
    their cohort has ended, lms.learning.access.DiscussionEnded). A view holds interface
    words (a hidden comment's reason, "A former learner"), so it is kept per page language."""
    comment = row.comment
    key = (
        row,
        (viewer.is_authenticated, rules.is_staff(viewer), rules.is_author(viewer, comment)),
        locked,
        shown_replies,
        read_only,
    )
    # Kept for pages only (a pure use, or mail, has no page language to key on: none).
    kept = kept_by_app("lms.comments.views", KEPT_VIEWS) if has_request_context() else None
    view = kept.get((language(), key)) if kept is not None else None
    if view is None:
        view = _build(*key)
        if kept is not None:
            kept.keep((language(), key), view)
    return replace(view, replies=replies) if replies else view


def _build(row, stance: tuple[bool, bool, bool], locked: bool, shown_replies: int, read_only: bool) -> CommentView:
    """Kept by what the view depends on: the row, and the viewer only as far as the rules ask
    (signed in, staff, the comment's author). So every learner reading a kept thread page
    shares the views of the comments they did not write, and building 75 of them (a seventh
    of a step page) is mostly dictionary lookups."""
    comment, name, role, active, liked, bookmarked = row
    signed_in, staff, author = stance
    viewer = Viewer(comment.author_id if author else 0, signed_in, staff)  # 0: nobody's id
    readable = rules.can_read(viewer, comment)
    explained = rules.is_hidden(comment) and (author or staff)
    return CommentView(
        id=comment.id,
        step_id=comment.step_id,
        parent_id=comment.parent_id,
        author_id=comment.author_id if active else None,  # no profile link to a closed account
        author_name=name or _("A former learner"),
        educator=bool(comment.educator),  # what the author was when they wrote it
        created_at=comment.created_at,
        edited=comment.edited_at is not None,
        state=_state(comment),
        body_html=comment.body_html if readable else None,
        hidden_reason=_reason(comment.hidden_reason) if explained else None,
        hidden_note=comment.hidden_note if explained else None,
        review_requested=comment.review_requested_at is not None,
        flagged=comment.flagged_at is not None and staff,
        highlighted=comment.highlighted_at is not None,
        like_count=comment.like_count,
        reply_count=comment.reply_count,
        liked=bool(liked),
        bookmarked=bool(bookmarked),
        actions=_actions(viewer, comment, locked, read_only),
        more_replies=max(comment.reply_count - shown_replies, 0) if comment.parent_id is None else 0,
        language=getattr(comment, "language", None) or "en",
    )


def _reason(code: str | None) -> str | None:
    """A reason's words in this page's language (a plain string: views are compared and hashed)."""
    words = rules.REASONS.get(code or "")
    return str(words) if words is not None else None
