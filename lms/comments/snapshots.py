"""Pages of a thread kept by each process, under the step's thread version.

A page of the whole thread (show "all": its comments, their first replies and the
highlights) is the same for every viewer; what differs is the viewer's marks (liked,
bookmarked), and what moves without the thread moving is the authors' names, roles and
accounts. So a process keeps the comments' rows under (step, thread version, sort, cursor)
and reads the marks and the authors for each page in one small query, in place of the
three that find and read the comments. Database triggers move `steps.thread_version` with
every write to a step's comments, however it is made, so a kept page is never stale: a
write makes a new key, and the old entry ages out. A version is never used twice (a
sequence, or a random number on SQLite), so one read inside a transaction that later rolls
back can never match the thread as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sqlalchemy as sa

from lms.accounts.models import User
from lms.comments.display import CommentRow
from lms.comments.models import Bookmark, CommentLike
from lms.db import one_of
from lms.extensions import db
from lms.kept import MB, Kept, kept_by_app

KEPT = 3 * MB  # pages per process, in bytes: a page of 20 comments with their replies is 50-500 KB


@dataclass(frozen=True)
class Snapshot:
    """One page of a thread without anything about the viewer: comments as plain rows."""

    comments: tuple
    replies: dict  # top-level comment id -> its replies' rows
    highlights: tuple
    next_cursor: str | None
    previous_cursor: str | None

    @classmethod
    def of(cls, rows, replies: dict, highlights, next_cursor, previous_cursor) -> Snapshot:
        """From `select_with_authors` rows: keep the comment, drop the author and the marks."""
        return cls(
            tuple(r.comment for r in rows),
            {k: tuple(r.comment for r in v) for k, v in replies.items()},
            tuple(r.comment for r in highlights),
            next_cursor,
            previous_cursor,
        )

    def rows_for(self, viewer) -> tuple[list, dict, list]:
        """The page's CommentRows as `select_with_authors` gives them, with this viewer's marks."""
        everything = [*self.comments, *(c for group in self.replies.values() for c in group), *self.highlights]
        authors, liked, bookmarked = _authors_and_marks(
            {c.author_id for c in everything if c.author_id is not None}, viewer, {c.id for c in everything}
        )

        def row(c):
            name, role, active = authors.get(c.author_id, (None, None, None))
            return CommentRow(c, name, role, active, c.id in liked, c.id in bookmarked)

        return (
            [row(c) for c in self.comments],
            {k: [row(c) for c in v] for k, v in self.replies.items()},
            [row(c) for c in self.highlights],
        )


def _authors_and_marks(author_ids: set[int], viewer, comment_ids: set[int]) -> tuple[dict, set[int], set[int]]:
    """The authors' names, roles and accounts, and which comments the viewer liked and
    bookmarked: one query (a UNION ALL), as each round trip costs more than the rows."""
    if not comment_ids:
        return {}, set(), set()
    authors, liked, bookmarked = {}, set(), set()
    rows = db.session.connection().execute(  # plain columns: none of the ORM's work per statement
        _authors_and_marks_query(db.engine.dialect.name, viewer.is_authenticated),
        {"authors": author_ids, "comments": comment_ids, "viewer": viewer.id},
    )
    for kind, id_, name, role, active in rows:
        if kind == "author":
            authors[id_] = (name, role, active)
        else:
            (liked if kind == "like" else bookmarked).add(id_)
    return authors, liked, bookmarked


@lru_cache(maxsize=4)
def _authors_and_marks_query(dialect: str, signed_in: bool):
    """Built once per process (for its database), with the lists as parameters: building it
    took three times as long as running it."""
    authors = sa.select(sa.literal("author").label("kind"), User.id, User.display_name, User.role, User.active).where(
        one_of(User.id, param="authors")
    )
    if not signed_in:
        return authors
    return sa.union_all(
        authors,
        *(
            sa.select(sa.literal(kind), mark.comment_id, sa.null(), sa.null(), sa.null()).where(
                mark.user_id == sa.bindparam("viewer"), one_of(mark.comment_id, param="comments")
            )
            for kind, mark in (("like", CommentLike), ("bookmark", Bookmark))
        ),
    )


def kept() -> Kept:
    return kept_by_app("lms.comments.snapshots", KEPT)  # the name bench/scale.py clears for a cold page
