"""The Educator badge says what the author was when they wrote the comment: promoting a
learner badges only what they write from then on, and kept thread pages stay right."""

from __future__ import annotations

import re

import sqlalchemy as sa

from lms.accounts.models import Role
from lms.comments.models import Comment
from lms.extensions import db
from lms.learning import service as learning
from tests.factories import make_comment, make_user
from tests.web.discussion_support import TALK, step_id

BADGE = "Educator</strong>"


def shown(page: str, comment_id: int) -> str:
    """The HTML of one comment on the page, up to the next comment."""
    start = page.index(f'id="comment-{comment_id}"')
    after = re.search(r'id="comment-\d+"', page[start + 1 :])
    return page[start : start + 1 + after.start()] if after else page[start:]


def test_a_promoted_learners_old_comments_keep_no_badge_and_new_ones_have_it(
    app, client, enrolled, admin, course, sign_in
):
    priya = make_user(email="priya@example.org", display_name="Priya Ward")
    learning.join_course(priya.id, course.course.id)
    before = make_comment(priya, step_id(), "Written as a learner")
    page = client.get(TALK).text  # the thread page is now kept
    assert BADGE not in shown(page, before.id)

    as_admin = sign_in(admin)
    response = as_admin.post(f"/admin/people/{priya.id}/role", data={"role": "facilitator", "reason": "Co-facilitates"})
    assert response.status_code == 302 and priya.role == Role.FACILITATOR

    page = client.get(TALK).text
    assert "Written as a learner" in page and BADGE not in shown(page, before.id)
    after = make_comment(priya, step_id(), "Written as a facilitator")
    page = client.get(TALK).text
    assert BADGE in shown(page, after.id) and BADGE not in shown(page, before.id)

    # And back: demoted, their facilitator comment keeps its badge; a new one has none.
    as_admin.post(f"/admin/people/{priya.id}/role", data={"role": "learner", "reason": "Term ended"})
    later = make_comment(priya, step_id(), "A learner again")
    page = client.get(TALK).text
    assert BADGE in shown(page, after.id) and BADGE not in shown(page, later.id)
    assert dict(db.session.execute(sa.select(Comment.id, Comment.educator)).all()) == {
        before.id: False,
        after.id: True,
        later.id: False,
    }
