"""Calls the tool makes to a platform's services (LTI Advantage): an access token by the
client-credentials grant, proved with a JWT signed by the tool's key; then the roster
(Names and Roles Provisioning) or a score (Assignment and Grade Services)."""

from __future__ import annotations

import requests

from lms.lti import keys
from lms.lti.models import LtiPlatform

SCOPE_ROSTER = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
TIMEOUT = 10


def access_token(platform: LtiPlatform, scope: str) -> str:
    assertion = keys.sign({"iss": platform.client_id, "sub": platform.client_id, "aud": platform.auth_token_url})
    answer = requests.post(
        platform.auth_token_url,
        data={
            "grant_type": "client_credentials",
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": assertion,
            "scope": scope,
        },
        timeout=TIMEOUT,
    )
    answer.raise_for_status()
    return answer.json()["access_token"]


def members(platform: LtiPlatform, memberships_url: str) -> list[dict]:
    """Everyone the platform lists in the context, following its pages (Link: rel="next")."""
    token, found, url = access_token(platform, SCOPE_ROSTER), [], memberships_url
    for _ in range(100):  # a bound, whatever the platform says
        answer = requests.get(
            url,
            headers={
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.ims.lti-nrps.v2.membershipcontainer+json",
            },
            timeout=TIMEOUT,
        )
        answer.raise_for_status()
        found += answer.json().get("members", [])
        url = answer.links.get("next", {}).get("url")
        if not url:
            break
    return found


def send_score(platform: LtiPlatform, lineitem_url: str, score: dict) -> None:
    token = access_token(platform, SCOPE_SCORE)
    path, _, query = lineitem_url.partition("?")
    answer = requests.post(
        f"{path.rstrip('/')}/scores" + (f"?{query}" if query else ""),
        json=score,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/vnd.ims.lis.v1.score+json"},
        timeout=TIMEOUT,
    )
    answer.raise_for_status()
