"""The discussion's rules, asked of plain objects: who may do what, what may be posted, paging."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from lms.comments import rules
from lms.comments.paging import Cursor, ThreadQuery, from_time_key, time_key
from lms.errors import InvalidInput

NOW = datetime(2026, 11, 23, 10, 30, 15, 123456, tzinfo=UTC)
ANONYMOUS = SimpleNamespace(id=None, is_authenticated=False, is_staff=False)


def person(id: int, staff: bool = False):
    return SimpleNamespace(id=id, is_authenticated=True, is_staff=staff)


def comment(author_id: int = 1, parent_id=None, hidden=False, deleted=False, review=False):
    return SimpleNamespace(
        author_id=author_id,
        parent_id=parent_id,
        hidden_at=NOW if hidden else None,
        deleted_at=NOW if deleted else None,
        review_requested_at=NOW if review else None,
    )


AUTHOR, OTHER, FACILITATOR = person(1), person(2), person(3, staff=True)


@pytest.mark.parametrize(
    "raw, message",
    [
        ("", "Enter your comment"),
        ("   \n\t  ", "Enter your comment"),
        ("\u202e\u2066", "Enter your comment"),
        ("x" * 5001, "Your comment must be 5,000 characters or fewer: it has 5,001"),
    ],
)
def test_empty_and_over_long_comments_are_refused(raw, message):
    with pytest.raises(InvalidInput) as error:
        rules.comment_text(raw)
    assert error.value.message == message and error.value.field == "body"


def test_the_limit_counts_characters_as_stored():
    assert len(rules.comment_text("x" * 5000)) == 5000
    assert rules.comment_text("a\r\n" * 2500) == ("a\n" * 2500).strip()  # a browser's CRLF counts once


def test_a_comment_is_in_english_or_welsh_and_nothing_else():
    assert rules.comment_language("en") == "en" and rules.comment_language("cy") == "cy"
    for other in (None, "", "fr", "CY", "en-GB", "cy "):
        with pytest.raises(InvalidInput) as error:
            rules.comment_language(other)
        assert error.value.field == "language"
        assert error.value.message == "Choose the language your comment is written in: English or Cymraeg"


@pytest.mark.parametrize(
    "check, viewer, target, allowed",
    [
        (rules.can_edit, AUTHOR, comment(), True),
        (rules.can_edit, OTHER, comment(), False),
        (rules.can_edit, FACILITATOR, comment(), False),
        (rules.can_edit, AUTHOR, comment(hidden=True), True),  # to fix it before asking for a review
        (rules.can_edit, AUTHOR, comment(deleted=True), False),
        (rules.can_delete, OTHER, comment(), False),
        (rules.can_like, AUTHOR, comment(), False),
        (rules.can_like, OTHER, comment(), True),
        (rules.can_like, OTHER, comment(hidden=True), False),
        (rules.can_like, ANONYMOUS, comment(), False),
        (rules.can_report, AUTHOR, comment(), False),
        (rules.can_report, OTHER, comment(), True),
        (rules.can_report, OTHER, comment(deleted=True), False),
        (rules.can_bookmark, AUTHOR, comment(), True),
        (rules.can_read, OTHER, comment(hidden=True), False),
        (rules.can_read, AUTHOR, comment(hidden=True), True),
        (rules.can_read, FACILITATOR, comment(hidden=True), True),
        (rules.can_read, FACILITATOR, comment(deleted=True), False),
        (rules.can_request_review, AUTHOR, comment(hidden=True), True),
        (rules.can_request_review, AUTHOR, comment(hidden=True, review=True), False),
        (rules.can_request_review, AUTHOR, comment(), False),
        (rules.can_request_review, OTHER, comment(hidden=True), False),
    ],
)
def test_who_may_do_what(check, viewer, target, allowed):
    assert check(viewer, target) is allowed


def test_replies_are_one_level_deep_and_not_in_locked_threads():
    assert rules.can_reply(OTHER, comment(), locked=False)
    assert not rules.can_reply(OTHER, comment(parent_id=7), locked=False)
    assert not rules.can_reply(OTHER, comment(), locked=True)
    assert not rules.can_reply(OTHER, comment(hidden=True), locked=False)


def test_only_staff_moderate():
    assert rules.can_moderate(FACILITATOR) and not rules.can_moderate(AUTHOR) and not rules.can_moderate(ANONYMOUS)


@pytest.mark.parametrize(
    "viewer, reveal, posted, gated",
    [
        (AUTHOR, "after-posting", False, True),
        (AUTHOR, "after-posting", True, False),
        (AUTHOR, None, False, False),
        (FACILITATOR, "after-posting", False, False),  # staff always see the thread: they moderate it
    ],
)
def test_reveal_after_posting(viewer, reveal, posted, gated):
    assert rules.must_post_first(viewer, reveal, posted) is gated


def test_cursors_round_trip_and_refuse_junk():
    assert Cursor.decode(Cursor(time_key(NOW), 42).encode()) == Cursor(time_key(NOW), 42)
    assert from_time_key(time_key(NOW)) == NOW  # to the microsecond
    for junk in (None, "", "abc", "1_", "_1", "1_2_3", "1" * 40 + "_1", "1.5_2", "<script>"):
        assert Cursor.decode(junk) is None


def test_thread_query_reads_the_query_string_with_safe_defaults():
    assert ThreadQuery.from_args({}) == ThreadQuery("all", "newest", None, None)
    query = ThreadQuery.from_args({"show": "mine", "sort": "liked", "after": "5_9"})
    assert (query.show, query.sort, query.after) == ("mine", "liked", Cursor(5, 9))
    assert ThreadQuery.from_args({"show": "everything", "sort": "random"}) == ThreadQuery()
    assert ThreadQuery.from_args({"after": "1_2", "before": "3_4"}).before is None  # one direction at a time
    assert ThreadQuery(show="mine").link(after="1_2") == {"show": "mine", "after": "1_2"}
    assert ThreadQuery().link() == {}
    assert ThreadQuery().sort == "newest"  # most liked rewards early posts: not the default
