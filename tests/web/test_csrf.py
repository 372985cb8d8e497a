"""With CSRF switched on (as in production), every form refuses a post without its token."""

import re

import pytest
import sqlalchemy as sa

from lms.extensions import db
from lms.learning.models import Enrolment, StepProgress
from tests.factories import PASSWORD


@pytest.fixture
def csrf_client(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app.test_client()


def token(client, url: str) -> str:
    return (
        re.search(
            r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', client.get(url).text
        ).group(1)
        or ""
    )


def sign_in(client, email):
    page = client.get("/login").text
    value = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": value}).status_code == 302


@pytest.mark.parametrize(
    "url, data",
    [
        ("/login", {"email": "learner@example.org", "password": PASSWORD}),
        ("/register", {"display_name": "N", "email": "n@example.org", "password": "long enough password"}),
    ],
)
def test_forms_without_a_token_are_refused_and_keep_the_input(csrf_client, course, learner, url, data):
    page = csrf_client.post(url, data=data).text
    assert "Your session expired before you sent the form" in page
    assert f'value="{data["email"]}"' in page


def test_post_buttons_without_a_token_change_nothing(csrf_client, course, learner):
    sign_in(csrf_client, learner.email)
    assert csrf_client.post("/join").status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 0
    page = csrf_client.get("/").text
    value = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert csrf_client.post("/join", data={"csrf_token": value}).location == "/todo"
    assert csrf_client.post("/steps/first-steps/welcome/complete").status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StepProgress)) == 0
    response = csrf_client.post("/logout")
    assert response.status_code == 400 and "Your session may have expired" in response.text
    assert csrf_client.get("/todo").status_code == 200


def test_account_forms_need_the_token(csrf_client, course, learner):
    sign_in(csrf_client, learner.email)
    page = csrf_client.post("/account", data={"name-display_name": "Changed", "name-submit": "1"}).text
    assert "Your session expired before you sent the form" in page
    assert learner.display_name == "Lee Learner"


# Every POST route in the URL map, with CSRF on: a request without its token, with a made-up
# one, or with another session's, is refused (400, and a page saying why) and changes no row.
# A route added later is covered as soon as it exists; the valid token is then accepted.

from lms.db import Base  # noqa: E402
from tests.web.test_permissions import ACCESS, ALLOWED, rules, url_for_rule, world  # noqa: E402,F401

PLAUSIBLE = {  # what a form might carry, so that only the token is missing
    "body": "Some words",
    "complete": "1",
    "password": PASSWORD,
    "current_password": PASSWORD,
    "email": "someone@example.org",
    "display_name": "Some One",
    "code": "ABCD-1234",
    "reason": "spam",
    "title": "A title",
    "role": "admin",
    "active": "0",
    "confirm": "y",
    "submission": "csrf-test",
}
REFUSED = ("Your session may have expired", "Your session expired before you sent")


def acting_persona(endpoint: str) -> str:
    """Someone the route lets in, so a refusal can only be the token's doing."""
    access = ACCESS[endpoint]
    if access == "guest":
        return "anonymous"
    for persona in ("learner", "other_learner", "admin"):
        if persona in ALLOWED[access]:
            return persona
    raise AssertionError(f"nobody may post to {endpoint}")


# The routes without a CSRF token: a mail program posts to unsubscribe with no session (RFC
# 8058 one-click unsubscribe), so the signed token in its URL is the check (tested below);
# a learning platform posts an LTI login initiation and launch from its own site, so the
# state in the launch cookie and the nonce in the signed id_token are (tests/web/test_lti.py).
CSRF_EXEMPT = {"notifications.unsubscribe", "lti.login", "lti.launch"}
POST_RULES = [r for r in rules() if "POST" in r.methods and r.endpoint not in CSRF_EXEMPT]
# Routes that end the session go last, so the others are tried while it lasts.
LAST = ("accounts.logout", "record.delete_account")
# Links from email that sign their person in (the session, and its token, start afresh).
SIGNS_IN = ("accounts.confirm_email", "accounts.reset_password")


def everything() -> dict[str, list[str]]:
    db.session.expire_all()
    with db.engine.connect() as connection:
        return {t.name: sorted(map(repr, connection.execute(sa.select(t)))) for t in Base.metadata.sorted_tables}


def tokened_client(app, people: dict, persona: str):
    client = app.test_client()
    if persona != "anonymous":
        sign_in(client, people[persona].email)
    page = client.get("/login" if persona == "anonymous" else "/account").text
    return client, re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


@pytest.mark.parametrize("persona", ["anonymous", "learner", "other_learner", "admin"])
def test_every_post_route_refuses_a_missing_forged_or_foreign_token(make_app, world, persona):  # noqa: F811
    people, values = world
    app = make_app(WTF_CSRF_ENABLED=True)
    routes = sorted(
        (r for r in POST_RULES if acting_persona(r.endpoint) == persona),
        key=lambda r: (r.endpoint in LAST, LAST.index(r.endpoint) if r.endpoint in LAST else 0),
    )
    assert routes or persona == "other_learner"
    with app.app_context():
        client, token = tokened_client(app, people, persona)
        _, foreign = tokened_client(app, people, "anonymous")  # valid, but for another session
        wrong = []
        for rule in routes:
            url = url_for_rule(rule, values)
            before = everything()
            for label, extra in (
                ("missing", {}),
                ("forged", {"csrf_token": "forged." + token[7:]}),
                ("foreign", {"csrf_token": foreign}),
            ):
                response = client.post(url, data={**PLAUSIBLE, **extra})
                if response.status_code != 400 or not any(m in response.text for m in REFUSED):
                    wrong.append(f"{rule.endpoint} ({label} token): {response.status_code}")
            if everything() != before:
                wrong.append(f"{rule.endpoint}: rows changed without a valid token")
        for rule in routes:  # then with the token: it gets past the check (what happens next is each feature's)
            accepted = client.post(url_for_rule(rule, values), data={**PLAUSIBLE, "csrf_token": token})
            if any(m in accepted.text for m in REFUSED):
                wrong.append(f"{rule.endpoint}: a valid token was refused")
            if rule.endpoint in SIGNS_IN:  # a new sign-in starts a new session, with a token of its own
                token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', client.get("/").text).group(
                    1
                )
        assert not wrong, "\n".join(wrong)


def test_the_csrf_exempt_unsubscribe_link_needs_its_signed_token(csrf_client, learner):
    """Without a valid signed token it changes nothing; with one it works with no session at all."""
    from lms.notifications import mailing
    from lms.notifications.models import EmailPreference

    good = mailing.unsubscribe_token(learner.id, "replies")
    for bad in (good[:-2] + "xx", "forged", mailing.unsubscribe_token(learner.id, "passwords")):
        before = everything()
        response = csrf_client.post(f"/email/unsubscribe/{bad}", data={"List-Unsubscribe": "One-Click"})
        assert response.status_code == 400 and "This link does not work" in response.text
        assert everything() == before
    response = csrf_client.post(f"/email/unsubscribe/{good}", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "Emails stopped" in response.text
    assert db.session.get(EmailPreference, learner.id).replies == "off"
