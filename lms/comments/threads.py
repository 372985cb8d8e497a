"""Reading threads: a step's comments, one conversation, and a learner's comments on their profile.

Every read makes a fixed number of queries whatever the thread's size: a page of comments
with their authors and the viewer's likes and bookmarks, then their replies likewise, each
in one query. `read_thread` reads the step's settings from content's table in the same
query as the lock and the viewer's own posting, rather than one more call for each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import sqlalchemy as sa

from lms.comments import rules, snapshots
from lms.comments.display import CommentRow, CommentView, Viewer, build, select_with_authors
from lms.comments.models import Bookmark, Comment, Follow, ThreadLock
from lms.comments.paging import PAGE_SIZE, Cursor, ThreadQuery, from_time_key
from lms.content.models import Step
from lms.db import one_of
from lms.extensions import db

REPLIES_SHOWN = 10  # under each comment in the thread; the conversation page shows them all
CONVERSATION_PAGE = 50
HIGHLIGHTS_SHOWN = 5


@dataclass(frozen=True)
class ThreadView:
    step_id: int
    query: ThreadQuery
    comment_count: int
    locked: bool
    gated: bool  # the learner must post before seeing others' comments
    can_moderate: bool
    highlights: tuple[CommentView, ...] = ()
    comments: tuple[CommentView, ...] = ()
    next_cursor: str | None = None
    previous_cursor: str | None = None
    ended_on: date | None = None  # the viewer's cohort ended then: the thread is read-only for them


def _thread_state(step_id: int, viewer):
    return db.session.execute(_state_query(viewer.is_authenticated), {"step_id": step_id, "user_id": viewer.id}).one()


@lru_cache(maxsize=2)
def _state_query(signed_in: bool):
    """Built once per process, as building it cost more than running it."""
    return sa.select(*state_columns(signed_in))


def state_columns(signed_in: bool) -> list:
    """The thread's state as columns on :step_id and :user_id (the viewer): the step's settings
    and comment count, whether it is locked, whether the viewer has posted on it, and its
    version. A step page reads them with the learner's other rows (lms.steps.service)."""
    step_id = sa.bindparam("step_id")
    posted = (
        sa.exists().where(Comment.step_id == step_id, Comment.author_id == sa.bindparam("user_id"))
        if signed_in
        else sa.false()
    )
    of_step = Step.id == step_id
    return [
        sa.select(Step.settings).where(of_step).scalar_subquery(),
        sa.select(Step.comment_count).where(of_step).scalar_subquery(),
        sa.exists().where(ThreadLock.step_id == step_id),
        posted,
        sa.select(Step.thread_version).where(of_step).scalar_subquery(),
    ]


def read_thread(
    step_id: int, viewer, query: ThreadQuery, state: tuple | None = None, ended_on: date | None = None
) -> ThreadView:
    """The step's thread as the viewer may see it: filtered, sorted and one page long. `state`
    is what `state_columns` gives, when the caller has read it; `ended_on`, the day the
    viewer's cohort ended, if it has (they may read, not add)."""
    viewer = Viewer.of(viewer)
    settings, count, locked, posted, version = state or _thread_state(step_id, viewer)
    base = dict(
        step_id=step_id,
        query=query,
        comment_count=count,
        locked=bool(locked),
        can_moderate=rules.can_moderate(viewer),
        ended_on=ended_on,
    )
    read_only = ended_on is not None
    if rules.must_post_first(viewer, (settings or {}).get("reveal"), bool(posted)):
        return ThreadView(gated=True, **base)
    if query.show == "all":
        rows, replies, highlights, next_cursor, previous_cursor = _whole_thread_page(step_id, viewer, query, version)
    else:  # the viewer's own selection: no replies under comments, no highlights, nothing kept
        rows, next_cursor, previous_cursor = page_of(_filtered(step_id, viewer, query), query)
        replies, highlights = {}, []
    comments = tuple(
        build(
            row,
            viewer,
            bool(locked),
            shown_replies=len(replies.get(row.comment.id, ())),
            replies=tuple(build(r, viewer, bool(locked), read_only=read_only) for r in replies.get(row.comment.id, ())),
            read_only=read_only,
        )
        for row in rows
    )
    return ThreadView(
        gated=False,
        highlights=tuple(build(r, viewer, bool(locked), read_only=read_only) for r in highlights),
        comments=comments,
        next_cursor=next_cursor,
        previous_cursor=previous_cursor,
        **base,
    )


