"""Who may do what: the one place views ask before they act."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from lms.accounts.models import Role


def role_required(role: Role):
    """Let through signed-in users with at least this role; others get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def can_see_drafts(user) -> bool:
    """Facilitators and admins see unpublished content; learners never do."""
    return bool(user.is_authenticated and user.is_staff)
