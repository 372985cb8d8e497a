"""Single sign-on's rules: who the provider's claims sign in, and the admin's settings."""

from __future__ import annotations

import logging

from flask_babel import gettext as _

from lms.accounts import external
from lms.accounts.models import IdentityKind, User
from lms.audit import service as audit
from lms.errors import InvalidInput
from lms.extensions import db

log = logging.getLogger(__name__)


def _verified(claims: dict) -> bool:
    # Some providers send the flag as the string "true"; anything else is not a yes.
    return claims.get("email_verified") in (True, "true")


def _name(claims: dict) -> str | None:
    joined = " ".join(str(claims.get(k) or "") for k in ("given_name", "family_name")).strip()
    return str(claims.get("name") or "") or joined or None


def sign_in_from_claims(issuer: str, claims: dict) -> User:
    """The account of the person in the provider's checked id_token: linked by its subject
    id, or by verified email if an admin allows it, or made now. Commits."""
    arrival = external.Arrival(
        kind=IdentityKind.OIDC,
        issuer=issuer,
        subject=str(claims["sub"]),
        email=str(claims.get("email") or "") or None,
        email_verified=_verified(claims),
        name=_name(claims),
    )
    try:
        user, _new = external.account_for(arrival, link_by_email=external.sign_in_settings().link_by_verified_email)
    except external.ExternalSignInRefused:
        db.session.rollback()
        raise
    db.session.commit()
    return user


def save_settings(actor: User, *, link_by_verified_email: bool, passwords_for_admins_only: bool) -> None:
    """Change how people may sign in; audited. Commits."""
    if passwords_for_admins_only and not external.single_sign_on_configured():
        raise InvalidInput(
            _("Single sign-on is not configured, so everyone still needs their password"),
            field="passwords_for_admins_only",
        )
    settings = external.save_sign_in_settings(
        link_by_verified_email=link_by_verified_email, passwords_for_admins_only=passwords_for_admins_only
    )
    audit.record(
        actor,
        "sign_in.settings",
        settings,
        details={
            "link_by_verified_email": link_by_verified_email,
            "passwords_for_admins_only": passwords_for_admins_only,
        },
    )
    db.session.commit()
    log.info("user %s changed the sign-in settings", actor.id)
