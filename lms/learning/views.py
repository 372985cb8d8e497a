from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.content import service as content
from lms.errors import NotFound
from lms.forms import EmptyForm
from lms.learning import completion, service
from lms.learning.access import DiscussionEnded, NotYetOpen, check_open, enrolled_only, long_date_here, opens_on

bp = Blueprint("learning", __name__)
bp.add_app_template_filter(long_date_here, "long_date")  # "Monday 9 March 2027", "ddydd Llun 9 Mawrth 2027"


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
        flash(_("You have joined %(course)s. Welcome!", course=outline.course.title), "success")
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
    """Mark a step complete and go on to the next (or, after the last, to the progress page),
    where the confirmation opens the page; or undo the mark, confirmed where it was pressed."""
    index = g.outline.index_of(module_slug, step_slug)
    if index is None:
        raise NotFound("No such step")
    if not EmptyForm().validate_on_submit():
        abort(400)
    step = check_open(g.outline.steps[index])  # a week not yet open is refused, with its date
    complete = request.form.get("complete", "1") == "1"
    if not completion.may_set(step.type, complete):
        abort(409)  # the page has no button for this: answers complete these steps
    completion.set_step_complete(current_user.id, step.id, complete)
    if not complete:
        flash(_("Step %(number)s is marked as not complete.", number=step.number), "step")
        return redirect(url_for("steps.step", module_slug=module_slug, step_slug=step_slug) + "#progress-actions")
    flash(_("Step %(number)s is marked as complete.", number=step.number), "success")
    if index + 1 < len(g.outline.steps):
        following = g.outline.steps[index + 1]
        return redirect(url_for("steps.step", module_slug=following.module_slug, step_slug=following.slug))
    return redirect(url_for("progress.page"))
