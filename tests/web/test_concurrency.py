"""Many identical requests at once produce exactly the right rows (constraints, not luck)."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from lms.extensions import db
from lms.learning.models import Enrolment, StepProgress
from tests.threaded_server import Browser, served_over_http

WELCOME = "/steps/first-steps/welcome"


def clients_signed_in_as(app, client, count: int):
    """`count` clients carrying the same signed-in cookies, like one learner's many tabs."""
    copies = []
    for _ in range(count):
        copy = app.test_client()
        for cookie in client._cookies.values():
            copy.set_cookie(cookie.key, cookie.value)
        copies.append(copy)
    return copies


def fire(clients, method: str, url: str, data: dict | None = None) -> list[int]:
    def send(c):
        return getattr(c, method)(url, data=data or {}).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(send, clients))


def test_fifty_simultaneous_mark_complete_make_one_completed_row(app, client, enrolled, course):
    statuses = fire(clients_signed_in_as(app, client, 50), "post", WELCOME + "/complete", {"complete": "1"})
    assert set(statuses) == {302}
    db.session.expire_all()
    rows = db.session.execute(sa.select(StepProgress.user_id, StepProgress.completed_at)).all()
    assert len(rows) == 1 and rows[0].user_id == enrolled.id and rows[0].completed_at is not None


def test_fifty_simultaneous_first_visits_make_one_row(app, client, enrolled):
    statuses = fire(clients_signed_in_as(app, client, 50), "get", WELCOME)
    assert set(statuses) == {200}
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StepProgress)) == 1


def test_fifty_simultaneous_joins_make_one_enrolment(app, client, course, learner, login):
    login(learner)
    statuses = fire(clients_signed_in_as(app, client, 50), "post", "/join")
    assert set(statuses) == {302}
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 1


TALK = "/steps/first-steps/talk-about-it"


def _someone_elses_comment(course, text="Like this, once"):
    from lms.content.models import Step
    from lms.learning import service as learning
    from tests.factories import make_comment, make_user

    author = make_user(email="author@example.org", display_name="Ann Author")
    learning.join_course(author.id, course.course.id)
    step_id = db.session.scalar(sa.select(Step.id).where(Step.slug == "talk-about-it"))
    return make_comment(author, step_id, text)


def test_fifty_simultaneous_likes_make_one_like_one_count_and_one_notification(app, client, enrolled, course):
    from lms.comments.models import Comment, CommentLike
    from lms.notifications.models import Notification

    comment = _someone_elses_comment(course)
    statuses = fire(clients_signed_in_as(app, client, 50), "post", f"/comments/{comment.id}/like", {"next": TALK})
    assert set(statuses) == {302}
    db.session.expire_all()
    likes = db.session.execute(sa.select(CommentLike.user_id, CommentLike.comment_id)).all()
    assert likes == [(enrolled.id, comment.id)]
    assert db.session.get(Comment, comment.id).like_count == 1
    told = db.session.scalars(sa.select(Notification.kind).where(Notification.user_id == comment.author_id)).all()
    assert told == ["like"]


def test_fifty_simultaneous_sends_of_one_comment_form_post_it_once(app, client, enrolled, course):
    from lms.comments.models import Comment
    from lms.content.models import Step

    data = {"body": "Sent from a double-click", "submission": "one-form"}
    statuses = fire(clients_signed_in_as(app, client, 50), "post", TALK + "/comments", data)
    assert set(statuses) == {302}
    db.session.expire_all()
    rows = db.session.execute(sa.select(Comment.author_id, Comment.body_md)).all()
    assert rows == [(enrolled.id, "Sent from a double-click")]
    assert db.session.scalar(sa.select(Step.comment_count).where(Step.slug == "talk-about-it")) == 1


