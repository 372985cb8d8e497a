"""LTI Advantage against the real test platform: the final test's best score and completion
go to the line item when they change (and again after the platform was down), and a
facilitator pulls the platform's roster into the cohort. Tokens come by the client
credentials grant with a JWT the platform checks against the tool's published key set."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.accounts.models import ExternalIdentity, Role, User
from lms.audit.models import AuditEntry
from lms.cohorts.models import CohortMember, CohortRole
from lms.db import utcnow
from lms.extensions import db
from lms.lti import grades, service
from lms.lti.models import LtiContext, LtiScore
from tests.factories import PASSWORD, make_user
from tests.lti_platform import INSTRUCTOR, LEARNER
from tests.web.test_lti import arrive
from tests.web.test_quiz import TEST, TEST_HALF, TEST_RIGHT, TEST_WRONG, answer


@pytest.fixture
def platform(app, assessed_course, lti_platform, client):
    lti_platform.reset()
    service.save_platform(make_user(role="admin"), None, **lti_platform.registration())
    lti_platform.tool_jwks = client.get("/lti/jwks").get_json()
    return lti_platform


def test_the_final_tests_best_score_and_completion_go_to_the_line_item_when_they_change(
    client, platform, assessed_course
):
    arrive(client, platform)
    context = db.session.scalar(sa.select(LtiContext))
    assert context.lineitem_url == f"{platform.issuer}/lineitems/course-7/final-test"
    answer(client, assessed_course, TEST, TEST_WRONG)
    [first] = platform.scores
    assert (first["userId"], first["scoreGiven"], first["scoreMaximum"]) == ("moodle-user-42", 0, 100)
    assert first["activityProgress"] == "InProgress" and first["lineitem"] == "course-7/final-test"
    assert platform.tokens_issued[-1]["scope"] == "https://purl.imsglobal.org/spec/lti-ags/scope/score"
    answer(client, assessed_course, TEST, TEST_HALF)
    assert [(s["scoreGiven"], s["activityProgress"]) for s in platform.scores[1:]] == [(50, "Completed")]
    assert db.session.scalar(sa.select(LtiScore)).pending is False


def test_an_unchanged_result_sends_nothing_and_quizzes_send_nothing(client, platform, assessed_course):
    arrive(client, platform)
    answer(client, assessed_course, "/steps/check-your-learning/quick-quiz", {"colour": ["1"], "values": ["1", "2"]})
    assert platform.scores == []
    answer(client, assessed_course, TEST, TEST_WRONG)
    answer(client, assessed_course, TEST, TEST_WRONG)  # the last attempt, the same best score
    assert len(platform.scores) == 1


def test_a_score_the_platform_refused_is_sent_again_later(client, platform, assessed_course):
    arrive(client, platform)
    platform.refuse_scores = True
    answer(client, assessed_course, TEST, TEST_RIGHT)
    row = db.session.scalar(sa.select(LtiScore))
    db.session.refresh(row)
    assert row.pending and row.attempts == 1 and "503" in row.last_error and platform.scores == []
    platform.refuse_scores = False
    assert grades.send_due_scores(now=utcnow()) == 0  # not due yet
    assert grades.send_due_scores(now=utcnow() + timedelta(minutes=6)) == 1
    assert [(s["scoreGiven"], s["activityProgress"]) for s in platform.scores] == [(100, "Completed")]


def test_people_not_launched_from_a_platform_send_nothing(client, platform, assessed_course, assessed):
    answer(client, assessed_course, TEST, TEST_RIGHT)
    assert platform.scores == [] and db.session.scalar(sa.select(sa.func.count(LtiScore.id))) == 0


def test_a_facilitator_pulls_the_platforms_roster_into_the_cohort(app, client, platform):
    platform.roles = [INSTRUCTOR]
    arrive(client, platform)  # an instructor's launch: the context's cohort exists, with them in it
    platform.members = [
        {"user_id": "moodle-user-1", "name": "Ash Able", "email": "ash@trust.example", "roles": [LEARNER]},
        {"user_id": "moodle-user-2", "name": "Bo Baker", "roles": [INSTRUCTOR], "status": "Active"},
        {"user_id": "moodle-user-3", "name": "Cy Gone", "roles": [LEARNER], "status": "Inactive"},
        {"user_id": "moodle-user-42", "name": "Rowan Learner", "roles": [INSTRUCTOR]},  # already there
    ]
    cohort_id = db.session.scalar(sa.select(LtiContext.cohort_id))
    board = client.get(f"/facilitate/cohorts/{cohort_id}").text  # where the facilitator finds it
    assert f'<a href="/lti/cohorts/{cohort_id}/roster">Add the people on Trust Moodle\'s course</a>' in board
    page = client.get(f"/lti/cohorts/{cohort_id}/roster")
    assert page.status_code == 200 and "Trust Moodle" in page.text
    pulled = client.post(f"/lti/cohorts/{cohort_id}/roster")
    assert pulled.status_code == 302 and pulled.location == f"/facilitate/cohorts/{cohort_id}"
    members = dict(
        db.session.execute(
            sa.select(User.display_name, CohortMember.role)
            .join(CohortMember, CohortMember.user_id == User.id)
            .where(CohortMember.cohort_id == cohort_id)
        ).all()
    )
    assert members == {
        "Rowan Learner": CohortRole.FACILITATOR,
        "Ash Able": CohortRole.LEARNER,
        "Bo Baker": CohortRole.FACILITATOR,
    }
    assert db.session.scalar(sa.select(User.role).where(User.display_name == "Bo Baker")) == Role.FACILITATOR
    assert db.session.scalar(sa.select(sa.func.count(ExternalIdentity.id))) == 3
    assert db.session.scalar(sa.select(AuditEntry.details).where(AuditEntry.action == "lti.roster")) == {
        "added": 2,
        "listed": 4,
    }
    assert platform.tokens_issued[-1]["scope"].endswith("contextmembership.readonly")


def test_only_the_cohorts_facilitators_pull_its_roster(app, client, platform):
    arrive(client, platform)  # a learner's launch
    cohort_id = db.session.scalar(sa.select(LtiContext.cohort_id))
    assert client.post(f"/lti/cohorts/{cohort_id}/roster").status_code == 403
    other = app.test_client()
    stranger = make_user(role="facilitator")
    other.post("/login", data={"email": stranger.email, "password": PASSWORD})
    assert other.post(f"/lti/cohorts/{cohort_id}/roster").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "lti.roster")) == 0
