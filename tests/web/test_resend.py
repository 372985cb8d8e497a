"""A form sent twice (a double click, the browser's "resend") acts once and is answered as
the first send was: the same status, the same place, the same message (issue 24).

Each test takes the form's fields from the page, as a browser does, and sends them twice.
"""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

from lms.assessment.models import QuizAttempt, SelfAssessmentResponse
from lms.comments.models import CommentLike, Follow, Report
from lms.extensions import db
from lms.learning.models import Enrolment, StepProgress
from lms.reflection.models import Reflection
from tests.web.discussion_support import TALK, text_of

QUIZ = "/steps/check-your-learning/quick-quiz"
TEST = "/steps/check-your-learning/final-test"
SELF = "/steps/check-your-learning/how-you-lead"
LOOK_BACK = "/steps/next-steps/look-back"
WELCOME = "/steps/first-steps/welcome"


def hidden_fields(page: str, form_id: str = "answers") -> dict[str, str]:
    """The hidden inputs of the form with this id, as the browser would send them."""
    form = page.split(f'id="{form_id}"', 1)[1].split("</form>", 1)[0]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def banners(page: str) -> list[str]:
    """The messages at the top of a page (flashed by the answer before it)."""
    return re.findall(r'<p class="nhsuk-notification-banner__heading">(.*?)</p>', page, re.S)


def sent_twice(client, url: str, data: dict):
    """Send the same form twice; return each answer: status, where it leads, and what it says
    (the messages on the page it leads to, or the page itself when it does not redirect)."""
    answers = []
    for _ in range(2):
        response = client.post(url, data=data)
        if response.status_code == 302:
            said = " | ".join(banners(client.get(response.location).text))
        else:
            said = text_of(response.text)
        answers.append((response.status_code, response.location, said))
    return answers


def test_a_test_form_sent_twice_uses_one_attempt_and_is_answered_the_same(client, assessed, assessed_course):
    data = {**hidden_fields(client.get(TEST).text), "question-capital": "2", "question-nations": "3"}
    first, second = sent_twice(client, f"{TEST}/answers", data)
    assert first[0] == 302 and first[1] == f"{TEST}/results"
    assert first == second  # the results page, which opens with the result (no banner: it is not a pass)
    assert count(QuizAttempt) == 1
    text = text_of(client.get(f"{TEST}/results").text)
    assert "Not a pass this time You scored 0% (0 of 2 right)." in text and "You have 1 attempt left." in text


def test_the_last_test_attempt_sent_twice_is_answered_with_its_result_not_a_refusal(client, assessed, assessed_course):
    wrong = {"question-capital": "2", "question-nations": "3"}
    client.post(f"{TEST}/answers", data={**hidden_fields(client.get(TEST).text), **wrong})
    data = {**hidden_fields(client.get(TEST).text), **wrong}  # attempt 2 of 2, from a new page
    first, second = sent_twice(client, f"{TEST}/answers", data)
    assert first[0] == 302 and first == second, (first, second)
    assert count(QuizAttempt) == 2
    assert client.post(f"{TEST}/answers", data={**data, "submission": "another-form"}).status_code == 409


def test_changed_answers_sent_from_the_same_page_are_a_new_attempt(client, assessed, assessed_course):
    """Back to a kept page, other answers, send: not a resend, so it counts (and is not lost)."""
    fields = hidden_fields(client.get(QUIZ).text)
    client.post(f"{QUIZ}/answers", data={**fields, "question-colour": "2", "question-values": ["1", "3"]})
    client.post(f"{QUIZ}/answers", data={**fields, "question-colour": "1", "question-values": ["1", "2"]})
    db.session.expire_all()
    assert db.session.scalars(sa.select(QuizAttempt.score).order_by(QuizAttempt.number)).all() == [0, 100]


def test_a_quiz_form_sent_twice_records_one_attempt(client, assessed, assessed_course):
    data = {**hidden_fields(client.get(QUIZ).text), "question-colour": "1", "question-values": ["1", "2"]}
    first, second = sent_twice(client, f"{QUIZ}/answers", data)
    assert first[1] == f"{QUIZ}/results" and first == second
    assert count(QuizAttempt) == 1
    assert "You got every question right 2 of 2 right (100%)." in text_of(client.get(f"{QUIZ}/results").text)


def test_a_self_assessment_sent_twice_keeps_one_response(client, assessed, assessed_course):
    answers = {"statement-listen": "4", "statement-interrupt": "2", "statement-obstacles": "5"}
    first, second = sent_twice(client, f"{SELF}/answers", {**hidden_fields(client.get(SELF).text), **answers})
    assert first[1] == f"{SELF}/results" and "Your answers are saved." in first[2]
    assert first == second
    assert count(SelfAssessmentResponse) == 1
    assert "1 time in all" in text_of(client.get(SELF).text)


