"""An LTI 1.3 platform for tests, built on joserfc and served over real HTTP from a thread: it
signs id_tokens with its own key and publishes its key set, answers the tool's
authentication request with a form that posts the id_token and state back, and has a token
endpoint (client_credentials with a JWT assertion), a line item endpoint and a membership
endpoint that record what the tool sent. Knobs let a test spoil a launch on purpose."""

from __future__ import annotations

import html
import secrets
import time
from urllib.parse import urlsplit

from flask import Flask, jsonify, request
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from tests.threaded_server import ThreadedServer

CLIENT_ID, DEPLOYMENT = "tool-client-1", "deployment-1"
LTI = "https://purl.imsglobal.org/spec/lti/claim/"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
ADMINISTRATOR = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"


def _key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"}, private=True)


class LtiPlatform(ThreadedServer):
    def __init__(self):
        self.key = _key("platform-key")
        self.stranger_key = _key("platform-key")  # same kid, another key: a forged signature
        self.app = self._build()
        self.serve(self.app, "lti-platform")
        self.issuer = self.url
        self.reset()

    def reset(self) -> None:
        self.person = {"sub": "moodle-user-42", "name": "Rowan Learner", "email": "rowan@trust.example"}
        self.roles = [LEARNER]
        self.context = {"id": "course-7", "label": "LEAD101", "title": "Ward leaders, spring"}
        self.custom: dict = {}
        self.message_type = "LtiResourceLinkRequest"
        self.deployment = DEPLOYMENT
        self.spoil: set[str] = set()  # "issuer", "signature", "expired", "nonce"
        self.tool_jwks_url: str | None = None
        self.tool_jwks: dict | None = None  # the tool's key set as given by a test (no HTTP needed)
        self.refuse_scores = False  # answer the next scores with an error
        self.members: list[dict] = []
        self.scores: list[dict] = []
        self.tokens_issued: list[dict] = []
        self.deep_link_returns: list[dict] = []
        self.target_link_uri: str | None = None  # None: the tool's home page
        self.tool_url = "http://localhost"  # where the tool is served (a browser test sets it)

    def registration(self) -> dict:
        """What an admin types into the tool's form for this platform."""
        return {
            "name": "Trust Moodle",
            "issuer": self.issuer,
            "client_id": CLIENT_ID,
            "deployment_ids": DEPLOYMENT,
            "key_set_url": f"{self.issuer}/jwks",
            "auth_login_url": f"{self.issuer}/auth",
            "auth_token_url": f"{self.issuer}/token",
        }

    def initiation(self, target_link_uri: str) -> dict:
        """The login initiation the platform sends the browser to the tool with."""
        return {
            "iss": self.issuer,
            "login_hint": self.person["sub"],
            "target_link_uri": target_link_uri,
            "lti_message_hint": "resource-link-1",
            "client_id": CLIENT_ID,
            "lti_deployment_id": DEPLOYMENT,
        }

    def id_token(self, nonce: str, target_link_uri: str) -> str:
        now = int(time.time())
        claims = {
            "iss": "https://someone-else.example" if "issuer" in self.spoil else self.issuer,
            "aud": CLIENT_ID,
            "iat": now - 3600 if "expired" in self.spoil else now,
            "exp": now - 1800 if "expired" in self.spoil else now + 300,
            "nonce": "a-nonce-the-tool-never-made" if "nonce" in self.spoil else nonce,
            **self.person,
            LTI + "message_type": self.message_type,
            LTI + "version": "1.3.0",
            LTI + "deployment_id": self.deployment,
            LTI + "target_link_uri": target_link_uri,
            LTI + "resource_link": {"id": "resource-link-1", "title": "Leadership course"},
            LTI + "roles": self.roles,
            LTI + "context": self.context,
            LTI + "custom": self.custom,
            "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
                "context_memberships_url": f"{self.issuer}/memberships/{self.context['id']}",
                "service_versions": ["2.0"],
            },
            "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
                "scope": ["https://purl.imsglobal.org/spec/lti-ags/scope/score"],
                "lineitem": f"{self.issuer}/lineitems/{self.context['id']}/final-test",
            },
        }
        if self.message_type == "LtiDeepLinkingRequest":
            claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = {
                "deep_link_return_url": f"{self.issuer}/deep-link-return",
                "accept_types": ["ltiResourceLink"],
                "data": "opaque-platform-data",
            }
        key = self.stranger_key if "signature" in self.spoil else self.key
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)

    def _build(self) -> Flask:
        app = Flask("lti_platform")
        platform = self

        @app.get("/jwks")
        def jwks():
            return jsonify(keys=[platform.key.as_dict(private=False)])

        @app.get("/course")
        def course():
            """The platform's course page: a link that launches the tool (login initiation)."""
            fields = "".join(
                f'<input type="hidden" name="{name}" value="{html.escape(value)}">'
                for name, value in platform.initiation(platform.tool_url + "/").items()
            )
            return (
                '<!doctype html><html lang="en"><title>Platform course</title><main><h1>Leadership</h1>'
                f'<form method="post" action="{html.escape(platform.tool_url)}/lti/login">{fields}'
                "<button type=submit>Open the leadership course</button></form></main></html>"
            )

        @app.get("/auth")
        def auth():
            """Answer the tool's authentication request: a page that posts the id_token and
            state to the redirect URI (a script submits it; the button is there without one)."""
            asked = request.args
            assert asked["client_id"] == CLIENT_ID and asked["response_mode"] == "form_post", asked
            target = asked["redirect_uri"]
            token = platform.id_token(asked["nonce"], platform.target_link_uri or target.replace("/lti/launch", "/"))
            return (
                f'<!doctype html><html lang="en"><title>Platform</title><form id="launch" method="post" '
                f'action="{html.escape(target)}"><input type="hidden" name="id_token" value="{token}">'
                f'<input type="hidden" name="state" value="{html.escape(asked["state"])}">'
                '<button type="submit">Launch</button></form>'
                "<script>document.getElementById('launch').submit()</script></html>"
            )

        @app.post("/token")
        def token():
            assertion = request.form.get("client_assertion", "")
            tool_keys = KeySet.import_key_set(platform.tool_jwks or _get_json(platform.tool_jwks_url))
            claims = jwt.decode(assertion, tool_keys, algorithms=["RS256"]).claims
            assert claims["iss"] == claims["sub"] == CLIENT_ID and claims["aud"] == f"{platform.issuer}/token"
            assert request.form["grant_type"] == "client_credentials"
            platform.tokens_issued.append({"scope": request.form.get("scope", "")})
            return jsonify(access_token=secrets.token_urlsafe(16), token_type="Bearer", expires_in=3600)

        @app.get("/memberships/<context_id>")
        def memberships(context_id):
            assert request.headers.get("Authorization", "").startswith("Bearer ")
            return jsonify(id=request.url, context={"id": context_id}, members=platform.members)

        @app.post("/lineitems/<context_id>/<item>/scores")
        def scores(context_id, item):
            assert request.headers.get("Authorization", "").startswith("Bearer ")
            if platform.refuse_scores:
                return "busy", 503
            platform.scores.append({"lineitem": f"{context_id}/{item}", **request.get_json(force=True)})
            return "", 204

        @app.post("/deep-link-return")
        def deep_link_return():
            platform.deep_link_returns.append({"JWT": request.form.get("JWT", "")})
            return "<!doctype html><html lang='en'><title>Platform</title><p>Link added</p></html>"

        return app


def _get_json(url: str | None) -> dict:
    import requests

    assert url and urlsplit(url).scheme == "http", url
    return requests.get(url, timeout=10).json()
