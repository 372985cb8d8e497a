"""Registering, signing in and out, and the account page, through the test client."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.accounts.models import User
from lms.extensions import db
from lms.learning import service as learning
from tests.factories import PASSWORD


def users() -> list[User]:
    return db.session.scalars(sa.select(User)).all()


def test_register_creates_an_unverified_account_and_says_to_check_email(client, course, mailbox):
    response = client.post(
        "/register",
        data={"display_name": "  Nia   Nurse ", "email": "Nia@Example.org", "password": "a perfectly fine passphrase"},
    )
    assert response.status_code == 302 and response.location == "/check-your-email"
    [user] = users()
    assert (user.email, user.display_name, user.role.value) == ("nia@example.org", "Nia Nurse", "learner")
    assert user.password_hash.startswith("$argon2id$") and "passphrase" not in user.password_hash
    assert user.email_verified_at is None
    page = client.get(response.location).text
    assert "Check your email" in page and "<strong>Nia@Example.org</strong>" in page
    [message] = mailbox.to("nia@example.org")
    assert message["Subject"] == "Confirm your email address"


def test_registering_a_taken_email_looks_exactly_the_same_and_tells_the_owner(client, learner, mailbox):
    response = client.post(
        "/register",
        data={"display_name": "Someone Else", "email": "LEARNER@example.org", "password": "another fine passphrase"},
    )
    assert response.status_code == 302 and response.location == "/check-your-email"
    assert len(users()) == 1 and users()[0].display_name == "Lee Learner"
    assert "Check your email" in client.get(response.location).text
    [message] = mailbox.to("learner@example.org")
    assert message["Subject"] == "Someone tried to create an account with your email address"


@pytest.mark.parametrize(
    "data, error",
    [
        ({"display_name": "", "email": "a@example.org", "password": "long enough password"}, "Enter your name"),
        ({"display_name": "Al", "email": "", "password": "long enough password"}, "Enter your email address"),
        (
            {"display_name": "Al", "email": "not-an-email", "password": "long enough password"},
            "Enter an email address in the correct format",
        ),
        (
            {"display_name": "Al", "email": "a@example.org", "password": "short"},
            "Password must be at least 12 characters",
        ),
        (
            {"display_name": "Al", "email": "a@example.org", "password": "x" * 129},
            "Password must be 128 characters or fewer",
        ),
        (
            {"display_name": "A" * 81, "email": "a@example.org", "password": "long enough password"},
            "Name must be 80 characters or fewer",
        ),
    ],
)
def test_register_errors_show_beside_the_field_and_keep_the_input(client, data, error):
    page = client.post("/register", data=data).text
    assert error in page
    assert "There is a problem" in page and "<title>Error: " in page
    assert 'class="nhsuk-error-message"' in page
    if data["email"]:
        assert f'value="{data["email"]}"' in page
    assert users() == []


def test_sign_in_redirects_to_the_to_do_list_and_rotates_the_session(client, learner):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    response = client.post("/login", data={"email": "learner@example.org", "password": PASSWORD})
    assert response.location == "/todo"
    with client.session_transaction() as session:
        assert "planted" not in session and len(session["_user_id"]) >= 40  # a random sign-in token


@pytest.mark.parametrize(
    "email, password",
    [
        ("learner@example.org", "wrong password here"),
        ("nobody@example.org", PASSWORD),
    ],
)
def test_failed_sign_in_says_the_same_whether_or_not_the_account_exists(client, learner, email, password):
    page = client.post("/login", data={"email": email, "password": password}).text
    assert "Email address or password is incorrect" in page
    assert f'value="{email}"' in page
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_deactivated_account_cannot_sign_in(client, learner):
    learner.active = False
    db.session.commit()
    page = client.post("/login", data={"email": "learner@example.org", "password": PASSWORD}).text
    assert "Email address or password is incorrect" in page


@pytest.mark.parametrize(
    "person, home, heading",
    [
        ("learner", "/todo", "To do"),
        ("facilitator", "/facilitate/", "Your cohorts"),
        ("admin", "/facilitate/", "Your cohorts"),
    ],
)
def test_signing_in_leads_learners_to_their_to_do_list_and_staff_to_their_cohorts(
    client, course, request, person, home, heading
):
    user = request.getfixturevalue(person)
    learning.join_course(user.id, course.course.id)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.location == home
    page = client.get(home)
    assert page.status_code == 200 and f"<h1>{heading}</h1>" in page.text
    # Signed in already, the sign-in page leads to the same place.
    assert client.get("/login").location == home
    # A safe `next` still wins; an unsafe one leads home.
    client.post("/logout")
    for target, expected in (("/progress", "/progress"), ("https://evil.example/", home)):
        response = client.post(
            "/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD}
        )
        assert response.location == expected
        client.post("/logout")


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/progress", "/progress"),
        ("https://evil.example/", "/todo"),
        ("//evil.example/", "/todo"),
        ("/\\evil.example", "/todo"),
        ("javascript:alert(1)", "/todo"),
    ],
)
def test_next_only_follows_paths_on_this_site(client, learner, target, expected):
    response = client.post(
        "/login", query_string={"next": target}, data={"email": "learner@example.org", "password": PASSWORD}
    )
    assert response.location == expected


def test_remember_me_sets_a_long_lived_secure_cookie_only_when_asked(client, learner, login):
    assert "remember_token" not in login(learner).headers.get("Set-Cookie", "")
    client.post("/logout")
    cookies = login(learner, remember=True).headers.getlist("Set-Cookie")
    remember = next(c for c in cookies if c.startswith("remember_token="))
    assert "HttpOnly" in remember and "SameSite=Lax" in remember and "Expires=" in remember


def test_session_cookie_is_httponly_and_lax(client, learner, login):
    cookie = next(c for c in login(learner).headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_cookie_is_secure_in_production(make_app):
    app = make_app(LMS_ENV="production", SECRET_KEY="p" * 40, SESSION_COOKIE_SECURE=True)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


def test_sign_out_is_a_post_and_ends_the_session(client, enrolled):
    assert client.get("/logout").status_code == 405
    response = client.post("/logout")
    assert response.location == "/"
    assert client.get("/todo").location.startswith("/login")


def test_account_page_needs_sign_in(client):
    assert client.get("/account").location == "/login?next=%2Faccount"


def test_change_name(client, learner, login):
    login(learner)
    response = client.post("/account", data={"name-display_name": "Lee L. Learner", "name-submit": "1"})
    assert response.location == "/account"
    assert "Your name has been changed" in client.get("/account").text
    assert db.session.get(User, learner.id).display_name == "Lee L. Learner"


def test_change_name_refuses_blank_and_keeps_the_form(client, learner, login):
    login(learner)
    page = client.post("/account", data={"name-display_name": "   ", "name-submit": "1"}).text
    assert "Enter your name" in page
    assert db.session.get(User, learner.id).display_name == "Lee Learner"


def test_change_password_needs_the_current_one(client, learner, login):
    login(learner)
    page = client.post(
        "/account",
        data={
            "password-current_password": "not my password",
            "password-new_password": "a brand new passphrase",
            "password-submit": "1",
        },
    ).text
    assert "Your current password is incorrect" in page
    assert client.post("/logout").status_code == 302
    login(learner)  # the old password still works


def test_change_password_signs_out_other_sessions(app, client, learner, login):
    login(learner)
    other_device = app.test_client()
    other_device.post("/login", data={"email": "learner@example.org", "password": PASSWORD})
    assert other_device.get("/account").status_code == 200
    response = client.post(
        "/account",
        data={
            "password-current_password": PASSWORD,
            "password-new_password": "a brand new passphrase",
            "password-submit": "1",
        },
    )
    assert response.location == "/account"
    assert client.get("/account").status_code == 200  # this device stays signed in
    assert other_device.get("/account").location.startswith("/login")
    client.post("/logout")
    assert "incorrect" in client.post("/login", data={"email": learner.email, "password": PASSWORD}).text
    assert client.post("/login", data={"email": learner.email, "password": "a brand new passphrase"}).status_code == 302


def test_sign_in_is_rate_limited(make_app, learner):
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    for _ in range(10):
        assert (
            client.post("/login", data={"email": "learner@example.org", "password": "wrong guess 123"}).status_code
            == 200
        )
    response = client.post("/login", data={"email": "learner@example.org", "password": PASSWORD})
    assert response.status_code == 429 and "Too many attempts" in response.text


def test_what_was_typed_is_escaped_when_the_form_comes_back(client):
    hostile = '"><script>alert(1)</script>'
    page = client.post("/register", data={"display_name": hostile, "email": hostile, "password": "short"}).text
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_cookie_copied_before_sign_out_no_longer_works(app, client, learner, login):
    login(learner, remember=True)
    stolen = app.test_client()
    for cookie in client._cookies.values():
        stolen.set_cookie(cookie.key, cookie.value)
    assert stolen.get("/account").status_code == 200  # the copy works while the sign-in lasts
    client.post("/logout")
    assert stolen.get("/account").location.startswith("/login")


def test_a_remember_me_cookie_alone_stops_working_after_sign_out(app, client, learner, login):
    login(learner, remember=True)
    remember = client.get_cookie("remember_token").value
    replay = app.test_client()
    replay.set_cookie("remember_token", remember)
    assert replay.get("/account").status_code == 200
    client.post("/logout")
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember)
    assert fresh.get("/account").location.startswith("/login")


def test_change_email_needs_the_current_password(client, learner, login, mailbox):
    login(learner)
    page = client.post(
        "/account", data={"email-email": "new@example.org", "email-current_password": "wrong one", "email-submit": "1"}
    ).text
    assert "Your current password is incorrect" in page and 'value="new@example.org"' in page
    page = client.post(
        "/account", data={"email-email": learner.email, "email-current_password": PASSWORD, "email-submit": "1"}
    ).text
    assert "That is already your email address" in page
    assert mailbox.deliver() == []
    assert db.session.get(User, learner.id).email == "learner@example.org"


def test_common_passwords_are_refused_at_registration(client):
    page = client.post(
        "/register", data={"display_name": "N", "email": "n@example.org", "password": "q1w2e3r4t5y6"}
    ).text
    assert "This password is too common" in page and users() == []
