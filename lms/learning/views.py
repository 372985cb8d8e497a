from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from lms.content import service as content
from lms.errors import NotFound
from lms.forms import EmptyForm
from lms.learning import service
from lms.learning.access import DiscussionEnded, NotYetOpen, enrolled_only, opens_on, step_at
from lms.learning.pacing import long_date

bp = Blueprint("learning", __name__)
bp.add_app_template_filter(long_date)  # "Monday 9 March 2027"


@bp.app_errorhandler(NotYetOpen)
@bp.app_errorhandler(DiscussionEnded)
def refused(error):
    """A learner's cohort has not reached this step yet, or has ended: say so, and when."""
    return render_template("learning/refused.html", error=error, not_open=isinstance(error, NotYetOpen)), 403


@bp.get("/")
def course():
    """The course page: what it is, what you will learn, its modules, and how to join."""
    outline = content.get_outline()
    if outline is None:
        abort(404)
    joined = current_user.is_authenticated and service.is_enrolled(current_user.id, outline.course.id)
    return render_template(
        "learning/course.html",
        outline=outline,
        joined=joined,
        schedule=service.schedule_for(current_user),
        form=EmptyForm(),
    )


@bp.post("/join")
@login_required
def join():
    outline = content.get_outline()
    if outline is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        # Joined now or by the same form a moment ago (a double click): the same welcome.
        service.join_course(current_user.id, outline.course.id)
        flash(f"You have joined {outline.course.title}. Welcome!", "success")
        return redirect(url_for("learning.todo"))
    abort(400)


@bp.get("/todo")
@enrolled_only
def todo():
    progress = service.progress_for(current_user.id, g.outline)
    return render_template(
        "learning/todo.html",
        progress=progress,
        next_opens_on=opens_on(progress.next_step) if progress.next_step else None,
        comment_counts=content.comment_counts(g.outline),
        schedule=g.schedule,
    )


@bp.get("/modules/<module_slug>")
@enrolled_only
def module(module_slug: str):
    module = g.outline.module(module_slug)
    if module is None:
        raise NotFound("No such module")
    return render_template(
        "learning/module.html",
        module=module,
        introduction=content.get_module_introduction(module.id),
        progress=service.progress_for(current_user.id, g.outline),
        comment_counts=content.comment_counts(g.outline),
        schedule=g.schedule,
    )


@bp.post("/steps/<module_slug>/<step_slug>/complete")
@enrolled_only
def set_complete(module_slug: str, step_slug: str):
    step = step_at(module_slug, step_slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if step.type in service.COMPLETED_BY_SUBMISSION:
        abort(409)  # the page has no button for these: they complete when the answers are sent
    complete = request.form.get("complete", "1") == "1"
    service.set_step_complete(current_user.id, step.id, complete)
    flash(f"Step {step.number} marked as {'complete' if complete else 'not complete'}.", "success")
    return redirect(url_for("steps.step", module_slug=module_slug, step_slug=step_slug) + "#progress-actions")
