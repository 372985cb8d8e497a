"""Sign-ins end: after LMS_SESSION_IDLE_HOURS without a request, and at their end (a working
day, or LMS_SESSION_MAX_DAYS with "keep me signed in"). Checked in the one sign-in query; the
last-seen time is written every few minutes at most. The account page lists them."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.accounts import sign_ins
from lms.accounts.models import UserSession
from lms.db import utcnow
from lms.extensions import db
from tests.factories import PASSWORD

CHROME_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
)
SAFARI_ON_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.1 Mobile/15E148 Safari/604.1"
)


def the_sign_in() -> UserSession:
    db.session.expire_all()
    [row] = db.session.scalars(sa.select(UserSession)).all()
    return row


def move(**changes: timedelta) -> None:
    """Move the one sign-in's times by the given amounts (negative: into the past)."""
    row = the_sign_in()
    for column, by in changes.items():
        setattr(row, column, getattr(row, column) + by)
    db.session.commit()


def is_signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def sign_in(client, user, remember=False, agent=None):
    data = {"email": user.email, "password": PASSWORD, **({"remember": "y"} if remember else {})}
    if agent:
        client.environ_base["HTTP_USER_AGENT"] = agent  # the test client's own would win over a header
    assert client.post("/login", data=data).status_code == 302


def test_a_sign_in_ends_after_twelve_hours_without_a_request(client, learner):
    sign_in(client, learner)
    move(last_seen_at=-timedelta(hours=11, minutes=50))
    assert is_signed_in(client)  # and that request counts as activity
    move(last_seen_at=-timedelta(hours=12, minutes=1))
    assert not is_signed_in(client)
    assert client.get("/account").location == "/login?next=%2Faccount"


def test_the_idle_limit_is_a_setting(make_app, learner):
    app = make_app(LMS_SESSION_IDLE_HOURS=1)
    client = app.test_client()
    sign_in(client, learner)
    move(last_seen_at=-timedelta(minutes=61))
    assert not is_signed_in(client)


def test_without_keep_me_signed_in_a_sign_in_lasts_a_working_day(client, learner):
    sign_in(client, learner)
    row = the_sign_in()
    assert abs(row.expires_at - (row.created_at + timedelta(hours=14))) < timedelta(seconds=1)
    move(expires_at=-timedelta(hours=13, minutes=59))
    assert is_signed_in(client)
    move(expires_at=-timedelta(minutes=2))
    assert not is_signed_in(client)


def test_keep_me_signed_in_lasts_thirty_days_however_active(client, learner):
    assert "Keep me signed in on this device for 30 days" in client.get("/login").text
    sign_in(client, learner, remember=True)
    row = the_sign_in()
    assert abs(row.expires_at - (row.created_at + timedelta(days=30))) < timedelta(seconds=1)
    move(expires_at=-timedelta(days=29, hours=23), last_seen_at=-timedelta(minutes=1))
    assert is_signed_in(client)
    move(expires_at=-timedelta(hours=2), last_seen_at=-timedelta(minutes=1))
    assert not is_signed_in(client)  # the remember-me cookie does not bring it back
    assert client.get_cookie("remember_token") is not None


def test_the_longest_sign_in_is_a_setting(make_app, learner):
    app = make_app(LMS_SESSION_MAX_DAYS=2)
    client = app.test_client()
    assert "Keep me signed in on this device for 2 days" in client.get("/login").text
    sign_in(client, learner, remember=True)
    row = the_sign_in()
    assert abs(row.expires_at - (row.created_at + timedelta(days=2))) < timedelta(seconds=1)


def test_last_seen_is_written_every_few_minutes_at_most(client, course, learner, count_queries):
    sign_in(client, learner)
    move(last_seen_at=-timedelta(minutes=4))
    before = the_sign_in().last_seen_at
    with count_queries() as statements:
        assert "Join this course" in client.get("/").text
    assert len([s for s in statements if "user_sessions" in s.lower()]) == 1  # the sign-in query: no write
    assert the_sign_in().last_seen_at == before

    move(last_seen_at=-timedelta(minutes=2))  # now six minutes stale
    with count_queries() as statements:
        assert "Join this course" in client.get("/").text
    touching = [s for s in statements if s.lstrip().upper().startswith("UPDATE USER_SESSIONS")]
    assert len(touching) == 1
    assert utcnow() - the_sign_in().last_seen_at < timedelta(seconds=30)


def test_the_sign_in_and_its_checks_are_one_query(client, course, learner, count_queries):
    sign_in(client, learner)
    with count_queries() as statements:
        assert "Join this course" in client.get("/").text
    reads = [s for s in statements if "user_sessions" in s.lower()]
    assert len(reads) == 1 and "expires_at" in reads[0] and "last_seen_at" in reads[0]


def test_the_account_page_lists_active_sign_ins_in_plain_words(app, client, learner):
    sign_in(client, learner, agent=CHROME_ON_WINDOWS)
    phone = app.test_client()
    sign_in(phone, learner, agent=SAFARI_ON_IPHONE)
    ended = app.test_client()
    sign_in(ended, learner, agent="Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0")
    ended.post("/logout")

    page = client.get("/account").text
    assert "Where you are signed in" in page
    assert "Chrome on Windows <strong>(this device)</strong>" in page
    assert "Safari on an iPhone" in page and "Firefox on Linux" not in page
    assert page.index("Chrome on Windows") < page.index("Safari on an iPhone")  # this device first
    assert "Sign out of all other devices" in page
    assert "(this device)" in phone.get("/account").text.split("Safari on an iPhone")[1][:40]


def test_sign_out_of_all_other_devices_keeps_this_one(app, client, learner, intruder):
    sign_in(client, learner)
    others = [app.test_client() for _ in range(2)]
    for other in others:
        sign_in(other, learner)
    someone_else = app.test_client()
    sign_in(someone_else, intruder)

    response = client.post("/account/sign-out-others")
    assert response.location == "/account"
    page = client.get("/account").text
    assert "You have been signed out of 2 other devices." in page
    assert "Sign out of all other devices" not in page  # nothing left to sign out of
    assert is_signed_in(client) and not any(is_signed_in(o) for o in others)
    assert is_signed_in(someone_else)


def test_signing_out_of_other_devices_needs_a_sign_in(client):
    assert client.post("/account/sign-out-others").location.startswith("/login")


def test_ended_sign_ins_are_forgotten_every_hour(app, client, learner, intruder):
    sign_in(client, learner)
    idle, expired, live = (app.test_client() for _ in range(3))
    for other in (idle, expired, live):
        sign_in(other, intruder)
    rows = db.session.scalars(sa.select(UserSession).where(UserSession.user_id == intruder.id)).all()
    rows[0].last_seen_at = utcnow() - timedelta(hours=13)
    rows[1].expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()

    from lms.mail import service as mail

    mail.run_hourly_jobs()  # the delivery loop's hourly run
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UserSession)) == 2
    assert is_signed_in(client) and is_signed_in(live)


@pytest.mark.parametrize("remember", [False, True])
def test_a_sign_in_row_from_long_ago_opens_nothing(client, learner, remember):
    sign_in(client, learner, remember=remember)
    move(created_at=-timedelta(days=700), last_seen_at=-timedelta(days=700))
    assert not is_signed_in(client)
    assert sign_ins.forget_ended_sessions() == 1
