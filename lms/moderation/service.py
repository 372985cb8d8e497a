"""Facilitators' decisions on comments: hide and restore, dismiss reports, highlights, locks.

Moderation is meant to teach, not to punish: a hidden comment's author is told why, can
edit it and ask for another look (lms.comments.reports), which puts it back in the queue.
Every decision is written to the audit log in the same transaction as the decision itself,
and its author is told through lms.notifications. Decisions change the comment's own
moderation columns: this room works on comments' rows, which sit below it.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from lms.accounts.models import User
from lms.audit import service as audit
from lms.comments import rules
from lms.comments.models import Comment, Report, ThreadLock
from lms.content import service as content
from lms.content.models import Step
from lms.db import utcnow
from lms.errors import InvalidInput, NotAllowed
from lms.extensions import db
from lms.notifications import service as notifications

NOTE_MAX = 1000


def _staff_only(user: User) -> None:
    if not rules.can_moderate(user):
        raise NotAllowed(_("Only facilitators can moderate comments"))


def _resolve_reports(comment: Comment, staff_id: int, outcome: str) -> int:
    """Close the comment's open reports with this outcome and take it out of the queue."""
    closed = db.session.execute(
        sa.update(Report)
        .where(Report.comment_id == comment.id, Report.resolved_at.is_(None))
        .values(resolved_at=utcnow(), resolved_by_id=staff_id, outcome=outcome)
    ).rowcount
    comment.flagged_at = comment.review_requested_at = None
    return closed


def hide(staff: User, comment: Comment, reason: str, note: str = "") -> None:
    """Hide a comment with a reason its author sees; others see "hidden by a facilitator"."""
    _staff_only(staff)
    if reason not in rules.REASONS:
        raise InvalidInput(_("Choose why you are hiding this comment"), field="reason")
    note = (note or "").strip()
    if reason == "other" and not note:
        raise InvalidInput(_("Explain to the author why their comment is hidden"), field="note")
    if len(note) > NOTE_MAX:
        raise InvalidInput(_("Your note must be %(most)d characters or fewer", most=NOTE_MAX), field="note")
    if not rules.is_open(comment):
        raise InvalidInput(_("This comment is already hidden or deleted"), field="reason")
    comment.hidden_at, comment.hidden_by_id = utcnow(), staff.id
    comment.hidden_reason, comment.hidden_note, comment.highlighted_at = reason, note or None, None
    reports = _resolve_reports(comment, staff.id, "hidden")
    content.adjust_comment_count(comment.step_id, -1)
    notifications.notify(comment.author_id, "hidden", comment.id, actor_id=staff.id)
    audit.record(
        staff,
        "comment.hide",
        comment,
        reason=f"{_english(rules.REASONS[reason])}. {note}".strip(),
        details={"step_id": comment.step_id, "author_id": comment.author_id, "reports_closed": reports},
    )
    db.session.commit()


def _english(words) -> str:
    """The audit log keeps the reason's words as written in English, whatever the page's language."""
    with force_locale("en"):
        return str(words)


def restore(staff: User, comment: Comment) -> None:
    """Show a hidden comment again, and tell its author."""
    _staff_only(staff)
    if not rules.is_hidden(comment) or rules.is_deleted(comment):
        raise InvalidInput(_("This comment is not hidden"), field="reason")
    comment.hidden_at = comment.hidden_by_id = comment.hidden_reason = comment.hidden_note = None
    reports = _resolve_reports(comment, staff.id, "dismissed")
    content.adjust_comment_count(comment.step_id, 1)
    notifications.notify(comment.author_id, "restored", comment.id, actor_id=staff.id)
    audit.record(
        staff,
        "comment.restore",
        comment,
        details={"step_id": comment.step_id, "author_id": comment.author_id, "reports_closed": reports},
    )
    db.session.commit()


def dismiss(staff: User, comment: Comment) -> None:
    """Take a comment out of the queue as it is: dismiss its reports, or keep it hidden after review."""
    _staff_only(staff)
    review = comment.review_requested_at is not None and rules.is_hidden(comment)
    reports = _resolve_reports(comment, staff.id, "dismissed")
    if review:
        notifications.notify(comment.author_id, "kept_hidden", comment.id, actor_id=staff.id)
    audit.record(
        staff,
        "comment.keep_hidden" if review else "comment.dismiss_reports",
        comment,
        details={"step_id": comment.step_id, "author_id": comment.author_id, "reports_closed": reports},
    )
    db.session.commit()


def set_highlight(staff: User, comment: Comment, highlighted: bool) -> None:
    """Show a comment first, under "Educator highlights", or stop doing so."""
    _staff_only(staff)
    if highlighted and not rules.is_open(comment):
        raise InvalidInput(_("Only a visible comment can be highlighted"), field="reason")
    if highlighted == (comment.highlighted_at is not None):
        return
    comment.highlighted_at = utcnow() if highlighted else None
    comment.highlighted_by_id = staff.id if highlighted else None
    if highlighted:
        notifications.notify(comment.author_id, "highlighted", comment.id, actor_id=staff.id)
    audit.record(
        staff,
        "comment.highlight" if highlighted else "comment.unhighlight",
        comment,
        details={"step_id": comment.step_id, "author_id": comment.author_id},
    )
    db.session.commit()


def set_lock(staff: User, step_id: int, locked: bool, reason: str = "") -> None:
    """Close a step's thread to new comments and replies, or open it again."""
    _staff_only(staff)
    lock = db.session.get(ThreadLock, step_id)
    if locked == (lock is not None):
        return
    if locked:
        db.session.add(ThreadLock(step_id=step_id, locked_by_id=staff.id))
    else:
        db.session.delete(lock)
    audit.record(
        staff, "thread.lock" if locked else "thread.unlock", db.session.get(Step, step_id), reason=reason or None
    )
    db.session.commit()
