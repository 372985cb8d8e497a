"""Facilitators' pages and buttons: the moderation queue, hide and restore, highlights, locks."""

from __future__ import annotations

from flask import Blueprint, abort, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from lms.accounts.access import can_see_drafts, role_required
from lms.accounts.models import Role
from lms.comments import service as comments
from lms.comments import threads
from lms.comments.access import back_to, step_url
from lms.content import service as content
from lms.errors import DomainError, NotFound
from lms.forms import EmptyForm, attach_error
from lms.inputs import query_int
from lms.moderation import queue, service
from lms.moderation.forms import HideForm
from lms.security import keeps_input

bp = Blueprint("moderation", __name__)
staff_only = role_required(Role.FACILITATOR)


@bp.app_context_processor
def moderation_waiting():
    """The header's count beside Moderation, read with the signed-in person (lms.moderation.queue)."""
    if not current_user.is_authenticated or not current_user.is_staff:
        return {"moderation_waiting": 0}
    return {"moderation_waiting": current_user.read_with.get("moderation_waiting") or 0}


def _steps() -> dict:
    """Every step staff can see, by id (drafts included: moderation does not stop at publishing)."""
    outline = content.get_outline(include_drafts=can_see_drafts(current_user))
    return {s.id: s for s in outline.steps} if outline else {}


def _comment_and_step(comment_id: int):
    comment = comments.get_comment(comment_id)
    step = _steps().get(comment.step_id)
    if step is None:
        raise NotFound("No such step")
    return comment, step


@bp.get("/moderation")
@staff_only
def queue_page():
    """Reported comments and review requests, oldest first, with their context and reports
    (`?comment=ID`: from that comment on, as other pages link to one)."""
    starting_at = query_int("comment")
    page = queue.read_queue(current_user, after=request.args.get("after"), starting_at=starting_at)
    gone = starting_at is not None and (not page.items or page.items[0].comment.id != starting_at)
    if gone:  # dealt with since the link was made: the whole queue, and a word on why
        page = queue.read_queue(current_user)
    return render_template(
        "moderation/queue.html", page=page, steps=_steps(), starting_at=None if gone else starting_at, gone=gone
    )


@bp.route("/comments/<int:comment_id>/hide", methods=["GET", "POST"])
@keeps_input
@staff_only
def hide(comment_id: int):
    comment, step = _comment_and_step(comment_id)
    form = HideForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            service.hide(current_user, comment, form.reason.data or "", form.note.data or "")
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("The comment is hidden. Its author has been told why."), "success")
            return back_to(comment.id, step_url(step))
    conversation = threads.read_conversation(comment.id, current_user)
    return render_template(
        "moderation/hide.html", form=form, step=step, conversation=conversation, comment_id=comment.id
    ), 400 if form.errors else 200


def _decide(comment_id: int, decision, message: str):
    comment, step = _comment_and_step(comment_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        decision(current_user, comment)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(message, "success")
    return back_to(comment.id, step_url(step))


@bp.post("/comments/<int:comment_id>/restore")
@staff_only
def restore(comment_id: int):
    return _decide(comment_id, service.restore, _("The comment is visible again. Its author has been told."))


@bp.post("/comments/<int:comment_id>/dismiss")
@staff_only
def dismiss(comment_id: int):
    return _decide(comment_id, service.dismiss, _("The comment has left the moderation queue."))


@bp.post("/comments/<int:comment_id>/highlight")
@staff_only
def highlight(comment_id: int):
    return _decide(
        comment_id, lambda user, c: service.set_highlight(user, c, True), _("The comment is now an educator highlight.")
    )


@bp.post("/comments/<int:comment_id>/unhighlight")
@staff_only
def unhighlight(comment_id: int):
    return _decide(
        comment_id, lambda user, c: service.set_highlight(user, c, False), _("The comment is no longer highlighted.")
    )


@bp.post("/steps/<module_slug>/<step_slug>/lock")
@staff_only
def lock(module_slug: str, step_slug: str):
    return _set_lock(module_slug, step_slug, True)


@bp.post("/steps/<module_slug>/<step_slug>/unlock")
@staff_only
def unlock(module_slug: str, step_slug: str):
    return _set_lock(module_slug, step_slug, False)


def _set_lock(module_slug: str, step_slug: str, locked: bool):
    step = next((s for s in _steps().values() if s.key == (module_slug, step_slug)), None)
    if step is None:
        raise NotFound("No such step")
    if not EmptyForm().validate_on_submit():
        abort(400)
    service.set_lock(current_user, step.id, locked)
    flash(_("The discussion is closed to new comments.") if locked else _("The discussion is open again."), "success")
    return back_to(None, step_url(step), anchor="discussion")
