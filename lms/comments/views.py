"""Comments: post, reply, edit, delete, like, bookmark, report, and one conversation's page.

Every action is a POST form with its CSRF token that redirects back to the comment's
anchor; a refused comment comes back in its box with the text kept and the reason.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms import unsent
from lms.comments import reports, rules, service, threads
from lms.comments.access import back_to, members_only, not_sent, read_only, step_of, step_url, visible_comment
from lms.comments.forms import COMMENT_BOX, EDIT_BOX, REPLY_BOX, CommentForm, ReportForm
from lms.comments.paging import Cursor
from lms.comments.rendering import render_comments, thread_head
from lms.errors import DomainError, InvalidInput
from lms.extensions import limiter
from lms.forms import EmptyForm, attach_error
from lms.learning import completion
from lms.learning.access import check_may_post, step_at
from lms.security import keeps_input
from lms.unsent import keeps_when_signed_out

bp = Blueprint("comments", __name__)

# Generous for reflection, tight for a script: per person, not per address (a ward shares one).
POSTING_LIMIT = "6 per minute; 60 per hour"
REPORTING_LIMIT = "10 per hour"


def per_user() -> str:
    return f"user:{current_user.id}" if current_user.is_authenticated else f"address:{request.remote_addr}"


def _sent(response) -> bool:
    """Count a post against the limit only when it went through (a refused one is a redirect too: no)."""
    return response.status_code == 302


def _too_fast(request_limit):
    """Over the limit: give the text back with a message, instead of an error page."""
    return make_response(not_sent("too_fast", 429))


posting_limit = limiter.shared_limit(
    POSTING_LIMIT, scope="comment-posting", key_func=per_user, methods=["POST"], deduct_when=_sent, on_breach=_too_fast
)


def _posted(step, reply: bool = False) -> str:
    """What posting did, and besides: on a discussion step, it completed the step."""
    if step.type in completion.COMPLETED_BY_POSTING:
        if reply:
            return _("Your reply has been posted. Step %(number)s is now complete.", number=step.number)
        return _("Your comment has been posted. Step %(number)s is now complete.", number=step.number)
    return _("Your reply has been posted.") if reply else _("Your comment has been posted.")


bp.add_app_template_global(render_comments)
bp.add_app_template_global(thread_head)


@bp.route("/steps/<module_slug>/<step_slug>/comments", methods=["GET", "POST"])
@keeps_when_signed_out(COMMENT_BOX)
@keeps_input
@members_only
@posting_limit
def post(module_slug: str, step_slug: str):
    """Post a comment on a step; without a form (GET), a page with just the comment box."""
    step = step_at(module_slug, step_slug)
    if request.method == "GET":
        check_may_post()
    form = CommentForm()
    unsent.put_back(form, COMMENT_BOX)
    if form.validate_on_submit():
        try:
            check_may_post()  # refused beside the box, with the text kept
            comment = service.post_comment(
                current_user,
                step.id,
                form.body.data,
                submission_key=form.submission.data,
                language=form.language.data,
            )
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_posted(step), "success")
            return redirect(step_url(step) + f"#comment-{comment.id}")
    return render_template(
        "comments/compose.html", form=form, step=step, parent=None, locked=service.is_locked(step.id)
    ), 400 if form.errors else 200


@bp.route("/comments/<int:comment_id>/reply", methods=["GET", "POST"])
@keeps_when_signed_out(REPLY_BOX)
@keeps_input
@members_only
@posting_limit
def reply(comment_id: int):
    """Reply to a comment (one level deep); GET shows the comment and a reply box."""
    parent = visible_comment(comment_id)
    conversation = threads.read_conversation(parent.parent_id or parent.id, current_user)
    if conversation.gated:
        abort(403)
    step = step_of(parent.step_id)
    if request.method == "GET":
        check_may_post()
    form = CommentForm()
    unsent.put_back(form, REPLY_BOX)
    if form.validate_on_submit():
        try:
            check_may_post()
            comment = service.post_comment(
                current_user,
                step.id,
                form.body.data,
                parent=parent,
                submission_key=form.submission.data,
                language=form.language.data,
            )
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_posted(step, reply=True), "success")
            if conversation.comment.reply_count >= threads.REPLIES_SHOWN:
                return redirect(url_for("comments.conversation", comment_id=comment.id) + f"#comment-{comment.id}")
            return back_to(comment.id, step_url(step))
    return render_template(
        "comments/compose.html", form=form, step=step, parent=conversation.comment, locked=conversation.locked
    ), 400 if form.errors else 200


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@keeps_when_signed_out(EDIT_BOX)
@keeps_input
@members_only
def edit(comment_id: int):
    comment = visible_comment(comment_id)
    step = step_of(comment.step_id)
    form = CommentForm(body=comment.body_md, language=comment.language, next=request.args.get("next", ""))
    if not rules.can_edit(current_user, comment):
        abort(403)
    if request.method == "GET":
        check_may_post()
    unsent.put_back(form, EDIT_BOX)
    if form.validate_on_submit():
        try:
            check_may_post()
            service.edit_comment(current_user, comment, form.body.data, language=form.language.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Your comment has been changed."), "success")
            return back_to(comment.id, step_url(step))
    return render_template("comments/edit.html", form=form, step=step, comment=comment), 400 if form.errors else 200


@bp.route("/comments/<int:comment_id>/delete", methods=["GET", "POST"])
@members_only
def delete(comment_id: int):
    """Ask, then delete the learner's own comment."""
    comment = visible_comment(comment_id)
    step = step_of(comment.step_id)
    if not rules.can_delete(current_user, comment):
        abort(403)
    form = EmptyForm()
    if form.validate_on_submit():
        service.delete_comment(current_user, comment)
        flash(_("Your comment has been deleted."), "success")
        return back_to(None, step_url(step))
    return render_template(
        "comments/delete.html", form=form, step=step, comment=comment, next_url=request.args.get("next", "")
    )


