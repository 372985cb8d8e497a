"""Admins manage people and cohorts; nobody else can, and every change is audited."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from lms.accounts.models import Role, User
from lms.audit.models import AuditEntry
from lms.cohorts.models import Cohort, CohortMember, CohortRole, Pace
from lms.extensions import db
from lms.learning.models import Enrolment
from tests.factories import PASSWORD, make_user

ADMIN_PAGES = ["/admin/people", "/admin/cohorts", "/admin/cohorts/new", "/admin/audit"]


def text_of(page: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


def audit_actions() -> list[str]:
    return db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admin_pages_send_anonymous_visitors_to_sign_in(client, url):
    assert client.get(url).location.startswith("/login?next=")


@pytest.mark.parametrize("persona", ["learner", "facilitator"])
def test_admin_pages_refuse_learners_and_facilitators(client, login, request, persona, admin):
    login(request.getfixturevalue(persona))
    for url in [*ADMIN_PAGES, f"/admin/people/{admin.id}"]:
        assert client.get(url).status_code == 403, url
    for url in ("role", "deactivate", "active"):
        data = {"role": "learner", "active": "0", "reason": "Because"}
        assert client.post(f"/admin/people/{admin.id}/{url}", data=data).status_code == 403
    assert db.session.get(User, admin.id).role == Role.ADMIN and db.session.get(User, admin.id).active


def test_admin_lists_and_searches_people(client, login, admin, learner, facilitator):
    login(admin)
    text = text_of(client.get("/admin/people").text)
    assert "3 people found" in text and "Lee Learner" in text and "Fay Facilitator" in text
    text = text_of(client.get("/admin/people?q=FAY").text)
    assert "1 person found" in text and "Fay Facilitator" in text and "Lee Learner" not in text
    text = text_of(client.get("/admin/people?role=learner").text)
    assert "1 person found. People Name Email Role Account Lee Learner" in text


def test_people_list_is_paginated(client, login, admin):
    for n in range(30):
        make_user(display_name=f"Zed {n:02d}")
    login(admin)
    first = client.get("/admin/people").text
    assert "Page 2 of 2" in first and "Zed 29" not in first
    assert "Zed 29" in client.get("/admin/people?page=2").text


def test_admin_changes_a_role_and_it_is_audited(client, login, admin, learner):
    login(admin)
    response = client.post(f"/admin/people/{learner.id}/role", data={"role": "facilitator", "reason": "New lead"})
    assert response.location == f"/admin/people/{learner.id}"
    assert db.session.get(User, learner.id).role == Role.FACILITATOR
    entry = db.session.scalar(sa.select(AuditEntry))
    assert (entry.action, entry.actor_id, entry.target_id, entry.details) == (
        "user.role",
        admin.id,
        learner.id,
        {"from": "learner", "to": "facilitator"},
    )


def test_admin_cannot_remove_their_own_admin_role(client, login, admin):
    login(admin)
    response = client.post(f"/admin/people/{admin.id}/role", data={"role": "learner", "reason": "Stepping down"})
    assert "You cannot remove your own admin role" in client.get(response.location).text
    assert db.session.get(User, admin.id).role == Role.ADMIN and audit_actions() == []


def test_deactivated_account_cannot_sign_in_and_its_sessions_end(app, client, login, admin, learner):
    other = app.test_client()
    other.post("/login", data={"email": learner.email, "password": PASSWORD})
    assert other.get("/account").status_code == 200
    login(admin)
    client.post(f"/admin/people/{learner.id}/deactivate", data={"reason": "Left the trust"})
    assert db.session.get(User, learner.id).active is False
    assert other.get("/account").location.startswith("/login")
    assert "incorrect" in other.post("/login", data={"email": learner.email, "password": PASSWORD}).text
    client.post(f"/admin/people/{learner.id}/active", data={"active": "1"})
    assert other.post("/login", data={"email": learner.email, "password": PASSWORD}).status_code == 302
    assert audit_actions() == ["user.deactivate", "user.reactivate"]


def test_admin_cannot_deactivate_themselves(client, login, admin):
    login(admin)
    client.post(f"/admin/people/{admin.id}/deactivate", data={"reason": "Leaving"})
    assert db.session.get(User, admin.id).active is True


START_2027_03_01 = {"starts_on-day": "1", "starts_on-month": "3", "starts_on-year": "2027"}


def test_admin_creates_a_cohort_and_adds_people(client, login, admin, course, learner, facilitator):
    login(admin)
    assert re.search(r'name="join_code" type="text" spellcheck="false" value=""', client.get("/admin/cohorts/new").text)
    response = client.post(
        "/admin/cohorts/new",
        data={**START_2027_03_01, "name": "Ward leaders", "join_code": "ward-1", "pace": "self-paced"},
    )
    cohort = db.session.scalar(sa.select(Cohort))
    assert response.location == f"/admin/cohorts/{cohort.id}"
    assert (cohort.name, cohort.join_code, str(cohort.starts_on)) == ("Ward leaders", "WARD-1", "2027-03-01")
    client.post(
        f"/admin/cohorts/{cohort.id}",
        data={"member-email": learner.email, "member-role": "learner", "member-submit": "1"},
    )
    client.post(
        f"/admin/cohorts/{cohort.id}",
        data={"member-email": facilitator.email, "member-role": "facilitator", "member-submit": "1"},
    )
    roles = dict(db.session.execute(sa.select(CohortMember.user_id, CohortMember.role)).all())
    assert roles == {learner.id: CohortRole.LEARNER, facilitator.id: CohortRole.FACILITATOR}
    assert db.session.scalar(sa.select(Enrolment.user_id)) == learner.id  # learners join the course too
    text = text_of(client.get("/admin/cohorts").text)
    assert "Ward leaders 1 March 2027 1 1 WARD-1" in text
    client.post(f"/admin/cohorts/{cohort.id}/members/{learner.id}/remove", data={"reason": "Moved ward"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CohortMember)) == 1
    assert audit_actions() == ["cohort.create", "cohort.add_member", "cohort.add_member", "cohort.remove_member"]


def test_cohort_form_errors_keep_the_input(client, login, admin, course):
    login(admin)
    page = client.post(
        "/admin/cohorts/new",
        data={"name": "", "starts_on-day": "next", "starts_on-month": "week", "starts_on-year": "", "join_code": "x!"},
    ).text
    assert "Enter a name for the cohort" in page and "Start date must include a year" in page
    assert 'value="x!"' in page and 'value="next"' in page and 'value="week"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Cohort)) == 0


def _dates(prefix: str, day: str, month: str, year: str) -> dict:
    return {f"{prefix}-day": day, f"{prefix}-month": month, f"{prefix}-year": year}


def test_an_admin_makes_a_weekly_cohort_with_an_end_date_and_changes_it(client, login, admin, course):
    login(admin)
    page = client.get("/admin/cohorts/new").text
    assert 'name="starts_on-day"' in page and 'name="ends_on-year"' in page and 'value="weekly"' in page
    assert "For example, 1 3 2027" in page  # a hint in the form the boxes take
    response = client.post(
        "/admin/cohorts/new",
        data={
            "name": "Spring",
            "pace": "weekly",
            "join_code": "",
            **_dates("starts_on", "2", "3", "2027"),
            **_dates("ends_on", "30", "6", "2027"),
        },
    )
    cohort = db.session.scalar(sa.select(Cohort))
    assert response.location == f"/admin/cohorts/{cohort.id}"
    assert (cohort.pace, str(cohort.starts_on), str(cohort.ends_on)) == (Pace.WEEKLY, "2027-03-02", "2027-06-30")
    edit = re.sub(r"\s+", " ", client.get(f"/admin/cohorts/{cohort.id}").text)
    for name, value in (
        ("starts_on-day", "2"),
        ("starts_on-year", "2027"),
        ("ends_on-day", "30"),
        ("ends_on-month", "6"),
    ):
        assert f'name="cohort-{name}" type="text" value="{value}"' in edit
    assert 'name="cohort-pace" type="radio" value="weekly" checked' in edit
    client.post(
        f"/admin/cohorts/{cohort.id}",
        data={
            "cohort-name": "Spring",
            "cohort-pace": "self-paced",
            "cohort-join_code": "",
            "cohort-submit": "1",
            **_dates("cohort-starts_on", "2", "3", "2027"),
            **_dates("cohort-ends_on", "", "", ""),
        },
    )
    db.session.refresh(cohort)
    assert (cohort.pace, cohort.ends_on) == (Pace.SELF_PACED, None)
    details = [e.details for e in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))]
    assert details[0]["pace"] == "weekly" and details[0]["ends_on"] == "2027-06-30"
    assert details[1]["pace"] == "self-paced" and details[1]["ends_on"] is None


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [
        (("31", "2", "2027"), ("", "", ""), "Start date must be a real date"),
        (("1", "", "2027"), ("", "", ""), "Start date must include a month"),
        (("", "", ""), ("", "", ""), "Enter the start date"),
        (("1", "3", "27"), ("", "", ""), "Start date: the year must have 4 numbers"),
        (("1", "3", "2027"), ("1", "", ""), "End date must include a month and year"),
        (("1", "3", "2027"), ("28", "2", "2027"), "The end date must be the same as or after the start date"),
    ],
)
def test_cohort_dates_are_checked_with_clear_messages_and_kept_as_typed(
    client, login, admin, course, starts, ends, message
):
    login(admin)
    response = client.post(
        "/admin/cohorts/new",
        data={"name": "Spring", "pace": "weekly", **_dates("starts_on", *starts), **_dates("ends_on", *ends)},
    )
    assert response.status_code == 200 and message in response.text
    assert "There is a problem" in response.text
    for typed in (*starts, *ends):
        if typed:
            assert f'value="{typed}"' in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Cohort)) == 0


def test_adding_an_unknown_email_is_refused(client, login, admin, course):
    login(admin)
    client.post("/admin/cohorts/new", data={**START_2027_03_01, "name": "C", "join_code": "", "pace": "self-paced"})
    cohort = db.session.scalar(sa.select(Cohort))
    page = client.post(
        f"/admin/cohorts/{cohort.id}",
        data={"member-email": "ghost@example.org", "member-role": "learner", "member-submit": "1"},
    ).text
    assert "There is no account with that email address" in page and 'value="ghost@example.org"' in page


def test_audit_log_lists_and_filters(client, login, admin, learner, facilitator):
    login(admin)
    client.post(f"/admin/people/{learner.id}/role", data={"role": "facilitator", "reason": "Promoted"})
    client.post(f"/admin/people/{facilitator.id}/deactivate", data={"reason": "Left"})
    text = text_of(client.get("/admin/audit").text)
    assert f"Ada Admin (person {admin.id}) deactivated Fay Facilitator's account Left" in text
    assert "changed Lee Learner's role from learner to facilitator Promoted" in text
    text = text_of(client.get("/admin/audit?action=user.role").text)
    assert "changed Lee Learner's role" in text and "deactivated Fay" not in text


def test_a_cohort_form_sent_without_the_date_boxes_asks_for_the_date_and_creates_nothing(client, login, admin, course):
    login(admin)
    response = client.post("/admin/cohorts/new", data={"name": "Ward leaders", "pace": "self-paced"})
    assert response.status_code == 200 and "Enter the start date" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Cohort)) == 0
