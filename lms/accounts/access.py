"""Who may do what: the one place views ask before they act."""

from __future__ import annotations

from functools import wraps

from flask import abort, session
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


# The page a person created their account to reach, noted when they confirm the account.
_REGISTERED_FOR = "registered_for"


def note_registered_for(path: str) -> None:
    """Called on confirming a new account (a form the person sends), before going to `path`."""
    session[_REGISTERED_FOR] = path


def arrived_from_registration(path: str) -> bool:
    """Whether this request is the person arriving, just after confirming their new account,
    at the page they created it to reach: that page may then act without another click.
    Answers once."""
    return session.pop(_REGISTERED_FOR, None) == path