def _button(comment_id: int, action, adds: bool = False) -> object:
    """A POST button's view: check the token, act, and go back to the comment. `adds`: the
    action adds to the discussion (a like), which a learner whose cohort has ended may not."""
    comment = visible_comment(comment_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if adds:
        check_may_post()
    action(current_user, comment)
    return back_to(comment.id, step_url(step_of(comment.step_id)))


@bp.post("/comments/<int:comment_id>/like")
@members_only
def like(comment_id: int):
    return _button(comment_id, service.like, adds=True)


@bp.post("/comments/<int:comment_id>/unlike")
@members_only
def unlike(comment_id: int):
    return _button(comment_id, service.unlike, adds=True)


@bp.post("/comments/<int:comment_id>/bookmark")
@members_only
def bookmark(comment_id: int):
    return _button(comment_id, service.bookmark)


@bp.post("/comments/<int:comment_id>/unbookmark")
@members_only
def unbookmark(comment_id: int):
    return _button(comment_id, service.remove_bookmark)


@bp.post("/comments/<int:comment_id>/request-review")
@members_only
def request_review(comment_id: int):
    comment = visible_comment(comment_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        reports.request_review(current_user, comment)
    except InvalidInput as error:
        flash(error.message, "error")
    else:
        flash(_("Thank you. A facilitator will look at your comment again."), "success")
    return back_to(comment.id, step_url(step_of(comment.step_id)))


@bp.route("/comments/<int:comment_id>/report", methods=["GET", "POST"])
@keeps_input
@members_only
@limiter.limit(REPORTING_LIMIT, key_func=per_user, methods=["POST"], deduct_when=_sent)
def report(comment_id: int):
    comment = visible_comment(comment_id)
    step = step_of(comment.step_id)
    if not rules.can_report(current_user, comment):
        abort(403)
    form = ReportForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            reports.report(current_user, comment, form.reason.data or "", form.details.data or "")
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Thank you for reporting this comment. A facilitator will look at it."), "success")
            return back_to(comment.id, step_url(step))
    conversation = threads.read_conversation(comment.id, current_user)
    return render_template(
        "comments/report.html", form=form, step=step, conversation=conversation, comment_id=comment.id
    ), 400 if form.errors else 200


@bp.get("/comments/<int:comment_id>")
@members_only
def conversation(comment_id: int):
    """A comment with all its replies: where notifications and profiles link to."""
    comment = visible_comment(comment_id)
    after = Cursor.decode(request.args.get("after"))
    view = threads.read_conversation(
        comment.id, current_user, after=after.encode() if after else None, read_only=read_only()
    )
    return render_template(
        "comments/conversation.html",
        conversation=view,
        step=step_of(comment.step_id),
        page_args={"after": after.encode() if after else None},
    )
