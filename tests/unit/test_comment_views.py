"""Comment views are kept by what they depend on, so one viewer never sees another's view."""

from collections import namedtuple
from datetime import UTC, datetime

from lms.accounts.models import Role
from lms.comments.display import CommentRow, Viewer, build

Row = namedtuple(
    "Row",
    "id step_id parent_id author_id created_at edited_at deleted_at hidden_at hidden_reason "
    "hidden_note review_requested_at flagged_at highlighted_at like_count reply_count body_html educator",
)
WHEN = datetime(2026, 11, 1, tzinfo=UTC)


def comment(**changes) -> Row:
    values = dict(
        id=1,
        step_id=2,
        parent_id=None,
        author_id=10,
        created_at=WHEN,
        edited_at=None,
        deleted_at=None,
        hidden_at=None,
        hidden_reason=None,
        hidden_note=None,
        review_requested_at=None,
        flagged_at=WHEN,
        highlighted_at=None,
        like_count=3,
        reply_count=0,
        body_html="<p>Kind words</p>",
        educator=False,
    )
    return Row(**{**values, **changes})


AUTHOR, OTHER, OTHER_TOO = Viewer(10, True, False), Viewer(11, True, False), Viewer(12, True, False)
STAFF = Viewer(20, True, True)


def test_the_author_another_learner_and_a_facilitator_each_get_their_own_view_of_one_row():
    row = CommentRow(comment(), "Ann Author", Role.LEARNER, True, False, False)
    mine, theirs, staff = build(row, AUTHOR), build(row, OTHER), build(row, STAFF)
    assert {"edit", "delete"} <= mine.actions and "like" not in mine.actions
    assert "like" in theirs.actions and "edit" not in theirs.actions
    assert "moderate" in staff.actions and staff.flagged and not theirs.flagged
    assert build(row, OTHER_TOO) == theirs  # learners who did not write it share one view


def test_hidden_text_is_for_its_author_and_staff_only_whoever_asked_first():
    row = CommentRow(
        comment(hidden_at=WHEN, hidden_reason="unkind", hidden_note="Please rephrase"),
        "Ann",
        Role.LEARNER,
        True,
        False,
        False,
    )
    assert build(row, STAFF).body_html and build(row, OTHER).body_html is None
    mine = build(row, AUTHOR)
    assert mine.body_html and mine.hidden_note == "Please rephrase" and "request_review" in mine.actions
    assert build(row, OTHER).hidden_note is None


def test_marks_a_locked_thread_and_replies_change_the_view():
    plain = CommentRow(comment(), "Ann", Role.LEARNER, True, False, False)
    liked = CommentRow(comment(), "Ann", Role.LEARNER, True, True, False)
    assert build(liked, OTHER).liked and not build(plain, OTHER).liked
    assert "reply" in build(plain, OTHER).actions and "reply" not in build(plain, OTHER, locked=True).actions
    parent = CommentRow(comment(reply_count=4), "Ann", Role.LEARNER, True, False, False)
    reply = build(
        CommentRow(comment(id=5, parent_id=1, educator=True), "Bo", Role.FACILITATOR, True, False, False), OTHER
    )
    shown = build(parent, OTHER, replies=(reply,), shown_replies=1)
    assert shown.replies == (reply,) and shown.more_replies == 3 and reply.educator
    assert build(parent, OTHER).replies == ()  # the kept view itself carries no replies
