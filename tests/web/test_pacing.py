"""Cohort runs: a weekly cohort opens a module a week, and after its end date its learners'
discussions are read-only. Dates are real (a cohort that started today, or a week ago), so
nothing about time is faked."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lms.assessment.models import QuizAttempt
from lms.certificates.models import Certificate
from lms.cohorts import service as cohorts
from lms.cohorts.models import Cohort, CohortRole, Pace
from lms.comments.models import Comment, CommentLike
from lms.extensions import db
from lms.learning import completion
from lms.learning import service as learning
from lms.learning.models import StepProgress
from lms.learning.pacing import long_date, uk_today
from lms.reflection.models import Reflection
from tests.factories import make_comment, make_user
from tests.web.discussion_support import step_id, text_of

WELCOME = "/steps/first-steps/welcome"
TALK = "/steps/first-steps/talk-about-it"
LOOK_BACK = "/steps/next-steps/look-back"  # module 2, a reflection step
QUIZ = "/steps/check-your-learning/quick-quiz"  # module 3 of the assessed course
HOW_YOU_LEAD = "/steps/check-your-learning/how-you-lead"
TEST = "/steps/check-your-learning/final-test"
TODAY = uk_today()
WEEK = timedelta(days=7)


def cohort_of(course, starts_on: date, *learners, pace=Pace.WEEKLY, ends_on=None, code=None) -> Cohort:
    cohort = cohorts.create_cohort(course.course.id, f"Cohort from {starts_on}", starts_on, code, pace, ends_on)
    for person in learners:
        cohorts.add_member(cohort, person.email, CohortRole.LEARNER)
    db.session.commit()
    return cohort


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_course_and_to_do_pages_list_each_week_with_its_opening_date(client, enrolled, course):
    cohort_of(course, TODAY, enrolled)
    page = client.get("/").text
    text = text_of(page)
    assert "Your cohort takes the course a week at a time" in text
    assert f"Week 1: opened on {long_date(TODAY)}" in text
    assert f"Week 2: opens on {long_date(TODAY + WEEK)}" in text
    assert 'href="/modules/first-steps"' in page and 'href="/modules/next-steps"' not in page

    todo = client.get("/todo").text
    assert f"Week 2: opens on {long_date(TODAY + WEEK)}" in text_of(todo)
    assert WELCOME in todo and LOOK_BACK not in todo  # no link into a week not open
    assert "Look back" in todo  # but it is listed

    module = client.get("/modules/next-steps").text
    assert f"This module opens on {long_date(TODAY + WEEK)} for your cohort" in text_of(module)
    assert LOOK_BACK not in module


def test_once_the_open_weeks_are_done_the_to_do_page_says_when_the_next_step_opens(client, enrolled, course):
    cohort_of(course, TODAY, enrolled)
    for step in course.modules[0].steps:
        completion.set_step_complete(enrolled.id, step.id)
    text = text_of(client.get("/todo").text)
    assert f"Your next step, 2.1 Look back, opens on {long_date(TODAY + WEEK)}" in text


def test_a_step_not_open_yet_says_when_it_opens_instead_of_its_body_and_discussion(
    client, enrolled, course, facilitator
):
    make_comment(facilitator, step_id("look-back"), "A facilitator's early note")
    cohort_of(course, TODAY, enrolled)
    response = client.get(LOOK_BACK)
    assert response.status_code == 200
    text = text_of(response.text)
    assert f"This step opens on {long_date(TODAY + WEEK)} , with the rest of module 2" in text
    assert "Take a moment to reflect" not in text  # the body
    assert "What will you do differently?" not in text  # the prompt
    assert "A facilitator's early note" not in text and "Post comment" not in text
    assert "Mark as complete" not in text and 'name="body"' not in response.text
    assert count(StepProgress) == 0  # looking is not visiting


def test_every_post_about_a_step_not_open_is_refused_with_when_it_opens(client, assessed, assessed_course, facilitator):
    note = make_comment(facilitator, step_id("look-back"), "A facilitator's early note")
    cohort_of(assessed_course, TODAY, assessed)
    when = long_date(TODAY + WEEK)
    refusals = {
        f"{LOOK_BACK}/complete": {"complete": "1"},
        f"{LOOK_BACK}/comments": {"body": "Too early", "submission": "k1"},
        f"{LOOK_BACK}/reflection": {"body": "Too early"},
        f"{LOOK_BACK}/reflection/autosave": {"body": "Too early"},
        f"/comments/{note.id}/reply": {"body": "Too early", "submission": "k2"},
        f"/comments/{note.id}/like": {},
    }
    for url, data in refusals.items():
        response = client.post(url, data=data)
        assert response.status_code == 403, url
        assert f"Step 2.1 opens on {when}" in text_of(response.text), url
    module_3 = long_date(TODAY + 2 * WEEK)
    for url in (QUIZ, HOW_YOU_LEAD, TEST):  # the final test too: no certificate before its week
        sid = step_id(url.rsplit("/", 1)[1])
        response = client.post(f"{url}/answers", data={"step": str(sid), "question-capital": "1"})
        assert response.status_code == 403 and f"opens on {module_3}" in text_of(response.text), url
    assert client.get(f"/comments/{note.id}").status_code == 403  # its discussion is not shown either
    assert client.get(f"{LOOK_BACK}/comments").status_code == 403
    assert (count(StepProgress), count(Reflection), count(QuizAttempt), count(CommentLike)) == (0, 0, 0, 0)
    assert count(Comment) == 1


def test_a_week_opens_on_its_opening_date_and_stays_open(client, enrolled, course):
    cohort = cohort_of(course, TODAY - WEEK + timedelta(days=1), enrolled)  # week 2 opens tomorrow
    assert "This step opens on" in text_of(client.get(LOOK_BACK).text)
    cohort.starts_on = TODAY - WEEK  # week 2 opens today
    db.session.commit()
    text = text_of(client.get(LOOK_BACK).text)
    assert "Take a moment to reflect" in text and "This step opens on" not in text
    assert client.post(f"{LOOK_BACK}/complete", data={"complete": "1"}).status_code == 302
    assert f"Week 2: opened on {long_date(TODAY)}" in text_of(client.get("/todo").text)
    cohort.starts_on = TODAY - 10 * WEEK  # long ago: everything open
    db.session.commit()
    assert "Take a moment to reflect" in text_of(client.get(LOOK_BACK).text)


def test_a_late_joiner_sees_every_week_that_has_opened(client, learner, login, assessed_course):
    cohort_of(assessed_course, TODAY - WEEK - timedelta(days=1), code="LATE-2027")  # weeks 1 and 2 open
    login(learner)
    assert client.post("/cohorts/join", data={"code": "LATE-2027"}).location == "/todo"
    assert "Take a moment to reflect" in text_of(client.get(LOOK_BACK).text)
    assert "Welcome" in text_of(client.get(WELCOME).text)
    quiz = text_of(client.get(QUIZ).text)
    assert f"This step opens on {long_date(TODAY + timedelta(days=6))}" in quiz


def test_facilitators_and_admins_see_everything_at_once(course, sign_in, facilitator, admin, learner):
    cohort = cohort_of(course, TODAY, learner)
    cohorts.add_member(cohort, facilitator.email, CohortRole.FACILITATOR)
    db.session.commit()
    for person in (facilitator, admin):
        client = sign_in(person)
        text = text_of(client.get(LOOK_BACK).text)
        assert "Take a moment to reflect" in text and "opens on" not in text
        assert "Week 2" not in text_of(client.get("/todo").text)


@pytest.mark.parametrize("in_cohort", [True, False])
def test_a_self_paced_learner_sees_everything_without_dates(client, enrolled, course, in_cohort):
    if in_cohort:
        cohort_of(course, TODAY + 3 * WEEK, enrolled, pace=Pace.SELF_PACED)  # even before its start
    assert "Take a moment to reflect" in text_of(client.get(LOOK_BACK).text)
    assert "Week 1" not in text_of(client.get("/todo").text) and "Week 1" not in text_of(client.get("/").text)
    assert client.post(f"{LOOK_BACK}/complete", data={"complete": "1"}).status_code == 302


def test_in_several_cohorts_a_learner_follows_the_earliest_opening(client, enrolled, course):
    cohort_of(course, TODAY, enrolled)
    assert "This step opens on" in text_of(client.get(LOOK_BACK).text)
    cohort_of(course, TODAY - WEEK, enrolled)  # an earlier weekly cohort: week 2 open
    assert "Take a moment to reflect" in text_of(client.get(LOOK_BACK).text)
    assert f"Week 2: opened on {long_date(TODAY)}" in text_of(client.get("/todo").text)
    cohort_of(course, TODAY + WEEK, enrolled, pace=Pace.SELF_PACED)  # any self-paced one: all open, no dates
    assert "Week 2" not in text_of(client.get("/todo").text)


def test_after_the_end_date_discussions_are_read_only_but_progress_stays(client, enrolled, course, sign_in):
    talk = step_id("talk-about-it")
    mine = make_comment(enrolled, talk, "Posted before the end")
    other = make_comment(make_user(display_name="Pat Peer"), talk, "A peer's comment")
    completion.set_step_complete(enrolled.id, step_id("welcome"))
    cohort_of(course, TODAY - 8 * WEEK, enrolled, ends_on=TODAY - timedelta(days=1))
    ended = long_date(TODAY - timedelta(days=1))

    page = client.get(TALK).text
    text = text_of(page)
    assert f"Your cohort ended on {ended}. You can read this discussion, but not add to it." in text
    assert "Posted before the end" in text and "A peer's comment" in text
    assert "Post comment" not in text and "Post reply" not in text and ">Like<" not in page
    assert f"/comments/{mine.id}/delete" in page  # a learner can still take back their own words

    response = client.post(f"{TALK}/comments", data={"body": "After the end", "submission": "k3"})
    assert response.status_code == 400
    assert f"Your cohort ended on {ended}, so discussions are now read-only" in text_of(response.text)
    assert "After the end" in response.text  # kept in the box
    assert client.post(f"/comments/{other.id}/reply", data={"body": "Late reply"}).status_code == 400
    assert client.post(f"/comments/{mine.id}/edit", data={"body": "Changed"}).status_code == 400
    assert client.post(f"/comments/{other.id}/like").status_code == 403
    assert client.get(f"{TALK}/comments").status_code == 403
    assert count(Comment) == 2 and count(CommentLike) == 0
    assert db.session.get(Comment, mine.id).body_md == "Posted before the end"

    assert (
        client.post(f"{WELCOME.replace('welcome', 'watch-this')}/complete", data={"complete": "1"}).status_code == 302
    )
    # module 1: progress kept (posting completed the discussion step) and added to
    assert "3 of 3 steps complete" in text_of(client.get("/todo").text)

    staff = sign_in(make_user(role="facilitator"))  # staff are never stopped
    assert staff.post(f"{TALK}/comments", data={"body": "From the facilitator"}).status_code == 302


def test_discussions_stay_open_through_the_end_date(client, enrolled, course):
    cohort_of(course, TODAY - WEEK, enrolled, ends_on=TODAY)
    assert "Post comment" in text_of(client.get(TALK).text)
    assert client.post(f"{TALK}/comments", data={"body": "On the last day"}).status_code == 302


def test_each_learner_sees_their_own_end_date_on_a_shared_thread(course, sign_in):
    ann, bob, cat = make_user(display_name="Ann"), make_user(display_name="Bob"), make_user(display_name="Cat")
    cohort_of(course, TODAY - 8 * WEEK, ann, ends_on=TODAY - WEEK)
    cohort_of(course, TODAY - 8 * WEEK, bob, ends_on=TODAY - timedelta(days=2))
    pages = {name: text_of(sign_in(who).get(TALK).text) for name, who in (("ann", ann), ("bob", bob), ("cat", cat))}
    assert f"ended on {long_date(TODAY - WEEK)}" in pages["ann"] and "Post comment" not in pages["ann"]
    assert f"ended on {long_date(TODAY - timedelta(days=2))}" in pages["bob"]
    assert long_date(TODAY - WEEK) not in pages["bob"]
    assert "ended on" not in pages["cat"] and "Post comment" in pages["cat"]


def test_the_certificate_stays_after_the_end_date(client, assessed, assessed_course):
    for step in assessed_course.steps:
        completion.complete_step(assessed.id, step.id)
    db.session.commit()
    test_id = step_id("final-test")
    answers = {"step": str(test_id), "question-capital": "1", "question-nations": ["1", "2"]}
    assert client.post(f"{TEST}/answers", data=answers).status_code == 302
    assert client.post("/certificate").status_code == 302
    cohort_of(assessed_course, TODAY - 8 * WEEK, assessed, ends_on=TODAY - WEEK)
    text = text_of(client.get("/certificate").text)
    assert "Certificate of achievement" in text and count(Certificate) == 1
    assert "You earned your certificate on" in text_of(client.get("/progress").text)


def test_a_profile_leaves_out_comments_on_weeks_not_open_to_the_viewer(client, enrolled, course):
    peer = make_user(display_name="Sam Selfpaced")
    make_comment(peer, step_id("talk-about-it"), "A week 1 thought")
    make_comment(peer, step_id("look-back"), "A week 2 thought")
    cohort_of(course, TODAY, enrolled)
    text = text_of(client.get(f"/people/{peer.id}").text)
    assert "A week 1 thought" in text and "A week 2 thought" not in text


def test_without_the_sign_in_query_the_pace_costs_one_query(app, course, learner, count_queries):
    """A person signed in by this very request was not read with the sign-in query."""
    from lms.accounts import service as accounts

    cohort_of(course, TODAY - WEEK, learner, ends_on=TODAY + WEEK)
    cohort_of(course, TODAY, learner, ends_on=TODAY + 2 * WEEK)
    person = accounts.get_user(learner.id)
    with count_queries() as statements:
        schedule = learning.schedule_for(person)
    assert len(statements) == 1
    assert (schedule.weekly_from, schedule.discussions_until) == (TODAY - WEEK, TODAY + 2 * WEEK)
