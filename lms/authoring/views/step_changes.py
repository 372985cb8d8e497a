"""A step's state, place and history: publish, unpublish (confirmed, with a reason), move,
compare revisions and restore one."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.authoring import service
from lms.authoring.forms import step_page
from lms.authoring.views import admin_only, bp
from lms.authoring.views.steps import edit_language, move_form_of
from lms.confirmations import Words, confirmed
from lms.content import revisions, structure
from lms.errors import InvalidInput
from lms.forms import EmptyForm
from lms.inputs import query_int
from lms.security import keeps_input


@bp.post("/steps/<int:step_id>/<any(publish, up, down):action>")
@admin_only
def step_action(step_id: int, action: str):
    if not EmptyForm().validate_on_submit():
        abort(400)
    if action == "publish":
        service.publish_step(current_user, step_id)
        flash(_("Published: learners now see this version."), "success")
    else:
        service.move_step(current_user, step_id, -1 if action == "up" else 1)
        return redirect(url_for("authoring.overview") + f"#step-{step_id}")
    return redirect(
        request.form.get("back") == "overview"
        and url_for("authoring.overview")
        or url_for("authoring.edit_step", step_id=step_id)
    )


@bp.route("/steps/<int:step_id>/unpublish", methods=["GET", "POST"])
@admin_only
@keeps_input
def unpublish_step(step_id: int):
    step = structure.get_step(step_id)

    def check():
        if not step.published:
            raise InvalidInput(_("This step is not published."))

    def words():
        number = service.step_number(step.id)
        return Words(
            _("Unpublish step %(number)s, %(title)s?", number=number, title=step.title),
            [
                _(
                    "Learners will no longer see step %(number)s, %(title)s, in the course or on their to-do list.",
                    number=number,
                    title=step.title,
                ),
                _("Its comments and what learners did on it are kept, and come back when you publish it again."),
            ],
            _("Unpublish step"),
        )

    def act(reason: str) -> str:
        service.unpublish_step(current_user, step.id, reason)
        return _("Unpublished: learners no longer see this step.")

    back = url_for("authoring.edit_step", step_id=step.id)
    return confirmed(check=check, words=words, act=act, back=back, current="authoring.overview")


@bp.post("/steps/<int:step_id>/activity")
@admin_only
def move_step(step_id: int):
    form = move_form_of(structure.get_step(step_id))
    if not form.validate_on_submit():
        abort(400)
    service.move_to_activity(current_user, step_id, form.activity.data)
    flash(_("Step moved."), "success")
    return redirect(url_for("authoring.edit_step", step_id=step_id))


@bp.get("/steps/<int:step_id>/revisions/compare")
@admin_only
def compare(step_id: int):
    """Two revisions of the step in one language (`?language=cy`: its Welsh version's)."""
    step = structure.get_step(step_id)
    language = edit_language()
    newest = (
        step.revision
        if language == revisions.ENGLISH
        else getattr(revisions.get_translation(step, language), "revision", 0)
    )
    old = revisions.get_revision(step, query_int("old", 0, minimum=0), language)
    new = revisions.get_revision(step, query_int("new") or newest, language)
    return render_template(
        "authoring/compare.html",
        step=step,
        old=old,
        new=new,
        changes=revisions.diff(old, new),
        back=step_page(step.id),
        translated=language != revisions.ENGLISH,
    )


@bp.post("/steps/<int:step_id>/revisions/<int:number>/restore")
@admin_only
def restore(step_id: int, number: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        revision = service.restore_revision(current_user, step_id, number, edit_language())
    except revisions.EditConflict:  # someone saved at the same moment: look at theirs first
        flash(_("Someone else saved this step at the same moment. Check their revision, then restore again."), "error")
    except service.DraftInvalid:  # a Welsh revision whose questions the English has since changed
        flash(
            _(
                "Revision %(number)s cannot be restored: it no longer matches the English version's "
                "questions or structure. Open it with Compare and copy its words instead.",
                number=number,
            ),
            "error",
        )
    else:
        flash(_("Revision %(old)s restored as revision %(new)s.", old=number, new=revision.number), "success")
    return redirect(step_page(step_id))
