"""The audit log keeps who did what to what as it was at the time, says it in words, filters
by person, action and date, exports formula-safe CSV, and cannot be changed through the app."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from lms import create_app
from lms.audit import service as audit
from lms.audit.models import AuditEntry
from lms.extensions import db
from tests.factories import PASSWORD, make_user


def text_of(page: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


def rows_of(body: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body)))


def back_date(action: str, moment: datetime) -> None:
    """Tests only: move entries in time with SQL (the app itself cannot touch them)."""
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.action == action).values(created_at=moment))
    db.session.commit()


@pytest.fixture
def second_admin(app):
    return make_user(email="bea@example.org", display_name="Bea Boss", role="admin")


def test_history_is_unchanged_when_the_actor_renames_themself(client, login, admin, learner):
    login(admin)
    client.post(f"/admin/people/{learner.id}/role", data={"role": "facilitator", "reason": "Leads the ward"})
    client.post("/account", data={"name-display_name": "Someone Else", "name-submit": "1"})
    assert admin.display_name == "Someone Else"
    text = text_of(client.get("/admin/audit").text)
    assert f"Ada Admin (person {admin.id}) changed Lee Learner's role from learner to facilitator" in text
    assert "Someone Else (person" not in text


def test_history_is_unchanged_after_the_actor_deletes_their_account(app, client, login, second_admin, learner):
    login(second_admin)
    client.post(f"/admin/people/{learner.id}/deactivate", data={"reason": "Left the trust"})
    response = client.post("/record/delete-account", data={"password": PASSWORD})
    assert response.status_code == 302, response.status_code
    admin = make_user(display_name="Ada Admin", role="admin")
    other = app.test_client()
    other.post("/login", data={"email": admin.email, "password": PASSWORD})
    text = text_of(other.get("/admin/audit").text)
    assert f"Bea Boss (person {second_admin.id}) deactivated Lee Learner's account Left the trust" in text


def test_a_current_user_target_is_recorded_as_the_person_not_a_proxy(client, login, admin):
    login(admin)
    client.post("/admin/mail/test")
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "mail.test"))
    assert (entry.target_type, entry.target_id, entry.target_label, entry.actor_label) == (
        "users",
        admin.id,
        "Ada Admin",
        "Ada Admin",
    )


def test_actions_read_in_words(client, login, admin, course):
    step = course.steps[1]
    login(admin)
    client.post(f"/admin/course/steps/{step.id}/unpublish", data={"reason": "Checking a fact"})
    client.post(f"/admin/course/steps/{step.id}/publish")
    text = text_of(client.get("/admin/audit").text)
    assert "published step 1.2, revision" in text
    assert "unpublished step 1.2, " + step.title + " Checking a fact" in text
    assert "step.publish" not in text


def test_filters_by_person_action_and_date(client, login, admin, second_admin, learner, facilitator):
    login(admin)
    client.post(f"/admin/people/{learner.id}/role", data={"role": "facilitator", "reason": "One"})
    client.post(f"/admin/people/{facilitator.id}/deactivate", data={"reason": "Two"})
    with db.session.no_autoflush:
        audit.record(second_admin, "user.reset_link", learner)
    db.session.commit()
    back_date("user.role", datetime(2026, 11, 2, 12, 0, tzinfo=UTC))
    back_date("user.deactivate", datetime(2026, 11, 20, 23, 30, tzinfo=UTC))  # 20 November in the UK too

    def shown(query: str) -> set[str]:
        text = text_of(client.get(f"/admin/audit?{query}").text)
        found = {"role": "changed Lee Learner's role" in text, "deactivate": "deactivated Fay" in text}
        found["reset"] = "emailed Lee Learner a link" in text
        return {name for name, here in found.items() if here}

    assert shown("") == {"role", "deactivate", "reset"}
    assert shown("actor=bea") == {"reset"}
    assert shown("actor=ADA") == {"role", "deactivate"}
    assert shown("actor=%25") == set()  # a wildcard is a character like any other
    assert shown("action=user.deactivate") == {"deactivate"}
    assert shown("since=2026-11-03") == {"deactivate", "reset"}
    assert shown("until=2026-11-20") == {"role", "deactivate"}
    assert shown("since=2026-11-03&until=2026-11-20") == {"deactivate"}
    assert shown("since=2026-11-21&until=2026-11-30") == set()
    page = client.get("/admin/audit?since=yesterday")
    assert "Not a valid date value" in page.text or "There is a problem" in page.text
    assert page.status_code == 200 and shown("since=yesterday") == {"role", "deactivate", "reset"}
    options = text_of(client.get("/admin/audit").text)
    assert "Account deactivated" in options and "Role changed" in options


def test_pages_keep_the_filters(client, login, admin, learner):
    for _ in range(audit.PAGE_SIZE + 3):
        audit.record(admin, "user.reset_link", learner)
    audit.record(admin, "mail.test", admin)
    db.session.commit()
    login(admin)
    first = client.get("/admin/audit?action=user.reset_link").text
    assert first.count("emailed Lee Learner a link") == audit.PAGE_SIZE
    more = re.search(r'href="(/admin/audit\?[^"]*before=\d+[^"]*)"', first).group(1)
    more = html.unescape(more)
    assert "action=user.reset_link" in more
    second = client.get(more).text
    assert second.count("emailed Lee Learner a link") == 3 and "sent themself a test message" not in second


def test_csv_export_is_formula_safe_and_filtered(client, login, admin, learner):
    formula = make_user(display_name="=HYPERLINK(1)", role="admin")
    audit.record(formula, "user.deactivate", learner, reason="+1 then -2")
    audit.record(admin, "user.reactivate", learner, reason="@SUM(A1)")
    db.session.commit()
    login(admin)
    response = client.get("/admin/audit.csv?action=user.deactivate")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    header, *rows = rows_of(response.text)
    assert header[:5] == ["When (UTC)", "Done by", "Done by (person id)", "What they did", "Action"]
    [row] = rows
    assert row[1:5] == ["'=HYPERLINK(1)", str(formula.id), "deactivated Lee Learner's account", "user.deactivate"]
    assert row[8] == "'+1 then -2"
    everything = rows_of(client.get("/admin/audit.csv").text)[1:]
    assert [r[8] for r in everything] == ["'@SUM(A1)", "'+1 then -2"]


@pytest.mark.parametrize("persona", ["learner", "facilitator"])
def test_the_log_and_its_export_are_for_admins_only(client, login, request, persona):
    for url in ("/admin/audit", "/admin/audit.csv"):
        assert client.get(url).location.startswith("/login")
    login(request.getfixturevalue(persona))
    for url in ("/admin/audit", "/admin/audit.csv"):
        assert client.get(url).status_code == 403


def test_entries_cannot_be_changed_or_deleted_through_the_app(client, login, admin, learner):
    app = create_app({"SECRET_KEY": "x" * 40, "LMS_ENV": "testing"})
    audit_rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("audit.")]
    assert {m for r in audit_rules for m in r.methods} <= {"GET", "HEAD", "OPTIONS"}
    audit.record(admin, "user.reset_link", learner, reason="Stuck")
    db.session.commit()
    login(admin)
    assert client.post("/admin/audit").status_code == 405
    entry = db.session.scalar(sa.select(AuditEntry))
    entry.reason = "Rewritten"
    with pytest.raises(audit.AuditIsWrittenOnce):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.scalar(sa.select(AuditEntry)))
    with pytest.raises(audit.AuditIsWrittenOnce):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(sa.select(AuditEntry.reason)) == "Stuck"
