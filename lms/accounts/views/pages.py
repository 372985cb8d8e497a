"""Registering, signing in and out, and the account page."""

from __future__ import annotations

import math

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from lms import unsent
from lms.accounts import external, links, service, sign_ins
from lms.accounts.forms import (
    BioForm,
    EmailForm,
    LanguageForm,
    LoginForm,
    NameForm,
    PasswordForm,
    RegisterForm,
    SharingForm,
)
from lms.accounts.views import SENT_TO, UNVERIFIED, _home, _sign_in, _sso_button, bp
from lms.errors import DomainError
from lms.extensions import limiter
from lms.forms import EmptyForm, attach_error
from lms.i18n import language
from lms.security import keeps_input, safe_next


def _email_sent() -> str:
    return "register:" + service.normalise_email(str(request.form.get("email", ""))[:254])


def _registered(response) -> bool:
    return response.status_code == 302  # on to "check your email": a message was sent


@bp.route("/register", methods=["GET", "POST"])
@keeps_input
# Per address, counting registrations that send mail: a training room of 30 behind one
# proxy registers within the hour, mistakes and second tries included; a script creating
# accounts is soon stopped, and one sending anything at all a little later.
# Per email address: nobody's inbox is filled with verification mail.
@limiter.limit("40 per hour; 150 per day", methods=["POST"], deduct_when=_registered)
@limiter.limit("120 per hour", methods=["POST"])
@limiter.limit("4 per hour", methods=["POST"], key_func=_email_sent, deduct_when=_registered)
def register():
    if current_user.is_authenticated:
        return redirect(url_for("learning.course"))
    form = RegisterForm()
    next_url = safe_next(request.args.get("next"), None)
    if external.passwords_only_for_admins():  # accounts are made by signing in with the organisation
        return render_template("accounts/register.html", form=None, next_url=next_url, sso_button=_sso_button())
    if form.validate_on_submit():
        try:
            service.register(
                email=form.email.data,
                display_name=form.display_name.data,
                password=form.password.data,
                next_url=next_url,
            )
        except DomainError as error:
            attach_error(form, error)
        else:
            # The same answer whether or not the email already had an account.
            session[SENT_TO] = {"email": form.email.data.strip(), "why": "register"}
            return redirect(url_for("accounts.check_email"))
    return render_template("accounts/register.html", form=form, next_url=next_url, sso_button=_sso_button())


@bp.get("/check-your-email")
def check_email():
    """Where registering and "forgot your password" lead, whatever the address was."""
    if current_user.is_authenticated:
        return redirect(url_for("accounts.account"))
    return render_template("accounts/check_email.html", sent=session.get(SENT_TO) or {})


@bp.route("/login", methods=["GET", "POST"])
@keeps_input
@limiter.limit("10 per minute; 50 per hour", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_home(current_user))
    if request.method == "POST" and "resend" in request.form:
        return _resend_confirmation()
    form = LoginForm(email=request.args.get("email", ""))
    days = current_app.config["LMS_SESSION_MAX_DAYS"]
    form.remember.label.text = ngettext(  # the number chooses the form: whole (gettext wants an int)
        "Keep me signed in on this device for %(days)s day",
        "Keep me signed in on this device for %(days)s days",
        1 if days == 1 else math.ceil(days) if days > 1 else 0,
        days=f"{days:g}",
    )
    unverified = None
    admins_only = external.passwords_only_for_admins()
    if form.validate_on_submit():
        user = service.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Email address or password is incorrect"))
        elif not external.password_sign_in_allowed(user):
            form.password.errors.append(
                _("Only administrators sign in with a password here: use %(button)s", button=_sso_button())
            )
        elif not user.is_verified:
            # Only someone who knows the password learns that the address is not confirmed yet.
            session[UNVERIFIED], session["unverified_email"] = user.id, user.email
            session["unverified_next"] = safe_next(request.args.get("next"), None)  # kept in the new link
            unverified = user.email
        else:
            target = safe_next(request.args.get("next"), _home(user))  # before any row is written
            _sign_in(user, remember=form.remember.data)  # a new session: nothing set before carries over
            return redirect(target)
    return render_template(
        "accounts/login.html",
        form=form,
        unverified=unverified,
        resend=EmptyForm(),
        next_url=safe_next(request.args.get("next"), None),
        sso_button=_sso_button(),
        # Password sign-in is for admins only: the form is shown to whoever asks for it.
        show_password_form=not admins_only or request.method == "POST" or "password" in request.args,
    )


