"""Start a sign-in on this device: one place for the password form, email links, single
sign-on and LTI launches, so each ends what the session held before in the same way."""

from __future__ import annotations

from flask import request, session
from flask_login import current_user, login_user, logout_user

from lms.accounts import sign_ins
from lms.accounts.models import User


def begin(user: User, remember: bool = False) -> None:
    """A new sign-in on this device: what was in the session (and any sign-in) ends first."""
    if current_user.is_authenticated:
        sign_ins.end_session(current_user.session_token)
        logout_user()
    session.clear()
    user_agent = request.headers.get("User-Agent", "")
    login_user(sign_ins.start_session(user, remember=remember, user_agent=user_agent), remember=remember)
