"""Accounts: register and verify, authenticate, sign-ins, resets, settings and roles.

Every write here is one unit of work and commits once. Messages never reveal whether an
email address has an account (no enumeration): what would tell goes by email to the
address's owner instead. Links sent by email are made and checked in `tokens`.
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

from lms.accounts import devices, names, tokens
from lms.accounts.models import Role, User, UserSession
from lms.accounts.passwords import hash_password, needs_rehash, password_problem, verify_password
from lms.db import utcnow
from lms.errors import DomainError, InvalidInput, NotFound
from lms.extensions import db
from lms.mail import service as mail

log = logging.getLogger(__name__)

NAME_MAX = 80


def normalise_email(email: str) -> str:
    return names.normalise_email(email)


def _clean_name(name: str) -> str:
    name = names.clean_display_name(name)  # NFKC, no invisible characters, something visible
    if not name:
        raise InvalidInput("Enter your name", field="display_name")
    if len(name) > NAME_MAX:
        raise InvalidInput(f"Name must be {NAME_MAX} characters or fewer", field="display_name")
    return name


def _check_password(password: str, field: str = "password") -> None:
    problem = password_problem(password)
    if problem:
        raise InvalidInput(problem, field=field)


def find_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def address_taken(email: str, but: int | None = None) -> bool:
    """Whether an account (other than `but`) has this address or one that looks the same."""
    query = sa.select(User.id).where(
        sa.or_(User.email == normalise_email(email), User.email_key == names.email_skeleton(email))
    )
    if but is not None:
        query = query.where(User.id != but)
    return db.session.scalar(query.limit(1)) is not None


def find_by_emails(emails: list[str] | tuple[str, ...]) -> dict[str, User]:
    """The accounts of these addresses, by normalised address, in one query."""
    wanted = {normalise_email(email) for email in emails}
    if not wanted:
        return {}
    return {user.email: user for user in db.session.scalars(sa.select(User).where(User.email.in_(wanted)))}


def register(
    *, email: str, display_name: str, password: str, next_url: str | None = None, role: Role = Role.LEARNER
) -> None:
    """Start an account and email a link to verify the address; the account cannot sign in
    until the link is followed.

    The caller shows the same outcome whatever happened, so registration cannot be used to
    find out who has an account: an address that already has one gets an email telling its
    owner instead. An unverified account registered again is replaced (new name and
    password, so the earlier link stops working): whoever can read the mail gets the account.
    """
    name = _clean_name(display_name)
    _check_password(password)
    password_hash = hash_password(password)  # hashed in every branch: equal timing
    user = find_by_email(email)
    if user is None and address_taken(email):  # looks the same as another account's address
        log.info("registration for an address like an existing one: nothing made")
        db.session.commit()
        return
    if user is None:
        user = User(email=normalise_email(email), display_name=name, password_hash=password_hash, role=role)
        db.session.add(user)
        db.session.flush()
        log.info("user %s registered", user.id)
    elif user.is_verified or not user.active:
        if user.active:
            # Signing in leads where registering would have (a cohort's join link, say).
            sign_in = mail.external_url("accounts.login", **({"next": next_url} if next_url else {}))
            _send(user, "account_exists", "Someone tried to create an account with your email address", sign_in=sign_in)
        log.info("registration for an existing email: its owner was told")
        db.session.commit()
        return
    else:
        user.display_name, user.password_hash = name, password_hash
        end_all_sessions(user.id)
        log.info("unverified user %s registered again: replaced", user.id)
    _send_verification(user, next_url)
    db.session.commit()


def create_user(*, email: str, display_name: str, password: str, role: Role, password_hash: str | None = None) -> User:
    """Create a verified account (the command line, the demo): whoever runs it vouches for the
    address, and saying "already exists" is fine there. `password_hash` is `password` hashed
    already by `hash_of` (the demo gives one password to many people: hashing is slow on purpose)."""
    if address_taken(email):
        raise InvalidInput(
            f"An account with the email {normalise_email(email)}, or one that looks the same, already exists",
            field="email",
        )
    user = User(
        email=normalise_email(email),
        display_name=_clean_name(display_name),
        password_hash=password_hash or _checked_hash(password),
        role=role,
        email_verified_at=utcnow(),
    )
    db.session.add(user)
    db.session.commit()
    log.info("user %s created", user.id)
    return user


def hash_of(password: str) -> str:
    """The password hashed, after checking it is one the site accepts (for `create_user`)."""
    return _checked_hash(password)


def _checked_hash(password: str, field: str = "password") -> str:
    _check_password(password, field)
    return hash_password(password)


# -- Mail and the links in it -------------------------------------------------------------


def _send(user: User, template: str, subject: str, to: str | None = None, **context) -> None:
    mail.queue(
        to=to or user.email,
        name=user.display_name,
        user_id=user.id,
        template=template,
        subject=subject,
        **context,
    )


def _send_verification(user: User, next_url: str | None = None) -> None:
    extra = {"n": next_url} if next_url else {}
    link = mail.external_url("accounts.confirm_email", token=tokens.make(tokens.VERIFY, user, **extra))
    _send(user, "verify_email", "Confirm your email address", link=link)


def resend_verification(user_id: int, next_url: str | None = None) -> None:
    """Send a new verification link (the sign-in page offers this to whoever just proved they
    know the password), leading on to `next_url`; nothing for an account already verified."""
    user = db.session.get(User, user_id)
    if user is not None and user.active and not user.is_verified:
        _send_verification(user, next_url)
        db.session.commit()


class LinkRefused(DomainError):
    """A link from an email that cannot be used: `reason` is tokens.EXPIRED, USED or INVALID."""

    def __init__(self, reason: str):
        super().__init__(
            {
                tokens.EXPIRED: "This link has expired.",
                tokens.USED: "This link has already been used, or something it was for has changed since.",
            }.get(reason, "This link is not valid.")
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
    _send(user, "reset_password", "Reset your password", link=reset_link(user), by_admin=False)
    db.session.commit()


def reset_link(user: User) -> str:
    """A link to set a new password, for an hour or until used (`users reset-link` prints one)."""
    return mail.external_url("accounts.reset_password", token=tokens.make(tokens.RESET, user))


def send_reset_link(user: User) -> None:
    """Email the person a reset link, at an admin's request. Flushes, does not commit: the
    caller records and commits."""
    _send(user, "reset_password", "Reset your password", link=reset_link(user), by_admin=True)


def check_reset_link(token: str) -> User:
    return _user_for(tokens.RESET, token)[0]


def reset_password(token: str, new_password: str) -> User:
    """Set a new password from a reset link and end every sign-in of the account. Following
    the link proves the address, so an unverified account is verified too."""
    user, _ = _user_for(tokens.RESET, token)
    user.password_hash = _checked_hash(new_password)
    if not user.is_verified:
        user.email_verified_at = utcnow()
    end_all_sessions(user.id)
    db.session.commit()
    log.info("user %s reset their password", user.id)
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None."""
    user = find_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


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


