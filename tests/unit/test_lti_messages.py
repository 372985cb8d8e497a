"""The checks an LTI id_token must pass, on tokens signed here (no platform needed)."""

from __future__ import annotations

import time

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from lms.lti import messages

KEY = RSAKey.generate_key(2048, parameters={"kid": "k1"}, private=True)
KEY_SET = {"keys": [KEY.as_dict(private=False)]}
ISSUER, CLIENT = "https://moodle.example", "client-1"


def token(**changes) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": CLIENT,
        "sub": "u1",
        "iat": now,
        "exp": now + 60,
        "nonce": "n1",
        messages.VERSION: "1.3.0",
        messages.DEPLOYMENT: "d1",
        messages.MESSAGE_TYPE: messages.RESOURCE_LINK_REQUEST,
        **changes,
    }
    return jwt.encode({"alg": "RS256", "kid": "k1"}, {k: v for k, v in claims.items() if v is not None}, KEY)


def read(id_token: str):
    return messages.read_id_token(
        id_token, key_set=KEY_SET, issuer=ISSUER, client_id=CLIENT, nonce="n1", deployments=["d1"]
    )


def test_a_good_token_is_read():
    launch = read(token(**{messages.ROLES: ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]}))
    assert (launch.subject, launch.deployment_id, launch.is_staff) == ("u1", "d1", True)


@pytest.mark.parametrize(
    "changes",
    [
        {"aud": [CLIENT, "someone-else"]},  # several audiences without azp naming us
        {"aud": "someone-else"},
        {messages.VERSION: "1.1"},
        {messages.MESSAGE_TYPE: "LtiSubmissionReviewRequest"},
        {messages.MESSAGE_TYPE: messages.DEEP_LINKING_REQUEST},  # without its settings
        {"sub": None},
        {"nonce": None},
    ],
)
def test_tokens_that_break_a_rule_are_refused(changes):
    with pytest.raises(messages.LaunchRefused):
        read(token(**changes))


def test_several_audiences_with_azp_naming_us_are_accepted():
    assert read(token(aud=[CLIENT, "other"], azp=CLIENT)).subject == "u1"


@pytest.mark.parametrize(
    ("roles", "staff"),
    [
        (["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"], False),
        (["http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"], True),
        (["http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"], True),
        (["Instructor"], True),
        ([], False),
    ],
)
def test_staff_roles(roles, staff):
    assert messages.is_staff(roles) is staff
