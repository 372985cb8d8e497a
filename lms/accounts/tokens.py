"""Signed links sent by email: verify an address, reset a password, confirm a new address.

A token is signed with the app's secret key and a salt per purpose, so one made for a
password reset is refused as a verification link. It carries a fingerprint of the state it
changes (password hash, email, whether verified): once used, that state has moved on and the
token no longer matches, so each is single use without a table of issued tokens (as
Django's password reset tokens are). The fingerprint is an HMAC, so the token, which anyone
can decode, reveals nothing of the password hash.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from lms.accounts.models import User


@dataclass(frozen=True)
class Purpose:
    name: str
    lasts: timedelta


VERIFY = Purpose("verify-email", timedelta(hours=24))
RESET = Purpose("reset-password", timedelta(hours=1))
CHANGE_EMAIL = Purpose("change-email", timedelta(hours=24))

EXPIRED, USED, INVALID = "expired", "used", "invalid"


class TokenRefused(Exception):
    """Why a link cannot be used: EXPIRED, USED (or overtaken by a later change), or INVALID."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _serializer(purpose: Purpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"lms.accounts.{purpose.name}")


def fingerprint(user: User) -> str:
    """What a token is bound to: changes when the password, the email or its verification does."""
    state = f"{user.id}|{user.password_hash}|{user.email}|{user.email_verified_at is not None}|{user.active}"
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, state.encode(), hashlib.sha256).hexdigest()[:32]


def make(purpose: Purpose, user: User, **extra: str) -> str:
    return _serializer(purpose).dumps({"u": user.id, "s": fingerprint(user), **extra})


def read(purpose: Purpose, token: str) -> dict:
    """The token's data, if its signature is good and it is young enough; else TokenRefused.
    The caller loads the user and calls `check` (this module runs no query)."""
    try:
        data = _serializer(purpose).loads(token, max_age=int(purpose.lasts.total_seconds()))
    except SignatureExpired:
        raise TokenRefused(EXPIRED) from None
    except BadSignature:
        raise TokenRefused(INVALID) from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("s"), str):
        raise TokenRefused(INVALID)
    return data


def check(data: dict, user: User | None) -> User:
    """The user the token was made for, if nothing it is bound to has changed since."""
    if user is None or not hmac.compare_digest(data["s"], fingerprint(user)):
        raise TokenRefused(USED)
    return user
