"""`flask --app lms demo` on the course the platform ships with: a cohort that looks lived in,
seen as its facilitator and its learners see it; refused on a database with real people
unless forced; built once however often it runs."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
import sqlalchemy as sa

from lms.accounts.models import User
from lms.assessment.models import SelfAssessmentResponse
from lms.certificates.models import Certificate
from lms.cohorts.models import Cohort
from lms.comments.models import Comment, CommentLike, Follow, Report
from lms.content import service as content
from lms.db import utcnow
from lms.demo.conversations import FACILITATOR, conversations
from lms.demo.journeys import reached
from lms.demo.people import COHORT_NAME, CROWD, LEARNERS, PASSWORD
from lms.extensions import db
from lms.learning.models import Enrolment, StepProgress
from lms.notifications.models import Notification
from tests import factories

COURSE = Path(__file__).resolve().parents[2] / "content"
INTERVENTION = "/steps/why-compassion-matters/most-important-intervention"


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def whole_course(app):
    content.import_content(COURSE)
    return content.get_outline()


@pytest.fixture
def demo(runner, whole_course):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "Made 'Demo cohort: Ward and community leaders': 13 made-up learners" in result.output
    return db.session.scalar(sa.select(Cohort).where(Cohort.name == COHORT_NAME))


def sign_in(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, email


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_facilitator_sees_a_cohort_at_every_stage(client, demo):
    sign_in(client, "facilitator@example.org")
    board = f"/facilitate/cohorts/{demo.id}"
    page = text_of(client.get(board).text)
    assert "13 learners shown" in page
    steps = len(content.get_outline().steps)
    assert f"Grace Okafor {steps} of {steps} (100%)" in page
    assert f"Lucy Barker 1 of {steps} ({round(100 / steps)}%)" in page
    stalled = text_of(client.get(f"{board}?show=stalled").text)
    assert "3 learners shown" in stalled
    assert all(name in stalled for name in ("Kwame Mensah", "Rhys Jenkins", "Sarah Whitfield"))
    finished = text_of(client.get(f"{board}?show=completed").text)
    assert "4 learners shown" in finished
    assert all(name in finished for name in ("Grace Okafor", "Tom Hughes", "Priya Nair", "Megan Price"))
    # Ten learners rated themselves in 2.5 (two batches of five); six and five their teams in 3.5 and 4.5.
    figures = text_of(client.get(f"{board}/self-assessments").text)
    assert figures.count("From the answers of 5 learners") == 2 and "From the answers of 10 learners" in figures
    assert "Average Spread" in figures
    care = text_of(client.get(f"{board}/care").text)
    assert "Gone quiet (3)" in care and "First comments nobody has answered (1)" in care
    queue = text_of(client.get("/moderation").text)
    assert "1 comment waiting" in queue and "Karen, the discharge coordinator" in queue
    assert "This names a member of staff and her ward" in queue and "(Priya Nair," in queue


def test_learners_find_conversations_notifications_and_certificates(client, demo):
    sign_in(client, "learner@example.org")
    page = text_of(client.get(INTERVENTION).text)
    assert "Educator highlights" in page
    assert "Twenty minutes of listening did more than a week of us being efficient." in page
    assert "Alex Facilitator Educator" in page and "Reply to comment by Sam Learner" in page
    assert "5 likes" in page and "Unlike comment by Tom Hughes" in page  # Sam liked Tom's reply
    notices = text_of(client.get("/notifications").text)
    assert "Tom Hughes replied to your comment" in notices
    assert "A facilitator highlighted your comment" in notices and "liked your comment" in notices
    assert "a cup of tea for whoever looked most tired" in text_of(client.get("/reflections").text)  # private
    profile = text_of(client.get(f"/people/{_user('grace.okafor@demo.example.org').id}").text)
    assert "Made-up person in the demo data. Ward sister on a surgical ward." in profile

    client.post("/logout")
    sign_in(client, "grace.okafor@demo.example.org")
    assert "a cup of tea" not in text_of(client.get("/reflections").text)  # Sam's, not Grace's
    certificate = db.session.scalar(sa.select(Certificate).join(User).where(User.display_name == "Grace Okafor"))
    assert f"Verification code {certificate.code}" in text_of(client.get("/certificate").text)
    assert "Grace Okafor" in text_of(client.get(f"/certificates/{certificate.code}").text)


def test_it_refuses_a_database_with_real_people_unless_forced(runner, whole_course):
    real = factories.make_user(email="nurse@trust.nhs.uk", display_name="A Real Nurse")
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 1
    assert "1 account(s) the demo did not make" in result.output and "--force" in result.output
    assert count(User) == 1 and count(Cohort) == 0
    result = runner.invoke(args=["demo", "--force"])
    assert result.exit_code == 0, result.output
    assert count(User) == 16 and db.session.get(User, real.id).display_name == "A Real Nurse"
    assert not db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment).where(Enrolment.user_id == real.id))


def test_the_story_is_dated_in_the_past_in_order_and_made_once(runner, demo):
    """Replies after what they answer, learners last active when their journey says; and a
    second run adds nothing and moves nothing."""
    now = utcnow()
    assert count(Certificate) == 4 and count(Report) == 1 and count(Follow) == 5
    assert count(SelfAssessmentResponse) >= 10 and count(CommentLike) > 40
    by_id = {c.id: c for c in db.session.scalars(sa.select(Comment))}
    assert len([c for c in by_id.values() if c.parent_id is None]) >= 12
    for comment in by_id.values():
        assert comment.created_at < now
        if comment.parent_id:
            assert comment.created_at > by_id[comment.parent_id].created_at, comment.body_md
    last_active = dict(
        db.session.execute(
            sa.select(User.email, sa.func.max(StepProgress.last_visited_at)).join(StepProgress).group_by(User.email)
        ).all()
    )
    for journey in CROWD:
        gap = (now - last_active[journey.email]).total_seconds() / 86400
        assert journey.last_days - 0.01 < gap < journey.last_days + 0.01, journey.key
    enrolled = dict(db.session.execute(sa.select(Enrolment.user_id, Enrolment.joined_at)).all())
    for comment in by_id.values():  # nor writes one
        assert comment.educator or enrolled[comment.author_id] < comment.created_at, comment.body_md
    for like in db.session.scalars(sa.select(CommentLike)):  # nobody likes a comment before they joined
        assert enrolled[like.user_id] < like.created_at < now
        assert like.created_at > by_id[like.comment_id].created_at
    joined = db.session.scalar(sa.select(sa.func.min(Enrolment.joined_at)))
    assert (now - joined).days >= 40
    assert db.session.scalar(sa.select(sa.func.max(Notification.created_at))) < now

    tables = (User, Comment, CommentLike, StepProgress, SelfAssessmentResponse, Certificate, Notification, Report)
    before = {model: count(model) for model in tables}
    moments = db.session.scalars(sa.select(Comment.created_at).order_by(Comment.id)).all()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0 and "nothing was added" in result.output
    assert "learner@example.org / demo password 2026" in result.output
    assert {model: count(model) for model in tables} == before
    assert db.session.scalars(sa.select(Comment.created_at).order_by(Comment.id)).all() == moments


def test_every_conversation_is_on_a_step_its_people_have_reached(whole_course):
    """The texts name steps by identity: each must be in the shipped course, and each learner
    who speaks or likes there must have got that far on their journey."""
    journeys = {j.key: j for j in LEARNERS}
    talk = conversations()
    for thread in (*talk.threads, talk.complaint):
        index = whole_course.index_of(*thread.step)
        assert index is not None, thread.step
        says = thread.comments if hasattr(thread, "comments") else (thread.say,)
        people = {s.author for s in says} | {p for s in says for p in s.liked_by}
        for key in people - {FACILITATOR}:
            done, current = reached(journeys[key], whole_course)
            assert whole_course.steps[index] in done, (key, thread.step)


def _user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))
