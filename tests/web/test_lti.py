"""LTI 1.3 launches from a real platform in the test process (tests/lti_platform.py, over
HTTP): login initiation, the signed id_token posted back, the person signed in, given a
role, put in their context's cohort and sent where the link points; and every refusal."""

from __future__ import annotations

import re

import pytest
import requests
import sqlalchemy as sa

from lms.accounts.models import ExternalIdentity, IdentityKind, Role, User
from lms.cohorts.models import Cohort, CohortMember, CohortRole
from lms.extensions import db
from lms.lti import service
from lms.lti.models import LtiContext, LtiPlatform
from lms.lti.views import STATE_COOKIE
from tests.factories import make_user
from tests.lti_platform import ADMINISTRATOR, INSTRUCTOR


@pytest.fixture
def platform(app, course, lti_platform):
    lti_platform.reset()
    admin = make_user(role="admin")
    service.save_platform(admin, None, **lti_platform.registration())
    return lti_platform


def to_platform(client, platform):
    """Login initiation: the tool answers with a redirect to the platform and a state cookie."""
    started = client.post("/lti/login", data=platform.initiation("http://localhost/"))
    assert started.status_code == 302, started.text
    assert started.location.startswith(platform.issuer + "/auth?")
    cookie = started.headers["Set-Cookie"]
    assert cookie.startswith(f"{STATE_COOKIE}=") and "Secure" in cookie and "SameSite=None" in cookie
    page = requests.get(started.location, timeout=10).text
    fields = dict(re.findall(r'name="(id_token|state)" value="([^"]+)"', page))
    return fields


def launch(client, platform):
    return client.post("/lti/launch", data=to_platform(client, platform))


def arrive(client, platform):
    """A whole launch, new-window style: on to the one-time link, which signs the person in."""
    launched = launch(client, platform)
    assert launched.status_code == 302, launched.text
    assert launched.location.startswith("/lti/continue/")
    return client.get(launched.location)


def the_user(platform) -> User | None:
    identity = db.session.scalar(sa.select(ExternalIdentity).where(ExternalIdentity.subject == platform.person["sub"]))
    return db.session.get(User, identity.user_id) if identity else None


def test_the_launch_cookie_is_on_the_cookies_page(client, platform):
    to_platform(client, platform)
    assert f"<code>{STATE_COOKIE}</code>" in client.get("/cookies").text


def test_a_first_launch_makes_the_account_signs_in_and_fills_the_contexts_cohort(client, platform, course):
    landed = arrive(client, platform)
    assert landed.status_code == 302 and landed.location == "/todo"
    user = the_user(platform)
    assert user.display_name == "Rowan Learner" and user.role == Role.LEARNER and not user.is_verified
    identity = db.session.scalar(sa.select(ExternalIdentity))
    assert (identity.kind, identity.issuer) == (IdentityKind.LTI, platform.issuer)
    context = db.session.scalar(sa.select(LtiContext))
    cohort = db.session.get(Cohort, context.cohort_id)
    assert cohort.name == "Ward leaders, spring" and context.memberships_url.endswith("/memberships/course-7")
    member = db.session.scalar(sa.select(CohortMember).where(CohortMember.user_id == user.id))
    assert member.cohort_id == cohort.id and member.role == CohortRole.LEARNER
    assert "To do" in client.get("/todo").text  # signed in and on the course