def _resend_confirmation():
    """ "Send the link again", offered on this page to whoever just typed the password of an
    account whose address is not confirmed yet: the account is the one kept in their session."""
    user_id = session.pop(UNVERIFIED, None)
    email = session.pop("unverified_email", "")
    next_url = session.pop("unverified_next", None)
    if not EmptyForm().validate_on_submit() or not isinstance(user_id, int):
        flash(_("Sign in with your email address and password, and we will offer to send the link again."), "info")
        return redirect(url_for("accounts.login"))
    links.resend_verification(user_id, next_url=safe_next(next_url, None))
    session[SENT_TO] = {"email": email, "why": "register"}
    return redirect(url_for("accounts.check_email"))


@bp.post("/logout")
def logout():
    if EmptyForm().validate_on_submit():
        sign_ins.end_session(current_user.session_token if current_user.is_authenticated else None)
        logout_user()
        unsent.clear_session()  # all but who signed in here, so another tab's unsent text finds them
        flash(_("You have signed out."), "success")
    return redirect(url_for("learning.course"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
@keeps_input
def account():
    name_form = NameForm(prefix="name", display_name=current_user.display_name)
    bio_form = BioForm(prefix="bio", bio=current_user.bio)
    email_form = EmailForm(prefix="email")
    password_form = PasswordForm(prefix="password")
    language_form = LanguageForm(
        prefix="language",
        formdata=request.form if "language-submit" in request.form else None,
        language=current_user.language or language(),
    )
    sharing_form = SharingForm(  # read from the request only when it was the form sent (an unticked box sends nothing)
        prefix="sharing",
        formdata=request.form if "sharing-submit" in request.form else None,
        shares_scores=current_user.shares_assessment_scores,
    )
    if request.method == "POST":
        chosen = {"name-submit": name_form, "bio-submit": bio_form, "email-submit": email_form}
        chosen["sharing-submit"] = sharing_form
        chosen["language-submit"] = language_form
        form = chosen.get(next((k for k in chosen if k in request.form), ""), password_form)
        if form.validate_on_submit():
            try:
                if form is name_form:
                    service.rename(current_user, form.display_name.data)
                    flash(_("Your name has been changed."), "success")
                elif form is bio_form:
                    service.set_bio(current_user, form.bio.data)
                    flash(_("Your bio has been saved."), "success")
                elif form is language_form:
                    service.set_language(current_user, form.language.data)
                    with force_locale(current_user.language):  # said in the language just chosen
                        flash(_("Your language has been saved."), "success")
                elif form is sharing_form:
                    service.set_score_sharing(current_user, form.shares_scores.data)
                    flash(_("Your choice about sharing your scores has been saved."), "success")
                elif form is email_form:
                    email = links.request_email_change(current_user, form.email.data, form.current_password.data)
                    flash(
                        _(
                            "We have sent a link to %(email)s. Your email address changes when you follow it "
                            "(within 24 hours). Until then, sign in with your current address.",
                            email=email,
                        ),
                        "success",
                    )
                else:
                    service.change_password(current_user, form.current_password.data, form.new_password.data)
                    flash(_("Your password has been changed. Other devices have been signed out."), "success")
                return redirect(url_for("accounts.account"))
            except DomainError as error:
                attach_error(form, error)
    return render_template(
        "accounts/account.html",
        name_form=name_form,
        bio_form=bio_form,
        email_form=email_form,
        password_form=password_form,
        sharing_form=sharing_form,
        language_form=language_form,
        sign_ins=sign_ins.active_sign_ins(current_user),
        action=EmptyForm(),
    )


@bp.post("/account/sign-out-others")
@login_required
def sign_out_others():
    if not EmptyForm().validate_on_submit():
        abort(400)
    ended = sign_ins.end_other_sessions(current_user)
    flash(
        ngettext(
            "You have been signed out of %(num)d other device.",
            "You have been signed out of %(num)d other devices.",
            ended,
        ),
        "success",
    )
    return redirect(url_for("accounts.account"))
