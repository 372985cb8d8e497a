"""Accounts: register, authenticate, settings and roles. The links sent by email (verify,
reset, change of address) are in lms.accounts.links; sign-ins in lms.accounts.sign_ins.

Every write here is one unit of work and commits once. Messages never reveal whether an
email address has an account (no enumeration): what would tell goes by email to the
address's owner instead.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.accounts import names, tokens
from lms.accounts.models import Role, User
from lms.accounts.passwords import hash_password, needs_rehash, password_problem, verify_password
from lms.accounts.sign_ins import end_all_sessions
from lms.db import utcnow
from lms.errors import InvalidInput, NotFound
from lms.extensions import db
from lms.i18n import LANGUAGES
from lms.i18n import language as page_language
from lms.mail import service as mail

log = logging.getLogger(__name__)

NAME_MAX = 80


def normalise_email(email: str) -> str:
    return names.normalise_email(email)


def _clean_name(name: str) -> str:
    name = names.clean_display_name(name)  # NFKC, no invisible characters, something visible
    if not name:
        raise InvalidInput(_("Enter your name"), field="display_name")
    if len(name) > NAME_MAX:
        raise InvalidInput(_("Name must be %(most)s characters or fewer", most=NAME_MAX), field="display_name")
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
        if _page_language() == "cy":  # registered in Welsh: their mail is in Welsh, starting now
            user.language = "cy"
        db.session.add(user)
        db.session.flush()
        log.info("user %s registered", user.id)
    elif user.is_verified or not user.active:
        if user.active:
            # Signing in leads where registering would have (a cohort's join link, say).
            sign_in = mail.external_url("accounts.login", **({"next": next_url} if next_url else {}))
            mail_user(
                user,
                "account_exists",
                _l("Someone tried to create an account with your email address"),
                sign_in=sign_in,
                language=own_language(user),
            )
        log.info("registration for an existing email: its owner was told")
        db.session.commit()
        return
    else:
        user.display_name, user.password_hash = name, password_hash
        if _page_language() == "cy":
            user.language = "cy"
        end_all_sessions(user.id)
        log.info("unverified user %s registered again: replaced", user.id)
    send_verification(user, next_url)
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
        password_hash=password_hash or checked_hash(password),
        role=role,
        email_verified_at=utcnow(),
    )
    db.session.add(user)
    db.session.commit()
    log.info("user %s created", user.id)
    return user


def hash_of(password: str) -> str:
    """The password hashed, after checking it is one the site accepts (for `create_user`)."""
    return checked_hash(password)


def checked_hash(password: str, field: str = "password") -> str:
    _check_password(password, field)
    return hash_password(password)


def mail_user(
    user: User, template: str, subject, to: str | None = None, language: str | None = None, **context
) -> None:
    """Queue a message to the person (to `to` instead: a new address they asked for), in
    `language`, else the one saved on their account, else English. `subject` is a lazy
    string (`_l`), read in that language."""
    mail.queue(
        to=to or user.email,
        name=user.display_name,
        user_id=user.id,
        template=template,
        subject=subject,
        language=language or user.language or "en",
        **context,
    )


def _page_language() -> str | None:
    return page_language() if has_request_context() else None


def own_language(user: User) -> str:
    """The language of mail the person asked for on the page they are using (a link to verify
    their address, to reset their password): their saved choice, else the page's."""
    if user.language in LANGUAGES:
        return user.language
    return _page_language() or "en"


def saved_language(user_id: int) -> str | None:
    """The language saved on the account a message goes to, for lms.mail."""
    return db.session.scalar(sa.select(User.language).where(User.id == user_id))


mail.language_from(saved_language)


def send_verification(user: User, next_url: str | None = None) -> None:
    """Mail the link that verifies the address, leading on to `next_url` once followed."""
    extra = {"n": next_url} if next_url else {}
    link = mail.external_url("accounts.confirm_email", token=tokens.make(tokens.VERIFY, user, **extra))
    mail_user(user, "verify_email", _l("Confirm your email address"), link=link, language=own_language(user))


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


BIO_MAX = 500


def set_score_sharing(user: User, shares: bool) -> None:
    """Say whether the learner's self-assessment scores go to the learning record store (lms.xapi)."""
    user.shares_assessment_scores = bool(shares)
    db.session.commit()


def set_bio(user: User, bio: str) -> None:
    """Change the short bio shown on the learner's profile; empty removes it."""
    bio = " ".join((bio or "").split())
    if len(bio) > BIO_MAX:
        raise InvalidInput(_("Your bio must be %(most)s characters or fewer", most=BIO_MAX), field="bio")
    user.bio = bio or None
    db.session.commit()


def rename(user: User, display_name: str) -> None:
    user.display_name = _clean_name(display_name)
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    """Change the password and sign out every other sign-in of this user."""
    if not verify_password(user.password_hash, current):
        raise InvalidInput(_("Your current password is incorrect"), field="current_password")
    user.password_hash = checked_hash(new, field="new_password")
    end_all_sessions(user.id, keep=user.session_token)
    db.session.commit()
    log.info("user %s changed their password", user.id)


def set_role(email: str, role: Role) -> User:
    user = find_by_email(email)
    if user is None:
        raise NotFound(f"No account with the email {normalise_email(email)}")
    user.role = role
    db.session.commit()
    log.info("user %s is now %s", user.id, role.value)
    return user


def set_language(user: User, language: str) -> None:
    """Keep the person's language: the pages' (on every device they sign in to) and their mail's."""
    if language not in LANGUAGES:
        raise InvalidInput(_("Choose English or Cymraeg"), field="language")
    user.language = language
    db.session.commit()


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
