from __future__ import annotations

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms import unsent
from lms.errors import DomainError
from lms.forms import EmptyForm, attach_error
from lms.learning import completion
from lms.learning.access import enrolled_only, step_at
from lms.reflection import service
from lms.reflection.forms import AUTOSAVE_BOX, BOX, EDIT_BOX, ReflectionForm
from lms.reflection.panel import reflection_panel
from lms.security import keeps_input
from lms.unsent import keeps_when_signed_out

bp = Blueprint("reflection", __name__)
bp.add_app_template_global(reflection_panel)  # on the step page


def _step(module_slug: str, step_slug: str):
    """The step, if it is in the learner's outline and its week has opened (lms.learning.access)."""
    return step_at(module_slug, step_slug)


@bp.post("/steps/<module_slug>/<step_slug>/reflection")
@keeps_when_signed_out(BOX)
@enrolled_only
@keeps_input
def save(module_slug: str, step_slug: str):
    """Save the reflection written on a step; problems come back on a page of their own."""
    step = _step(module_slug, step_slug)
    form = ReflectionForm()
    if form.validate_on_submit():
        try:
            service.save(current_user.id, step.id, form.body.data, form.sections(), form.in_record.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            if step.type in completion.COMPLETED_BY_SAVING:
                flash(
                    _(
                        "Your reflection is saved. Only you can read it. Step %(number)s is now complete.",
                        number=step.number,
                    ),
                    "success",
                )
            else:
                flash(_("Your reflection is saved. Only you can read it."), "success")
            return redirect(url_for("steps.step", module_slug=module_slug, step_slug=step_slug) + "#reflection")
    return render_template("reflection/edit.html", form=form, step=step, reflection=None), 400


@bp.post("/steps/<module_slug>/<step_slug>/reflection/autosave")
@keeps_when_signed_out(AUTOSAVE_BOX)
@enrolled_only
def autosave(module_slug: str, step_slug: str):
    """Keep a draft as the learner types (JavaScript only; the Save button does the same)."""
    step = _step(module_slug, step_slug)
    form = ReflectionForm()
    if not form.validate_on_submit():
        return jsonify(
            error=_(
                "Not saved: %(problems)s", problems="; ".join(str(e) for errors in form.errors.values() for e in errors)
            )
        ), 400
    try:
        reflection = service.save(
            current_user.id, step.id, form.body.data, form.sections(), form.in_record.data, autosave=True
        )
    except DomainError as error:
        return jsonify(error=error.message), 400
    return jsonify(saved_at=reflection.updated_at.isoformat())  # the script says it in local time


@bp.get("/reflections")
@enrolled_only
def index():
    query = request.args.get("q", "").strip()[:100]
    entries = service.list_own(current_user.id, g.outline, query)
    return render_template(
        "reflection/index.html", entries=entries, query=query, outline=g.outline, sections=service.SECTIONS
    )


def _own_entry(reflection_id: int):
    reflection = service.get_own(current_user.id, reflection_id)
    step = next((s for s in g.outline.steps if s.id == reflection.step_id), None)
    if step is None:
        abort(404)
    return reflection, step


@bp.route("/reflections/<int:reflection_id>", methods=["GET", "POST"])
@keeps_when_signed_out(EDIT_BOX)
@enrolled_only
@keeps_input
def edit(reflection_id: int):
    reflection, step = _own_entry(reflection_id)
    form = ReflectionForm()
    if request.method == "GET":
        form.fill(reflection)
        unsent.put_back(form, EDIT_BOX)
    elif form.validate_on_submit():
        try:
            service.save(current_user.id, step.id, form.body.data, form.sections(), form.in_record.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Your reflection is saved."), "success")
            return redirect(url_for("reflection.index"))
    return render_template("reflection/edit.html", form=form, step=step, reflection=reflection, delete_form=EmptyForm())


@bp.post("/reflections/<int:reflection_id>/delete")
@enrolled_only
def delete(reflection_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    service.delete(current_user.id, reflection_id)
    flash(_("Your reflection has been deleted."), "success")
    return redirect(url_for("reflection.index"))
