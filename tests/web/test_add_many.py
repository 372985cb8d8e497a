"""Admins add many people to a cohort at once: a pasted list of addresses, a report of who was
added, who was invited (and the invitation's link works), and which lines were not
addresses, kept to fix. Learners and facilitators cannot; nothing is lost on a refusal."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from lms.audit.models import AuditEntry
from lms.cohorts import service
from lms.cohorts.models import CohortMember, CohortRole
from lms.extensions import db
from lms.learning.models import Enrolment
from tests.factories import PASSWORD, make_user
from tests.mail_server import html_of, text_of
from tests.unit.test_addresses import LIST  # the list the reading is tested on, sent through the page
from tests.web.test_account_links import link_in, only_mail_to, register
from tests.web.test_people import text_of as page_text


@pytest.fixture
def cohort(course):
    cohort = service.create_cohort(course.course.id, "Ward leaders", date(2027, 3, 1), "WARD-2027")
    db.session.commit()
    return cohort


def roles(cohort_id: int) -> dict[str, CohortRole]:
    from lms.accounts.models import User

    db.session.expire_all()
    return dict(
        db.session.execute(
            sa.select(User.email, CohortMember.role)
            .join(CohortMember, CohortMember.user_id == User.id)
            .where(CohortMember.cohort_id == cohort_id)
        ).all()
    )


def textarea(page: str) -> str:
    return re.search(r'<textarea[^>]* name="emails"[^>]*>(.*?)</textarea>', page, re.S).group(1)


def test_admin_adds_a_list_and_gets_a_report(client, login, admin, cohort, learner, facilitator, mailbox):
    already = make_user(email="already@example.org", display_name="Al Ready")
    service.add_member(cohort, already.email, CohortRole.FACILITATOR)
    db.session.commit()
    login(admin)
    cohort_page = client.get(f"/admin/cohorts/{cohort.id}").text
    assert f'action="/admin/cohorts/{cohort.id}/add-many"' in cohort_page
    assert "Email addresses, one a line" in cohort_page

    response = client.post(f"/admin/cohorts/{cohort.id}/add-many", data={"emails": LIST, "role": "learner"})
    assert response.status_code == 200
    text = page_text(response.text)
    assert (
        "Added to the cohort as learners (2) Lee Learner (learner@example.org) "
        "Fay Facilitator (facilitator@example.org)" in text
    )
    assert "Invited by email, with the join link (1) newcomer@example.org" in text
    assert "Already in the cohort: unchanged (1) Al Ready (already@example.org), facilitator" in text
    assert "Lines that are not email addresses (2)" in text
    assert "Line 4: not an address" in text and "Line 8: someone@nowhere" in text
    assert textarea(response.text) == "not an address\nsomeone@nowhere"  # kept, to fix and send again

    assert roles(cohort.id) == {
        "learner@example.org": CohortRole.LEARNER,
        "facilitator@example.org": CohortRole.LEARNER,
        "already@example.org": CohortRole.FACILITATOR,
    }
    assert set(db.session.scalars(sa.select(Enrolment.user_id))) == {learner.id, facilitator.id}
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "cohort.add_many"))
    assert entry.actor_id == admin.id and entry.target_id == cohort.id
    assert entry.details == {
        "role": "learner",
        "added": [learner.id, facilitator.id],
        "already": 1,
        "invited": 1,
        "not_addresses": 2,
    }
    assert "Lee Learner" in client.get(f"/admin/cohorts/{cohort.id}").text

    invitation = only_mail_to(mailbox, "newcomer@example.org")
    assert invitation["Subject"] == "Join Ward leaders on the course Test Course"
    assert "Ada Admin has invited you to join Ward leaders" in text_of(invitation)
    assert invitation["Reply-To"] == "Ada Admin <admin@example.org>"
    assert "http://localhost/join/WARD-2027" in text_of(invitation)
    assert 'href="http://localhost/join/WARD-2027"' in html_of(invitation)
    assert mailbox.to("learner@example.org") == []  # people with accounts are simply added


def test_the_invitation_link_leads_a_newcomer_into_the_cohort(make_app, admin, cohort, mailbox):
    admin_client = make_app().test_client()
    admin_client.post("/login", data={"email": admin.email, "password": PASSWORD})
    admin_client.post(f"/admin/cohorts/{cohort.id}/add-many", data={"emails": "nia@example.org", "role": "learner"})
    link = re.search(r"http://localhost(/join/\S+)", text_of(only_mail_to(mailbox, "nia@example.org"))).group(1)

    newcomer = make_app().test_client()
    page = newcomer.get(link).text
    assert "Join Ward leaders" in page
    register_link = re.search(r'href="(/register\?next=[^"]+)"', page).group(1)
    assert newcomer.get(register_link).status_code == 200
    register(newcomer, next=link)
    confirm = [m for m in mailbox.deliver() if m["Subject"] == "Confirm your email address"]
    assert newcomer.post(link_in(confirm[-1])).location == link
    assert newcomer.get(link).location == "/todo"
    assert roles(cohort.id) == {"nia@example.org": CohortRole.LEARNER}


def test_sending_the_list_again_adds_and_invites_nobody_twice(client, login, admin, cohort, learner, mailbox):
    login(admin)
    data = {"emails": "learner@example.org\nnewcomer@example.org", "role": "learner"}
    client.post(f"/admin/cohorts/{cohort.id}/add-many", data=data)
    again = page_text(client.post(f"/admin/cohorts/{cohort.id}/add-many", data=data).text)
    assert "Already in the cohort: unchanged (1) Lee Learner (learner@example.org), learner" in again
    assert "Invited in the last day already: not sent again (1) newcomer@example.org" in again
    assert len(mailbox.to("newcomer@example.org")) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CohortMember)) == 1


def test_facilitators_are_added_but_not_invited_without_an_account(client, login, admin, cohort, facilitator, mailbox):
    login(admin)
    data = {"emails": "facilitator@example.org\nnewcomer@example.org", "role": "facilitator"}
    text = page_text(client.post(f"/admin/cohorts/{cohort.id}/add-many", data=data).text)
    assert "Added to the cohort as facilitators (1) Fay Facilitator (facilitator@example.org)" in text
    assert "No account, not invited (1)" in text and "Facilitators need an account first" in text
    assert roles(cohort.id) == {"facilitator@example.org": CohortRole.FACILITATOR}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 0
    assert mailbox.deliver() == []


def test_without_a_join_code_nobody_is_invited_and_the_page_says_why(client, login, admin, course, mailbox):
    closed = service.create_cohort(course.course.id, "Closed", date(2027, 3, 1), None)
    db.session.commit()
    login(admin)
    assert "cannot be invited until the cohort has a join code" in client.get(f"/admin/cohorts/{closed.id}").text
    text = page_text(
        client.post(f"/admin/cohorts/{closed.id}/add-many", data={"emails": "new@example.org", "role": "learner"}).text
    )
    assert "No account, not invited (1)" in text and "This cohort has no join code" in text
    assert mailbox.deliver() == []


@pytest.mark.parametrize(
    "emails, message",
    [
        ("", "Enter at least one email address"),
        ("\n \n", "Enter at least one email address"),
        ("\n".join(f"p{n}@example.org" for n in range(501)), "Enter at most 500 email addresses at a time"),
    ],
)
def test_a_refused_list_is_kept_in_the_box(client, login, admin, cohort, emails, message, mailbox):
    login(admin)
    page = client.post(f"/admin/cohorts/{cohort.id}/add-many", data={"emails": emails, "role": "learner"}).text
    assert "There is a problem" in page and message in page
    if emails.strip():
        assert textarea(page) == emails
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CohortMember)) == 0
    assert mailbox.deliver() == []


def test_five_hundred_addresses_take_a_bounded_number_of_statements(
    client, login, admin, cohort, count_queries, mailbox
):
    people = [make_user(email=f"p{n}@example.org") for n in range(60)]
    login(admin)
    emails = "\n".join([*(p.email for p in people), *(f"new{n}@example.org" for n in range(440))])
    with count_queries() as statements:
        page = client.post(f"/admin/cohorts/{cohort.id}/add-many", data={"emails": emails, "role": "learner"}).text
    assert "Added to the cohort as learners (60)" in page and "Invited by email, with the join link (440)" in page
    # One outbox row per invitation, and a handful of statements for everything else.
    other = [s for s in statements if not s.lstrip().upper().startswith("INSERT INTO OUTBOX")]
    assert len(other) <= 20, other


@pytest.mark.parametrize("persona", ["learner", "facilitator"])
def test_only_admins_add_many(client, login, request, cohort, persona, mailbox):
    login(request.getfixturevalue(persona))
    url = f"/admin/cohorts/{cohort.id}/add-many"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"emails": "learner@example.org\nx@example.org", "role": "learner"}).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CohortMember)) == 0
    assert mailbox.deliver() == []


def test_signed_out_visitors_are_sent_to_sign_in(client, cohort):
    assert client.post(f"/admin/cohorts/{cohort.id}/add-many", data={"emails": "a@example.org"}).location.startswith(
        "/login"
    )


def test_without_a_csrf_token_nothing_is_added_and_the_list_is_kept(make_app, course, admin, learner, mailbox):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"email": admin.email, "password": PASSWORD, "csrf_token": token})
    cohort = service.create_cohort(course.course.id, "Ward leaders", date(2027, 3, 1), "WARD-2027")
    db.session.commit()
    response = client.post(
        f"/admin/cohorts/{cohort.id}/add-many", data={"emails": "learner@example.org\nnew@example.org"}
    )
    assert response.status_code == 400 and "Your session expired before you sent the form" in response.text
    assert textarea(response.text) == "learner@example.org\nnew@example.org"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CohortMember)) == 0
    assert mailbox.deliver() == []
    # And a join by link without the token joins nobody.
    signed_in = client.post("/join/WARD-2027")
    assert signed_in.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CohortMember)) == 0
