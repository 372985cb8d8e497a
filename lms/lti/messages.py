"""What an LTI 1.3 launch says, and the checks its id_token must pass. Pure: the platform's
key set is passed in (fetched by the caller), so the rules are easy to test alone."""

from __future__ import annotations

from dataclasses import dataclass, field

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
MESSAGE_TYPE, VERSION, DEPLOYMENT = LTI + "message_type", LTI + "version", LTI + "deployment_id"
TARGET, ROLES, CONTEXT, CUSTOM = LTI + "target_link_uri", LTI + "roles", LTI + "context", LTI + "custom"
RESOURCE_LINK = LTI + "resource_link"
DEEP_LINKING = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
RESOURCE_LINK_REQUEST, DEEP_LINKING_REQUEST = "LtiResourceLinkRequest", "LtiDeepLinkingRequest"
LEEWAY = 60  # seconds of clock difference allowed between the platform and us

# LIS role names (context and institution roles): who is staff on the platform.
STAFF_ROLES = ("Instructor", "Administrator", "ContentDeveloper", "Mentor", "TeachingAssistant")


class LaunchRefused(Exception):
    """The id_token cannot be trusted; the message says why (for the log, not the person)."""


@dataclass(frozen=True)
class Launch:
    """The checked claims of a launch, in the words the tool uses."""

    claims: dict = field(repr=False)
    issuer: str
    subject: str
    deployment_id: str
    message_type: str

    @property
    def is_staff(self) -> bool:
        return is_staff(self.claims.get(ROLES) or [])

    @property
    def context(self) -> dict:
        return self.claims.get(CONTEXT) or {}

    @property
    def custom(self) -> dict:
        return self.claims.get(CUSTOM) or {}


SUBJECT_MOST = 255  # the longest subject id kept (external_identities.subject)


def text(value) -> str:
    """A claim that should be text, as text ("" for anything else)."""
    return value.strip() if isinstance(value, str) else ""


def person_name(claims: dict) -> str | None:
    """The person's name as the platform gives it: `name`, else given and family names."""
    joined = " ".join(filter(None, (text(claims.get("given_name")), text(claims.get("family_name")))))
    return text(claims.get("name")) or joined or None


def is_staff(roles: list[str]) -> bool:
    """Whether the platform's roles make the person staff there (never an admin here)."""
    return any(str(role).rsplit("#", 1)[-1].rsplit("/", 1)[-1] in STAFF_ROLES for role in roles)


def read_id_token(
    id_token: str, *, key_set: dict, issuer: str, client_id: str, nonce: str, deployments: list[str]
) -> Launch:
    """The launch the id_token carries, if its signature is the platform's and its claims are
    the ones expected: issuer, audience, expiry, nonce, deployment, LTI version and message."""
    try:
        token = jwt.decode(id_token, KeySet.import_key_set(key_set), algorithms=["RS256"])
        jwt.JWTClaimsRegistry(
            leeway=LEEWAY,
            iss={"essential": True, "value": issuer},
            aud={"essential": True, "value": client_id},
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True, "value": nonce},
            sub={"essential": True},
        ).validate(token.claims)
    except (JoseError, ValueError) as error:
        raise LaunchRefused(f"id_token refused: {type(error).__name__}: {error}") from None
    claims = token.claims
    if not text(claims["sub"]) or len(str(claims["sub"])) > SUBJECT_MOST:
        raise LaunchRefused("no usable subject id")
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != client_id:
        raise LaunchRefused("id_token has several audiences and is not for us (azp)")
    if claims.get(VERSION) != "1.3.0":
        raise LaunchRefused(f"not an LTI 1.3.0 message: {claims.get(VERSION)!r}")
    if claims.get(DEPLOYMENT) not in deployments:
        raise LaunchRefused(f"unknown deployment {claims.get(DEPLOYMENT)!r}")
    message_type = claims.get(MESSAGE_TYPE)
    if message_type not in (RESOURCE_LINK_REQUEST, DEEP_LINKING_REQUEST):
        raise LaunchRefused(f"a message this tool does not handle: {message_type!r}")
    if message_type == DEEP_LINKING_REQUEST and not (claims.get(DEEP_LINKING) or {}).get("deep_link_return_url"):
        raise LaunchRefused("a deep-linking request without a return URL")
    return Launch(claims, issuer, str(claims["sub"]), str(claims[DEPLOYMENT]), message_type)
