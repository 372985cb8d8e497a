"""Notifications: who is told what, the count in the header, and marking them read."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from lms.comments import service
from lms.extensions import db
from lms.moderation import service as moderation
from lms.notifications import service as notifications
from lms.notifications.models import Notification
from tests.factories import make_comment, make_user
from tests.web.discussion_support import TALK, step_id, text_of


@pytest.fixture
def other(app, course):
    return make_user(email="other@example.org", display_name="Olly Other")


def kinds_for(user) -> list[str]:
    return [
        n
        for n in db.session.scalars(
            sa.select(Notification.kind).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    ]


def header_count(client) -> str | None:
    match = re.search(r'Notifications(?: <span class="lms-count">(\d+)</span>)?', client.get("/todo").text)
    return match[1] if match else None


def test_a_reply_tells_the_comments_author_but_not_the_replier(client, enrolled, other, sign_in):
    mine = make_comment(enrolled, step_id(), "What do you think?")
    sign_in(other).post(f"/comments/{mine.id}/reply", data={"body": "I agree"})
    client.post(f"/comments/{mine.id}/reply", data={"body": "Replying to myself"})
    assert kinds_for(enrolled) == ["reply"] and kinds_for(other) == []
    page = text_of(client.get("/notifications").text)
    assert "New Olly Other replied to your comment on step 1.3 Talk about it" in page
    assert "I agree" not in page  # notifications never quote the words


def test_a_like_is_told_once_however_often_it_is_toggled(enrolled, other, sign_in):
    mine = make_comment(enrolled, step_id(), "Like me")
    theirs = sign_in(other)
    for _ in range(3):
        theirs.post(f"/comments/{mine.id}/like")
        theirs.post(f"/comments/{mine.id}/unlike")
    assert kinds_for(enrolled) == ["like"]


def test_followers_hear_of_new_comments_and_replies_once(enrolled, other, sign_in):
    third = make_user(display_name="Tess Third")
    service.follow(enrolled, other.id)
    service.follow(third, other.id)
    top = make_comment(other, step_id(), "A new thought")
    assert kinds_for(enrolled) == ["followed"] and kinds_for(third) == ["followed"]
    mine = make_comment(enrolled, step_id(), "My comment")
    make_comment(other, step_id(), "A reply to you", parent=mine)
    # The reply's own notice, not a second one for following; Tess hears of it as a follower.
    assert kinds_for(enrolled) == ["followed", "reply"] and kinds_for(third) == ["followed", "followed"]
    assert top.id  # posted once, so notified once


def test_moderation_decisions_are_told_to_the_author(client, enrolled, facilitator):
    mine = make_comment(enrolled, step_id(), "Something")
    moderation.set_highlight(facilitator, mine, True)
    moderation.set_highlight(facilitator, mine, False)
    moderation.hide(facilitator, mine, "unkind", "Please rephrase.")
    moderation.restore(facilitator, mine)
    assert kinds_for(enrolled) == ["highlighted", "hidden", "restored"]
    page = text_of(client.get("/notifications").text)
    assert "A facilitator hid your comment and said why" in page
    assert "A facilitator restored your comment" in page


def test_the_header_counts_unread_notifications_and_marking_read_clears_them(client, enrolled, other, sign_in):
    assert header_count(client) is None
    mine = make_comment(enrolled, step_id(), "Talk to me")
    theirs = sign_in(other)
    theirs.post(f"/comments/{mine.id}/reply", data={"body": "One"})
    theirs.post(f"/comments/{mine.id}/like")
    assert header_count(client) == "2"
    assert "2 unread notifications" in text_of(client.get("/notifications").text)
    first = db.session.scalar(sa.select(sa.func.min(Notification.id)))
    response = client.post(f"/notifications/{first}/read")
    assert response.location == f"/notifications#notification-{first}"
    assert header_count(client) == "1"
    client.post("/notifications/read")
    assert "1 notification marked as read" in client.get("/notifications").text
    assert header_count(client) is None


def test_nobody_marks_anothers_notifications(client, enrolled, other, sign_in):
    theirs = make_comment(other, step_id(), "Hello")
    client.post(f"/comments/{theirs.id}/like")
    notification = db.session.scalar(sa.select(Notification.id))
    client.post(f"/notifications/{notification}/read")
    client.post("/notifications/read")
    db.session.expire_all()
    assert db.session.scalar(sa.select(Notification.read_at)) is None
    assert header_count(sign_in(other)) == "1"


def test_the_header_count_costs_one_query_per_page(client, enrolled, count_queries):
    with count_queries() as statements:
        client.get("/todo")
    assert sum("FROM notifications" in s for s in statements) == 1
    with count_queries() as statements:
        client.get("/", follow_redirects=False)
    assert sum("FROM notifications" in s for s in statements) == 1


def test_visitors_pay_nothing_for_the_header_count(make_app, course, count_queries):
    with count_queries() as statements:
        make_app().test_client().get("/")
    assert not any("FROM notifications" in s for s in statements)


def test_notifications_are_listed_newest_first_a_page_at_a_time(client, enrolled, other):
    mine = make_comment(enrolled, step_id(), "Popular")
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for _ in range(35):
        notifications.notify(enrolled.id, "reply", mine.id, actor_id=other.id)
    for n, row in enumerate(db.session.scalars(sa.select(Notification).order_by(Notification.id))):
        row.created_at = start + timedelta(minutes=n)
    db.session.commit()
    first = client.get("/notifications").text
    assert first.count('class="lms-notification ') == 30
    older = re.search(r'href="(/notifications\?after=[^"]+)"', first)[1]
    assert client.get(older).text.count('class="lms-notification ') == 5
    ids = [int(i) for i in re.findall(r'id="notification-(\d+)"', first)]
    assert ids == sorted(ids, reverse=True)


def test_the_notification_link_opens_the_conversation_at_the_comment(client, enrolled, other, sign_in):
    mine = make_comment(enrolled, step_id(), "Where is it?")
    sign_in(other).post(f"/comments/{mine.id}/reply", data={"body": "Here it is"})
    reply = db.session.scalar(sa.select(sa.func.max(Notification.comment_id)))
    page = client.get("/notifications").text
    assert f'href="/comments/{reply}#comment-{reply}"' in page
    conversation = client.get(f"/comments/{reply}").text
    assert "Where is it?" in conversation and "Here it is" in conversation and f'id="comment-{reply}"' in conversation
    assert TALK in conversation
