"""Accounts: register, authenticate, change settings and roles.

Every write here is one unit of work and commits once. Messages never reveal whether an
email address has an account (no enumeration).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from functools import lru_cache

import sqlalchemy as sa

from lms.accounts import names
from lms.accounts.models import Role, User, UserSession
from lms.accounts.passwords import hash_password, needs_rehash, password_problem, verify_password
from lms.errors import InvalidInput, NotFound
from lms.extensions import db

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


def register(*, email: str, display_name: str, password: str, role: Role = Role.LEARNER) -> User | None:
    """Create an account; return None, silently, when the email is already registered.

    The caller shows the same outcome either way, so registration cannot be used to
    find out who has an account.
    """
    name = _clean_name(display_name)
    _check_password(password)
    password_hash = hash_password(password)  # hashed in both branches: equal timing
    if address_taken(email):
        log.info("registration for an existing email refused")
        return None
    user = User(email=normalise_email(email), display_name=name, password_hash=password_hash, role=role)
    db.session.add(user)
    db.session.commit()
    log.info("user %s registered", user.id)
    return user


def create_user(*, email: str, display_name: str, password: str, role: Role) -> User:
    """Create an account from the command line, where saying "already exists" is fine."""
    if address_taken(email):
        raise InvalidInput(
            f"An account with the email {normalise_email(email)}, or one that looks the same, already exists",
            field="email",
        )
    user = register(email=email, display_name=display_name, password=password, role=role)
    assert user is not None
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


def start_session(user: User) -> User:
    """Begin a sign-in for the user on this device; `login_user` then stores its token."""
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_hash=_hash(token)))
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
    """The active user whose sign-in this cookie names, in one query; None if it has ended."""
    names, statement = _user_query(tuple(_READ_WITH_USER))
    row = db.session.execute(statement, {"token_hash": _hash(token or "")}).first()
    if row is None:
        return None
    user = row[0]
    user.session_token = token
    user.read_with = dict(zip(names, row[1:]))
    return user


@lru_cache(maxsize=4)
def _user_query(names: tuple[str, ...]):
    """Built once, not on every request: building it cost more than running it."""
    return names, (
        sa.select(User, *(_READ_WITH_USER[name](User.id).label(name) for name in names))
        .join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.token_hash == sa.bindparam("token_hash"), User.active)
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


BIO_MAX = 500


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
    _check_password(new, field="new_password")
    user.password_hash = hash_password(new)
    end_all_sessions(user.id, keep=user.session_token)
    db.session.commit()
    log.info("user %s changed their password", user.id)


def change_email(user: User, new_email: str, current_password: str) -> None:
    """Change the sign-in email, after checking the current password."""
    if not verify_password(user.password_hash, current_password):
        raise InvalidInput("Your current password is incorrect", field="current_password")
    email = normalise_email(new_email)
    if address_taken(email, but=user.id):
        raise InvalidInput("You cannot use that email address: choose another", field="email")
    user.email = email
    db.session.commit()
    log.info("user %s changed their email", user.id)


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
