"""Download my data and delete my account."""

from __future__ import annotations

import json

import sqlalchemy as sa

import lms.models  # noqa: F401  (every table known, for the check that none is left out)
from lms.accounts.models import User
from lms.audit.models import AuditEntry
from lms.db import Base
from lms.extensions import db
from lms.learning import completion
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
    completion.set_step_complete(intruder.id, course.steps[0].id)
    completion.set_step_complete(enrolled.id, course.steps[1].id)
    client.post("/steps/next-steps/look-back/reflection", data={"body": "My own words"})
    response = client.get("/record/my-data.json")
    assert response.mimetype == "application/json" and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["account"]["email"] == "learner@example.org" and "password_hash" not in json.dumps(data)
    # 1.2 marked, 2.1 completed by saving its reflection; none of the intruder's 1.1.
    assert sorted(r["step_id"] for r in data["step_progress"]) == [course.steps[1].id, course.steps[3].id]
    assert data["reflections"][0]["body_md"] == "My own words"
    assert len(data["enrolments"]) == 1
    assert set(PERSONAL_TABLES) <= set(data)


def test_delete_account_needs_the_password(client, enrolled):
    page = client.post("/record/delete-account", data={"password": "not my password"}).text
    assert "Your password is incorrect" in page
    assert db.session.get(User, enrolled.id).email == "learner@example.org"


def test_delete_account_erases_personal_data_and_signs_out(client, enrolled, course, login):
    completion.set_step_complete(enrolled.id, course.steps[0].id)
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


# With comments and assessments: one of everything, for the learner and for someone else.


def _one_of_each(person, other, outline) -> dict:
    """`person` answers, scores, comments, likes, bookmarks and follows `other` (and is told of their like);
    `other` does the same the other way round, so both have a row of each kind."""
    from lms.assessment import scoring
    from lms.assessment import service as assessment
    from lms.certificates.codes import new_code
    from lms.certificates.models import Certificate
    from lms.comments import service as discussion
    from lms.reflection import service as reflection

    step = outline.steps[0]
    quiz = next(s for s in outline.steps if s.type == "quiz")
    survey = next(s for s in outline.steps if s.type == "self-assessment")
    questions = assessment.settings_for(quiz, assessment.QUIZ_TYPES)["questions"]
    statements = assessment.settings_for(survey, ("self-assessment",))["statements"]
    said = {}
    for who, words in ((person, "Handovers start with how we are"), (other, "We tried that too")):
        said[who.id] = discussion.post_comment(who, step.id, words)
    for who, them in ((person, other), (other, person)):
        completion.set_step_complete(who.id, step.id)
        reflection.save(who.id, step.id, f"Private to {who.display_name}", {}, True)
        assessment.answer_quiz(who.id, quiz, str(quiz.id), {q["id"]: [scoring.option_keys(q)[0]] for q in questions})
        assessment.take_self_assessment(who.id, survey, str(survey.id), {s["id"]: ["4"] for s in statements})
        discussion.like(who, said[them.id])
        discussion.bookmark(who, said[them.id])
        discussion.follow(who, them.id)
        db.session.add(
            Certificate(
                user_id=who.id,
                course_id=outline.course.id,
                code=new_code(),
                learner_name=who.display_name,
                course_title="The course",
                hours=1,
            )
        )
    db.session.commit()
    return said


OWN_KINDS = (
    "reflections",
    "quiz_attempts",
    "self_assessment_responses",
    "certificates",
    "comments",
    "comment_likes",
    "bookmarks",
    "follows",
    "notifications",
    "enrolments",
)


def test_my_data_has_one_of_each_of_mine_and_nothing_of_anyone_elses(client, assessed, assessed_course, intruder):
    learning.join_course(intruder.id, assessed_course.course.id)
    _one_of_each(assessed, intruder, assessed_course)
    data = json.loads(client.get("/record/my-data.json").data)
    for kind in OWN_KINDS:
        assert len(data[kind]) == 1, kind
    assert len(data["step_progress"]) == 3  # the step, and the quiz and self-assessment answered
    assert data["comments"][0]["body_md"] == "Handovers start with how we are"
    assert data["reflections"][0]["body_md"] == "Private to Lee Learner"
    assert data["quiz_attempts"][0]["answers"] and data["quiz_attempts"][0]["score"] is not None
    assert data["self_assessment_responses"][0]["scores"]
    assert data["follows"][0]["follower_id"] == assessed.id  # whom I follow; who follows me is theirs
    assert data["notifications"][0]["user_id"] == assessed.id and data["notifications"][0]["kind"] == "like"
    text = json.dumps(data)
    assert "Ivy Intruder" not in text and "intruder@example.org" not in text
    for name, (columns, _) in PERSONAL_TABLES.items():
        for row in data[name]:
            assert assessed.id in {row[c] for c in columns}, (name, row)


def test_deleting_the_account_erases_private_rows_and_keeps_comments_as_a_former_learners(
    client, assessed, assessed_course, intruder
):
    from lms.assessment.models import QuizAttempt, SelfAssessmentResponse
    from lms.certificates.models import Certificate
    from lms.comments.models import Bookmark, Comment, CommentLike, Follow
    from lms.notifications.models import Notification

    learning.join_course(intruder.id, assessed_course.course.id)
    said = _one_of_each(assessed, intruder, assessed_course)
    mine, theirs = said[assessed.id].id, said[intruder.id].id
    assert client.post("/record/delete-account", data={"password": PASSWORD}).location == "/"

    def rows(model, column, user_id) -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(column == user_id))

    for model, column in (
        (Reflection, Reflection.user_id),
        (QuizAttempt, QuizAttempt.user_id),
        (SelfAssessmentResponse, SelfAssessmentResponse.user_id),
        (Certificate, Certificate.user_id),
        (CommentLike, CommentLike.user_id),
        (Bookmark, Bookmark.user_id),
        (Notification, Notification.user_id),
    ):
        assert rows(model, column, assessed.id) == 0, model.__name__
        assert rows(model, column, intruder.id) == 1, model.__name__  # the other learner keeps theirs
    assert rows(StepProgress, StepProgress.user_id, assessed.id) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Follow)) == 0  # both directions
    db.session.expire_all()
    assert db.session.get(Comment, theirs).like_count == 0  # my like is taken back
    kept = db.session.get(Comment, mine)
    assert kept.body_md == "Handovers start with how we are" and kept.like_count == 1  # their like stays

    other = client  # signed out now: read the thread as the other learner
    other.post("/login", data={"email": intruder.email, "password": PASSWORD})
    step = assessed_course.steps[0]
    page = other.get(f"/steps/{step.module_slug}/{step.slug}").text
    assert "Handovers start with how we are" in page and "A former learner" in page and "Lee Learner" not in page
