"""Facilitators keep threads kind and safe: reports, the queue, hide and restore, reviews,
highlights and locks; every decision audited, and every refusal checked through HTTP."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from lms.audit.models import AuditEntry
from lms.comments import rules
from lms.comments.models import Comment, Report, ThreadLock
from lms.extensions import db
from lms.moderation import service as moderation
from tests.factories import make_comment, make_user
from tests.web.discussion_support import TALK, comment_count, step_id, text_of


@pytest.fixture
def author(app, course):
    return make_user(email="author@example.org", display_name="Alex Author")


@pytest.fixture
def said(author, course):
    return make_comment(author, step_id(), "Bed 4 in ward 9 was rude to me today")


@pytest.fixture
def staff(facilitator, sign_in):
    return sign_in(facilitator)


def audit_actions() -> list[tuple[str, str | None]]:
    return [(e.action, e.reason) for e in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))]


def test_a_learner_reports_a_comment_and_it_joins_the_queue(client, enrolled, said, staff):
    page = client.get(f"/comments/{said.id}/report?next={TALK}").text
    assert "Report a comment" in page and "Bed 4 in ward 9" in page
    assert "Shares confidential or identifiable information" in page
    response = client.post(
        f"/comments/{said.id}/report", data={"reason": "confidential", "details": "Names a patient's bed", "next": TALK}
    )
    assert response.location == f"{TALK}#comment-{said.id}"
    assert "Thank you for reporting this comment" in client.get(TALK).text
    client.post(f"/comments/{said.id}/report", data={"reason": "unkind"})  # once is enough
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 1
    queue = text_of(staff.get("/moderation").text)
    assert "1 comment waiting" in queue and "Step 1.3: Talk about it" in queue
    assert "Bed 4 in ward 9" in queue and "Names a patient's bed" in queue and "Lee Learner" in queue


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Choose why you are reporting this comment"),
        ({"reason": "nonsense"}, "Choose why you are reporting this comment"),
        ({"reason": "other"}, "Say what is wrong with this comment"),
        ({"reason": "unkind", "details": "x " * 300}, "Your explanation must be 500 characters or fewer"),
    ],
)
def test_a_report_needs_a_reason(client, enrolled, said, data, message):
    response = client.post(f"/comments/{said.id}/report", data=data)
    assert response.status_code == 400 and message in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 0


def test_reports_show_the_thread_context_in_the_queue(client, enrolled, author, staff):
    parent = make_comment(enrolled, step_id(), "What does compassion look like on a night shift?")
    reply = make_comment(author, step_id(), "A rude reply", parent=parent)
    client.post(f"/comments/{reply.id}/report", data={"reason": "unkind"})
    queue = text_of(staff.get("/moderation").text)
    assert "In reply to: Lee Learner" in queue and "night shift" in queue and "A rude reply" in queue


def test_hiding_with_a_reason_tells_the_author_and_shows_others_a_placeholder(
    client, enrolled, said, author, staff, sign_in
):
    client.post(f"/comments/{said.id}/report", data={"reason": "confidential"})
    assert "Hide a comment" in staff.get(f"/comments/{said.id}/hide").text
    response = staff.post(
        f"/comments/{said.id}/hide",
        data={
            "reason": "confidential",
            "note": "Please leave out details that could identify a patient.",
            "next": TALK,
        },
    )
    assert response.location == f"{TALK}#comment-{said.id}"
    row = db.session.get(Comment, said.id)
    assert row.hidden_at is not None and row.flagged_at is None and comment_count() == 0
    assert db.session.scalar(sa.select(Report.outcome)) == "hidden"
    # Other learners: a placeholder, never the text.
    page = client.get(TALK).text
    assert "This comment was hidden by a facilitator." in page and "Bed 4" not in page
    # The author: the text, the reason and the note, and a way back.
    mine = text_of(sign_in(author).get(TALK).text)
    assert (
        "Bed 4 in ward 9" in mine
        and "Shares confidential or identifiable information (for example about a patient)" in mine
    )
    assert "Please leave out details that could identify a patient." in mine and "Ask for a review" in mine
    # Facilitators: the text, marked hidden, with Restore.
    assert "Bed 4 in ward 9" in staff.get(TALK).text and "Restore" in staff.get(TALK).text
    assert audit_actions() == [
        (
            "comment.hide",
            "Shares confidential or identifiable information (for example about a patient). "
            "Please leave out details that could identify a patient.",
        )
    ]
    assert "0 comments waiting" in text_of(staff.get("/moderation").text)


def radio_choices(page: str) -> list[tuple[str, str]]:
    """The (value, label) of each radio button on a page, in order."""
    values = re.findall(
        r'<input class="nhsuk-radios__input" id="([^"]+)" name="reason" type="radio" value="([^"]*)"', page
    )
    return [
        (value, text_of(re.search(rf'<label[^>]*for="{id_}"[^>]*>(.*?)</label>', page, re.S)[1]))
        for id_, value in values
    ]


def test_hide_reasons_are_the_report_reasons_in_the_same_order_and_words(client, enrolled, said, staff):
    reported = radio_choices(client.get(f"/comments/{said.id}/report").text)
    hidden = radio_choices(staff.get(f"/comments/{said.id}/hide").text)
    assert reported == hidden == list(rules.REASONS.items())
    assert [value for value, _ in hidden] == ["unkind", "confidential", "spam", "other"]


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Choose why you are hiding this comment"),
        ({"reason": "other"}, "Explain to the author why their comment is hidden"),
    ],
)
def test_hiding_needs_a_reason(staff, said, data, message):
    response = staff.post(f"/comments/{said.id}/hide", data=data)
    assert response.status_code == 400 and message in response.text
    assert db.session.get(Comment, said.id).hidden_at is None and audit_actions() == []


def test_the_author_edits_a_hidden_comment_and_asks_for_a_review(said, author, facilitator, staff, sign_in):
    moderation.hide(facilitator, said, "confidential", "No patient details, please.")
    mine = sign_in(author)
    mine.post(f"/comments/{said.id}/edit", data={"body": "Someone was rude to me today"})
    response = mine.post(f"/comments/{said.id}/request-review", data={"next": TALK})
    assert response.location == f"{TALK}#comment-{said.id}"
    assert "A facilitator will look at your comment again" in mine.get(TALK).text
    mine.post(f"/comments/{said.id}/request-review")  # asking twice: a message, no second entry
    queue = text_of(staff.get("/moderation").text)
    assert "Review asked for" in queue and "Someone was rude to me today" in queue
    assert "1 comment waiting" in queue
    staff.post(f"/comments/{said.id}/restore", data={"next": "/moderation"})
    row = db.session.get(Comment, said.id)
    assert row.hidden_at is None and row.flagged_at is None and row.review_requested_at is None
    assert comment_count() == 1
    assert [a for a, _ in audit_actions()] == ["comment.hide", "comment.restore"]


def test_keeping_a_comment_hidden_after_review_tells_the_author(said, author, facilitator, staff, sign_in):
    moderation.hide(facilitator, said, "unkind")
    sign_in(author).post(f"/comments/{said.id}/request-review")
    staff.post(f"/comments/{said.id}/dismiss")
    row = db.session.get(Comment, said.id)
    assert row.hidden_at is not None and row.flagged_at is None
    assert [a for a, _ in audit_actions()] == ["comment.hide", "comment.keep_hidden"]
    assert "reviewed your comment again and kept it hidden" in sign_in(author).get("/notifications").text


def test_dismissing_reports_leaves_the_comment_as_it_was(client, enrolled, said, staff):
    client.post(f"/comments/{said.id}/report", data={"reason": "spam"})
    staff.post(f"/comments/{said.id}/dismiss", data={"next": "/moderation"})
    row = db.session.get(Comment, said.id)
    assert row.hidden_at is None and row.flagged_at is None and comment_count() == 1
    assert db.session.scalar(sa.select(Report.outcome)) == "dismissed"
    assert audit_actions()[-1][0] == "comment.dismiss_reports"


def test_highlights_show_first_under_educator_highlights(client, enrolled, said, author, staff):
    later = make_comment(author, step_id(), "A thoughtful, kind comment")
    staff.post(f"/comments/{later.id}/highlight", data={"next": TALK})
    page = client.get(TALK).text
    assert page.index("Educator highlights") < page.index('aria-label="Comments,')
    assert "A thoughtful, kind comment" in page[page.index("Educator highlights") : page.index('aria-label="Comments,')]
    staff.post(f"/comments/{later.id}/unhighlight")
    assert "Educator highlights" not in client.get(TALK).text
    assert [a for a, _ in audit_actions()] == ["comment.highlight", "comment.unhighlight"]


def test_locking_and_unlocking_a_thread_is_audited(client, enrolled, said, staff):
    response = staff.post(f"{TALK}/lock", data={"next": TALK})
    assert response.location == f"{TALK}#discussion"
    assert db.session.get(ThreadLock, step_id()) is not None
    assert "Discussion closed" in client.get(TALK).text
    staff.post(f"{TALK}/unlock")
    assert db.session.get(ThreadLock, step_id()) is None and "Post comment" in client.get(TALK).text
    assert [a for a, _ in audit_actions()] == ["thread.lock", "thread.unlock"]


def test_learners_cannot_moderate(client, enrolled, said):
    assert client.get("/moderation").status_code == 403
    assert client.get(f"/comments/{said.id}/hide").status_code == 403
    for url in (
        f"/comments/{said.id}/hide",
        f"/comments/{said.id}/restore",
        f"/comments/{said.id}/dismiss",
        f"/comments/{said.id}/highlight",
        f"{TALK}/lock",
    ):
        assert client.post(url, data={"reason": "unkind"}).status_code == 403, url
    row = db.session.get(Comment, said.id)
    assert row.hidden_at is None and row.highlighted_at is None
    assert db.session.get(ThreadLock, step_id()) is None and audit_actions() == []


def test_learners_cannot_report_their_own_comment_or_review_anothers(client, enrolled, said, facilitator):
    mine = make_comment(enrolled, step_id(), "Mine")
    assert client.get(f"/comments/{mine.id}/report").status_code == 403
    assert client.post(f"/comments/{mine.id}/report", data={"reason": "spam"}).status_code == 403
    moderation.hide(facilitator, said, "unkind")
    assert client.post(f"/comments/{said.id}/request-review").status_code == 403
    assert client.get(f"/comments/{said.id}/edit").status_code == 403


def test_admins_read_moderation_decisions_in_the_audit_log(said, facilitator, admin, sign_in, staff):
    moderation.hide(facilitator, said, "unkind", "Be kind to colleagues.")
    page = text_of(sign_in(admin).get("/admin/audit?action=comment.hide").text)
    assert "Fay Facilitator" in page and "hid a comment" in page and "Be kind to colleagues." in page
    assert staff.get("/admin/audit").status_code == 403


def test_restoring_a_visible_comment_is_a_message_not_an_error(said, staff):
    response = staff.post(f"/comments/{said.id}/restore", data={"next": TALK})
    assert response.status_code == 302
    assert "This comment is not hidden" in staff.get(TALK).text
    assert audit_actions() == []


def test_the_queue_pages_by_keyset(client, enrolled, author, staff):
    made = [make_comment(author, step_id(), f"Reported {n}") for n in range(25)]
    for comment in made:
        client.post(f"/comments/{comment.id}/report", data={"reason": "spam"})
    first = staff.get("/moderation").text
    assert "25 comments waiting" in text_of(first) and "Reported 0" in first and "Reported 24" not in first
    assert (
        "Reported 24"
        in staff.get(first.split('href="/moderation?after=')[1].split('"')[0].join(["/moderation?after=", ""])).text
    )
