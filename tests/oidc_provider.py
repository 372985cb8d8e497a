"""An OpenID Connect provider for tests, built with Authlib's server classes and served over
real HTTP from a thread: discovery, an authorization endpoint that signs in whoever the
test chose (no login page), a token endpoint (authorization code with PKCE S256 and an
id_token signed by its own RSA key), and its key set. It keeps what it issued, so a test can
replay a code or see what the tool asked for."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from flask import Flask, jsonify, request
from joserfc.jwk import RSAKey

from tests.threaded_server import ThreadedServer

CLIENT_ID, CLIENT_SECRET = "lms-tests", "a-client-secret-only-tests-know"


@dataclass
class Client(ClientMixin):
    redirect_uris: list[str]
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope):
        return " ".join(s for s in (scope or "").split() if s in ("openid", "email", "profile"))

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        return endpoint == "token" and method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


@dataclass
class Person:
    sub: str
    email: str | None = None
    email_verified: bool = True
    name: str | None = None


@dataclass
class Code:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    person: Person
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def get_acr(self):
        return None

    def get_amr(self):
        return None


class OIDCProvider(ThreadedServer):
    """`provider.person` is who the next sign-in is; `provider.issuer` its address."""

    def __init__(self):
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"}, private=True)
        self.person = Person(sub="staff-0001", email="sam.staff@trust.example", name="Sam Staff")
        self.client = Client(redirect_uris=[])
        self.codes: dict[str, Code] = {}
        self.used_codes: set[str] = set()
        self.wrong_nonce = False  # sign the next id_token with a nonce the tool did not send
        self.requests: list[dict] = []  # the authorization requests received
        self.app = self._build()
        self.serve(self.app, "oidc-provider")
        self.issuer = self.url

    def reset(self, redirect_uris: list[str]) -> None:
        self.person = Person(sub="staff-0001", email="sam.staff@trust.example", name="Sam Staff")
        self.client.redirect_uris = redirect_uris
        self.codes.clear()
        self.used_codes.clear()
        self.requests.clear()
        self.wrong_nonce = False

    def _build(self) -> Flask:
        app = Flask("oidc_provider")
        provider = self
        server = AuthorizationServer(
            app,
            query_client=lambda client_id: self.client if client_id == self.client.client_id else None,
            save_token=lambda token, req: None,
        )

        class CodeGrant(grants.AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

            def save_authorization_code(self, code, req):
                provider.codes[code] = Code(
                    code=code,
                    client_id=req.client.client_id,
                    redirect_uri=req.payload.redirect_uri,
                    scope=req.scope,
                    nonce="not-the-one-sent" if provider.wrong_nonce else req.payload.data.get("nonce"),
                    code_challenge=req.payload.data.get("code_challenge"),
                    code_challenge_method=req.payload.data.get("code_challenge_method"),
                    person=req.user,
                )

            def query_authorization_code(self, code, client):
                found = provider.codes.get(code)
                if found and found.client_id == client.client_id and code not in provider.used_codes:
                    return found
                return None

            def delete_authorization_code(self, authorization_code):
                provider.used_codes.add(authorization_code.code)  # a code works once

            def authenticate_user(self, authorization_code):
                return authorization_code.person

        class IDToken(OpenIDCode):
            def exists_nonce(self, nonce, req):
                return any(c.nonce == nonce for c in provider.codes.values())

            def resolve_client_private_key(self, client):
                return provider.key

            def get_client_algorithm(self, client):
                return "RS256"

            def get_client_claims(self, client):
                return {"iss": provider.issuer, "aud": [client.client_id], "exp": int(time.time()) + 600}

            def get_encode_header(self, client):
                return {"alg": "RS256", "kid": "test-key"}

            def generate_user_info(self, person, scope):
                info = UserInfo(sub=person.sub)
                if "profile" in scope and person.name:
                    info["name"] = person.name
                if "email" in scope and person.email:
                    info["email"], info["email_verified"] = person.email, person.email_verified
                return info

        server.register_grant(CodeGrant, [IDToken(require_nonce=True), CodeChallenge(required=True)])

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify(
                issuer=provider.issuer,
                authorization_endpoint=f"{provider.issuer}/authorize",
                token_endpoint=f"{provider.issuer}/token",
                jwks_uri=f"{provider.issuer}/jwks",
                response_types_supported=["code"],
                subject_types_supported=["public"],
                id_token_signing_alg_values_supported=["RS256"],
                code_challenge_methods_supported=["S256"],
                scopes_supported=["openid", "email", "profile"],
                token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"],
            )

        @app.get("/authorize")
        def authorize():
            provider.requests.append(request.args.to_dict())
            grant = server.get_consent_grant(end_user=provider.person)  # no consent page: the person agrees
            return server.create_authorization_response(grant=grant, grant_user=provider.person)

        @app.post("/token")
        def token():
            return server.create_token_response()

        @app.get("/jwks")
        def jwks():
            return jsonify(keys=[provider.key.as_dict(private=False)])

        return app
