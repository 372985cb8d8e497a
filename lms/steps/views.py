from __future__ import annotations

from flask import Blueprint, Response, g, render_template, request
from flask_login import current_user

from lms import unsent
from lms.assessment import service as assessments
from lms.comments import threads
from lms.comments.paging import ThreadQuery
from lms.content import service as content
from lms.errors import NotFound
from lms.forms import EmptyForm
from lms.learning import completion
from lms.learning import service as learning
from lms.learning.access import check_open, enrolled_only, opens_on
from lms.reflection import service as reflection
from lms.reflection.forms import BOX as REFLECTION_BOX
from lms.reflection.forms import ReflectionForm
from lms.steps.module_steps import module_steps_list
from lms.steps.printable import printable_pdf
from lms.steps.service import learner_state, module_place

bp = Blueprint("steps", __name__)


@bp.get("/steps/<module_slug>/<step_slug>")
@enrolled_only
def step(module_slug: str, step_slug: str):
    """Show a step: its content, its place in the course, and the learner's progress on it."""
    page = content.get_step_page(g.outline, module_slug, step_slug)
    closed_until = opens_on(page.summary)
    if closed_until is not None:  # its week has not begun for this learner: when, not what
        return render_template("steps/not_open.html", page=page, opens_on=closed_until)
    place = module_place(page.module, page.summary)
    own = learner_state(current_user.id, page.summary.id, place.step_ids)
    completed = learning.record_visit(current_user.id, page.summary.id, seen=own.seen)
    place = place.with_completed(own.module_completed)
    mine = reflection.for_step(current_user.id, page.summary.id) if own.reflection_id else None
    reflection_form = ReflectionForm()
    if mine:
        reflection_form.fill(mine)
    unsent.put_back(reflection_form, REFLECTION_BOX)  # sent after the sign-in ended: the box is rendered fresh
    return render_template(
        "steps/step.html",
        page=page,
        completed=completed,
        may_set=completion.may_set,
        place=place,
        module_steps=module_steps_list(place),
        form=EmptyForm(),
        reflection_entry=mine,
        reflection_form=reflection_form,
        assessment=assessments.step_panel(current_user.id, page.summary),
        thread=threads.read_thread(
            page.summary.id,
            current_user,
            ThreadQuery.from_args(request.args),
            own.thread_state,
            ended_on=g.schedule.discussions_ended_on,
        ),
    )


@bp.get("/steps/<module_slug>/<step_slug>/printable.pdf")
@enrolled_only
def printable(module_slug: str, step_slug: str):
    """A printable copy of the step (self-assessments and `printable: true` steps), to whoever
    may open the step now."""
    page = content.get_step_page(g.outline, module_slug, step_slug)
    check_open(page.summary)
    if not page.printable:
        raise NotFound("This step has no printable copy")
    return Response(
        printable_pdf(page, g.outline.course.title),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{page.summary.number}-{page.summary.slug}.pdf"'},
    )
