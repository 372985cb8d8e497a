"""Identifiers in URLs and forms never reach another learner's things.

A learner (`victim`) answers a quiz, a self-assessment and the test, writes a reflection,
bookmarks a comment, is notified and claims a certificate. Another learner, signed in on
their own, then tries every identifier they can put in an address or a form: each attempt
is refused or lands on their own data, shows nothing of the victim's, and changes nothing.
"""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from lms.assessment.models import QuizAttempt, SelfAssessmentResponse
from lms.certificates.models import Certificate
from lms.comments.models import Bookmark
from lms.extensions import db
from lms.learning import completion
from lms.learning import service as learning
from lms.notifications.models import Notification
from lms.reflection.models import Reflection
from tests.factories import PASSWORD, make_comment, make_user

QUIZ = "/steps/check-your-learning/quick-quiz"
SELF = "/steps/check-your-learning/how-you-lead"
TEST = "/steps/check-your-learning/final-test"
TALK = "/steps/first-steps/talk-about-it"
REFLECT = "/steps/next-steps/look-back"
SECRET = "Private: I nearly walked out of the ward on Tuesday"
NOTE = "A bookmarked thought from Ann"


def text_of(page: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


def step_id(outline, slug: str) -> int:
    return next(s.id for s in outline.steps if s.slug == slug)


def count(model, **where) -> int:
    db.session.expire_all()
    query = sa.select(sa.func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.scalar(query)


@pytest.fixture
def victim(client, assessed, assessed_course):
    """The signed-in learner, with something of every private kind."""
    outline = assessed_course
    author = make_user(email="ann@example.org", display_name="Ann Author")
    learning.join_course(author.id, outline.course.id)
    comment = make_comment(author, step_id(outline, "talk-about-it"), NOTE)
    theirs = make_comment(assessed, step_id(outline, "talk-about-it"), "The victim's own comment")
    make_comment(author, step_id(outline, "talk-about-it"), "A reply the victim is told of", parent=theirs)

    def post(url, data):
        assert client.post(url, data=data).status_code == 302, url

    post(
        f"{QUIZ}/answers",
        {"step": step_id(outline, "quick-quiz"), "question-colour": "1", "question-values": ["1", "2"]},
    )
    post(
        f"{SELF}/answers",
        {
            "step": step_id(outline, "how-you-lead"),
            "statement-listen": "5",
            "statement-interrupt": "1",
            "statement-obstacles": "5",
        },
    )
    post(
        f"{TEST}/answers",
        {"step": step_id(outline, "final-test"), "question-capital": "1", "question-nations": ["1", "2"]},
    )
    post(f"{REFLECT}/reflection", {"body": SECRET})
    post(f"/comments/{comment.id}/bookmark", {})
    for step in outline.steps:
        completion.complete_step(assessed.id, step.id)
    db.session.commit()
    post("/certificate", {})
    assessed.comment_id = comment.id
    return assessed


@pytest.fixture
def intruder_client(make_app, assessed_course, intruder):
    """Another learner on the same course, signed in on a client of their own."""
    learning.join_course(intruder.id, assessed_course.course.id)
    other = make_app().test_client()
    assert other.post("/login", data={"email": intruder.email, "password": PASSWORD}).status_code == 302
    return other


def victims(model, victim) -> list:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(model).where(model.user_id == victim.id)))


def test_assessment_results_are_only_ever_the_viewers_own(victim, intruder_client, intruder):
    for url in (QUIZ, SELF, TEST):
        for query in ("", f"?user_id={victim.id}", f"?user={victim.id}", f"?learner={victim.id}"):
            response = intruder_client.get(f"{url}/results{query}")
            assert response.status_code == 302 and response.location == url, (url, query)
        step_page = text_of(intruder_client.get(f"{url}?user_id={victim.id}").text)
        assert "Attempt 1" not in step_page and "You last took this" not in step_page
    assert len(victims(QuizAttempt, victim)) == 2 and len(victims(SelfAssessmentResponse, victim)) == 1


def test_answers_sent_with_someone_elses_id_are_refused_and_change_nothing(
    victim, intruder_client, intruder, assessed_course
):
    before = [(a.id, a.score) for a in victims(QuizAttempt, victim)]
    sheet = {"step": step_id(assessed_course, "quick-quiz"), "question-colour": "2", "question-values": "3"}
    for smuggled in ("user_id", "user", "attempt"):
        response = intruder_client.post(f"{QUIZ}/answers", data={**sheet, smuggled: victim.id})
        assert response.status_code == 400  # a sheet with fields no page sends is refused whole
    assert count(QuizAttempt, user_id=intruder.id) == 0
    assert intruder_client.post(f"{QUIZ}/answers", data=sheet).location == f"{QUIZ}/results"
    assert [(a.id, a.score) for a in victims(QuizAttempt, victim)] == before
    assert count(QuizAttempt, user_id=intruder.id) == 1
    # The results page they reach is theirs: 0 of 2, where the victim got 2 of 2.
    assert "You got 0 of 2 right (0%)." in text_of(intruder_client.get(f"{QUIZ}/results").text)


