"""Registration, signing in and out, and the account page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from lms import unsent
from lms.accounts import service
from lms.accounts.forms import BioForm, EmailForm, LoginForm, NameForm, PasswordForm, RegisterForm
from lms.errors import DomainError
from lms.extensions import limiter
from lms.forms import EmptyForm, attach_error
from lms.security import keeps_input, safe_next

bp = Blueprint("accounts", __name__)


@bp.route("/register", methods=["GET", "POST"])
@keeps_input
@limiter.limit("10 per hour", methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("learning.course"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            service.register(email=form.email.data, display_name=form.display_name.data, password=form.password.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            # The same answer whether or not the email already had an account.
            flash("Your account is ready. Sign in with your email address and password.", "success")
            return redirect(url_for("accounts.login", email=form.email.data, next=request.args.get("next")))
    return render_template("accounts/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@keeps_input
@limiter.limit("10 per minute; 50 per hour", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("learning.todo"))
    form = LoginForm(email=request.args.get("email", ""))
    if form.validate_on_submit():
        user = service.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append("Email address or password is incorrect")
        else:
            target = safe_next(request.args.get("next"), url_for("learning.todo"))  # before any row is written
            session.clear()  # a new session at login: nothing set before carries over
            login_user(service.start_session(user), remember=form.remember.data)
            return redirect(target)
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
def logout():
    if EmptyForm().validate_on_submit():
        service.end_session(current_user.session_token if current_user.is_authenticated else None)
        logout_user()
        unsent.clear_session()  # all but who signed in here, so another tab's unsent text finds them
        flash("You have signed out.", "success")
    return redirect(url_for("learning.course"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
@keeps_input
def account():
    name_form = NameForm(prefix="name", display_name=current_user.display_name)
    bio_form = BioForm(prefix="bio", bio=current_user.bio)
    email_form = EmailForm(prefix="email")
    password_form = PasswordForm(prefix="password")
    if request.method == "POST":
        chosen = {"name-submit": name_form, "bio-submit": bio_form, "email-submit": email_form}
        form = chosen.get(next((k for k in chosen if k in request.form), ""), password_form)
        if form.validate_on_submit():
            try:
                if form is name_form:
                    service.rename(current_user, form.display_name.data)
                    flash("Your name has been changed.", "success")
                elif form is bio_form:
                    service.set_bio(current_user, form.bio.data)
                    flash("Your bio has been saved.", "success")
                elif form is email_form:
                    service.change_email(current_user, form.email.data, form.current_password.data)
                    flash("Your email address has been changed.", "success")
                else:
                    service.change_password(current_user, form.current_password.data, form.new_password.data)
                    flash("Your password has been changed. Other devices have been signed out.", "success")
                return redirect(url_for("accounts.account"))
            except DomainError as error:
                attach_error(form, error)
    return render_template(
        "accounts/account.html",
        name_form=name_form,
        bio_form=bio_form,
        email_form=email_form,
        password_form=password_form,
    )
