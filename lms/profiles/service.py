"""Learner profiles: who someone is, and what they have written where the viewer may read it.

A profile is a page of one person's comments, so it is read with comments' own pieces (the
views the thread shows, the same keyset paging) rather than a second way of showing them.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from lms.accounts.models import User
from lms.comments import rules
from lms.comments.display import EDUCATOR_ROLES, CommentView, Viewer, build, select_with_authors
from lms.comments.models import Comment, Follow
from lms.comments.paging import Cursor, ThreadQuery
from lms.comments.threads import page_of
from lms.content.models import Step
from lms.errors import NotFound
from lms.extensions import db

PAGE_SIZE = 20


@dataclass(frozen=True)
class ProfileView:
    id: int
    display_name: str
    bio: str | None
    educator: bool
    is_self: bool
    followed: bool  # the viewer follows this person
    comments: tuple[CommentView, ...]
    older_cursor: str | None


def _steps_to_leave_out(viewer, step_ids: list[int]) -> set[int]:
    """Steps whose comments the viewer may not read yet (`reveal: after-posting`, not posted there)."""
    if rules.is_staff(viewer) or not step_ids:
        return set()
    posted = sa.exists().where(Comment.step_id == Step.id, Comment.author_id == viewer.id)
    rows = db.session.execute(
        sa.select(Step.id, Step.settings, posted).where(
            Step.id.in_(step_ids), Step.type.in_(("discussion", "reflection"))
        )
    ).all()
    return {
        step_id
        for step_id, settings, has_posted in rows
        if rules.must_post_first(viewer, (settings or {}).get("reveal"), bool(has_posted))
    }


def read_profile(person_id: int, viewer, visible_step_ids: list[int], after: str | None = None) -> ProfileView:
    """A person's name, bio and comments (newest first, by keyset) on steps the viewer can read."""
    viewer = Viewer.of(viewer)
    person = db.session.get(User, person_id)
    if person is None or not person.active:
        raise NotFound("No such person")
    is_self = viewer.id == person.id
    followed = not is_self and bool(
        db.session.scalar(
            sa.select(sa.exists().where(Follow.follower_id == viewer.id, Follow.followed_id == person.id))
        )
    )
    unreadable = set() if is_self else _steps_to_leave_out(viewer, visible_step_ids)
    steps = [s for s in visible_step_ids if s not in unreadable]
    select = select_with_authors(viewer).where(
        Comment.author_id == person.id, Comment.deleted_at.is_(None), Comment.step_id.in_(steps)
    )
    if not (is_self or rules.is_staff(viewer)):
        select = select.where(Comment.hidden_at.is_(None))
    rows, older, _ = page_of(select, ThreadQuery(after=Cursor.decode(after)), PAGE_SIZE)
    return ProfileView(
        person.id,
        person.display_name,
        person.bio,
        person.role in EDUCATOR_ROLES,
        is_self,
        followed,
        tuple(build(r, viewer) for r in rows),
        older,
    )
