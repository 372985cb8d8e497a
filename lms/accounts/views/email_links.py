"""The pages links sent by email lead to (confirm an address, set a new password, confirm a
new address), and asking for a password reset link. Following a link shows a button rather
than acting at once: mail scanners open links in mail, and must not use them up."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.accounts import external, links
from lms.accounts.access import note_registered_for
from lms.accounts.forms import ForgotPasswordForm, ResetPasswordForm
from lms.accounts.views import SENT_TO, _home, _sign_in, _sso_button, bp
from lms.errors import DomainError
from lms.extensions import limiter
from lms.forms import EmptyForm, attach_error
from lms.security import keeps_input, safe_next


def _link_refused(error: links.LinkRefused, purpose: str):
    return render_template("accounts/link_problem.html", error=error, purpose=purpose), 400


@bp.route("/confirm-email/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def confirm_email(token: str):
    """The link in the verification email. Following it shows a button rather than acting at
    once: mail scanners open links in mail, and must not use up the link (or sign in)."""
    form = EmptyForm()
    try:
        if form.validate_on_submit():
            user, next_url = links.verify_email(token)
            if not external.password_sign_in_allowed(user):
                flash(
                    _("Your email address is confirmed. To sign in, use %(button)s.", button=_sso_button()), "success"
                )
                return redirect(url_for("accounts.login"))
            _sign_in(user)
            flash(_("Your email address is confirmed and you are signed in."), "success")
            target = safe_next(next_url, None)
            if target:
                note_registered_for(urlsplit(target).path)
            return redirect(target or url_for("learning.course"))
        user = links.check_verification_link(token)
    except links.LinkRefused as error:
        return _link_refused(error, "verify")
    return render_template("accounts/confirm_email.html", form=form, user=user)


@bp.route("/forgot-password", methods=["GET", "POST"])
@keeps_input
@limiter.limit("10 per hour", methods=["POST"])
def forgot_password():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.account"))
    form = ForgotPasswordForm(email=request.args.get("email", ""))
    if form.validate_on_submit():
        links.request_password_reset(form.email.data)
        # The same answer whether or not the address has an account.
        session[SENT_TO] = {"email": form.email.data.strip(), "why": "reset"}
        return redirect(url_for("accounts.check_email"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def reset_password(token: str):
    form = ResetPasswordForm()
    try:
        user = links.check_reset_link(token)
        if form.validate_on_submit():
            user = links.reset_password(token, form.password.data)
            if not external.password_sign_in_allowed(user):
                flash(_("Your password has been changed. To sign in, use %(button)s.", button=_sso_button()), "success")
                return redirect(url_for("accounts.login"))
            _sign_in(user)
            flash(
                _("Your password has been changed. You are signed in here and signed out everywhere else."), "success"
            )
            return redirect(_home(user))
    except links.LinkRefused as error:
        return _link_refused(error, "reset")
    except DomainError as error:  # the new password is not acceptable; the link still works
        attach_error(form, error)
    return render_template("accounts/reset_password.html", form=form, user=user)


@bp.route("/account/email/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def confirm_new_email(token: str):
    """The link sent to a new address: the address changes when it is followed."""
    form = EmptyForm()
    try:
        user, new_email = links.check_email_change_link(token)
        if form.validate_on_submit():
            user = links.confirm_email_change(token)
            flash(_("Your email address is now %(email)s. Use it to sign in.", email=user.email), "success")
            if current_user.is_authenticated and current_user.id == user.id:
                return redirect(url_for("accounts.account"))
            return redirect(url_for("accounts.login", email=user.email))
    except links.LinkRefused as error:
        return _link_refused(error, "change-email")
    except DomainError as error:  # the new address was taken in the meantime
        flash(error.message, "error")
    return render_template("accounts/confirm_new_email.html", form=form, user=user, new_email=new_email)