def _whole_thread_page(step_id: int, viewer, query: ThreadQuery, version: int):
    """A page of the whole thread with replies and highlights: kept by this process under the
    thread's version (lms.comments.snapshots), so another look costs one small query."""
    key, kept = (step_id, version, query), snapshots.kept()
    page = kept.get(key)
    if page is not None:
        return (*page.rows_for(viewer), page.next_cursor, page.previous_cursor)
    rows, next_cursor, previous_cursor = page_of(_filtered(step_id, viewer, query), query)
    # No comments on the first page means none to highlight either.
    with_replies = [row.comment.id for row in rows if row.comment.reply_count]
    replies, highlights = _replies_and_highlights(
        step_id, viewer, with_replies, highlights=bool(rows) and query.is_first_page
    )
    kept.keep(key, snapshots.Snapshot.of(rows, replies, highlights, next_cursor, previous_cursor))
    return rows, replies, highlights, next_cursor, previous_cursor


def _filtered(step_id: int, viewer, query: ThreadQuery):
    """All: top-level comments (deleted ones only while they have replies). Others: any level."""
    select = select_with_authors(viewer).where(Comment.step_id == step_id)
    if query.show == "all":
        return select.where(Comment.parent_id.is_(None), sa.or_(Comment.deleted_at.is_(None), Comment.reply_count > 0))
    select = select.where(Comment.deleted_at.is_(None))
    if not rules.is_staff(viewer):
        select = select.where(sa.or_(Comment.hidden_at.is_(None), Comment.author_id == viewer.id))
    if query.show == "mine":
        return select.where(Comment.author_id == viewer.id)
    if query.show == "following":
        return select.where(Comment.author_id.in_(sa.select(Follow.followed_id).where(Follow.follower_id == viewer.id)))
    return select.where(Comment.id.in_(sa.select(Bookmark.comment_id).where(Bookmark.user_id == viewer.id)))


def _sort_column(query: ThreadQuery):
    return Comment.like_count if query.sort == "liked" else Comment.created_at


def _beyond(query: ThreadQuery, cursor: Cursor, forward: bool):
    """Rows past the cursor, walking forward (next page) or backward (previous page)."""
    column = _sort_column(query)
    key = cursor.key if query.sort == "liked" else from_time_key(cursor.key)
    if query.descending == forward:
        return sa.or_(column < key, sa.and_(column == key, Comment.id < cursor.id))
    return sa.or_(column > key, sa.and_(column == key, Comment.id > cursor.id))


def page_of(select, query: ThreadQuery, size: int = PAGE_SIZE):
    """One page by keyset on (sort key, id), and the cursors of the pages after and before it."""
    forward = query.before is None
    cursor = query.after or query.before
    column = _sort_column(query)
    descending = query.descending == forward
    order = (column.desc(), Comment.id.desc()) if descending else (column.asc(), Comment.id.asc())
    if cursor:
        select = select.where(_beyond(query, cursor, forward))
    rows = db.session.execute(select.order_by(*order).limit(size + 1)).all()
    more = len(rows) > size
    rows = rows[:size] if forward else list(reversed(rows[:size]))
    if not rows:
        return rows, None, None

    def cursor_of(row) -> str:
        return query.cursor_for(row.comment.created_at, row.comment.like_count, row.comment.id).encode()

    has_next = more if forward else True
    has_previous = cursor is not None if forward else more
    return rows, cursor_of(rows[-1]) if has_next else None, cursor_of(rows[0]) if has_previous else None