def test_fifty_simultaneous_different_comments_are_all_posted_and_counted(app, client, enrolled, course):
    from lms.comments.models import Comment
    from lms.content.models import Step

    tabs = clients_signed_in_as(app, client, 50)

    def send(numbered):
        n, tab = numbered
        return tab.post(TALK + "/comments", data={"body": f"Thought {n}", "submission": f"form-{n}"}).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(send, enumerate(tabs)))
    assert set(statuses) == {302}
    db.session.expire_all()
    bodies = db.session.scalars(sa.select(Comment.body_md)).all()
    assert sorted(bodies) == sorted(f"Thought {n}" for n in range(50))
    assert db.session.scalar(sa.select(Step.comment_count).where(Step.slug == "talk-about-it")) == 50


def test_fifty_simultaneous_replies_from_one_form_post_one_reply_and_count_it_once(app, client, enrolled, course):
    from lms.comments.models import Comment
    from lms.notifications.models import Notification

    parent = _someone_elses_comment(course, "Ask me anything")
    data = {"body": "Just the once", "submission": "reply-form", "next": TALK}
    statuses = fire(clients_signed_in_as(app, client, 50), "post", f"/comments/{parent.id}/reply", data)
    assert set(statuses) == {302}
    db.session.expire_all()
    replies = db.session.scalars(sa.select(Comment.body_md).where(Comment.parent_id == parent.id)).all()
    assert replies == ["Just the once"]
    assert db.session.get(Comment, parent.id).reply_count == 1
    assert db.session.scalars(sa.select(Notification.kind).where(Notification.user_id == parent.author_id)).all() == [
        "reply"
    ]


def test_a_reply_to_a_comment_deleted_meanwhile_is_refused_with_the_text_kept(client, enrolled, course):
    from lms.accounts.models import User
    from lms.comments import service as discussion
    from lms.comments.models import Comment

    parent = _someone_elses_comment(course, "Soon gone")
    assert "Your reply to Ann Author" in client.get(f"/comments/{parent.id}/reply").text  # the box is open...
    discussion.delete_comment(db.session.get(User, parent.author_id), parent)  # ...when its author deletes the comment
    response = client.post(
        f"/comments/{parent.id}/reply", data={"body": "A reply I took care over", "submission": "late", "next": TALK}
    )
    assert response.status_code == 400
    assert "The comment you are replying to has been deleted, so your reply was not posted." in response.text
    assert ">A reply I took care over</textarea>" in response.text
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment).where(Comment.parent_id == parent.id)) == 0


def test_a_reply_to_a_comment_hidden_meanwhile_is_refused_with_the_text_kept(client, enrolled, course, facilitator):
    from lms.moderation import service as moderation

    parent = _someone_elses_comment(course, "Soon hidden")
    moderation.hide(facilitator, parent, "unkind", "")
    response = client.post(f"/comments/{parent.id}/reply", data={"body": "Still mine", "next": TALK})
    assert response.status_code == 400
    assert "has been hidden by a facilitator, so your reply was not posted" in response.text
    assert ">Still mine</textarea>" in response.text


# Resent and simultaneous answer sheets, reports, reflections and joins (issue 24). The test
# form is sent at a real server, over HTTP with CSRF on, as the browser sends it.


@pytest.fixture
def live_server(make_app, assessed_course):
    """The app with CSRF on, served over HTTP by a threaded server on a free port."""
    with served_over_http(make_app(WTF_CSRF_ENABLED=True)) as url:
        yield url


def answer_sheet_fields(page: str) -> dict[str, str]:
    """The hidden fields of the page's answer sheet (CSRF token, step, submission key)."""
    form = page.split('id="answers"', 1)[1].split("</form>", 1)[0]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


FINAL_TEST = "/steps/check-your-learning/final-test"


def test_six_simultaneous_sends_of_one_test_form_record_one_attempt_and_answer_all_six(
    live_server, assessed_course, learner
):
    from lms.assessment.models import QuizAttempt
    from lms.learning import service as learning

    learning.join_course(learner.id, assessed_course.course.id)
    db.session.remove()
    browser = Browser(live_server)
    browser.sign_in(learner.email)
    data = {**answer_sheet_fields(browser.send(FINAL_TEST)[2]), "question-capital": "2", "question-nations": "3"}
    start = threading.Barrier(6)

    def send(_):
        start.wait()
        status, location, _ = browser.send(f"{FINAL_TEST}/answers", data)
        return status, location

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(send, range(6)))
    assert answers == [(302, f"{FINAL_TEST}/results")] * 6
    db.session.expire_all()
    assert db.session.scalars(sa.select(QuizAttempt.number)).all() == [1]
    # Not a pass, so not complete (issue 18); the step's one row is its visit.
    assert db.session.scalars(sa.select(StepProgress.completed_at).where(StepProgress.user_id == learner.id)).all() == [
        None
    ]