def test_the_next_launch_finds_the_same_account_by_subject_never_by_email_or_name(app, client, platform):
    someone = make_user(email="rowan@trust.example", display_name="Rowan Learner")
    arrive(client, platform)
    user = the_user(platform)
    assert user.id != someone.id and user.email.endswith("@no-email.invalid")  # the address was taken
    platform.person["name"], platform.person["email"] = "Rowan Renamed", "other@trust.example"
    arrive(app.test_client(), platform)
    assert db.session.scalar(sa.select(sa.func.count(ExternalIdentity.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(Cohort.id))) == 1  # the context's cohort, once


@pytest.mark.parametrize("role", [INSTRUCTOR, ADMINISTRATOR])
def test_instructors_and_administrators_are_facilitators_never_admins(client, platform, role):
    platform.roles = [role]
    arrive(client, platform)
    user = the_user(platform)
    assert user.role == Role.FACILITATOR
    assert (
        db.session.scalar(sa.select(CohortMember.role).where(CohortMember.user_id == user.id)) == CohortRole.FACILITATOR
    )


def test_a_custom_step_parameter_lands_on_that_step(client, platform, course):
    step = course.steps[1]
    platform.custom = {"step": f"{step.module_slug}/{step.slug}"}
    assert arrive(client, platform).location == f"/steps/{step.module_slug}/{step.slug}"


def test_a_module_parameter_or_a_target_link_on_this_site_lands_there(app, client, platform, course):
    module = course.modules[0]
    platform.custom = {"module": module.slug}
    assert arrive(client, platform).location == f"/modules/{module.slug}"
    platform.custom = {}
    platform.target_link_uri = "http://localhost/progress"
    assert arrive(app.test_client(), platform).location == "/progress"
    platform.target_link_uri = "https://elsewhere.example/phish"
    assert arrive(app.test_client(), platform).location == "/todo"


def test_inside_an_iframe_the_launch_offers_a_new_window_and_may_be_framed(client, platform):
    fields = to_platform(client, platform)
    page = client.post("/lti/launch", data=fields, headers={"Sec-Fetch-Dest": "iframe", "Origin": platform.issuer})
    assert page.status_code == 200 and 'target="_blank"' in page.text
    assert f"frame-ancestors {platform.issuer}" in page.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in page.headers
    onward = re.search(r'href="(/lti/continue/[^"]+)"', page.text).group(1)
    assert client.get(onward).status_code == 302 and client.get("/account").status_code == 200
    assert client.get(onward).status_code == 400  # the link works once
    assert client.get("/todo").headers.get("X-Frame-Options") == "DENY"  # every other page stays unframed


@pytest.mark.parametrize(
    ("spoil", "why"), [("issuer", "wrong issuer"), ("signature", "bad signature"), ("expired", "expired token")]
)
def test_an_untrustworthy_id_token_is_refused(client, platform, spoil, why):
    platform.spoil = {spoil}
    refused = launch(client, platform)
    assert refused.status_code == 400 and "could not be trusted" in refused.text, why
    assert the_user(platform) is None and client.get("/account").status_code == 302


def test_a_nonce_the_tool_did_not_make_is_refused(client, platform):
    platform.spoil = {"nonce"}
    assert launch(client, platform).status_code == 400 and the_user(platform) is None


def test_a_replayed_launch_is_refused(client, platform):
    fields = to_platform(client, platform)
    assert client.post("/lti/launch", data=fields).status_code == 302
    assert "did not come from this browser" in client.post("/lti/launch", data=fields).text  # its cookie went
    client.set_cookie(STATE_COOKIE, fields["state"], path="/lti/")  # a replay that kept the cookie
    again = client.post("/lti/launch", data=fields)
    assert again.status_code == 400 and "used already" in again.text


def test_an_id_token_for_another_launch_is_refused(client, platform):
    first = to_platform(client, platform)
    second = to_platform(client, platform)  # its nonce is not the one in the first id_token
    refused = client.post("/lti/launch", data={"id_token": first["id_token"], "state": second["state"]})
    assert refused.status_code == 400 and the_user(platform) is None


def test_an_unknown_deployment_is_refused(client, platform):
    platform.deployment = "deployment-nobody-registered"
    assert launch(client, platform).status_code == 400 and the_user(platform) is None


def test_a_launch_without_this_browsers_state_cookie_is_refused(app, client, platform):
    fields = to_platform(client, platform)
    other = app.test_client()  # another browser: no state cookie
    refused = other.post("/lti/launch", data=fields)
    assert refused.status_code == 400 and "did not come from this browser" in refused.text


def test_an_unregistered_platform_cannot_start_a_launch(client, platform):
    data = {**platform.initiation("http://localhost/"), "iss": "https://unknown.example"}
    refused = client.post("/lti/login", data=data)
    assert refused.status_code == 400 and STATE_COOKIE not in refused.headers.get("Set-Cookie", "")


def test_with_no_platform_registered_nothing_is_published_or_accepted(client, app, lti_platform):
    assert client.get("/lti/jwks").status_code == 404
    assert client.post("/lti/login", data=lti_platform.initiation("http://localhost/")).status_code == 400
    assert client.post("/lti/launch", data={"id_token": "x.y.z", "state": "s"}).status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(LtiPlatform.id))) == 0


