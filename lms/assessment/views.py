"""Answer a self-assessment, quiz or test (the sheet is on the step page), and see results."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.assessment import results as reads
from lms.assessment import service
from lms.assessment.forms import AnswerSheetForm, read_sheet
from lms.assessment.sheet import answer_sheet
from lms.learning.access import check_open, enrolled_only
from lms.security import keeps_input

bp = Blueprint("assessment", __name__)
bp.add_app_template_global(answer_sheet)  # the step page and the sheet's own page show it


def _assessed_step(module_slug: str, step_slug: str):
    index = g.outline.index_of(module_slug, step_slug)
    if index is None or g.outline.steps[index].type not in service.ASSESSED_TYPES:
        abort(404)
    return g.outline.steps[index]


def _sheet_again(step, panel, form):
    """The sheet on a page of its own, with what is missing marked and the answers kept."""
    return render_template("assessment/answer.html", step=step, assessment=panel, form=form), 400


def cohort_mirror(user_id: int, step):
    """The learner's cohort beside their scores, as the facilitation feature supplies it.

    Facilitation sits above assessment (features import downwards only), so it registers the
    function when its blueprint is registered; the five-response rule lives there alone.
    """
    mirror = current_app.extensions.get("lms.self_assessment_mirror")
    return mirror(user_id, step) if mirror else None


@bp.post("/steps/<module_slug>/<step_slug>/answers")
@enrolled_only
@keeps_input
def answer(module_slug: str, step_slug: str):
    """Score a sheet on the server and keep it; then show the results (PRG)."""
    step = check_open(_assessed_step(module_slug, step_slug))  # a test in a week not open: refused
    form = AnswerSheetForm()
    sheet = read_sheet(request.form, step.type)
    if not form.validate_on_submit():  # only an expired CSRF token fails here: show the sheet again
        return _sheet_again(step, service.step_panel(current_user.id, step, given=sheet or {}), form)
    if sheet is None:
        abort(400)
    submit = service.take_self_assessment if step.type == service.SELF_ASSESSMENT else service.answer_quiz
    try:
        submit(current_user.id, step, form.step.data, sheet, form.submission.data)
    except service.TamperedSheet:
        abort(400)
    except service.NoAttemptsLeft as error:
        return render_template("assessment/refused.html", step=step, message=error.message), 409
    except service.Incomplete as error:
        return _sheet_again(step, service.incomplete_panel(current_user.id, step, error), form)
    if step.type == service.SELF_ASSESSMENT:
        flash(_("Your answers are saved. Here are your results."), "success")
    # A quiz's or test's results page opens with the result itself: green only for a pass.
    return redirect(url_for("assessment.results", module_slug=module_slug, step_slug=step_slug))


@bp.get("/steps/<module_slug>/<step_slug>/results")
@enrolled_only
def results(module_slug: str, step_slug: str):
    """The learner's latest result on the step, with every earlier attempt."""
    step = _assessed_step(module_slug, step_slug)
    mirror = None
    if step.type == service.SELF_ASSESSMENT:
        found, template = reads.self_assessment_results(current_user.id, step), "assessment/self_results.html"
        mirror = cohort_mirror(current_user.id, step) if found else None
    else:
        found, template = reads.quiz_results(current_user.id, step), "assessment/quiz_results.html"
    if found is None:
        flash(_("You have not answered this step yet: your results will be here once you have."), "info")
        return redirect(url_for("steps.step", module_slug=module_slug, step_slug=step_slug))
    index = g.outline.index_of(module_slug, step_slug)
    following = g.outline.steps[index + 1] if index + 1 < len(g.outline.steps) else None
    return render_template(template, results=found, step=step, next_step=following, mirror=mirror)
