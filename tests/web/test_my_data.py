"""Download my data and delete my account."""
from __future__ import annotations

import json

import sqlalchemy as sa

from lms.accounts.models import User
from lms.audit.models import AuditEntry
from lms.db import Base
from lms.extensions import db
from lms.learning import service as learning
from lms.learning.models import StepProgress
from lms.record.personal_data import NOT_PERSONAL, PERSONAL_TABLES
from lms.reflection.models import Reflection
from tests.factories import PASSWORD


def test_every_table_is_declared_personal_or_not():
    """A new table must say what it holds about people, or this fails."""
    tables = set(Base.metadata.tables) | {"alembic_version"}
    declared = set(PERSONAL_TABLES) | NOT_PERSONAL
    assert tables - declared == set(), "add these tables to lms/record/personal_data.py"
    assert declared - tables == set()


def test_download_my_data_has_everything_and_nobody_elses(client, enrolled, course, intruder):
    learning.join_course(intruder.id, course.course.id)
    learning.set_step_complete(intruder.id, course.steps[0].id)
    learning.set_step_complete(enrolled.id, course.steps[1].id)
    client.post("/steps/next-steps/look-back/reflection", data={"body": "My own words"})
    response = client.get("/record/my-data.json")
    assert response.mimetype == "application/json" and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["account"]["email"] == "learner@example.org" and "password_hash" not in json.dumps(data)
    assert [r["step_id"] for r in data["step_progress"]] == [course.steps[1].id]
    assert data["reflections"][0]["body_md"] == "My own words"
    assert len(data["enrolments"]) == 1
    assert set(PERSONAL_TABLES) <= set(data)


def test_delete_account_needs_the_password(client, enrolled):
    page = client.post("/record/delete-account", data={"password": "not my password"}).text
    assert "Your password is incorrect" in page
    assert db.session.get(User, enrolled.id).email == "learner@example.org"


def test_delete_account_erases_personal_data_and_signs_out(client, enrolled, course, login):
    learning.set_step_complete(enrolled.id, course.steps[0].id)
    client.post("/steps/next-steps/look-back/reflection", data={"body": "Private"})
    response = client.post("/record/delete-account", data={"password": PASSWORD})
    assert response.location == "/"
    assert "Your account has been deleted" in client.get("/").text
    user = db.session.get(User, enrolled.id)
    assert user.display_name == "A former learner" and user.email.endswith("@invalid") and not user.active
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StepProgress)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Reflection)) == 0
    assert client.get("/todo").location.startswith("/login")
    assert "incorrect" in client.post("/login", data={"email": "learner@example.org", "password": PASSWORD}).text
    entry = db.session.scalar(sa.select(AuditEntry))
    assert entry.action == "user.delete_account" and entry.target_label == "A former learner"


def test_your_data_pages_need_sign_in(client):
    assert client.get("/record/my-data.json").location.startswith("/login")
    assert client.get("/record/delete-account").location.startswith("/login")