def test_an_incomplete_sheet_sent_twice_is_refused_twice_and_keeps_nothing(client, assessed, assessed_course):
    data = {**hidden_fields(client.get(SELF).text), "statement-listen": "4"}
    first, second = sent_twice(client, f"{SELF}/answers", data)
    assert first[0] == second[0] == 400 and "2 items marked below" in first[2] and "2 items marked below" in second[2]
    assert count(SelfAssessmentResponse) == 0


def _someone_elses_comment(course):
    from lms.learning import service as learning
    from tests.factories import make_comment, make_user
    from tests.web.discussion_support import step_id

    author = make_user(email="author@example.org", display_name="Ann Author")
    learning.join_course(author.id, course.course.id)
    return make_comment(author, step_id(), "Something to react to")


def test_a_report_sent_twice_makes_one_report(client, enrolled, course):
    comment = _someone_elses_comment(course)
    data = {"reason": "unkind", "details": "Said twice", "next": TALK}
    first, second = sent_twice(client, f"/comments/{comment.id}/report", data)
    assert first[0] == 302 and "Thank you for reporting this comment." in first[2]
    assert first == second
    assert count(Report) == 1


def test_a_like_and_a_follow_sent_twice_count_once(client, enrolled, course):
    comment = _someone_elses_comment(course)
    first, second = sent_twice(client, f"/comments/{comment.id}/like", {"next": TALK})
    assert first[0] == 302 and first == second
    assert count(CommentLike) == 1
    db.session.refresh(comment)
    assert comment.like_count == 1
    first, second = sent_twice(client, f"/people/{comment.author_id}/follow", {})
    assert first[0] == 302 and "You are following this learner." in first[2] and first == second
    assert count(Follow) == 1


def test_a_reflection_sent_twice_is_one_reflection(client, enrolled, course):
    first, second = sent_twice(client, f"{LOOK_BACK}/reflection", {"body": "Kept once", "in_record": "y"})
    assert first[0] == 302 and "Your reflection is saved." in first[2] and first == second
    assert count(Reflection) == 1


def test_mark_complete_sent_twice_is_complete_once_and_answered_the_same(client, enrolled, course):
    first, second = sent_twice(client, f"{WELCOME}/complete", {"complete": "1"})
    assert first[0] == 302 and "Step 1.1 is marked as complete." in first[2] and first == second
    assert db.session.scalar(sa.select(sa.func.count(StepProgress.completed_at))) == 1


def test_joining_the_course_twice_is_answered_with_the_welcome_both_times(client, course, learner, login):
    login(learner)
    first, second = sent_twice(client, "/join", {})
    assert first[1] == "/todo" and "Welcome!" in first[2]
    assert first == second
    assert count(Enrolment) == 1


def test_joining_a_cohort_twice_is_one_membership(client, course, learner, login):
    from lms.cohorts import service as cohorts
    from lms.cohorts.models import CohortMember

    cohorts.create_cohort(course.course.id, "Ward leaders", date(2027, 3, 1), "WARD-2027")
    db.session.commit()
    login(learner)
    first, second = sent_twice(client, "/cohorts/join", {"code": "WARD-2027"})
    assert "You have joined the cohort Ward leaders" in first[2] and first == second
    assert count(CohortMember) == 1 and count(Enrolment) == 1


def test_a_resend_costs_no_more_statements_than_the_first_send(client, assessed, assessed_course, count_queries):
    client.get(TEST)  # fill this process's outline and step cache (lms.content.cache)
    data = {**hidden_fields(client.get(TEST).text), "question-capital": "1", "question-nations": "1"}
    sends = []
    for _ in range(3):
        with count_queries() as statements:
            assert client.post(f"{TEST}/answers", data=data).status_code == 302
        sends.append(len(statements))
    first, *resends = sends
    # The first: who is signed in, the attempts so far, the attempt, the completion. A resend
    # (here after the test closed, as the sheet passed): who, the attempts, the first one kept.
    assert resends[0] == resends[1] <= first <= 6, sends


def test_every_page_gives_the_kept_sheet_a_new_key_without_changing_its_version(client, assessed, assessed_course):
    client.get(TEST)  # the blank sheet is kept from here on (lms.assessment.sheet)
    first, second = client.get(TEST), client.get(TEST)
    keys = [hidden_fields(page.text)["submission"] for page in (first, second)]
    assert keys[0] != keys[1] and all(key.endswith("-answers") and len(key) > 20 for key in keys)
    assert "<lms:" not in first.text  # the slots were filled
    assert first.headers["ETag"] == second.headers["ETag"]  # a 304 still answers an unchanged page