def _replies_and_highlights(step_id: int, viewer, parent_ids: list[int], highlights: bool) -> tuple[dict, list]:
    """The first replies (oldest first) under each parent, and the thread's highlights (newest
    highlight first), in one query: each row says which it is (a highlighted reply is both).

    The rows are asked for as `id IN (these UNION ALL those)`, not `IN these OR IN those`:
    PostgreSQL answers an OR of two IN lists by scanning every comment (1.3 s at 1,000,000,
    found by `make bench-scale`), and a single IN by the primary key."""
    wanted = []
    if parent_ids:
        position = (
            sa.func.row_number()
            .over(partition_by=Comment.parent_id, order_by=(Comment.created_at, Comment.id))
            .label("position")
        )
        ranked = (
            sa.select(Comment.id, position)
            .where(one_of(Comment.parent_id, parent_ids), Comment.deleted_at.is_(None))
            .subquery()
        )
        wanted.append(("reply", sa.select(ranked.c.id).where(ranked.c.position <= REPLIES_SHOWN)))
    if highlights:
        newest = (
            sa.select(Comment.id)
            .where(
                Comment.step_id == step_id,
                Comment.highlighted_at.is_not(None),
                Comment.deleted_at.is_(None),
                Comment.hidden_at.is_(None),
            )
            .order_by(Comment.highlighted_at.desc())
            .limit(HIGHLIGHTS_SHOWN)
            .subquery()
        )
        wanted.append(("highlight", sa.select(newest.c.id)))
    if not wanted:
        return {}, []
    ids = sa.union_all(*(ids for _, ids in wanted)) if len(wanted) > 1 else wanted[0][1]
    select = select_with_authors(viewer).add_columns(*(Comment.id.in_(ids).label(kind) for kind, ids in wanted))
    rows = db.session.execute(select.where(Comment.id.in_(ids))).all()
    grouped: dict[int, list] = {}
    for row in sorted((r for r in rows if r._mapping.get("reply")), key=lambda r: (r.comment.created_at, r.comment.id)):
        grouped.setdefault(row.comment.parent_id, []).append(CommentRow.of(row))
    shown = sorted(
        (r for r in rows if r._mapping.get("highlight")), key=lambda r: r.comment.highlighted_at, reverse=True
    )
    return grouped, [CommentRow.of(row) for row in shown]


@dataclass(frozen=True)
class ConversationView:
    step_id: int
    comment: CommentView | None  # the top-level comment with a page of its replies; None when gated
    target_id: int  # the comment asked for: the top one or one of its replies
    locked: bool
    gated: bool
    next_cursor: str | None = None


def read_conversation(
    comment_id: int, viewer, after: str | None = None, read_only: bool = False
) -> ConversationView | None:
    """A comment with its replies (oldest first, a page at a time); None if there is no such
    comment. `read_only`: the viewer's cohort has ended (they may read, not add)."""
    viewer = Viewer.of(viewer)
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        return None
    top_id = comment.parent_id or comment.id
    settings, _, locked, posted, _ = _thread_state(comment.step_id, viewer)
    gated = rules.must_post_first(viewer, (settings or {}).get("reveal"), bool(posted))
    if gated:
        return ConversationView(comment.step_id, None, comment_id, bool(locked), True)
    top = db.session.execute(select_with_authors(viewer).where(Comment.id == top_id)).one()
    query = ThreadQuery(sort="oldest", after=Cursor.decode(after))
    replies, next_cursor, _ = page_of(
        select_with_authors(viewer).where(Comment.parent_id == top_id, Comment.deleted_at.is_(None)),
        query,
        CONVERSATION_PAGE,
    )
    view = build(
        top,
        viewer,
        bool(locked),
        shown_replies=top.comment.reply_count,
        replies=tuple(build(r, viewer, bool(locked), read_only=read_only) for r in replies),
        read_only=read_only,
    )
    return ConversationView(comment.step_id, view, comment_id, bool(locked), False, next_cursor)
