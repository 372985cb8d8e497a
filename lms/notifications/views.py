"""Notifications: the page, marking them read, and their count in the header."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from lms.comments.access import members_only
from lms.extensions import db
from lms.forms import EmptyForm
from lms.notifications import service as notifications

bp = Blueprint("notifications", __name__)


@bp.app_context_processor
def unread_notifications():
    """The header's count: read with the signed-in person (no query of its own), none for visitors."""
    if not current_user.is_authenticated:
        return {"unread_notifications": 0}
    if "unread_notifications" in current_user.read_with:  # read with the user, in the same query
        return {"unread_notifications": current_user.read_with["unread_notifications"] or 0}
    try:
        return {"unread_notifications": notifications.unread_count(current_user.id)}
    except SQLAlchemyError:  # the error page for a failed database must still render
        db.session.rollback()
        return {"unread_notifications": 0}


@bp.get("/notifications")
@members_only
def page():
    listing = notifications.list_notifications(current_user.id, after=request.args.get("after"))
    return render_template(
        "notifications/page.html", page=listing, form=EmptyForm(), steps={s.id: s for s in g.outline.steps}
    )


@bp.post("/notifications/read")
@members_only
def mark_all_read():
    if not EmptyForm().validate_on_submit():
        abort(400)
    count = notifications.mark_read(current_user.id)
    flash(f"{count} notification{'s' if count != 1 else ''} marked as read.", "success")
    return redirect(url_for("notifications.page"))


@bp.post("/notifications/<int:notification_id>/read")
@members_only
def mark_read(notification_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    notifications.mark_read(current_user.id, notification_id)
    return redirect(url_for("notifications.page") + f"#notification-{notification_id}")
