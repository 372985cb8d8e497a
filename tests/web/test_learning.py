"""The learner's journey through the test client: course page, join, to-do, steps, progress."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from lms.content.models import Step
from lms.extensions import db
from lms.learning import completion, service
from lms.learning.models import Enrolment, StepProgress

WELCOME = "/steps/first-steps/welcome"


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_visitor_sees_the_course_page_with_register_button(client, course):
    page = client.get("/").text
    text = text_of(page)
    assert "Test Course" in text and "A small course the tests import." in text
    assert "Find your way around a course" in text and "Mark steps complete" in text
    assert "Module 1: First steps" in text and "About 1 hour · 3 steps" in text
    assert "Module 2: Next steps" in text and "About 0.5 hours · 1 step" in text
    assert "Create an account to join" in text
    assert "The test team" in text


def test_no_course_imported_is_a_helpful_404(client):
    response = client.get("/")
    assert response.status_code == 404 and "Page not found" in response.text


def test_signed_in_learner_joins_the_course(client, course, learner, login):
    login(learner)
    assert "Join this course" in client.get("/").text
    response = client.post("/join")
    assert response.location == "/todo"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 1
    assert client.post("/join").location == "/todo"  # joining twice is harmless
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 1
    assert "Go to your to-do list" in client.get("/").text


def test_anonymous_visitors_are_sent_to_sign_in(client, course):
    for url in ("/todo", "/progress", "/modules/first-steps", WELCOME):
        response = client.get(url)
        assert response.status_code == 302 and response.location.startswith("/login?next="), url
    assert client.post(WELCOME + "/complete").location.startswith("/login")
    assert client.post("/join").location.startswith("/login")


def test_learner_who_has_not_joined_is_sent_to_the_course_page(client, course, learner, login):
    login(learner)
    for url in ("/todo", "/progress", WELCOME):
        assert client.get(url).location == "/", url
    assert "Join the course to start learning" in client.get("/").text
    assert client.post(WELCOME + "/complete").location == "/"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StepProgress)) == 0


def test_todo_lists_every_step_with_number_type_duration_and_tick(client, enrolled, course):
    completion.set_step_complete(enrolled.id, course.steps[0].id)
    text = text_of(client.get("/todo").text)
    assert "1 of 4 steps complete" in text
    assert "1.1 Welcome Article · 5 min Completed" in text
    assert "1.2 Watch this Video · 10 min Not completed" in text
    assert "1.3 Talk about it Discussion · 15 min Not completed" in text
    assert "2.1 Look back Reflection · 10 min Not completed" in text
    assert "Getting started" in text and "Talking it through" in text and "Looking back" in text
    assert "Continue where you left off Step 1.2: Watch this" in text


def test_todo_says_start_before_anything_is_done_and_well_done_at_the_end(client, enrolled, course):
    assert "Start the course Step 1.1: Welcome" in text_of(client.get("/todo").text)
    for step in course.steps:
        completion.set_step_complete(enrolled.id, step.id)
    assert "You have completed every step" in client.get("/todo").text


def test_step_page_shows_number_title_type_body_and_neighbours(client, enrolled):
    page = client.get(WELCOME).text
    text = text_of(page)
    assert "1.1 Welcome" in text and "Article" in text and "5 min" in text
    assert "<h2>Hello</h2>" in page and "<strong>welcome</strong>" in page
    assert "<script>alert" not in page  # author HTML is sanitised at import
    assert "Previous" not in text and "Next : 1.2 Watch this" in text
    assert "Mark as complete" in text


def test_step_pages_link_across_modules(client, enrolled):
    text = text_of(client.get("/steps/first-steps/talk-about-it").text)
    assert "Previous : 1.2 Watch this" in text and "Next : 2.1 Look back" in text
    text = text_of(client.get("/steps/next-steps/look-back").text)
    assert "Previous : 1.3 Talk about it" in text and "Next :" not in text


def test_video_discussion_and_reflection_steps_render(client, enrolled):
    video = client.get("/steps/first-steps/watch-this").text
    assert 'href="https://video.example.org/watch/1"' in video and "<h2>Key points</h2>" in video
    assert "Share an example from your own work." in client.get("/steps/first-steps/talk-about-it").text
    reflection = text_of(client.get("/steps/next-steps/look-back").text)
    assert "Reflect What will you do differently?" in reflection


def test_mark_as_complete_and_not_complete_is_a_post(client, enrolled, course):
    assert client.get(WELCOME + "/complete").status_code == 405
    response = client.post(WELCOME + "/complete", data={"complete": "1"})
    assert response.location == "/steps/first-steps/watch-this"  # complete, and on to the next step
    assert "Step 1.1 is marked as complete" in text_of(client.get(response.location).text)
    page = text_of(client.get(WELCOME).text)
    assert "You have completed this step" in page and "Mark as not complete" in page
    row = db.session.scalar(sa.select(StepProgress).where(StepProgress.completed_at.is_not(None)))
    assert row.completed_at is not None and row.user_id == enrolled.id
    response = client.post(WELCOME + "/complete", data={"complete": "0"})
    assert response.location == WELCOME + "#progress-actions"
    page = text_of(client.get(WELCOME).text)
    assert "Step 1.1 is marked as not complete" in page and "Mark as complete and continue to 1.2" in page
    assert db.session.scalar(sa.select(sa.func.count(StepProgress.completed_at))) == 0


def test_a_double_submitted_mark_as_complete_stays_complete(client, enrolled):
    client.post(WELCOME + "/complete", data={"complete": "1"})
    first = db.session.scalar(sa.select(StepProgress.completed_at))
    client.post(WELCOME + "/complete", data={"complete": "1"})
    assert db.session.scalar(sa.select(StepProgress.completed_at)) == first
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StepProgress)) == 1


def test_visiting_a_step_records_it_as_last_visited(client, enrolled):
    assert "You have not opened a step yet" in client.get("/progress").text
    client.get("/steps/first-steps/watch-this")
    text = text_of(client.get("/progress").text)
    assert "Last step you visited: 1.2 Watch this" in text
    row = db.session.scalar(sa.select(StepProgress))
    assert row.first_visited_at is not None and row.completed_at is None


def test_rereading_a_step_within_a_minute_writes_nothing_and_a_later_visit_does(client, enrolled, count_queries):
    client.get(WELCOME)
    with count_queries() as statements:
        client.get(WELCOME)
    assert not any(s.lstrip().upper().startswith(("INSERT", "UPDATE")) for s in statements)
    row = db.session.scalar(sa.select(StepProgress))
    earlier = row.last_visited_at - service.VISIT_GRANULARITY - timedelta(seconds=1)
    row.last_visited_at = earlier
    db.session.commit()
    client.get(WELCOME)
    db.session.expire_all()
    assert db.session.scalar(sa.select(StepProgress.last_visited_at)) > earlier + service.VISIT_GRANULARITY


def test_progress_page_counts_overall_and_per_module(client, enrolled, course):
    for step in course.steps[:2]:
        completion.set_step_complete(enrolled.id, step.id)
    page = client.get("/progress").text
    text = text_of(page)
    assert "You have completed 2 of 4 steps (50%)" in text
    assert "1. First steps 2 of 3" in text and "2. Next steps 0 of 1" in text
    assert '<progress class="lms-progress__bar" id="course-progress" max="4" value="2">' in page
    assert 'for="course-progress"' in page


def test_module_page_shows_introduction_and_steps(client, enrolled):
    text = text_of(client.get("/modules/first-steps").text)
    assert "Module 1 First steps" in text and "Welcome to the first module." in text
    assert "1.1 Welcome" in text and "1.3 Talk about it" in text and "2.1" not in text


def test_unknown_step_and_module_are_404(client, enrolled):
    assert client.get("/steps/first-steps/nope").status_code == 404
    assert client.get("/modules/nope").status_code == 404
    response = client.post("/steps/nope/nope/complete")
    assert response.status_code == 404 and "Page not found" in response.text


def unpublish(slug: str) -> None:
    db.session.execute(sa.update(Step).where(Step.slug == slug).values(published=False))
    db.session.commit()


def test_unpublished_step_is_404_for_learners_and_missing_from_lists(client, enrolled):
    unpublish("watch-this")
    assert client.get("/steps/first-steps/watch-this").status_code == 404
    assert client.post("/steps/first-steps/watch-this/complete").status_code == 404
    text = text_of(client.get("/todo").text)
    assert "Watch this" not in text and "1.2 Talk about it" in text and "0 of 3 steps" in text


def test_staff_see_unpublished_steps_marked_as_draft(client, course, facilitator, login):
    unpublish("watch-this")
    service.join_course(facilitator.id, course.course.id)
    login(facilitator)
    page = text_of(client.get("/steps/first-steps/watch-this").text)
    assert "Draft This step is not published" in page
    assert "Watch this Draft" in text_of(client.get("/todo").text)


def test_progress_is_per_learner(client, enrolled, course, intruder):
    service.join_course(intruder.id, course.course.id)
    completion.set_step_complete(intruder.id, course.steps[0].id)
    assert "0 of 4 steps complete" in text_of(client.get("/todo").text)


def test_unknown_page_is_a_helpful_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "If you typed the web address, check it is correct" in response.text


def test_every_response_carries_security_headers(client, course):
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in headers  # HSTS only in production


def test_hsts_in_production(make_app):
    app = make_app(LMS_ENV="production", SECRET_KEY="p" * 40)
    response = app.test_client().get("/nope")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_pages_have_no_inline_script(client, enrolled):
    for url in ("/", "/todo", WELCOME, "/progress", "/account"):
        for attributes, script in re.findall(r"<script([^>]*)>(.*?)</script>", client.get(url).text, re.S):
            if 'type="application/json"' in attributes:  # data (the scripts' words), never run
                continue
            assert script.strip() == "", url


def test_pages_make_a_bounded_number_of_queries(client, enrolled, count_queries):
    client.get(WELCOME)
    # The step page: 13 with an empty thread (the thread's state and first page, and the
    # header's unread notifications); a thread with comments, replies and highlights adds 2.
    for url, limit in (("/todo", 8), ("/progress", 9), (WELCOME, 13)):
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        assert len(statements) <= limit, (url, statements)
