"""Notifications: the page, marking them read, their count in the header, email choices and
the one-click unsubscribe link in notification mail."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from lms.comments.access import members_only
from lms.db import utcnow
from lms.errors import DomainError, InvalidInput
from lms.extensions import csrf, db
from lms.forms import EmptyForm, attach_error
from lms.notifications import mailing
from lms.notifications import preferences as rules
from lms.notifications import service as notifications
from lms.notifications.forms import EmailPreferencesForm, hour_or_none
from lms.security import keeps_input

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
    flash(ngettext("%(num)d notification marked as read.", "%(num)d notifications marked as read.", count), "success")
    return redirect(url_for("notifications.page"))


@bp.post("/notifications/<int:notification_id>/read")
@members_only
def mark_read(notification_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    notifications.mark_read(current_user.id, notification_id)
    return redirect(url_for("notifications.page") + f"#notification-{notification_id}")


@bp.route("/notifications/email", methods=["GET", "POST"])
@login_required
@keeps_input
def email_preferences():
    """How and when the person hears by email."""
    chosen = mailing.choices_of(current_user.id)
    form = EmailPreferencesForm(
        **chosen.kinds,
        digest_hour=str(chosen.digest_hour),
        quiet_from="" if chosen.quiet_from is None else str(chosen.quiet_from),
        quiet_until="" if chosen.quiet_until is None else str(chosen.quiet_until),
        time_zone=chosen.time_zone,
    )
    kinds = rules.kinds_for(current_user.is_staff)
    for kind in rules.EMAIL_KINDS:
        if kind not in kinds:
            delattr(form, kind.key)
    if form.validate_on_submit():
        try:
            mailing.save_choices(
                current_user,
                {kind.key: form[kind.key].data for kind in kinds},
                time_zone=form.time_zone.data,
                digest_hour=hour_or_none(form.digest_hour.data),
                quiet_from=hour_or_none(form.quiet_from.data),
                quiet_until=hour_or_none(form.quiet_until.data),
            )
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Your email choices have been saved."), "success")
            return redirect(url_for("notifications.email_preferences"))
    return render_template(
        "notifications/email.html", form=form, kinds=kinds, clock=_clock(mailing.choices_of(current_user.id))
    ), 400 if form.errors else 200


def _clock(chosen: mailing.Choices) -> dict:
    """What the page says about time: the next digest, and whether mail is held now."""
    now = utcnow()
    tz = rules.zone(chosen.time_zone)
    held = rules.hold_until(now, chosen.time_zone, chosen.quiet_from, chosen.quiet_until)
    next_digest = rules.next_digest_moment(now, chosen.time_zone, chosen.digest_hour).astimezone(tz)
    # On the person's clock, in the page's language (rebase=False: not moved to UK time).
    return {
        "zone": _(rules.TIME_ZONES[chosen.time_zone]) if chosen.time_zone in rules.TIME_ZONES else chosen.time_zone,
        "next_digest_day": format_datetime(next_digest, "EEEE d MMMM", rebase=False),
        "next_digest_time": format_datetime(next_digest, "HH:mm", rebase=False),
        "held_until": format_datetime(held.astimezone(tz), "HH:mm", rebase=False) if held else None,
    }


@bp.route("/email/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: a mail program posts here with no session; the signed token is the check
def unsubscribe(token: str):
    """GET: say what the link stops and offer a button; POST (the button, or a mail program's
    one-click List-Unsubscribe): stop it."""
    try:
        found = mailing.unsubscribe(token) if request.method == "POST" else mailing.read_unsubscribe_token(token)
    except InvalidInput as error:
        return render_template("notifications/unsubscribe.html", problem=error.message), 400
    return render_template("notifications/unsubscribe.html", found=found, done=request.method == "POST")
