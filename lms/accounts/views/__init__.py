"""Accounts' pages: one blueprint, its pages split by what they do (registering, signing in
and out and the account page in `pages`; the pages that links sent by email lead to, and
asking for one, in `email_links`). Endpoints stay "accounts.<view>"."""

from __future__ import annotations

from flask import Blueprint, current_app, url_for

from lms.accounts import external, signing_in

bp = Blueprint("accounts", __name__)

# Session keys: the address a "check your email" page names, and the account whose password
# was just typed correctly but whose address is not verified yet (for "send the link again").
SENT_TO, UNVERIFIED = "check_email", "unverified_user"


def _sign_in(user, remember: bool = False) -> None:
    signing_in.begin(user, remember=remember)


def _home(user) -> str:
    """Where signing in leads when no `next` says otherwise: staff to the cohorts they look
    after, learners to their to-do list."""
    return url_for("facilitation.cohorts_list") if user.is_staff else url_for("learning.todo")


def _sso_button() -> str | None:
    """The single sign-on button's words, when single sign-on is configured."""
    return current_app.config["LMS_OIDC_BUTTON"] if external.single_sign_on_configured() else None


# Each module adds its pages to `bp`.
from lms.accounts.views import email_links, pages  # noqa: E402, F401
