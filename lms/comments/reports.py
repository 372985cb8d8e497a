"""Learners bring a comment to the facilitators: someone reports it, or its author asks for
another look after a facilitator hid it. Either puts it in the moderation queue, which
lms.moderation reads and decides on."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import User
from lms.comments import rules, signals
from lms.comments.models import Comment, Report
from lms.db import insert_once, utcnow
from lms.errors import InvalidInput, NotAllowed
from lms.extensions import db

log = logging.getLogger(__name__)
DETAILS_MAX = 500


def _open_reports(comment_id: int):
    return sa.select(Report).where(Report.comment_id == comment_id, Report.resolved_at.is_(None))


def report(user: User, comment: Comment, reason: str, details: str = "") -> Report:
    """Report someone else's comment to the facilitators; it joins the moderation queue."""
    if not rules.can_report(user, comment):
        raise NotAllowed(_("You cannot report this comment"))
    if reason not in rules.REASONS:
        raise InvalidInput(_("Choose why you are reporting this comment"), field="reason")
    details = " ".join((details or "").split())
    if len(details) > DETAILS_MAX:
        raise InvalidInput(
            _("Your explanation must be %(most)d characters or fewer", most=DETAILS_MAX), field="details"
        )
    if reason == "other" and not details:
        raise InvalidInput(_("Say what is wrong with this comment"), field="details")
    row = insert_once(
        db.session,
        Report,
        dict(comment_id=comment.id, reporter_id=user.id, reason=reason, details=details, created_at=utcnow()),
    )
    if row is None:  # reported already, and still open: once is enough, and a double-click is harmless
        return db.session.scalar(_open_reports(comment.id).where(Report.reporter_id == user.id))
    if comment.flagged_at is None:  # new to the queue: facilitators hear once, not per report
        comment.flagged_at = utcnow()
        signals.comment_flagged.send(comment, by=user, reason=reason)
    db.session.commit()
    log.info("user %s reported comment %s", user.id, comment.id)
    return row


def request_review(user: User, comment: Comment) -> None:
    """The author of a hidden comment asks for another look (usually after editing it)."""
    if not rules.is_author(user, comment):
        raise NotAllowed(_("Only its author can ask for a comment to be reviewed"))
    if not rules.can_request_review(user, comment):
        raise InvalidInput(_("This comment is not hidden, or a review has already been asked for"))
    comment.review_requested_at = utcnow()
    if comment.flagged_at is None:
        comment.flagged_at = comment.review_requested_at
        signals.comment_flagged.send(comment, by=user, reason="review")
    db.session.commit()
