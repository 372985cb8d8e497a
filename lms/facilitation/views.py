from __future__ import annotations

from functools import wraps

from flask import Blueprint, Response, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.accounts import service as accounts
from lms.accounts.access import role_required
from lms.accounts.models import Role
from lms.cohorts import service as cohorts
from lms.content import service as content
from lms.errors import DomainError, NotFound
from lms.extensions import limiter
from lms.facilitation import batches, notes, service
from lms.facilitation.aggregate import MIN_RESPONSES
from lms.facilitation.forms import NoteForm
from lms.forms import attach_error
from lms.inputs import query_int
from lms.learning import service as learning
from lms.security import keeps_input

bp = Blueprint("facilitation", __name__, url_prefix="/facilitate")
staff_only = role_required(Role.FACILITATOR)
# A learner's results page (assessment, a lower feature) shows their cohort's aggregate
# through this, so the five-response rule has one home.
bp.record_once(lambda state: state.app.extensions.setdefault("lms.self_assessment_mirror", batches.mirror_for))


def cohort_page(view):
    """Staff who facilitate this cohort (or admins); puts the cohort and outline on `g`."""

    @wraps(view)
    @staff_only
    def wrapped(cohort_id: int, **kwargs):
        g.cohort = service.cohort_for(current_user, cohort_id)
        g.outline = content.get_outline()
        if g.outline is None:
            raise NotFound("There is no course yet")
        return view(cohort_id, **kwargs)

    return wrapped


@bp.get("/")
@staff_only
def cohorts_list():
    return render_template("facilitation/cohorts.html", cohorts=cohorts.facilitated_by(current_user))


def _view_args() -> dict:
    show = request.args.get("show", "all")
    sort = request.args.get("sort", "name")
    return {
        "show": show if show in learning.LEARNER_FILTERS else "all",
        "sort": sort if sort in learning.LEARNER_SORTS else "name",
        "descending": request.args.get("dir") == "desc",
        "stalled_days": current_app.config["LMS_STALLED_DAYS"],
    }


@bp.get("/cohorts/<int:cohort_id>")
@cohort_page
def dashboard(cohort_id: int):
    args = _view_args()
    board = service.dashboard(g.cohort, g.outline, page=query_int("page", 1), **args)
    return render_template("facilitation/dashboard.html", board=board, args=args)


@bp.get("/cohorts/<int:cohort_id>/export.csv")
@cohort_page
def export(cohort_id: int):
    args = _view_args()
    body = service.dashboard_csv(g.cohort, g.outline, show=args["show"], stalled_days=args["stalled_days"])
    filename = f"cohort-{cohort_id}-progress.csv"
    return Response(
        body, mimetype="text/csv; charset=utf-8", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@bp.get("/cohorts/<int:cohort_id>/steps")
@cohort_page
def steps(cohort_id: int):
    rows = service.funnel(g.cohort, g.outline)
    learners = max([r.reached for r in rows] + [1])
    return render_template("facilitation/steps.html", cohort=g.cohort, rows=rows, scale=learners)


@bp.get("/cohorts/<int:cohort_id>/learners/<int:user_id>")
@cohort_page
def learner(cohort_id: int, user_id: int):
    if not cohorts.is_learner_in(cohort_id, user_id):
        raise NotFound("That person is not a learner in this cohort")
    person = accounts.get_user(user_id)
    return render_template(
        "facilitation/learner.html",
        cohort=g.cohort,
        person=person,
        progress=learning.progress_for(user_id, g.outline),
        tests=service.quiz_and_test_scores(user_id, g.outline),
    )


@bp.get("/cohorts/<int:cohort_id>/discussion")
@cohort_page
def discussion(cohort_id: int):
    return render_template(
        "facilitation/discussion.html", cohort=g.cohort, activity=service.discussion_activity(g.cohort, g.outline)
    )


@bp.get("/cohorts/<int:cohort_id>/care")
@cohort_page
def care(cohort_id: int):
    queue = service.care_queue(g.cohort, g.outline, stalled_days=current_app.config["LMS_STALLED_DAYS"])
    return render_template("facilitation/care.html", cohort=g.cohort, queue=queue)


@bp.get("/cohorts/<int:cohort_id>/self-assessments")
@cohort_page
def self_assessments(cohort_id: int):
    return render_template(
        "facilitation/self_assessments.html",
        cohort=g.cohort,
        aggregates=batches.self_assessment_aggregates(g.cohort, g.outline),
        minimum=MIN_RESPONSES,
    )


# Generous for a facilitator reaching out, tight for a script or a mistake in a loop.
NOTE_LIMIT = "10 per hour; 40 per day"


@bp.route("/cohorts/<int:cohort_id>/learners/<int:user_id>/message", methods=["GET", "POST"])
@keeps_input
@cohort_page
@limiter.limit(
    NOTE_LIMIT,
    methods=["POST"],
    key_func=lambda: f"user:{current_user.id}",
    deduct_when=lambda response: response.status_code == 302,
)
def message(cohort_id: int, user_id: int):
    """A short note by email to a learner, from a draft the facilitator can change."""
    draft = notes.note_draft(current_user, g.cohort, user_id)
    form = NoteForm(subject=draft.subject, body=draft.body)
    if form.validate_on_submit():
        try:
            learner = notes.send_note(current_user, g.cohort, user_id, form.subject.data, form.body.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Your message to %(name)s is on its way.", name=learner.display_name), "success")
            return redirect(url_for("facilitation.care", cohort_id=cohort_id))
    return render_template(
        "facilitation/message.html", cohort=g.cohort, draft=draft, form=form
    ), 400 if form.errors else 200
