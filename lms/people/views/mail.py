"""Mail that could not be sent: the list, sending it again, and a test message."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lms.forms import EmptyForm
from lms.mail import service as mail_service
from lms.people import service
from lms.people.views import admin_only, bp


@bp.get("/mail")
@admin_only
def mail():
    before = request.args.get("before", type=int)
    messages = mail_service.failed(before)
    return render_template(
        "people/mail.html",
        summaries=mail_service.summaries(),
        messages=messages,
        more=messages[-1].id if len(messages) == mail_service.PAGE_SIZE else None,
        action=EmptyForm(),
    )


@bp.post("/mail/retry")
@admin_only
def retry_mail():
    if not EmptyForm().validate_on_submit():
        abort(400)
    ids = [int(i) for i in request.form.getlist("message") if i.isdigit() and len(i) < 10]
    count = service.retry_failed_mail(current_user, ids)
    flash(ngettext("%(num)d message will be sent again.", "%(num)d messages will be sent again.", count), "success")
    return redirect(url_for("people.mail"))


@bp.post("/mail/test")
@admin_only
def test_mail():
    if not EmptyForm().validate_on_submit():
        abort(400)
    service.send_test_mail(current_user)
    flash(_("A test message is on its way to %(email)s.", email=current_user.email), "success")
    return redirect(url_for("people.mail"))
