"""Sign-ins: one row per signed-in device, found by the hash of its cookie's token, ended by
signing out, by idling, by their end, or by a password change or deactivation. The sign-in
query also reads what other features register with `read_with_user` (the header's counts).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa
from flask import current_app

from lms.accounts import devices
from lms.accounts.models import User, UserSession
from lms.db import utcnow
from lms.extensions import db
from lms.mail import service as mail

log = logging.getLogger(__name__)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


WORKING_DAY = timedelta(hours=14)  # a sign-in without "keep me signed in" ends with the day's shift
TOUCH_EVERY = timedelta(minutes=5)  # how stale last_seen_at may grow before a request moves it on


def _idle_limit() -> timedelta:
    return timedelta(hours=current_app.config["LMS_SESSION_IDLE_HOURS"])


def start_session(user: User, remember: bool = False, user_agent: str = "") -> User:
    """Begin a sign-in for the user on this device; `login_user` then stores its token."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    lasts = timedelta(days=current_app.config["LMS_SESSION_MAX_DAYS"]) if remember else WORKING_DAY
    db.session.add(
        UserSession(
            user_id=user.id,
            token_hash=_hash(token),
            created_at=now,
            last_seen_at=now,
            expires_at=now + lasts,
            user_agent=(user_agent or "")[:200],
        )
    )
    db.session.commit()
    user.session_token = token
    return user


# What other features read about the signed-in person on every page (the header's unread
# count), added as scalar subqueries to the sign-in query: name -> function(users.id column).
_READ_WITH_USER: dict = {}


def read_with_user(name: str, column_for) -> None:
    """Have `load_user` read `column_for(User.id)` too; the value is in `user.read_with[name]`."""
    _READ_WITH_USER[name] = column_for


def load_user(token: str) -> User | None:
    """The active user whose sign-in this cookie names, in one query; None if it has ended
    (signed out, idle too long, or past its end).

    Every few minutes at most, the sign-in's last_seen_at is moved on, by an UPDATE that
    only matches while it is still stale (two requests at once write once)."""
    names, statement = _user_query(tuple(_READ_WITH_USER))
    now = utcnow()
    row = db.session.execute(
        statement, {"token_hash": _hash(token or ""), "now": now, "idle_since": now - _idle_limit()}
    ).first()
    if row is None:
        return None
    user, session_id, last_seen = row[0], row[1], row[2]
    user.session_token = token
    user.read_with = dict(zip(names, row[3:]))
    # Committed here, before the view has written anything (the user is loaded as a request
    # begins: login_required, the header); skipped if anything is pending, to commit no one's half.
    if last_seen < now - TOUCH_EVERY and not (db.session.new or db.session.dirty or db.session.deleted):
        db.session.execute(
            sa.update(UserSession)
            .where(UserSession.id == session_id, UserSession.last_seen_at < now - TOUCH_EVERY)
            .values(last_seen_at=now)
        )
        db.session.commit()
    return user


@lru_cache(maxsize=4)
def _user_query(names: tuple[str, ...]):
    """Built once, not on every request: building it cost more than running it. The checks
    that end a sign-in are in its WHERE clause, so a page still costs one query to sign in."""
    return names, (
        sa.select(
            User,
            UserSession.id,
            UserSession.last_seen_at,
            *(_READ_WITH_USER[name](User.id).label(name) for name in names),
        )
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            UserSession.token_hash == sa.bindparam("token_hash"),
            UserSession.expires_at > sa.bindparam("now"),
            UserSession.last_seen_at > sa.bindparam("idle_since"),
            User.active,
        )
    )


def end_session(token: str | None) -> None:
    """Sign out this device: its cookie (and "remember me" cookie) stop working."""
    if token:
        db.session.execute(sa.delete(UserSession).where(UserSession.token_hash == _hash(token)))
        db.session.commit()


def end_all_sessions(user_id: int, keep: str | None = None) -> None:
    """Sign the user out everywhere (but the sign-in `keep`). Flushes, does not commit."""
    query = sa.delete(UserSession).where(UserSession.user_id == user_id)
    if keep:
        query = query.where(UserSession.token_hash != _hash(keep))
    db.session.execute(query)


def end_other_sessions(user: User) -> int:
    """ "Sign out of all other devices": every sign-in of the user but this one; how many."""
    ended = db.session.execute(
        sa.delete(UserSession).where(
            UserSession.user_id == user.id, UserSession.token_hash != _hash(user.session_token or "")
        )
    ).rowcount
    db.session.commit()
    log.info("user %s signed out of %s other devices", user.id, ended)
    return ended


@dataclass(frozen=True)
class SignIn:
    device: str  # "Chrome on Windows"
    started: datetime
    last_seen: datetime
    this_device: bool


def active_sign_ins(user: User) -> list[SignIn]:
    """The user's sign-ins that have not ended, this device first, then most recently used."""
    now = utcnow()
    rows = db.session.scalars(
        sa.select(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.expires_at > now,
            UserSession.last_seen_at > now - _idle_limit(),
        )
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
        .limit(50)
    )
    mine = _hash(user.session_token or "")
    sign_ins = [
        SignIn(devices.describe(r.user_agent), r.created_at, r.last_seen_at, r.token_hash == mine) for r in rows
    ]
    return sorted(sign_ins, key=lambda s: not s.this_device)  # stable: the rest stay newest first


def forget_ended_sessions(now: datetime | None = None) -> int:
    """Delete sign-ins that have ended (run hourly by the delivery loop), so the table holds
    only live ones."""
    now = now or utcnow()
    ended = db.session.execute(
        sa.delete(UserSession).where(
            sa.or_(UserSession.expires_at <= now, UserSession.last_seen_at <= now - _idle_limit())
        )
    ).rowcount
    db.session.commit()
    return ended


mail.every_hour("accounts.forget_ended_sessions", forget_ended_sessions)
