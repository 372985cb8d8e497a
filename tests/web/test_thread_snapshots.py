"""Thread pages kept by the process under the step's thread version (lms.comments.snapshots):
the version moves with every write to a step's comments however it is made, so a kept page
never shows anything stale, and each viewer still gets their own marks."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.accounts.models import Role, User
from lms.comments import service as discussion
from lms.comments import snapshots
from lms.comments.display import Viewer
from lms.comments.models import Comment
from lms.comments.paging import ThreadQuery
from lms.comments.threads import read_thread
from lms.content.models import Step
from lms.extensions import db
from lms.moderation import service as moderation
from lms.record.personal_data import delete_account
from tests.factories import PASSWORD, make_comment, make_user
from tests.web.discussion_support import TALK, step_id, text_of


def version() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(Step.thread_version).where(Step.id == step_id()))


def kept_threads() -> int:
    return len(snapshots.kept())


@pytest.fixture
def author(app, course):
    return make_user(email="ann@example.org", display_name="Ann Author")


def test_every_kind_of_write_to_a_steps_comments_moves_its_thread_version(app, course, author):
    moves = []

    def moved(action) -> None:
        before = version()
        action()
        db.session.commit()
        moves.append(version() != before)

    comment = make_comment(author, step_id(), "First")
    moved(lambda: make_comment(author, step_id(), "Through the service"))
    moved(
        lambda: db.session.execute(
            sa.insert(Comment).values(step_id=step_id(), author_id=author.id, body_md="raw", body_html="<p>raw</p>")
        )
    )
    moved(lambda: db.session.execute(sa.text("UPDATE comments SET like_count = 7 WHERE id = :id"), {"id": comment.id}))
    moved(lambda: db.session.execute(sa.text("DELETE FROM comments WHERE body_md = 'raw'")))
    assert moves == [True] * 4
    other_step = db.session.scalar(sa.select(Step.thread_version).where(Step.id != step_id()).limit(1))
    assert other_step == 0  # only the step written to moves


def test_a_kept_page_follows_changes_made_behind_the_apps_back(client, enrolled, author, facilitator):
    make_comment(author, step_id(), "Kept once")
    assert "Kept once" in client.get(TALK).text
    assert kept_threads() == 1
    db.session.execute(sa.text("UPDATE comments SET body_html = '<p>Changed by hand</p>'"))
    db.session.commit()
    page = text_of(client.get(TALK).text)
    assert "Changed by hand" in page and "Kept once" not in page


def test_authors_names_and_accounts_are_read_for_every_page_and_badges_kept(client, enrolled, author):
    make_comment(author, step_id(), "Who wrote me?")
    client.get(TALK)
    db.session.execute(
        sa.update(User).where(User.id == author.id).values(display_name="Ann Renamed", role=Role.FACILITATOR)
    )
    db.session.commit()
    page = text_of(client.get(TALK).text)
    # The badge says what she was when she wrote it (lms.comments.models.Comment.educator).
    assert "Ann Renamed" in page and "Ann Renamed Educator" not in page and "Ann Author" not in page
    delete_account(author, PASSWORD)  # the account is anonymised: its comments do not change
    page = client.get(TALK).text
    assert "A former learner" in page and "Ann Renamed" not in page and f"/people/{author.id}" not in page


def test_one_kept_page_gives_each_viewer_their_own_marks(app, course, author, sign_in, count_queries):
    comment = make_comment(author, step_id(), "Like me, or not")
    bea, cal = make_user(display_name="Bea"), make_user(display_name="Cal")
    bea_client, cal_client = sign_in(bea), sign_in(cal)
    discussion.like(bea, comment)
    discussion.bookmark(cal, comment)
    bea_client.get(TALK)  # kept here
    with count_queries() as statements:
        bea_page, cal_page = text_of(bea_client.get(TALK).text), text_of(cal_client.get(TALK).text)
    assert kept_threads() == 1
    assert not any("ORDER BY comments.created_at DESC" in s for s in statements)  # no page read again
    assert "Unlike" in bea_page and "Remove bookmark" not in bea_page
    assert "Unlike" not in cal_page and "Remove bookmark" in cal_page


def test_a_hidden_comment_on_a_kept_page_is_hidden_at_once(client, enrolled, author, facilitator):
    comment = make_comment(author, step_id(), "Something unkind")
    assert "Something unkind" in client.get(TALK).text
    moderation.hide(facilitator, comment, "unkind", "")
    page = client.get(TALK).text
    assert "Something unkind" not in page and "This comment was hidden by a facilitator." in page


def test_a_page_read_inside_a_transaction_that_rolls_back_is_never_shown(app, course, author):
    before = version()
    db.session.add(Comment(step_id=step_id(), author_id=author.id, body_md="Never sent", body_html="<p>Never sent</p>"))
    db.session.flush()  # written, not committed
    first = read_thread(step_id(), Viewer.of(author), ThreadQuery())
    assert [c.body_html for c in first.comments] == ["<p>Never sent</p>"]
    db.session.rollback()
    assert version() == before
    assert read_thread(step_id(), Viewer.of(author), ThreadQuery()).comments == ()
    # The next write takes a version the rolled-back one never had, so its page is read anew.
    make_comment(author, step_id(), "Sent")
    assert [c.body_html for c in read_thread(step_id(), Viewer.of(author), ThreadQuery()).comments] == ["<p>Sent</p>"]


def test_replies_and_highlights_come_in_one_query_each_where_it_belongs(
    client, enrolled, author, facilitator, count_queries
):
    top = make_comment(author, step_id(), "Top comment")
    replies = [make_comment(enrolled, step_id(), f"Reply number {n}", parent=top) for n in range(12)]
    moderation.set_highlight(facilitator, replies[0], True)
    moderation.set_highlight(facilitator, top, True)
    with count_queries() as statements:
        page = client.get(TALK).text
    thread = page[page.index('aria-label="Comments, newest first"') :]
    highlights = page[page.index('id="highlights-heading"') : page.index('aria-label="Comments, newest first"')]
    assert highlights.index(f'id="highlight-{top.id}"') < highlights.index(f'id="highlight-{replies[0].id}"')
    shown = [n for n in range(12) if f"Reply number {n}<" in thread]
    assert shown == list(range(10)) and "See all 12 replies" in text_of(thread)
    assert sum("FROM comments" in s and "row_number()" in s for s in statements) == 1