BIO_MAX = 500


def set_score_sharing(user: User, shares: bool) -> None:
    """Say whether the learner's self-assessment scores go to the learning record store (lms.xapi)."""
    user.shares_assessment_scores = bool(shares)
    db.session.commit()


def set_bio(user: User, bio: str) -> None:
    """Change the short bio shown on the learner's profile; empty removes it."""
    bio = " ".join((bio or "").split())
    if len(bio) > BIO_MAX:
        raise InvalidInput(f"Your bio must be {BIO_MAX} characters or fewer", field="bio")
    user.bio = bio or None
    db.session.commit()


def rename(user: User, display_name: str) -> None:
    user.display_name = _clean_name(display_name)
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    """Change the password and sign out every other sign-in of this user."""
    if not verify_password(user.password_hash, current):
        raise InvalidInput("Your current password is incorrect", field="current_password")
    user.password_hash = _checked_hash(new, field="new_password")
    end_all_sessions(user.id, keep=user.session_token)
    db.session.commit()
    log.info("user %s changed their password", user.id)


def request_email_change(user: User, new_email: str, current_password: str) -> str:
    """Email a confirmation link to the new address and a notice to the old one; the address
    changes only when the link is followed. Returns the new address (normalised).

    If the new address already has an account, its owner is told instead, and the person
    asking sees the same outcome: the form does not reveal who has an account."""
    if not verify_password(user.password_hash, current_password):
        raise InvalidInput("Your current password is incorrect", field="current_password")
    email = normalise_email(new_email)
    if email == user.email:
        raise InvalidInput("That is already your email address", field="email")
    owner = find_by_email(email)
    if owner is not None:
        _send(owner, "email_in_use", "Someone tried to use your email address for another account")
    elif address_taken(email, but=user.id):
        log.info("user %s asked for an address like another account's: no link sent", user.id)
    else:
        link = mail.external_url("accounts.confirm_new_email", token=tokens.make(tokens.CHANGE_EMAIL, user, e=email))
        _send(user, "confirm_new_email", "Confirm your new email address", to=email, link=link, new_email=email)
    _send(user, "email_changing", "A change to your email address was asked for", new_email=email)
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
        raise InvalidInput("Another account now uses that email address, so yours has not been changed")
    user.email = email
    user.email_verified_at = utcnow()
    db.session.commit()
    log.info("user %s changed their email", user.id)
    return user


def set_role(email: str, role: Role) -> User:
    user = find_by_email(email)
    if user is None:
        raise NotFound(f"No account with the email {normalise_email(email)}")
    user.role = role
    db.session.commit()
    log.info("user %s is now %s", user.id, role.value)
    return user


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("No such person")
    return user


def search_users(query: str = "", role: Role | None = None, page: int = 1, per_page: int = 25):
    """People whose name or email contains the query, by name; a Flask-SQLAlchemy page."""
    select = sa.select(User).order_by(sa.func.lower(User.display_name), User.id)
    if query.strip():
        like = f"%{query.strip().lower()}%"
        select = select.where(sa.or_(sa.func.lower(User.display_name).like(like), User.email.like(like)))
    if role is not None:
        select = select.where(User.role == role)
    return db.paginate(select, page=page, per_page=per_page, error_out=False)


def apply_role(user: User, role: Role) -> None:
    """Give the user a role. Flushes, does not commit: the caller records and commits."""
    user.role = role
    db.session.flush()


def apply_active(user: User, active: bool) -> None:
    """(De)activate an account; deactivating ends its sessions. Flushes, does not commit."""
    user.active = active
    if not active:
        end_all_sessions(user.id)
    db.session.flush()
