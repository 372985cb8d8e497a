"""Accounts reached through another system: an organisation's identity provider (single
sign-on) or a learning platform (LTI). A person is found by the pair that system vouches
for, its issuer and its subject id for them, and never by name; by email only where an
admin allowed it and the system says it verified the address. Their account is made the
first time they arrive. Also the admin's sign-in settings, which the sign-in page reads.

Writes here flush and do not commit: the caller signs the person in and commits once.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from lms.accounts import names
from lms.accounts.models import ExternalIdentity, IdentityKind, Role, SignInSettings, User
from lms.db import utcnow
from lms.errors import DomainError
from lms.extensions import db

log = logging.getLogger(__name__)

NAME_MAX = 80
# Stored as the password hash of an account made by another system: no password matches it
# (it is not a hash), until the person sets one with a reset link sent to their address.
NO_PASSWORD = "!no password: signs in through another system"
# The address of an account whose system gave none we may use (LTI): never mail to it.
PLACEHOLDER_DOMAIN = "no-email.invalid"


@dataclass(frozen=True)
class Arrival:
    """Who another system says is arriving."""

    kind: IdentityKind
    issuer: str
    subject: str
    email: str | None = None
    email_verified: bool = False
    name: str | None = None


class ExternalSignInRefused(DomainError):
    """The other system vouched for someone we cannot sign in (the message says why)."""


def sign_in_settings() -> SignInSettings:
    """The admin's sign-in settings (the defaults, unsaved, until an admin saves them)."""
    return db.session.get(SignInSettings, 1) or SignInSettings(
        id=1, link_by_verified_email=False, passwords_for_admins_only=False
    )


def save_sign_in_settings(*, link_by_verified_email: bool, passwords_for_admins_only: bool) -> SignInSettings:
    """Change the sign-in settings. Flushes, does not commit: the caller records and commits."""
    settings = db.session.get(SignInSettings, 1) or SignInSettings(id=1)
    settings.link_by_verified_email = link_by_verified_email
    settings.passwords_for_admins_only = passwords_for_admins_only
    db.session.add(settings)
    db.session.flush()
    return settings


def single_sign_on_configured(config=None) -> bool:
    config = config if config is not None else current_app.config
    return bool(config.get("LMS_OIDC_ISSUER") and config.get("LMS_OIDC_CLIENT_ID"))


def passwords_only_for_admins() -> bool:
    """Whether password sign-in is off for all but admins. Only with single sign-on
    configured: otherwise nobody else could sign in at all."""
    return single_sign_on_configured() and sign_in_settings().passwords_for_admins_only


def password_sign_in_allowed(user: User) -> bool:
    return user.has_role(Role.ADMIN) or not passwords_only_for_admins()


def linked_identities(user_id: int) -> list[ExternalIdentity]:
    return list(
        db.session.scalars(
            sa.select(ExternalIdentity).where(ExternalIdentity.user_id == user_id).order_by(ExternalIdentity.id)
        )
    )


def subject_of(kind: IdentityKind, issuer: str, user_id: int) -> str | None:
    """What the other system calls this person (to speak of them to it), if it knows them."""
    return db.session.scalar(
        sa.select(ExternalIdentity.subject).where(
            ExternalIdentity.kind == kind, ExternalIdentity.issuer == issuer, ExternalIdentity.user_id == user_id
        )
    )


def account_for(
    arrival: Arrival, *, link_by_email: bool = False, role: Role = Role.LEARNER, placeholder_email: bool = False
) -> tuple[User, bool]:
    """The account the arriving person has here, linked or made now; and whether it is new.

    `link_by_email`: an existing account with the address the system verified is theirs.
    `placeholder_email`: without a usable address (none, or another account's), make the
    account with a placeholder rather than refuse. Flushes, does not commit."""
    identity = db.session.scalar(
        sa.select(ExternalIdentity).where(
            ExternalIdentity.kind == arrival.kind,
            ExternalIdentity.issuer == arrival.issuer,
            ExternalIdentity.subject == arrival.subject,
        )
    )
    if identity is not None:
        user = _usable(db.session.get(User, identity.user_id))
        identity.last_used_at = utcnow()
        return user, False
    email = names.normalise_email(arrival.email or "")
    if link_by_email and arrival.email_verified and email:
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is not None:
            _link(_usable(user), arrival)
            log.info("user %s linked to %s by verified email", user.id, arrival.kind.value)
            return user, False
    if not email or _address_taken(email):
        if not placeholder_email:
            raise ExternalSignInRefused(
                _(
                    "An account with your email address already exists here. Sign in with your password, "
                    "or ask an administrator to link your accounts."
                )
                if email
                else _("Your organisation did not tell us your email address, so we cannot make your account.")
            )
        email, verified = _placeholder(arrival), False
    else:
        verified = arrival.email_verified
    user = User(
        email=email,
        display_name=_name(arrival, email),
        password_hash=NO_PASSWORD,
        role=role,
        email_verified_at=utcnow() if verified else None,
    )
    db.session.add(user)
    db.session.flush()
    _link(user, arrival)
    log.info("user %s made on first arrival from %s", user.id, arrival.kind.value)
    return user, True


def _usable(user: User | None) -> User:
    if user is None or not user.active:
        raise ExternalSignInRefused(_("This account has been closed. Ask an administrator if you need it back."))
    return user


def _link(user: User, arrival: Arrival) -> None:
    db.session.add(ExternalIdentity(kind=arrival.kind, issuer=arrival.issuer, subject=arrival.subject, user_id=user.id))
    db.session.flush()


def _address_taken(email: str) -> bool:
    query = sa.select(User.id).where(sa.or_(User.email == email, User.email_key == names.email_skeleton(email)))
    return db.session.scalar(query.limit(1)) is not None


def _placeholder(arrival: Arrival) -> str:
    digest = hashlib.sha256(f"{arrival.kind.value} {arrival.issuer} {arrival.subject}".encode()).hexdigest()[:24]
    return f"{arrival.kind.value}-{digest}@{PLACEHOLDER_DOMAIN}"


def _name(arrival: Arrival, email: str) -> str:
    """The name the system gave, cleaned as a typed one is; else the address's first part."""
    name = names.clean_display_name(arrival.name or "")[:NAME_MAX].strip()
    if name:
        return name
    local = email.split("@")[0]
    return "A learner" if email.endswith("@" + PLACEHOLDER_DOMAIN) else (local[:NAME_MAX] or "A learner")
