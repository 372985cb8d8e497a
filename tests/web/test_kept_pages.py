"""Whole step pages kept per process for the learner reading them (lms.kept_pages).

A kept page is served after the sign-in query alone, and only while nothing it could show
has been written: these tests read a page until it is kept, change something, and read it
again as the learner would.
"""
from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms import kept_pages
from lms.accounts import service as accounts
from lms.accounts.models import User
from lms.discussion.models import Comment
from lms.extensions import db
from lms.kept_pages.models import SITE, PageGeneration
from lms.learning.models import StepProgress
from tests.factories import make_comment, make_user
from tests.web.discussion_support import TALK, WELCOME, comments, post, step_id, text_of
from tests.web.test_csrf import sign_in as sign_in_with_token

SUBMISSION = re.compile(r'name="submission" value="([0-9a-f]+)')


@pytest.fixture
def read(client, count_queries):
    """Get a page as the signed-in learner; say how many statements it took."""

    def get(url: str):
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response.text, len(statements)

    return get


def kept(read, url: str) -> str:
    """Read the page until it is served kept (the first visit writes, the next renders and keeps)."""
    read(url)
    read(url)
    page, statements = read(url)
    assert statements == 1, "the sign-in query alone"
    return page


def without_keys(page: str) -> str:
    return re.sub(r'(name="submission" value=")[0-9a-f]+', r"\1", page)


def without_tokens(page: str) -> str:
    """Also without CSRF tokens: each render signs the session's token again, with the time."""
    return re.sub(r'(name="csrf_token" (?:type="hidden" )?value=")[^"]+', r"\1", without_keys(page))


def test_reading_a_step_again_costs_only_the_sign_in_query(enrolled, read):
    first, rendered = read(WELCOME)[0], read(WELCOME)
    page = kept(read, WELCOME)
    assert rendered[1] > 1
    assert without_keys(page) == without_keys(rendered[0])  # the page this learner's last render gave
    assert without_tokens(page) == without_tokens(first)
    assert "Lee Learner" in page  # the header names the learner the page was kept for


def test_a_kept_page_has_the_headers_of_a_rendered_one(enrolled, client, count_queries):
    client.get(WELCOME)
    rendered = client.get(WELCOME)
    with count_queries() as statements:
        kept_response = client.get(WELCOME)
    assert len(statements) == 1
    assert sorted(kept_response.headers.items()) == sorted(rendered.headers.items())  # CSP, Vary: Cookie...
    gzipped = client.get(WELCOME, headers={"Accept-Encoding": "gzip"})
    assert gzipped.headers["Content-Encoding"] == "gzip"  # compressed after it is served, as rendered pages are


def test_each_serving_has_new_submission_keys_and_both_tabs_post(enrolled, read, client):
    make_comment(make_user(), step_id(), "Something to reply to")
    kept(read, TALK)
    one, two = client.get(TALK).text, client.get(TALK).text
    keys_one, keys_two = SUBMISSION.findall(one), SUBMISSION.findall(two)
    assert len(keys_one) == 2  # the new comment's form and the reply form
    assert keys_one[0] != keys_one[1] and not set(keys_one) & set(keys_two)
    assert without_keys(one) == without_keys(two)
    # Two tabs of the same kept page: each comment lands, neither is taken for a resend.
    assert post(client, "From the first tab", submission=keys_one[0]).status_code == 302
    assert post(client, "From the second tab", submission=keys_two[0]).status_code == 302
    assert {"From the first tab", "From the second tab"} <= {c.body_md for c in comments()}


def test_a_comment_by_anyone_shows_at_once(enrolled, read, sign_in):
    kept(read, TALK)
    other = sign_in(make_user(display_name="Olu Other"))
    assert post(other, "Posted while the page was kept").status_code == 302
    page, statements = read(TALK)
    assert "Posted while the page was kept" in text_of(page) and statements > 1


def test_another_learners_own_writes_leave_the_page_kept(enrolled, read, sign_in):
    """Their visits, progress, reflections, bookmarks and sign-ins show on nobody else's page."""
    other_learner = make_user()
    other = sign_in(other_learner)  # joining the course moves the site's number
    comment = make_comment(make_user(), step_id("welcome"), "Worth keeping")
    kept(read, WELCOME)
    assert other.get(WELCOME).status_code == 200
    assert other.post(f"{WELCOME}/complete", data={"complete": "1"}).status_code == 302
    assert other.post(f"{WELCOME}/reflection/autosave", data={"body": "Half a thought"}).status_code == 200
    assert other.post(f"{WELCOME}/reflection", data={"body": "A whole thought"}).status_code == 302
    assert other.post(f"/comments/{comment.id}/bookmark").status_code == 302
    assert sign_in(other_learner).get("/todo").status_code == 200  # a second sign-in
    assert read(WELCOME)[1] == 1


