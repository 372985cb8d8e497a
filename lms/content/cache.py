"""The course outline and step bodies, kept by each process between requests.

Every course page needs the outline (four queries to build) and the step page its step's
body; both change only when the course does. The outlines (one with drafts, one without) are
kept for the current version only; bodies in a store bounded in bytes (lms.kept), under the
version they were read in, so those of an older version age out. Any write to the course, its modules,
activities or steps (import, authoring; not comment counts, see adjust_comment_count) adds one to
`courses.content_version` in the same transaction: the session events below see ORM
flushes and ORM UPDATE/INSERT/DELETE statements on those models. A page reads that number
in one small query (together with whatever its caller asks, such as the learner's
enrolment) and rebuilds only when it moved, so servers sharing a database stay exact.
Writes made outside the ORM (psql, a raw connection) are not seen: bump by hand or restart.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from itertools import chain

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app

from lms.content.models import Activity, Course, CourseTranslation, Module, ModuleTranslation, Step, StepTranslation
from lms.kept import MB, Kept, kept_by_app

_WATCHED = (Course, Module, Activity, Step, CourseTranslation, ModuleTranslation, StepTranslation)
_CHANGED = "lms.content.changed"  # Session.info flag: this transaction wrote to the course


@dataclass
class ProcessCache:
    key: tuple | None = None
    outlines: dict = field(default_factory=dict)  # (include_drafts, language) -> CourseOutline


def cache_for_app() -> ProcessCache:
    return current_app.extensions.setdefault("lms.content.cache", ProcessCache())


def bodies() -> Kept:
    """(version key, step id, language) -> the step's body ready to show (lms.content.step_pages)."""
    return kept_by_app("lms.content.bodies", MB)


def fresh_content_version() -> int:
    """A content version chosen at random from the column's range (INTEGER), for after a restore:
    another run of edits from it would take a million edits to meet versions used before."""
    return secrets.randbelow(2**31 - 2**22) + 2**21


def fresh_sequence_jump() -> int:
    """How far the thread versions' sequence (BIGINT) leaps after a restore: far past any value
    it gave before, and differently each time, so two restores of one backup do not meet."""
    return secrets.randbelow(2**40) + 2**32


def version_columns():
    return (Course.id, Course.created_at, Course.content_version)


def changing(session: so.Session) -> bool:
    return bool(session.info.get(_CHANGED))


def usable(session: so.Session, key: tuple) -> ProcessCache | None:
    """The process's cache for this version of the course; None while this transaction changes it
    (what it reads may yet be rolled back, so it must not be kept)."""
    if changing(session):
        return None
    cache = cache_for_app()
    if cache.key != key:
        cache.key, cache.outlines = key, {}
    return cache


def _bump(session: so.Session) -> None:
    session.info[_CHANGED] = True
    session.connection().execute(
        Course.__table__.update().values(content_version=Course.__table__.c.content_version + 1)
    )


@sa.event.listens_for(so.Session, "before_flush")
def _before_flush(session, flush_context, instances):
    for row in chain(session.new, session.deleted, session.dirty):
        if isinstance(row, _WATCHED) and (row in session.new or row in session.deleted or session.is_modified(row)):
            _bump(session)
            return


@sa.event.listens_for(so.Session, "do_orm_execute")
def _on_statement(state):
    if (
        (state.is_update or state.is_delete or state.is_insert)
        and state.bind_mapper is not None
        and state.bind_mapper.class_ in _WATCHED
    ):
        _bump(state.session)


@sa.event.listens_for(so.Session, "after_commit")
@sa.event.listens_for(so.Session, "after_rollback")
def _transaction_over(session):
    session.info.pop(_CHANGED, None)
