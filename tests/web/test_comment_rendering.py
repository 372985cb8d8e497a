"""Comments' HTML is kept between pages (lms/comments/rendering.py): each viewer must still
get their own marks and actions, their own CSRF token and fresh submission keys, and no
comment's text may reach the slots those are written into."""

from __future__ import annotations

import re

import pytest

from lms.comments import service as discussion
from lms.learning import service as learning
from tests.factories import make_comment, make_user
from tests.web.discussion_support import TALK, comments, step_id, text_of
from tests.web.test_csrf import sign_in


@pytest.fixture
def csrf_app(make_app, course):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app


def signed_in(app, user):
    client = app.test_client()
    sign_in(client, user.email)
    return client


@pytest.fixture
def people(csrf_app, course):
    made = {}
    for key, name in (("ann", "Ann Author"), ("bea", "Bea Reader"), ("cal", "Cal Reader")):
        made[key] = make_user(email=f"{key}@example.org", display_name=name)
        learning.join_course(made[key].id, course.course.id)
    return made


def tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page))


def submission_keys(page: str) -> list[str]:
    return re.findall(r'name="submission" value="([^"]+)"', page)


def test_every_page_carries_its_viewers_token_and_fresh_submission_keys(csrf_app, people):
    top = make_comment(people["ann"], step_id(), "Who listens to you at work?")
    make_comment(people["ann"], step_id(), "A second thought")
    make_comment(people["cal"], step_id(), "My manager does", parent=top)
    bea, cal = signed_in(csrf_app, people["bea"]), signed_in(csrf_app, people["cal"])
    first, again, theirs = bea.get(TALK).text, bea.get(TALK).text, cal.get(TALK).text
    assert "<lms:" not in first + again + theirs
    # One token per viewer on every form, the kept comments' forms included.
    assert len(tokens(first)) == 1 and len(tokens(theirs)) == 1 and tokens(first) != tokens(theirs)
    # The new comment box and the two top-level comments' reply forms: all keys differ, and
    # differ again on the next load.
    keys, next_keys = submission_keys(first), submission_keys(again)
    assert len(keys) == len(set(keys)) == 3 and not set(keys) & set(next_keys)


def test_a_kept_comment_shows_each_viewer_their_own_marks_and_actions(csrf_app, people):
    comment = make_comment(people["ann"], step_id(), "Does this help?")
    discussion.like(people["bea"], comment)
    bea, cal, ann = (signed_in(csrf_app, people[k]) for k in ("bea", "cal", "ann"))

    def actions(client) -> str:
        page = client.get(TALK).text
        start = page.index(f'id="comment-{comment.id}"')
        return text_of(page[start : page.index("</ul>", start)])

    assert "Unlike" in actions(bea) and "Report" in actions(bea)
    assert "Unlike" not in actions(cal) and "Like" in actions(cal)
    mine = actions(ann)
    assert "Edit your comment" in mine and "Delete your comment" in mine
    assert "Like" not in mine and "Report" not in mine


def test_the_tokens_in_the_shared_action_form_and_in_a_kept_reply_form_are_accepted(csrf_app, people):
    comment = make_comment(people["ann"], step_id(), "Worth a like")
    for name in ("bea", "cal"):  # the second viewer gets the kept HTML with their own token
        client = signed_in(csrf_app, people[name])
        page = client.get(TALK).text
        # Like is a button submitting the page's one action form, which carries the token.
        assert f'form="lms-comment-actions" formaction="/comments/{comment.id}/like"' in page
        shared = re.search(r'<form id="lms-comment-actions".*?name="csrf_token" value="([^"]+)"', page, re.S)
        assert client.post(f"/comments/{comment.id}/like", data={"csrf_token": shared.group(1)}).status_code == 302
        reply = re.search(rf'action="/comments/{comment.id}/reply".*?name="csrf_token" value="([^"]+)"', page, re.S)
        assert (
            client.post(
                f"/comments/{comment.id}/reply", data={"csrf_token": reply.group(1), "body": f"A reply from {name}"}
            ).status_code
            == 302
        )
    top = comments()[0]
    assert top.like_count == 2 and top.reply_count == 2


def test_comment_text_cannot_reach_the_slots(csrf_app, people):
    make_comment(people["ann"], step_id(), "<lms:csrf> and <lms:nonce> and &lt;lms:csrf&gt;")
    page = signed_in(csrf_app, people["bea"]).get(TALK).text
    body = page[page.index('class="lms-comment__body') :]
    body = body[: body.index("</div>")]
    token = tokens(page).pop()
    assert token not in body and "&lt;lms:csrf&gt;" in body


@pytest.mark.parametrize(
    "page_of",
    [lambda c: TALK, lambda c: f"/comments/{c.id}", lambda c: f"/people/{c.author_id}"],
    ids=["thread", "conversation", "profile"],
)
def test_every_page_listing_comments_carries_the_action_form_its_buttons_submit(csrf_app, people, page_of):
    """Each page that lists comments must call `actions_form` beside its list: without it the
    buttons would submit nothing."""
    comment = make_comment(people["ann"], step_id(), "Like me from anywhere")
    client = signed_in(csrf_app, people["bea"])
    page = client.get(page_of(comment)).text
    assert f'form="lms-comment-actions" formaction="/comments/{comment.id}/like"' in page
    shared = re.search(r'<form id="lms-comment-actions".*?name="csrf_token" value="([^"]+)"', page, re.S)
    assert shared, "the page has no action form"
    assert client.post(f"/comments/{comment.id}/like", data={"csrf_token": shared.group(1)}).status_code == 302
    assert comments()[0].like_count == 1
