"""Single sign-on against a real OpenID Connect provider (tests/oidc_provider.py, over HTTP):
the whole redirect flow, how accounts are made and linked, and every refusal."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import sqlalchemy as sa

from lms.accounts.models import ExternalIdentity, IdentityKind, User
from lms.audit.models import AuditEntry
from lms.extensions import db
from tests.factories import PASSWORD, make_user


@pytest.fixture
def app(sso_app):
    app = sso_app()
    with app.app_context():
        yield app


def to_provider(client, path="/sso/start"):
    """Start signing in; return the provider's answer (a redirect back to the app)."""
    start = client.get(path)
    assert start.status_code == 302, start.text
    answer = requests.get(start.location, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    return start.location, answer.headers["Location"]


def back(client, location: str):
    parts = urlsplit(location)
    assert parts.netloc == "localhost" and parts.path == "/sso/callback", location
    return client.get(f"{parts.path}?{parts.query}")


def sign_in_through_provider(client, path="/sso/start"):
    return back(client, to_provider(client, path)[1])


def identities() -> list[ExternalIdentity]:
    return list(db.session.scalars(sa.select(ExternalIdentity)))


def test_the_sign_in_page_offers_the_button_only_when_configured(client, make_app):
    page = client.get("/login").text
    assert "Sign in with NHSmail" in page and 'href="/sso/start"' in page
    assert 'name="password"' in page  # passwords still work unless an admin turns them off
    plain = make_app().test_client()
    assert "Sign in with NHSmail" not in plain.get("/login").text


def test_with_nothing_configured_the_routes_answer_404_and_accept_nothing(make_app, oidc_provider):
    app = make_app()
    client = app.test_client()
    with app.app_context():
        assert client.get("/sso/start").status_code == 404
        assert client.get("/sso/callback?code=abc&state=def").status_code == 404
        assert "NHSmail" not in client.get("/login").text
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_first_sign_in_makes_the_account_and_signs_in_with_pkce_state_and_nonce(client, oidc_provider):
    authorize, location = to_provider(client, "/sso/start?next=/account")
    asked = parse_qs(urlsplit(authorize).query)
    assert asked["code_challenge_method"] == ["S256"] and len(asked["code_challenge"][0]) >= 43
    assert asked["state"][0] and asked["nonce"][0] and asked["scope"] == ["openid email profile"]
    assert asked["redirect_uri"] == ["http://localhost/sso/callback"]
    response = back(client, location)
    assert response.status_code == 302 and response.location == "/account"
    user = db.session.scalar(sa.select(User).where(User.email == "sam.staff@trust.example"))
    assert user.display_name == "Sam Staff" and user.role.value == "learner" and user.is_verified
    [identity] = identities()
    assert (identity.kind, identity.issuer, identity.subject, identity.user_id) == (
        IdentityKind.OIDC,
        oidc_provider.issuer,
        "staff-0001",
        user.id,
    )
    assert "Sam Staff" in client.get("/account").text


def test_the_next_sign_in_finds_the_account_by_subject_whatever_the_email_now_is(app, client, oidc_provider):
    sign_in_through_provider(client)
    first = db.session.scalar(sa.select(User.id))
    other = app.test_client()
    oidc_provider.person.email, oidc_provider.person.name = "sam.renamed@trust.example", "Sam Renamed"
    assert sign_in_through_provider(other).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1
    assert "Sam Staff" in other.get("/account").text  # the same account, unchanged
    assert db.session.get(User, first).email == "sam.staff@trust.example"


def test_a_name_from_the_provider_is_cleaned_as_a_typed_one_is(client, oidc_provider):
    oidc_provider.person.name = "\u202eSam\u200b  Staff\u202c"
    sign_in_through_provider(client)
    assert db.session.scalar(sa.select(User.display_name)) == "Sam Staff"


def test_an_unverified_email_makes_an_unverified_account(client, oidc_provider):
    oidc_provider.person.email_verified = False
    sign_in_through_provider(client)
    assert db.session.scalar(sa.select(User)).email_verified_at is None


def test_a_wrong_state_is_refused(client):
    _, location = to_provider(client)
    forged = location.replace("state=", "state=forged")
    response = back(client, forged)
    assert response.status_code == 400 and "Signing in did not work" in response.text
    assert identities() == [] and client.get("/account").status_code == 302


def test_a_replayed_code_is_refused(client):
    _, used = to_provider(client)
    assert back(client, used).status_code == 302
    client.post("/logout")
    # The same code again, with a state this browser really holds: the provider refuses it.
    _, fresh = to_provider(client)
    code = parse_qs(urlsplit(used).query)["code"][0]
    fresh_code = parse_qs(urlsplit(fresh).query)["code"][0]
    response = back(client, fresh.replace(fresh_code, code))
    assert response.status_code == 400
    assert client.get("/account").status_code == 302


def test_a_callback_opened_twice_is_refused_the_second_time(client):
    _, location = to_provider(client)
    assert back(client, location).status_code == 302
    client.post("/logout")
    assert back(client, location).status_code == 400


def test_an_id_token_with_the_wrong_nonce_is_refused(client, oidc_provider):
    oidc_provider.wrong_nonce = True
    response = sign_in_through_provider(client)
    assert response.status_code == 400
    assert identities() == [] and db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_a_provider_naming_another_issuer_is_refused(make_app, oidc_provider):
    app = make_app(
        LMS_OIDC_ISSUER=oidc_provider.issuer + "/",  # the discovery document says otherwise
        LMS_OIDC_CLIENT_ID="lms-tests",
        LMS_OIDC_CLIENT_SECRET="x",
    )
    with app.app_context():
        response = app.test_client().get("/sso/start")
        assert response.status_code == 503 and "Signing in did not work" in response.text


def test_cancelling_at_the_provider_signs_nobody_in(client):
    response = client.get("/sso/callback?error=access_denied&state=x")
    assert response.status_code == 400 and "cancelled or refused" in response.text


def test_linking_by_email_is_off_by_default(client, learner, oidc_provider):
    oidc_provider.person.email = learner.email
    response = sign_in_through_provider(client)
    assert response.status_code == 403 and "already exists" in response.text
    assert identities() == [] and client.get("/account").status_code == 302


def test_an_unverified_email_is_never_linked_even_when_allowed(client, learner, oidc_provider, admin, login):
    login(admin)
    client.post("/admin/sign-in", data={"link_by_verified_email": "y"})
    client.post("/logout")
    oidc_provider.person.email, oidc_provider.person.email_verified = learner.email, False
    response = sign_in_through_provider(client)
    assert response.status_code == 403
    assert identities() == []


def test_an_admin_may_allow_linking_by_verified_email(client, learner, oidc_provider, admin, login):
    login(admin)
    response = client.post("/admin/sign-in", data={"link_by_verified_email": "y"})
    assert response.status_code == 302
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "sign_in.settings"))
    assert entry.details == {"link_by_verified_email": True, "passwords_for_admins_only": False}
    client.post("/logout")
    oidc_provider.person.email = learner.email.upper()
    assert sign_in_through_provider(client).status_code == 302
    [identity] = identities()
    assert identity.user_id == learner.id
    assert "Lee Learner" in client.get("/account").text


