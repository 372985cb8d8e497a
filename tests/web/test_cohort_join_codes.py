"""A cohort's join code (issue 19): the new-cohort field starts empty and a code is made when
it is left so; afterwards the code is shown read-only and changes only on its own page,
which says what will happen and is audited. Dates show their errors on the field."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
import sqlalchemy as sa

from lms.audit.models import AuditEntry
from lms.audit.words import describe
from lms.cohorts import joining
from lms.cohorts import service as cohorts
from lms.cohorts.models import Cohort
from lms.extensions import db

START = {"starts_on-day": "1", "starts_on-month": "3", "starts_on-year": "2027", "pace": "self-paced"}
CODE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$")


def text_of(page: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


def entries() -> list[AuditEntry]:
    return db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()


@pytest.fixture
def ward(app, course):
    cohort = cohorts.create_cohort(course.course.id, "Ward leaders", date(2027, 3, 1), "WARD-1")
    db.session.commit()
    return cohort


def test_a_new_cohort_left_without_a_code_gets_a_made_one(client, login, admin, course):
    login(admin)
    client.post("/admin/cohorts/new", data={**START, "name": "Ward leaders", "join_code": ""})
    cohort = db.session.scalar(sa.select(Cohort))
    assert CODE.match(cohort.join_code)
    assert joining.cohort_for_code(cohort.join_code).id == cohort.id
    assert [e.action for e in entries()] == ["cohort.create"]


def test_the_code_is_shown_read_only_with_a_change_code_action(client, login, admin, ward):
    login(admin)
    page = client.get(f"/admin/cohorts/{ward.id}").text
    assert 'name="cohort-join_code"' not in page
    assert '<code class="lms-code">WARD-1</code>' in page
    assert f'<a href="/admin/cohorts/{ward.id}/code">Change code</a>' in page
    # The details form cannot change it by the way.
    client.post(
        f"/admin/cohorts/{ward.id}",
        data={
            "cohort-name": "Ward leaders, spring",
            "cohort-starts_on-day": "1",
            "cohort-starts_on-month": "3",
            "cohort-starts_on-year": "2027",
            "cohort-pace": "self-paced",
            "cohort-join_code": "SNEAKY",
            "cohort-submit": "1",
        },
    )
    db.session.expire_all()
    assert (db.session.get(Cohort, ward.id).name, db.session.get(Cohort, ward.id).join_code) == (
        "Ward leaders, spring",
        "WARD-1",
    )


def test_changing_the_code_says_what_happens_and_is_audited(client, login, admin, ward):
    login(admin)
    page = text_of(client.get(f"/admin/cohorts/{ward.id}/code").text)
    assert "Change the join code of Ward leaders" in page
    assert "The code WARD-1 and its join link will stop working" in page
    assert "People already in the cohort stay in it." in page

    response = client.post(f"/admin/cohorts/{ward.id}/code", data={"join_code": "spring-27"})
    assert response.location == f"/admin/cohorts/{ward.id}"
    assert "The join code of Ward leaders is now SPRING-27." in client.get(response.location).text
    assert joining.cohort_for_code("WARD-1") is None and joining.cohort_for_code("SPRING-27").id == ward.id
    [entry] = entries()
    assert (entry.action, entry.details) == ("cohort.code", {"from": "WARD-1", "to": "SPRING-27"})
    assert describe(entry.action, entry.target_label, entry.details) == (
        "changed the join code of the cohort Ward leaders from WARD-1 to SPRING-27"
    )


def test_an_empty_new_code_is_made_for_you(client, login, admin, ward):
    login(admin)
    client.post(f"/admin/cohorts/{ward.id}/code", data={"join_code": ""})
    db.session.expire_all()
    code = db.session.get(Cohort, ward.id).join_code
    assert CODE.match(code) and code != "WARD-1"


@pytest.mark.parametrize(
    "code, message", [("OTHER-1", "Another cohort already uses this join code"), ("x!", "Join code must be 4 to 20")]
)
def test_a_code_that_cannot_be_used_is_refused_on_the_field(client, login, admin, ward, course, code, message):
    cohorts.create_cohort(course.course.id, "Others", date(2027, 3, 1), "OTHER-1")
    db.session.commit()
    login(admin)
    response = client.post(f"/admin/cohorts/{ward.id}/code", data={"join_code": code})
    assert response.status_code == 400
    assert re.search(r'id="join_code-error"[^>]*>.*?' + re.escape(message), response.text, re.S)
    assert f'value="{html.escape(code)}"' in response.text
    db.session.expire_all()
    assert db.session.get(Cohort, ward.id).join_code == "WARD-1" and entries() == []


@pytest.mark.parametrize("persona", ["learner", "facilitator"])
def test_changing_a_code_refuses_learners_and_facilitators(client, login, request, ward, persona):
    login(request.getfixturevalue(persona))
    assert client.get(f"/admin/cohorts/{ward.id}/code").status_code == 403
    assert client.post(f"/admin/cohorts/{ward.id}/code", data={"join_code": "MINE-1"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Cohort, ward.id).join_code == "WARD-1" and entries() == []


def test_date_errors_show_on_the_date_field(client, login, admin, course):
    login(admin)
    page = client.post(
        "/admin/cohorts/new",
        data={**START, "starts_on-day": "31", "starts_on-month": "2", "name": "Ward", "join_code": ""},
    ).text
    group = page.split('id="starts_on-date"', 1)[0].rsplit('<div class="nhsuk-form-group', 1)[1]
    assert group.startswith(" nhsuk-form-group--error")
    assert re.search(r'id="starts_on-date-error"[^>]*>.*?Start date must be a real date', page, re.S)
    assert 'href="#starts_on"' in page  # the error summary links to the day box
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Cohort)) == 0
