"""Managing people in Welsh: the people page, a role change's confirmation, the audit log
and its export speak the reader's language, while what the log keeps (codes, and names as
they were) stays as it was written."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date

import sqlalchemy as sa

from lms.audit.models import AuditEntry
from lms.cohorts import service as cohorts
from lms.extensions import db

WELSH = {"Accept-Language": "cy"}


def text_of(page: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


def test_the_people_page_in_welsh(client, login, admin, learner):
    login(admin)
    page = text_of(client.get("/admin/people", headers=WELSH).text)
    assert "Pobl" in page and "Chwilio yn ôl enw neu e-bost" in page
    assert "2 berson wedi'u canfod." in page  # the mutation after "2"
    assert "Lee Learner" in page and "Dysgwr" in page and "Gweinyddwr" in page
    assert "people found" not in page and "Search by name" not in page
    english = text_of(client.get("/admin/people").text)
    assert "2 people found." in english and "Learner" in english


def test_a_role_change_is_confirmed_in_welsh(client, login, admin, learner):
    login(admin)
    page = client.get(f"/admin/people/{learner.id}/role", query_string={"role": "admin"}, headers=WELSH)
    text = text_of(page.text)
    assert '<html lang="cy"' in page.text
    assert "Gwneud Lee Learner yn weinyddwr?" in text
    assert "Beth fydd yn digwydd" in text
    assert "Bydd Lee Learner yn gallu cymedroli sylwadau" in text
    assert "Byddan nhw'n weinyddwr. Gallwch newid hyn eto yn nes ymlaen." in text
    assert "Canslo a mynd yn ôl" in text and "Newid rôl" in text
    done = client.post(
        f"/admin/people/{learner.id}/role", data={"role": "admin", "reason": "Arwain y ward"}, headers=WELSH
    )
    assert done.status_code == 302
    assert "Mae Lee Learner bellach yn weinyddwr." in text_of(client.get(done.location, headers=WELSH).text)


def test_a_refused_role_change_says_why_in_welsh(client, login, admin, learner):
    login(admin)
    response = client.get(f"/admin/people/{learner.id}/role", query_string={"role": "learner"}, headers=WELSH)
    assert response.status_code == 302
    assert "Mae Lee Learner eisoes yn ddysgwr" in text_of(client.get(response.location, headers=WELSH).text)


def test_the_join_code_change_uses_the_confirmation_page_in_welsh(client, login, admin, course):
    cohort = cohorts.create_cohort(course.course.id, "Arweinwyr wardiau", date(2027, 3, 1), "WARD-1")
    db.session.commit()
    login(admin)
    text = text_of(client.get(f"/admin/cohorts/{cohort.id}/code", headers=WELSH).text)
    assert "Newid cod ymuno Arweinwyr wardiau" in text
    assert "Y cod ymuno ar hyn o bryd yw WARD-1" in text
    assert "Bydd y cod WARD-1 a'i ddolen ymuno yn peidio â gweithio" in text
    assert "Cod ymuno newydd (dewisol)" in text and "Newid y cod" in text


def test_the_audit_log_reads_in_welsh_and_keeps_names_as_written(client, login, admin, learner, course):
    login(admin)
    client.post(f"/admin/people/{learner.id}/role", data={"role": "facilitator", "reason": "Leads the ward"})
    cohort = cohorts.create_cohort(course.course.id, "Ward leaders", date(2027, 3, 1), "WARD-1")
    db.session.commit()
    client.post(
        f"/admin/cohorts/{cohort.id}",
        data={"member-email": learner.email, "member-role": "learner", "member-submit": "1"},
    )
    [role_entry, _added] = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
    assert role_entry.details == {"from": "learner", "to": "facilitator"}  # codes, as kept

    welsh = text_of(client.get("/admin/audit", headers=WELSH).text)
    assert "Log archwilio" in welsh and "Beth wnaethon nhw" in welsh
    assert f"Ada Admin (person {admin.id}) newidiodd rôl Lee Learner o ddysgwr i hwylusydd" in welsh
    assert "ychwanegodd Lee Learner at Ward leaders fel dysgwr" in welsh
    assert "Leads the ward" in welsh  # the reason, as written
    assert "changed Lee Learner's role" not in welsh
    assert "Rôl wedi'i newid" in welsh  # the filter names the action in Welsh too

    english = text_of(client.get("/admin/audit").text)
    assert "changed Lee Learner's role from learner to facilitator" in english


def test_the_audit_export_has_welsh_headings_from_a_welsh_page(client, login, admin, learner):
    login(admin)
    client.post(f"/admin/people/{learner.id}/role", data={"role": "facilitator", "reason": "Leads the ward"})
    client.set_cookie("lms_language", "cy")  # the header's switch, on the Welsh log page
    page = client.get("/admin/audit")
    assert "Lawrlwytho'r cofnodion hyn fel taenlen (CSV)" in text_of(page.text)
    rows = list(csv.reader(io.StringIO(client.get("/admin/audit.csv").text)))
    assert rows[0][:4] == ["Pryd (UTC)", "Gan bwy", "Gan bwy (rhif y person)", "Beth wnaethon nhw"]
    assert rows[1][1] == "Ada Admin" and rows[1][4] == "user.role"  # the data as kept
    assert rows[1][3] == "newidiodd rôl Lee Learner o ddysgwr i hwylusydd"
    assert rows[1][8] == "Leads the ward"
    client.set_cookie("lms_language", "en")
    assert next(csv.reader(io.StringIO(client.get("/admin/audit.csv").text)))[0] == "When (UTC)"