def test_reflections_cannot_be_read_changed_or_deleted_by_id(victim, intruder_client, intruder):
    [reflection] = victims(Reflection, victim)
    assert intruder_client.get(f"/reflections/{reflection.id}").status_code == 404
    assert intruder_client.post(f"/reflections/{reflection.id}", data={"body": "overwritten"}).status_code == 404
    assert intruder_client.post(f"/reflections/{reflection.id}/delete").status_code == 404
    for url in (
        "/reflections",
        "/reflections?q=ward",
        REFLECT,
        f"{REFLECT}?reflection={reflection.id}",
        "/record/",
        "/record/learning-record.md",
        "/record/my-data.json",
        "/progress",
    ):
        assert "walked out" not in intruder_client.get(url).text, url
    # Saving "on" the victim's reflection with their ids makes the intruder's own.
    intruder_client.post(f"{REFLECT}/reflection", data={"body": "Mine", "user_id": victim.id, "id": reflection.id})
    intruder_client.post(f"{REFLECT}/reflection/autosave", data={"body": "Mine too", "user_id": victim.id})
    [kept] = victims(Reflection, victim)
    assert kept.body_md == SECRET and kept.id == reflection.id
    assert db.session.scalar(sa.select(Reflection.body_md).where(Reflection.user_id == intruder.id)) == "Mine too"


def test_notifications_of_someone_else_cannot_be_seen_or_marked_read(victim, intruder_client, intruder):
    [notice] = victims(Notification, victim)
    assert notice.read_at is None
    response = intruder_client.post(f"/notifications/{notice.id}/read")
    assert response.status_code in (302, 404)
    intruder_client.post("/notifications/read", data={"user_id": victim.id})
    [still] = victims(Notification, victim)
    assert still.read_at is None
    page = text_of(intruder_client.get(f"/notifications?user_id={victim.id}").text)
    assert "Ann Author replied to your comment" not in page
    assert intruder_client.post(f"/notifications/{notice.id + 1000}/read").status_code in (302, 404)


def test_bookmarks_of_someone_else_cannot_be_seen_or_removed(victim, intruder_client, intruder):
    comment_id = victim.comment_id
    assert NOTE not in text_of(intruder_client.get(f"{TALK}?show=bookmarked").text)
    assert NOTE not in text_of(intruder_client.get(f"{TALK}?show=bookmarked&user_id={victim.id}").text)
    assert "Bookmarked" not in text_of(intruder_client.get(f"/people/{victim.id}").text)
    intruder_client.post(f"/comments/{comment_id}/unbookmark", data={"user_id": victim.id})
    assert count(Bookmark, user_id=victim.id, comment_id=comment_id) == 1
    intruder_client.post(f"/comments/{comment_id}/bookmark", data={"user_id": victim.id})
    assert count(Bookmark, user_id=intruder.id, comment_id=comment_id) == 1  # their own, not a second of hers
    assert count(Bookmark, user_id=victim.id) == 1


def test_a_certificate_is_claimed_and_shown_only_for_its_owner(victim, intruder_client, intruder):
    [certificate] = db.session.scalars(sa.select(Certificate)).all()
    assert certificate.user_id == victim.id
    mine = text_of(intruder_client.get(f"/certificate?user_id={victim.id}").text)
    assert "What is left to do" in mine and certificate.code not in mine and "Lee Learner" not in mine
    response = intruder_client.post("/certificate", data={"user_id": victim.id, "code": certificate.code})
    assert response.location == "/certificate"
    assert count(Certificate) == 1 and count(Certificate, user_id=intruder.id) == 0
    # The public check shows what the certificate says and nothing more about its owner.
    public = text_of(intruder_client.get(f"/certificates/{certificate.code}").text)
    assert "Lee Learner" in public and victim.email not in public and "walked out" not in public
    assert "score" not in public.lower()


def test_facilitators_of_no_cohort_cannot_reach_a_learner_by_id(victim, make_app, assessed_course, facilitator):
    staff = make_app().test_client()
    assert staff.post("/login", data={"email": facilitator.email, "password": PASSWORD}).status_code == 302
    for cohort_id in (1, 2, 999):
        assert staff.get(f"/facilitate/cohorts/{cohort_id}/learners/{victim.id}").status_code in (403, 404)
    [reflection] = victims(Reflection, victim)
    assert staff.get(f"/reflections/{reflection.id}").status_code in (302, 404)
