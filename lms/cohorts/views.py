from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from lms.cohorts import service
from lms.cohorts.forms import JoinCodeForm
from lms.errors import DomainError
from lms.extensions import limiter
from lms.forms import attach_error
from lms.security import keeps_input

bp = Blueprint("cohorts", __name__, url_prefix="/cohorts")


@bp.route("/join", methods=["GET", "POST"])
@login_required
@keeps_input
@limiter.limit("20 per hour", methods=["POST"], key_func=lambda: f"user:{current_user.id}")
def join():
    """A learner enters the join code their facilitator gave them."""
    form = JoinCodeForm()
    if form.validate_on_submit():
        try:
            cohort = service.join_with_code(current_user.id, form.code.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(f"You have joined the cohort {cohort.name}.", "success")
            return redirect(url_for("learning.todo"))
    return render_template("cohorts/join.html", form=form, memberships=service.cohorts_of(current_user.id))
