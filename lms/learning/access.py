"""The gate to course pages: signed in, and joined to the course."""

from __future__ import annotations

from functools import wraps

from flask import abort, flash, g, redirect, url_for
from flask_login import current_user, login_required

from lms.accounts.access import can_see_drafts
from lms.content import service as content
from lms.learning import service


def enrolled_only(view):
    """Signed in and joined: otherwise to login, or to the course page to join.

    Puts the course outline, as this user may see it, on `g.outline`.
    """

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        # The outline's version check and the enrolment check: read with the sign-in, or in
        # one query for a person signed in by this request.
        read = current_user.read_with
        g.outline, enrolled = content.get_outline_and(
            service.enrolled_in_course(),
            include_drafts=can_see_drafts(current_user),
            params={"enrolled_user": current_user.id},
            read=(*(read[name] for name in content.VERSION_WITH_USER), read["enrolled"])
            if "enrolled" in read
            else None,
        )
        if g.outline is None:
            abort(404)
        if not enrolled:
            flash("Join the course to start learning.", "info")
            return redirect(url_for("learning.course"))
        return view(*args, **kwargs)

    return wrapped
