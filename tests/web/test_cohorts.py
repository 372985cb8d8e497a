"""Learners join a cohort with the code their facilitator gives them."""

from datetime import date

import pytest
import sqlalchemy as sa

from lms.cohorts import service
from lms.cohorts.models import CohortMember, CohortRole
from lms.extensions import db
from lms.learning.models import Enrolment


@pytest.fixture
def cohort(course):
    cohort = service.create_cohort(course.course.id, "Ward leaders", date(2027, 3, 1), "WARD-2027")
    db.session.commit()
    return cohort


def test_join_code_page_needs_sign_in(client, cohort):
    assert client.get("/cohorts/join").location.startswith("/login")


def test_learner_joins_cohort_and_course_with_a_code(client, cohort, learner, login):
    login(learner)
    response = client.post("/cohorts/join", data={"code": " ward-2027 "})
    assert response.location == "/todo"
    assert "You have joined the cohort Ward leaders" in client.get("/todo").text
    member = db.session.scalar(sa.select(CohortMember))
    assert (member.user_id, member.role) == (learner.id, CohortRole.LEARNER)
    assert db.session.scalar(sa.select(Enrolment.user_id)) == learner.id
    client.post("/cohorts/join", data={"code": "WARD-2027"})  # again: still one membership
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CohortMember)) == 1
    assert "You are in: <strong>Ward leaders</strong>" in client.get("/cohorts/join").text


@pytest.mark.parametrize("code", ["NOPE-0000", "", "   "])
def test_unknown_code_is_refused_with_the_code_kept(client, cohort, learner, login, code):
    login(learner)
    page = client.post("/cohorts/join", data={"code": code}).text
    assert "That join code is not recognised" in page or "Enter your join code" in page
    if code.strip():
        assert f'value="{code}"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CohortMember)) == 0


def test_join_code_guessing_is_rate_limited(make_app, course, learner):
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    client.post("/login", data={"email": learner.email, "password": "correct horse battery staple"})
    for _ in range(20):
        client.post("/cohorts/join", data={"code": "GUESS-0000"})
    assert client.post("/cohorts/join", data={"code": "GUESS-0001"}).status_code == 429


def test_generated_join_codes_are_unambiguous_and_distinct():
    codes = {service.new_join_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 9 and c[4] == "-" and not set(c) & set("01OI") for c in codes)


def test_duplicate_join_codes_are_refused(course, cohort):
    from lms.errors import InvalidInput

    with pytest.raises(InvalidInput) as error:
        service.create_cohort(course.course.id, "Other", date(2027, 4, 1), "ward-2027")
    assert error.value.field == "join_code"
