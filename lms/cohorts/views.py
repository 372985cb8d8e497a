from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts.access import arrived_from_registration
from lms.cohorts import joining, service
from lms.cohorts.forms import JoinCodeForm
from lms.content import service as content
from lms.errors import DomainError
from lms.extensions import limiter
from lms.forms import EmptyForm, attach_error
from lms.security import keeps_input

bp = Blueprint("cohorts", __name__)


@bp.route("/cohorts/join", methods=["GET", "POST"])
@login_required
@keeps_input
@limiter.limit("20 per hour", methods=["POST"], key_func=lambda: f"user:{current_user.id}")
def join():
    """A learner enters the join code their facilitator gave them."""
    form = JoinCodeForm()
    if form.validate_on_submit():
        try:
            cohort = joining.join_with_code(current_user.id, form.code.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("You have joined the cohort %(name)s.", name=cohort.name), "success")
            return redirect(url_for("learning.todo"))
    return render_template("cohorts/join.html", form=form, memberships=service.cohorts_of(current_user.id))


def _missed(response) -> bool:
    return response.status_code == 404


@bp.route("/join/<join_code>", methods=["GET", "POST"])
# Per address, counting only codes that open nothing: a training room behind one proxy
# opens its link freely, while guessing codes (to learn cohorts' names) soon stops.
@limiter.limit("30 per hour", deduct_when=_missed)
def join_link(join_code: str):
    """The link an admin shares. Signed out: the cohort's name and a way in (an account, or
    signing in), which comes back here. Signed in: one button to join the cohort and the
    course; none at all just after creating an account to come here."""
    cohort = joining.cohort_for_code(join_code)
    outline = content.get_outline()
    if cohort is None or outline is None:
        return render_template("cohorts/unknown_link.html"), 404
    role = joining.role_in(cohort.id, current_user.id) if current_user.is_authenticated else None
    closed = None if role else joining.why_closed(cohort)
    if closed:  # its members may still follow the link to their to-do list
        return render_template("cohorts/join_link.html", cohort=cohort, course=outline.course, closed=closed), 410
    if not current_user.is_authenticated:
        if request.method == "POST":
            return current_app.login_manager.unauthorized()
        return render_template("cohorts/join_link.html", cohort=cohort, course=outline.course, here=request.path)
    form = EmptyForm()
    # Just after confirming the account they created from this link (a form they sent
    # themselves), a new account joins at once: it has no progress a stranger could see.
    if (role is None and arrived_from_registration(request.path)) or form.validate_on_submit():
        joining.join(current_user.id, cohort)  # joined already (a double click): the same welcome
        flash(_("Welcome to %(name)s. You have joined the cohort and the course.", name=cohort.name), "success")
        return redirect(url_for("learning.todo"))
    if request.method == "POST":
        abort(400)
    return render_template("cohorts/join_link.html", cohort=cohort, course=outline.course, role=role, form=form)