def test_a_deactivated_account_is_not_signed_in(client, oidc_provider):
    sign_in_through_provider(client)
    client.post("/logout")
    user = db.session.scalar(sa.select(User))
    user.active = False
    db.session.commit()
    response = sign_in_through_provider(client)
    assert response.status_code == 403 and "closed" in response.text


def test_password_sign_in_off_refuses_a_learner_and_lets_an_admin_in(learner, admin, login, client):
    login(admin)
    assert client.post("/admin/sign-in", data={"passwords_for_admins_only": "y"}).status_code == 302
    client.post("/logout")
    page = client.get("/login").text
    assert "Sign in with NHSmail" in page and 'name="password"' not in page
    assert "Administrators: sign in with a password" in page
    refused = client.post("/login", data={"email": learner.email, "password": PASSWORD})
    assert refused.status_code == 200 and "Only administrators sign in with a password" in refused.text
    assert client.get("/account").status_code == 302
    assert 'name="password"' in client.get("/login?password=1").text
    assert client.post("/login", data={"email": admin.email, "password": PASSWORD}).status_code == 302
    assert "Ada Admin" in client.get("/account").text
    client.post("/logout")
    # Registering with a password is off too: the page offers the organisation's sign-in.
    register = client.get("/register").text
    assert "Sign in with NHSmail" in register and 'name="password"' not in register
    client.post("/register", data={"email": "new@example.org", "display_name": "New", "password": PASSWORD * 2})
    assert db.session.scalar(sa.select(User).where(User.email == "new@example.org")) is None


def test_passwords_cannot_be_turned_off_without_single_sign_on(make_app):
    app = make_app()
    with app.app_context():
        admin = make_user(role="admin")
        client = app.test_client()
        client.post("/login", data={"email": admin.email, "password": PASSWORD})
        response = client.post("/admin/sign-in", data={"passwords_for_admins_only": "y"})
        assert response.status_code == 200 and "Single sign-on is not configured" in response.text
        page = client.get("/admin/sign-in").text
        assert "Single sign-on is off" in page and "http://localhost/sso/callback" in page


def test_the_sign_in_settings_are_for_admins_only(client, learner, login):
    login(learner)
    assert client.get("/admin/sign-in").status_code == 403
    assert client.post("/admin/sign-in", data={"link_by_verified_email": "y"}).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0
