"""A learner's profile page, and the buttons that follow and unfollow them (following itself is
comments': see lms.comments)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.comments import service as comments
from lms.comments.access import members_only
from lms.comments.paging import Cursor
from lms.errors import InvalidInput
from lms.forms import EmptyForm
from lms.learning.access import open_steps
from lms.profiles import service

bp = Blueprint("profiles", __name__)


@bp.get("/people/<int:person_id>")
@members_only
def profile(person_id: int):
    # Comments on steps of weeks not open to the viewer yet stay out, as their threads do.
    after = Cursor.decode(request.args.get("after"))
    after = after.encode() if after else None
    view = service.read_profile(person_id, current_user, [s.id for s in open_steps()], after=after)
    return render_template(
        "profiles/profile.html",
        person=view,
        form=EmptyForm(),
        steps={s.id: s for s in g.outline.steps},
        page_args={"after": after},
    )


@bp.post("/people/<int:person_id>/follow")
@members_only
def follow(person_id: int):
    return _follow(person_id, True)


@bp.post("/people/<int:person_id>/unfollow")
@members_only
def unfollow(person_id: int):
    return _follow(person_id, False)


def _follow(person_id: int, following: bool):
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        (comments.follow if following else comments.unfollow)(current_user, person_id)
    except InvalidInput as error:
        flash(error.message, "error")
    else:
        flash(
            _("You are following this learner.") if following else _("You are no longer following this learner."),
            "success",
        )
    return redirect(url_for("profiles.profile", person_id=person_id) + "#follow")
