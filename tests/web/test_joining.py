"""Joining a cohort by the link an admin shares: signed in (one button), signed out through
registration and the email confirmation (no button at all) or through signing in; unknown
codes; "Join a cohort" on the to-do and account pages. Mail goes through the real SMTP
server and each link is taken from the message received."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from lms.cohorts import joining, service
from lms.cohorts.models import CohortMember, CohortRole
from lms.extensions import db
from lms.learning.models import Enrolment
from tests.factories import PASSWORD
from tests.mail_server import text_of
from tests.web.test_account_links import link_in, only_mail_to, register, signed_in_as

LINK = "/join/WARD-2027"
NEW = "a perfectly fine passphrase"


@pytest.fixture
def cohort(course):
    cohort = service.create_cohort(course.course.id, "Ward leaders", date(2027, 3, 1), "WARD-2027")
    db.session.commit()
    return cohort


def members() -> list[tuple[str, CohortRole]]:
    from lms.accounts.models import User

    db.session.expire_all()
    return db.session.execute(
        sa.select(User.email, CohortMember.role).join(CohortMember, CohortMember.user_id == User.id)
    ).all()


def enrolled() -> list[str]:
    from lms.accounts.models import User

    return db.session.scalars(sa.select(User.email).join(Enrolment, Enrolment.user_id == User.id)).all()


def test_a_visitor_sees_the_cohort_and_the_ways_in(client, cohort, course):
    page = client.get(LINK)
    assert page.status_code == 200
    assert "<h1>Join Ward leaders</h1>" in page.text and course.course.title in page.text
    assert 'href="/register?next=/join/WARD-2027"' in page.text
    assert 'href="/login?next=/join/WARD-2027"' in page.text
    assert client.get("/join/ward-2027").status_code == 200  # as typed from a printout


def test_signed_out_a_new_person_registers_confirms_and_lands_in_the_cohort_and_course(client, cohort, mailbox):
    register_page = client.get("/register?next=/join/WARD-2027").text
    assert 'href="/login?next=/join/WARD-2027"' in register_page  # signing in instead keeps the code
    register(client, next=LINK)
    assert members() == []  # not before the address is confirmed

    link = link_in(only_mail_to(mailbox, "nia@example.org"))
    assert client.post(link).location == LINK
    assert client.get(LINK).location == "/todo"  # no button, no second password
    todo = client.get("/todo").text
    assert "Welcome to Ward leaders. You have joined the cohort and the course." in todo
    assert members() == [("nia@example.org", CohortRole.LEARNER)]
    assert enrolled() == ["nia@example.org"]
    assert signed_in_as(client) == "nia@example.org"
    # Only once: opened again later, the link says they are in.
    assert "You are already in Ward leaders" in client.get(LINK).text


def test_a_person_who_signs_in_from_the_link_joins_with_one_button(client, cohort, learner):
    login_page = client.get("/login?next=/join/WARD-2027").text
    assert 'href="/register?next=/join/WARD-2027"' in login_page
    response = client.post("/login?next=/join/WARD-2027", data={"email": learner.email, "password": PASSWORD})
    assert response.location == LINK
    page = client.get(LINK).text
    # An existing account has progress a facilitator would see: it joins only when its owner says so.
    assert '<button class="nhsuk-button" type="submit">Join Ward leaders</button>' in page
    assert members() == []
    assert client.post(LINK).location == "/todo"
    assert "Welcome to Ward leaders" in client.get("/todo").text
    assert members() == [("learner@example.org", CohortRole.LEARNER)] and enrolled() == ["learner@example.org"]
    assert client.post(LINK).location == "/todo"  # a double click: still one membership
    assert len(members()) == 1


def test_someone_with_an_account_who_registers_from_the_link_is_mailed_a_sign_in_that_keeps_it(
    client, cohort, learner, mailbox
):
    register(client, email=learner.email, next=LINK)
    [message] = mailbox.to(learner.email)
    sign_in = re.search(r"http://localhost(/login\S*)", text_of(message)).group(1)
    assert sign_in == "/login?next=/join/WARD-2027"
    response = client.post(sign_in, data={"email": learner.email, "password": PASSWORD})
    assert response.location == LINK
    assert "Join Ward leaders</button>" in client.get(LINK).text


def test_an_unconfirmed_person_asking_for_the_link_again_still_lands_in_the_cohort(client, cohort, mailbox):
    register(client, next=LINK)
    first = only_mail_to(mailbox, "nia@example.org")
    client.post(f"/login?next={LINK}", data={"email": "nia@example.org", "password": NEW})
    client.post("/login", data={"resend": "1"})
    [again] = [m for m in mailbox.to("nia@example.org") if m is not first]
    assert client.post(link_in(again)).location == LINK
    assert client.get(LINK).location == "/todo"
    assert members() == [("nia@example.org", CohortRole.LEARNER)]


def test_joining_at_once_is_only_for_the_page_the_account_was_made_for(client, cohort, course, mailbox):
    other = service.create_cohort(course.course.id, "Night shift", date(2027, 3, 1), "NIGHT-2027")
    db.session.commit()
    register(client, next=LINK)
    client.post(link_in(only_mail_to(mailbox, "nia@example.org")))
    assert "Join Night shift</button>" in client.get("/join/NIGHT-2027").text  # another link: a button
    assert members() == []
    assert client.get(LINK).status_code == 200  # the marker was read once, by the first join page
    assert other.id and members() == []


def test_a_facilitator_following_the_link_is_told_they_are_in_it(client, cohort, login, facilitator):
    service.add_member(cohort, facilitator.email, CohortRole.FACILITATOR)
    db.session.commit()
    login(facilitator)
    page = client.get(LINK).text
    assert "You are already in Ward leaders, as a facilitator" in page and "<form" not in page.split("<main")[1]


@pytest.mark.parametrize("code", ["NOPE-0000", "WARD", "ward 2027", "..", "A" * 60])
def test_an_unknown_code_gets_a_clear_page_that_names_no_cohort(client, cohort, code):
    page = client.get(f"/join/{code}")
    assert page.status_code == 404
    assert "This join link does not work" in page.text and "Ask your facilitator for the link again" in page.text
    assert "Ward leaders" not in page.text


def test_a_changed_code_stops_the_old_link(client, cohort, learner, login):
    service.update_cohort(cohort, cohort.name, cohort.starts_on, "WARD-SPRING")
    db.session.commit()
    login(learner)
    assert client.get(LINK).status_code == 404
    assert client.post(LINK).status_code == 404 and members() == []
    assert "Join Ward leaders" in client.get("/join/WARD-SPRING").text


def test_posting_signed_out_asks_to_sign_in_and_joins_nobody(client, cohort):
    assert client.post(LINK).location.startswith("/login")
    assert members() == []


def test_guessing_codes_is_limited_but_a_room_can_open_its_link(make_app, course):
    app = make_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        service.create_cohort(course.course.id, "Ward leaders", date(2027, 3, 1), "WARD-2027")
        db.session.commit()
        room = app.test_client()
        room.environ_base["REMOTE_ADDR"] = "10.0.5.5"
        for _ in range(60):  # thirty people behind one address, each opening it twice
            assert room.get(LINK).status_code == 200
        for n in range(30):
            assert room.get(f"/join/GUESS-{n:04d}").status_code == 404
        assert room.get("/join/GUESS-9999").status_code == 429


# -- "Join a cohort" where learners look for it ---------------------------------------


def test_the_to_do_and_account_pages_offer_to_join_a_cohort_with_a_code(client, cohort, enrolled):
    for url in ("/todo", "/account"):
        page = client.get(url).text
        offer = page[page.index('id="join-offer-heading"') :]
        assert ">Join a cohort</h2>" in offer and 'action="/cohorts/join"' in offer
        assert 'name="code"' in offer and "Join cohort</button>" in offer
    assert client.post("/cohorts/join", data={"code": "ward-2027"}).location == "/todo"
    assert members() == [("learner@example.org", CohortRole.LEARNER)]


# -- Registration limits: a training room behind one proxy ---------------------------------


def registration(client, n: int, email: str | None = None, address: str = "10.20.30.40"):
    return client.post(
        "/register",
        data={"display_name": f"Nurse {n}", "email": email or f"nurse{n}@example.org", "password": NEW},
        headers={"X-Forwarded-For": address},
    )


def test_a_training_room_of_thirty_behind_one_proxy_registers_and_a_flood_is_refused(make_app, course):
    from lms.accounts.models import User

    app = make_app(RATELIMIT_ENABLED=True, LMS_TRUSTED_PROXIES=1)
    with app.app_context():
        room = app.test_client()
        for n in range(1, 31):
            mistake = room.post(  # a password too short: shown again, not held against the room
                "/register",
                data={"display_name": f"Nurse {n}", "email": f"nurse{n}@example.org", "password": "short"},
                headers={"X-Forwarded-For": "10.20.30.40"},
            )
            assert mistake.status_code == 200 and "Password must be at least" in mistake.text
            assert registration(room, n).location == "/check-your-email", n  # the 30th too
        for n in range(31, 41):  # room to spare: a few typos, a second go
            assert registration(room, n).status_code == 302, n
        refused = registration(room, 41)
        assert refused.status_code == 429 and "Too many attempts" in refused.text
        db.session.expire_all()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 40
        assert registration(room, 42, address="10.20.30.41").status_code == 302  # another ward


def test_a_script_sending_anything_at_all_is_stopped(make_app, course):
    app = make_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        client = app.test_client()
        for n in range(120):
            assert client.post("/register", data={"email": f"x{n}@example.org"}).status_code == 200
        assert client.post("/register", data={"email": "x@example.org"}).status_code == 429


def test_one_email_address_cannot_be_sent_link_after_link(make_app, course, mailbox):
    app = make_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        client = app.test_client()
        for n in range(4):
            assert registration(client, n, email="nia@example.org").status_code == 302
            client.post("/register", data={"email": "nia@example.org", "password": "short"})  # not counted
        assert registration(client, 5, email="NIA@example.org ").status_code == 429
        assert registration(client, 6, email="other@example.org").status_code == 302
        assert len(mailbox.to("nia@example.org")) == 4


# -- The admin's sharing section ------------------------------------------------------------


def test_the_cohort_page_shares_the_link_as_text_with_a_copy_button(client, cohort, admin, login):
    login(admin)
    page = client.get(f"/admin/cohorts/{cohort.id}").text
    share = page[page.index('id="share-heading"') :]
    assert re.search(
        r'<input class="nhsuk-input lms-code" id="join-link" type="text" value="http://localhost/join/WARD-2027" readonly',
        share,
    )
    assert '<label class="nhsuk-label" for="join-link">Join link</label>' in share
    assert 'data-copy="join-link" hidden>Copy link</button>' in share  # shown by copy.js, where it can copy
    assert re.search(r'<script type="module" src="/static/js/copy\.js[^"]*"></script>', page)
    assert "<strong>WARD-2027</strong>" in share
    assert "Ward leaders" in client.get("/join/WARD-2027").text


def test_a_cohort_without_a_code_says_how_to_get_a_link(client, course, admin, login):
    cohort = service.create_cohort(course.course.id, "Closed group", date(2027, 3, 1), None)
    db.session.commit()
    login(admin)
    page = client.get(f"/admin/cohorts/{cohort.id}").text
    assert "This cohort has no join code, so there is no link to share" in page
    assert 'id="join-link"' not in page


@pytest.fixture
def ended(cohort):
    cohort.ends_on = date(2026, 1, 31)
    cohort.starts_on = date(2025, 9, 1)
    db.session.commit()
    return cohort


def test_an_ended_cohort_takes_nobody_new_by_its_link(client, ended, learner, login):
    page = client.get(LINK)
    assert page.status_code == 410 and "Ward leaders ended on Saturday 31 January 2026" in page.text
    assert "Create an account and join" not in page.text
    login(learner)
    for response in (client.get(LINK), client.post(LINK)):
        assert response.status_code == 410
        assert "Ask your facilitator for a link to a current cohort" in response.text
        assert "<form" not in response.text.split("<main")[1]
    assert members() == []


def test_an_ended_cohort_takes_nobody_new_by_its_code_and_says_why(client, ended, learner, login):
    login(learner)
    page = client.post("/cohorts/join", data={"code": "WARD-2027"}).text
    assert "Ward leaders ended on Saturday 31 January 2026" in page and 'value="WARD-2027"' in page
    assert members() == []


def test_a_member_of_an_ended_cohort_still_finds_their_way_from_the_link(client, ended, learner, login):
    service.add_member(ended, learner.email, CohortRole.LEARNER)
    db.session.commit()
    login(learner)
    page = client.get(LINK)
    assert page.status_code == 200 and "You are already in Ward leaders" in page.text


def test_an_ended_cohort_invites_nobody_from_a_pasted_list(ended):
    assert joining.invite_why_not(ended, CohortRole.LEARNER) == "This cohort has ended, so nobody new can join it."