SELF_ASSESSMENT = "/steps/check-your-learning/how-you-lead"


def _sheet_of(client, url: str) -> dict[str, str]:
    return answer_sheet_fields(client.get(url).text)


def test_six_simultaneous_sends_of_one_self_assessment_keep_one_response(app, client, assessed, assessed_course):
    from lms.assessment.models import SelfAssessmentResponse

    data = {
        **_sheet_of(client, SELF_ASSESSMENT),
        "statement-listen": "4",
        "statement-interrupt": "2",
        "statement-obstacles": "5",
    }
    statuses = fire(clients_signed_in_as(app, client, 6), "post", SELF_ASSESSMENT + "/answers", data)
    assert set(statuses) == {302}
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SelfAssessmentResponse)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StepProgress)) == 1


def test_six_different_quiz_forms_at_once_are_six_attempts_numbered_one_to_six(app, client, assessed, assessed_course):
    from lms.assessment.models import QuizAttempt

    quiz = "/steps/check-your-learning/quick-quiz"
    tabs = clients_signed_in_as(app, client, 6)
    forms = [{**_sheet_of(tab, quiz), "question-colour": "1", "question-values": ["1", "2"]} for tab in tabs]

    def send(numbered):
        n, tab = numbered
        return tab.post(quiz + "/answers", data=forms[n]).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(send, enumerate(tabs)))
    assert set(statuses) == {302}
    db.session.expire_all()
    assert sorted(db.session.scalars(sa.select(QuizAttempt.number))) == [1, 2, 3, 4, 5, 6]


def test_simultaneous_first_saves_of_a_reflection_make_one(app, client, enrolled, course):
    from lms.reflection.models import Reflection

    data = {"body": "Written once, sent many times"}
    statuses = fire(clients_signed_in_as(app, client, 12), "post", "/steps/next-steps/look-back/reflection", data)
    assert set(statuses) == {302}
    db.session.expire_all()
    assert db.session.scalars(sa.select(Reflection.body_md)).all() == ["Written once, sent many times"]


def test_simultaneous_reports_of_one_comment_make_one_report(app, client, enrolled, course):
    from lms.comments.models import Report

    comment = _someone_elses_comment(course, "Report me once")
    data = {"reason": "unkind", "details": "", "next": TALK}
    statuses = fire(clients_signed_in_as(app, client, 12), "post", f"/comments/{comment.id}/report", data)
    assert set(statuses) == {302}
    db.session.expire_all()
    assert db.session.scalars(sa.select(Report.reporter_id)).all() == [enrolled.id]


def test_simultaneous_follows_make_one_follow(app, client, enrolled, course):
    from lms.comments.models import Follow

    comment = _someone_elses_comment(course)
    statuses = fire(clients_signed_in_as(app, client, 12), "post", f"/people/{comment.author_id}/follow")
    assert set(statuses) == {302}
    db.session.expire_all()
    assert db.session.execute(sa.select(Follow.follower_id, Follow.followed_id)).all() == [
        (enrolled.id, comment.author_id)
    ]


def test_simultaneous_joins_with_a_code_make_one_membership_and_one_enrolment(app, client, course, learner, login):
    from datetime import date

    from lms.cohorts import service as cohorts
    from lms.cohorts.models import CohortMember

    cohorts.create_cohort(course.course.id, "Ward leaders", date(2027, 3, 1), "WARD-2027")
    db.session.commit()
    login(learner)
    statuses = fire(clients_signed_in_as(app, client, 12), "post", "/cohorts/join", {"code": "WARD-2027"})
    assert set(statuses) == {302}
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CohortMember)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 1
