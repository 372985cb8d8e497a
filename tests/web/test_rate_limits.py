"""Rate limits on the forms a script would hammer: sign-in and registration per address,
comments and replies per person (one shared budget). Each limit is hit and its page checked."""

from __future__ import annotations

import sqlalchemy as sa

from lms.accounts.models import User
from lms.comments.models import Comment
from lms.extensions import db
from lms.learning import service as learning
from tests.factories import PASSWORD, make_comment, make_user

TALK = "/steps/first-steps/talk-about-it"


def from_address(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_registration_is_limited_per_address(make_app, course):
    app = make_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        client = from_address(app, "10.0.0.1")
        for n in range(40):  # a training room of 30 behind one address, and room to spare
            response = client.post(
                "/register",
                data={
                    "display_name": f"Bot {n}",
                    "email": f"bot{n}@example.org",
                    "password": "a long enough passphrase",
                },
            )
            assert response.status_code == 302, n
        refused = client.post(
            "/register",
            data={"display_name": "Bot 40", "email": "bot40@example.org", "password": "a long enough passphrase"},
        )
        assert refused.status_code == 429 and "Too many attempts" in refused.text
        assert refused.headers["Retry-After"]
        db.session.expire_all()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 40
        elsewhere = from_address(app, "10.0.0.2").post(
            "/register",
            data={"display_name": "A nurse", "email": "nurse@example.org", "password": "a long enough passphrase"},
        )
        assert elsewhere.status_code == 302  # another ward's address is not held up


def test_sign_in_is_limited_per_address_whatever_the_account(make_app, learner):
    app = make_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        client = from_address(app, "10.0.0.3")
        for n in range(10):
            client.post("/login", data={"email": f"guess{n}@example.org", "password": "wrong guess 123"})
        assert client.post("/login", data={"email": learner.email, "password": PASSWORD}).status_code == 429
        assert (
            from_address(app, "10.0.0.4")
            .post("/login", data={"email": learner.email, "password": PASSWORD})
            .status_code
            == 302
        )


def test_comments_and_replies_share_one_posting_limit_per_person(make_app, course, learner):
    app = make_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        author = make_user(email="author@example.org")
        for person in (learner, author):
            learning.join_course(person.id, course.course.id)
        parent = make_comment(author, course.steps[2].id, "Reply to me")
        client = from_address(app, "10.0.0.5")
        client.post("/login", data={"email": learner.email, "password": PASSWORD})
        for n in range(3):
            assert client.post(f"{TALK}/comments", data={"body": f"Comment {n}"}).status_code == 302
            assert client.post(f"/comments/{parent.id}/reply", data={"body": f"Reply {n}"}).status_code == 302
        refused = client.post(f"/comments/{parent.id}/reply", data={"body": "The seventh in a minute"})
        assert refused.status_code == 429
        assert "You are posting quickly" in refused.text and ">The seventh in a minute</textarea>" in refused.text
        assert client.post(f"{TALK}/comments", data={"body": "And an eighth"}).status_code == 429
        db.session.expire_all()
        assert (
            db.session.scalar(sa.select(sa.func.count()).select_from(Comment).where(Comment.author_id == learner.id))
            == 6
        )
        # Per person, not per address: someone else on the same ward network still posts.
        other = from_address(app, "10.0.0.5")
        other.post("/login", data={"email": author.email, "password": PASSWORD})
        assert other.post(f"{TALK}/comments", data={"body": "Not held up"}).status_code == 302


def test_behind_a_trusted_proxy_each_learner_has_their_own_sign_in_limit(make_app, learner):
    app = make_app(RATELIMIT_ENABLED=True, LMS_TRUSTED_PROXIES=1)
    with app.app_context():
        ward = app.test_client()
        for n in range(10):
            ward.post(
                "/login",
                data={"email": f"g{n}@example.org", "password": "wrong guess 123"},
                headers={"X-Forwarded-For": "10.1.1.1"},
            )
        assert (
            ward.post(
                "/login", data={"email": learner.email, "password": PASSWORD}, headers={"X-Forwarded-For": "10.1.1.1"}
            ).status_code
            == 429
        )
        assert (
            app.test_client()
            .post(
                "/login", data={"email": learner.email, "password": PASSWORD}, headers={"X-Forwarded-For": "10.2.2.2"}
            )
            .status_code
            == 302
        )


def test_without_a_trusted_proxy_a_forged_address_does_not_escape_the_limit(make_app, learner):
    app = make_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        client = app.test_client()
        for n in range(10):
            client.post(
                "/login",
                data={"email": f"g{n}@example.org", "password": "wrong guess 123"},
                headers={"X-Forwarded-For": f"10.3.3.{n}"},
            )
        assert (
            client.post(
                "/login", data={"email": learner.email, "password": PASSWORD}, headers={"X-Forwarded-For": "10.9.9.9"}
            ).status_code
            == 429
        )