def test_the_tool_publishes_only_the_public_half_of_its_key(client, platform):
    keys = client.get("/lti/jwks").get_json()["keys"]
    assert len(keys) == 1 and keys[0]["kty"] == "RSA" and "d" not in keys[0] and keys[0]["kid"]
    assert client.get("/lti/jwks").get_json() == {"keys": keys}  # made once, kept


def test_an_admin_registers_a_platform_in_the_browser_and_sees_the_tools_urls(client, app, lti_platform, login):
    admin = make_user(role="admin")
    login(admin)
    page = client.get("/admin/lti").text
    for path in ("/lti/login", "/lti/launch", "/lti/jwks"):
        assert f"http://localhost{path}" in page
    saved = client.post("/admin/lti/new", data=lti_platform.registration())
    assert saved.status_code == 302
    platform = db.session.scalar(sa.select(LtiPlatform))
    assert (platform.issuer, platform.client_id, platform.deployments) == (
        lti_platform.issuer,
        "tool-client-1",
        ["deployment-1"],
    )
    again = client.post("/admin/lti/new", data=lti_platform.registration())
    assert again.status_code == 200 and "already registered" in again.text


def test_only_admins_register_platforms(client, app, learner, login, lti_platform):
    login(learner)
    assert client.get("/admin/lti").status_code == 403
    assert client.post("/admin/lti/new", data=lti_platform.registration()).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(LtiPlatform.id))) == 0


def test_deep_linking_lets_an_instructor_pick_a_step_and_answers_with_a_signed_response(client, platform, course):
    from joserfc import jwt
    from joserfc.jwk import KeySet

    platform.message_type, platform.roles = "LtiDeepLinkingRequest", [INSTRUCTOR]
    picker = arrive(client, platform)
    assert picker.location.startswith("/lti/deep-link/")
    step = course.steps[1]
    page = client.get(picker.location).text
    assert f'value="step:{step.module_slug}/{step.slug}"' in page and f'value="module:{step.module_slug}"' in page
    answer = client.post(picker.location, data={"item": f"step:{step.module_slug}/{step.slug}"})
    assert answer.status_code == 200 and f'action="{platform.issuer}/deep-link-return"' in answer.text
    assert f"form-action 'self' {platform.issuer}" in answer.headers["Content-Security-Policy"]
    token = re.search(r'name="JWT" value="([^"]+)"', answer.text).group(1)
    claims = jwt.decode(token, KeySet.import_key_set(client.get("/lti/jwks").get_json())).claims
    assert claims["iss"] == "tool-client-1" and claims["aud"] == platform.issuer
    assert claims["https://purl.imsglobal.org/spec/lti/claim/message_type"] == "LtiDeepLinkingResponse"
    assert claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == "opaque-platform-data"
    [item] = claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert (
        item["custom"] == {"step": f"{step.module_slug}/{step.slug}"} and item["url"] == "http://localhost/lti/launch"
    )
    assert client.post(picker.location, data={"item": "module:x"}).status_code == 404  # answered once


def test_a_deep_linking_request_is_only_for_the_instructor_who_launched_it(app, client, platform, login):
    platform.message_type, platform.roles = "LtiDeepLinkingRequest", [INSTRUCTOR]
    picker = arrive(client, platform).location
    other = app.test_client()
    staff = make_user(role="facilitator")
    other.post("/login", data={"email": staff.email, "password": "correct horse battery staple"})
    assert other.get(picker).status_code == 404
