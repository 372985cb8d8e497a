"""The tool's own RSA key: made once and kept in the database (so every server shares it,
and it is never in the repository), published as a key set, and used to sign messages to
platforms (deep-linking answers, service token requests)."""

from __future__ import annotations

import secrets
import time

import sqlalchemy as sa
from joserfc import jwt
from joserfc.jwk import RSAKey

from lms.extensions import db
from lms.lti.models import LtiToolKey

ALGORITHM = "RS256"


def _key_row() -> LtiToolKey:
    row = db.session.scalar(sa.select(LtiToolKey).order_by(LtiToolKey.id.desc()).limit(1))
    if row is None:
        key = RSAKey.generate_key(2048, private=True)
        row = LtiToolKey(kid=secrets.token_hex(8), private_pem=key.as_pem(private=True).decode())
        db.session.add(row)
        db.session.commit()
    return row


def private_key() -> RSAKey:
    row = _key_row()
    return RSAKey.import_key(row.private_pem, parameters={"kid": row.kid, "use": "sig", "alg": ALGORITHM})


def public_key_set() -> dict:
    """What /lti/jwks publishes: the public half only."""
    return {"keys": [private_key().as_dict(private=False)]}


def sign(claims: dict, lifetime: int = 300) -> str:
    """A JWT signed with the tool's key, issued now and good for `lifetime` seconds."""
    key = private_key()
    now = int(time.time())
    body = {"iat": now, "exp": now + lifetime, "jti": secrets.token_urlsafe(16), **claims}
    return jwt.encode({"alg": ALGORITHM, "kid": key.kid, "typ": "JWT"}, body, key)
