"""Links sent by email, and what following them does: verify the address, reset the
password, confirm a new address. Each is made and checked in `tokens`; one that cannot be
used raises `LinkRefused`. As in lms.accounts.service, a message never reveals whether an
address has an account: what would tell goes by email to the address's owner instead.
"""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.accounts import tokens
from lms.accounts.models import User
from lms.accounts.passwords import verify_password
from lms.accounts.service import (
    address_taken,
    checked_hash,
    find_by_email,
    mail_user,
    normalise_email,
    own_language,
    send_verification,
)
from lms.accounts.sign_ins import end_all_sessions
from lms.db import utcnow
from lms.errors import DomainError, InvalidInput
from lms.extensions import db
from lms.mail import service as mail

log = logging.getLogger(__name__)


def resend_verification(user_id: int, next_url: str | None = None) -> None:
    """Send a new verification link (the sign-in page offers this to whoever just proved they
    know the password), leading on to `next_url`; nothing for an account already verified."""
    user = db.session.get(User, user_id)
    if user is not None and user.active and not user.is_verified:
        send_verification(user, next_url)
        db.session.commit()


class LinkRefused(DomainError):
    """A link from an email that cannot be used: `reason` is tokens.EXPIRED, USED or INVALID."""

    def __init__(self, reason: str):
        super().__init__(
            {
                tokens.EXPIRED: _("This link has expired."),
                tokens.USED: _("This link has already been used, or something it was for has changed since."),
            }.get(reason)
            or _("This link is not valid.")
        )
        self.reason = reason


def _user_for(purpose: tokens.Purpose, token: str) -> tuple[User, dict]:
    try:
        data = tokens.read(purpose, token)
        user = tokens.check(data, db.session.get(User, data["u"]))
    except tokens.TokenRefused as refused:
        raise LinkRefused(refused.reason) from None
    if not user.active:
        raise LinkRefused(tokens.USED)
    return user, data


def check_verification_link(token: str) -> User:
    """The person a verification link is for, if it can still be used (changes nothing)."""
    return _user_for(tokens.VERIFY, token)[0]


def verify_email(token: str) -> tuple[User, str | None]:
    """Mark the address verified; return the user (for the caller to sign in) and the page
    they were on their way to when they registered."""
    user, data = _user_for(tokens.VERIFY, token)
    user.email_verified_at = utcnow()
    db.session.commit()
    log.info("user %s verified their email", user.id)
    return user, data.get("n")


def request_password_reset(email: str) -> None:
    """Email a reset link if the address has an active account; the same outcome otherwise."""
    user = find_by_email(email)
    if user is None or not user.active:
        log.info("password reset asked for an address without an active account")
        return
    mail_user(
        user,
        "reset_password",
        _l("Reset your password"),
        link=reset_link(user),
        by_admin=False,
        language=own_language(user),
    )
    db.session.commit()


def reset_link(user: User) -> str:
    """A link to set a new password, for an hour or until used (`users reset-link` prints one)."""
    return mail.external_url("accounts.reset_password", token=tokens.make(tokens.RESET, user))


def send_reset_link(user: User) -> None:
    """Email the person a reset link, at an admin's request. Flushes, does not commit: the
    caller records and commits."""
    mail_user(user, "reset_password", _l("Reset your password"), link=reset_link(user), by_admin=True)


def check_reset_link(token: str) -> User:
    return _user_for(tokens.RESET, token)[0]


def reset_password(token: str, new_password: str) -> User:
    """Set a new password from a reset link and end every sign-in of the account. Following
    the link proves the address, so an unverified account is verified too."""
    user, _data = _user_for(tokens.RESET, token)
    user.password_hash = checked_hash(new_password)
    if not user.is_verified:
        user.email_verified_at = utcnow()
    end_all_sessions(user.id)
    db.session.commit()
    log.info("user %s reset their password", user.id)
    return user


def request_email_change(user: User, new_email: str, current_password: str) -> str:
    """Email a confirmation link to the new address and a notice to the old one; the address
    changes only when the link is followed. Returns the new address (normalised).

    If the new address already has an account, its owner is told instead, and the person
    asking sees the same outcome: the form does not reveal who has an account."""
    if not verify_password(user.password_hash, current_password):
        raise InvalidInput(_("Your current password is incorrect"), field="current_password")
    email = normalise_email(new_email)
    if email == user.email:
        raise InvalidInput(_("That is already your email address"), field="email")
    owner = find_by_email(email)
    language = own_language(user)
    if owner is not None:
        mail_user(owner, "email_in_use", _l("Someone tried to use your email address for another account"))
    elif address_taken(email, but=user.id):
        log.info("user %s asked for an address like another account's: no link sent", user.id)
    else:
        link = mail.external_url("accounts.confirm_new_email", token=tokens.make(tokens.CHANGE_EMAIL, user, e=email))
        mail_user(
            user,
            "confirm_new_email",
            _l("Confirm your new email address"),
            to=email,
            link=link,
            new_email=email,
            language=language,
        )
    mail_user(
        user, "email_changing", _l("A change to your email address was asked for"), new_email=email, language=language
    )
    db.session.commit()
    log.info("user %s asked to change their email", user.id)
    return email


def check_email_change_link(token: str) -> tuple[User, str]:
    user, data = _user_for(tokens.CHANGE_EMAIL, token)
    return user, str(data.get("e", ""))


def confirm_email_change(token: str) -> User:
    """Change the address to the one the link was sent to (which following it proves)."""
    user, email = check_email_change_link(token)
    if not email or address_taken(email, but=user.id):
        raise InvalidInput(_("Another account now uses that email address, so yours has not been changed"))
    user.email = email
    user.email_verified_at = utcnow()
    db.session.commit()
    log.info("user %s changed their email", user.id)
    return user
