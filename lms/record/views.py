from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, Response, current_app, flash, g, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from lms.comments import service as comments
from lms.comments.forms import CommentForm
from lms.comments.markdown import MAX_LENGTH as COMMENT_LENGTH
from lms.errors import DomainError, NotFound
from lms.forms import attach_error
from lms.learning.access import enrolled_only
from lms.record import personal_data, service
from lms.record.forms import DeleteAccountForm
from lms.reflection import service as reflections
from lms.reflection.service import SECTIONS
from lms.security import keeps_input

bp = Blueprint("record", __name__, url_prefix="/record")


def _record():
    return service.learning_record(current_user, g.outline)


def _verify_url(record) -> str | None:
    """The certificate's public check, in full: the record is read away from this site."""
    return url_for("certificates.verify", code=record.certificate.code, _external=True) if record.certificate else None


def _document(template: str):
    record = _record()
    return render_template(
        template, record=record, sections=SECTIONS, verify_url=_verify_url(record), describe_test=service.describe_test
    )


@bp.get("/")
@enrolled_only
def page():
    return _document("record/record.html")


@bp.get("/learning-record.md")
@enrolled_only
def markdown():
    record = _record()
    return Response(
        service.as_markdown(record, _verify_url(record)),
        mimetype="text/markdown; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="learning-record.md"'},
    )


@bp.get("/learning-record.pdf")
@enrolled_only
def pdf():
    html = _document("record/document.html")
    stylesheet = Path(current_app.static_folder, "css", "print.css").read_text(encoding="utf-8")
    return Response(
        service.as_pdf(html, stylesheet),
        mimetype="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="learning-record.pdf"'},
    )


@bp.get("/reflections/<int:reflection_id>/share")
@enrolled_only
def share_reflection(reflection_id: int):
    """The step's comment box, filled with a copy of the learner's reflection to edit and post.

    It posts to the comments' own route, so the comment is checked like any other; the
    private reflection is only read, never changed.
    """
    mine = reflections.get_own(current_user.id, reflection_id)
    step = next((s for s in g.outline.steps if s.id == mine.step_id), None)
    if step is None:
        raise NotFound("No such step")
    copy = reflections.as_text(mine)
    return render_template(
        "record/share.html",
        form=CommentForm(body=copy),
        step=step,
        too_long=len(copy) > COMMENT_LENGTH,
        limit=COMMENT_LENGTH,
        locked=comments.is_locked(step.id),
    )


@bp.get("/my-data.json")
@login_required
def my_data():
    """Download everything held about me, as JSON."""
    body = json.dumps(personal_data.export(current_user), indent=2, ensure_ascii=False)
    return Response(
        body, mimetype="application/json", headers={"Content-Disposition": 'attachment; filename="my-data.json"'}
    )


@bp.route("/delete-account", methods=["GET", "POST"])
@login_required
@keeps_input
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            personal_data.delete_account(current_user, form.password.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            logout_user()
            session.clear()
            flash(_("Your account has been deleted. Your comments now show as from a former learner."), "success")
            return redirect(url_for("learning.course"))
    return render_template("record/delete_account.html", form=form)
