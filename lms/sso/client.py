"""The OpenID Connect client: Authlib's Flask client, registered on an app only when single
sign-on is configured. Discovery reads the provider's own description of itself; the
authorization code flow uses PKCE (S256), a state tied to this browser's session, and a
nonce that the signed id_token must carry back."""

from __future__ import annotations

from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app

from lms.accounts import external

NAME = "organisation"
SCOPES = "openid email profile"
_EXTENSION = "authlib.integrations.flask_client"


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def init_app(app: Flask) -> None:
    if not external.single_sign_on_configured(app.config):
        return
    oauth = OAuth(app)  # one registry per app: each test's app has its own provider
    oauth.register(
        NAME,
        client_id=app.config["LMS_OIDC_CLIENT_ID"],
        client_secret=app.config["LMS_OIDC_CLIENT_SECRET"] or None,
        server_metadata_url=discovery_url(app.config["LMS_OIDC_ISSUER"]),
        client_kwargs={"scope": SCOPES, "code_challenge_method": "S256", "default_timeout": 10},
    )


def provider():
    """This app's client for the provider; None when single sign-on is off."""
    oauth = current_app.extensions.get(_EXTENSION)
    return oauth.create_client(NAME) if oauth is not None else None


class WrongIssuer(Exception):
    """The discovery document names another issuer than the one configured."""


def checked_metadata(client) -> dict:
    """The provider's discovery document, refused unless it names the configured issuer (an
    id_token is then checked against that same issuer)."""
    metadata = client.load_server_metadata()
    if metadata.get("issuer") != current_app.config["LMS_OIDC_ISSUER"]:
        raise WrongIssuer(f"the discovery document names {metadata.get('issuer')!r} as its issuer")
    return metadata