def test_the_learners_own_progress_shows_at_once(enrolled, read, client):
    assert "Mark as complete" in kept(read, WELCOME)
    assert client.post(f"{WELCOME}/complete", data={"complete": "1"}).status_code == 302
    page = client.get(WELCOME).text
    assert "You have completed this step" in page and "Step 1.1 marked as complete" in text_of(page)
    again = client.get(WELCOME).text  # the message was shown once: not kept with the page
    assert "You have completed this step" in again and "marked as complete" not in text_of(again)


def test_a_kept_page_is_never_served_to_another_sign_in(enrolled, read, sign_in, count_queries):
    kept(read, TALK)
    other = sign_in(make_user(display_name="Olu Other"))
    theirs = other.get(TALK).text
    assert "Olu Other" in theirs and "Lee Learner" not in theirs
    same_person_elsewhere = sign_in(enrolled)  # a second device: its own sign-in and token
    with count_queries() as statements:
        assert "Lee Learner" in same_person_elsewhere.get(TALK).text
    assert len(statements) > 1


def test_ending_the_sign_in_or_the_account_stops_the_kept_page(enrolled, read, client):
    kept(read, WELCOME)
    accounts.end_all_sessions(enrolled.id)
    db.session.commit()
    assert client.get(WELCOME).status_code == 302


def test_a_deactivated_account_is_not_served(enrolled, read, client):
    kept(read, WELCOME)
    db.session.execute(sa.update(User).where(User.id == enrolled.id).values(active=False))
    db.session.commit()
    response = client.get(WELCOME)
    assert response.status_code == 302 and "/login" in response.location


def test_a_write_made_outside_any_request_shows(enrolled, read):
    comment = make_comment(make_user(), step_id(), "Before the edit")
    assert "Before the edit" in kept(read, TALK)
    db.session.execute(sa.update(Comment).where(Comment.id == comment.id).values(body_html="<p>After the edit</p>"))
    db.session.commit()
    page, statements = read(TALK)
    assert "After the edit" in page and statements > 1


def test_a_page_is_kept_only_until_the_next_visit_is_due(enrolled, read, monkeypatch):
    kept(read, WELCOME)
    # A minute and more passes: the clock moves on, and so does the visit's time (a write
    # that moves no number, so only the clock can end the kept page).
    later = time.time() + 61
    monkeypatch.setattr(kept_pages.time, "time", lambda: later)
    backdated = last_visit(enrolled.id) - timedelta(minutes=2)
    with db.engine.connect() as connection:
        connection.info[kept_pages.OFF] = True
        connection.execute(sa.update(StepProgress).values(last_visited_at=backdated))
        connection.commit()
        connection.info.pop(kept_pages.OFF)
    assert read(WELCOME)[1] > 1  # rendered again,
    assert last_visit(enrolled.id) > backdated  # and the visit written, as without keeping


def last_visit(user_id: int):
    db.session.expire_all()
    visited = db.session.scalar(sa.select(StepProgress.last_visited_at).where(StepProgress.user_id == user_id))
    db.session.rollback()
    return visited


def test_nothing_is_kept_when_switched_off(app, enrolled, read):
    app.config["LMS_KEEP_PAGES"] = False
    assert [read(WELCOME)[1] > 1 for _ in range(3)] == [True, True, True]


def test_a_form_sent_from_a_kept_page_passes_the_csrf_check(make_app, course, learner, count_queries):
    from lms.learning import service as learning

    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        learning.join_course(learner.id, course.course.id)
        client = app.test_client()
        sign_in_with_token(client, learner.email)
        for _ in range(2):
            client.get(TALK)
        with count_queries() as statements:
            page = client.get(TALK).text
        assert len(statements) == 1
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = client.post(f"{TALK}/comments", data={"body": "Sent from a kept page", "csrf_token": token,
                                                        "submission": SUBMISSION.search(page).group(1)})
        assert response.status_code == 302
        assert "Sent from a kept page" in {c.body_md for c in comments()}


# --- the numbers ------------------------------------------------------------------------------

def numbers(user_id: int) -> tuple:
    values = dict(db.session.execute(sa.select(PageGeneration.scope, PageGeneration.value)).all())
    db.session.rollback()
    return values.get(SITE), values.get(user_id)


def test_a_committed_write_moves_the_site_number_and_a_rolled_back_one_nothing(app, learner):
    before = numbers(learner.id)
    learner.display_name = "Changed and rolled back"
    db.session.flush()
    db.session.rollback()
    assert numbers(learner.id) == before
    learner.display_name = "Changed"
    db.session.commit()
    site, own = numbers(learner.id)
    assert site == before[0] + 1 and own == before[1]


def test_a_personal_write_moves_only_that_persons_number(app, learner):
    site, own = numbers(learner.id)
    with kept_pages.personal_to(learner.id):
        learner.bio = "Mine alone"
        db.session.commit()
    assert numbers(learner.id) == (site, (own or 0) + 1)


def test_no_page_is_kept_while_the_request_has_written_without_committing(enrolled, read, app, client):
    read(WELCOME)  # the visit, written
    enrolled.bio = "Not committed"
    db.session.flush()  # the test and its requests share one session: the request sees this write
    assert read(WELCOME)[1] > 1 and read(WELCOME)[1] > 1  # rendered each time: nothing kept
    db.session.rollback()
