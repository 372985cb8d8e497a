"""A learner's journey: join, visit steps, see what is done. Marking steps complete (and the
one completion rule) is in lms.learning.completion.

Reads take the course outline from the content service and add the learner's own
progress, so each page costs a fixed number of queries whatever the course size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa

from lms.accounts import sign_ins
from lms.content import service as content
from lms.content.outline import CourseOutline, ModuleOutline, StepSummary
from lms.db import dialect_insert, insert_once, one_of, utcnow
from lms.extensions import db
from lms.learning import signals
from lms.learning.cohort_progress import LEARNER_FILTERS as LEARNER_FILTERS
from lms.learning.cohort_progress import LEARNER_SORTS as LEARNER_SORTS
from lms.learning.cohort_progress import LearnerRow as LearnerRow
from lms.learning.cohort_progress import learner_table as learner_table
from lms.learning.cohort_progress import step_funnel as step_funnel
from lms.learning.models import Enrolment, StepProgress
from lms.learning.pacing import Schedule, everything_open, uk_today


def is_enrolled(user_id: int, course_id: int) -> bool:
    return (
        db.session.scalar(sa.select(sa.exists().where(Enrolment.user_id == user_id, Enrolment.course_id == course_id)))
        or False
    )


def _enrolled_for(user_id):
    from lms.content.models import Course

    first_course = sa.select(Course.id).order_by(Course.id).limit(1).scalar_subquery()
    return sa.exists().where(Enrolment.user_id == user_id, Enrolment.course_id == first_course)


# Read with the signed-in user, in the sign-in query: a course page then knows its outline is
# current and the learner has joined without a query of its own (lms.learning.access).
content.version_with_user()
sign_ins.read_with_user("enrolled", _enrolled_for)


@lru_cache(maxsize=1)
def enrolled_in_course():
    """Whether the user (parameter `enrolled_user`) has joined the course, as a column about
    `courses`, for `content.get_outline_and`, which reads it in the same query as the
    outline's version. Built once: the same object each time, so that query is built once."""
    from lms.content.models import Course

    return (
        sa.exists()
        .where(Enrolment.user_id == sa.bindparam("enrolled_user"), Enrolment.course_id == Course.id)
        .label("enrolled")
    )


# A learner's pace, read with the sign-in: the cohorts feature (above this one) says how,
# as columns on users.id (`read_pace_with_user`); lms.learning.pacing says what they mean.
PACE_WITH_USER = ("paced_from", "discussions_until")
_PACE_COLUMNS: dict = {}


def read_pace_with_user(paced_from, discussions_until) -> None:
    """Have the sign-in query read the start the learner's weeks count from (None: all open)
    and the last day they may post (None: no end), each a function of the users.id column."""
    for name, column_for in zip(PACE_WITH_USER, (paced_from, discussions_until)):
        _PACE_COLUMNS[name] = column_for
        sign_ins.read_with_user(name, column_for)


def schedule_for(user, today: date | None = None) -> Schedule:
    """What the person may open today. Staff, visitors and learners in no cohort: everything.

    No query for a person signed in by cookie (read with the sign-in); one for a person
    signed in by this very request."""
    today = today or uk_today()
    if not user.is_authenticated or user.is_staff or not _PACE_COLUMNS:
        return everything_open(today)
    read = user.read_with
    if all(name in read for name in PACE_WITH_USER):
        values = [read[name] for name in PACE_WITH_USER]
    else:
        values = db.session.execute(_pace_query(), {"pace_user": user.id}).one()
    return Schedule(today, *(_as_date(value) for value in values))


@lru_cache(maxsize=1)
def _pace_query():
    user_id = sa.bindparam("pace_user")
    return sa.select(*(_PACE_COLUMNS[name](user_id) for name in PACE_WITH_USER))


def _as_date(value) -> date | None:
    """A date read in a scalar subquery (SQLite may give its text)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def enrol(user_id: int, course_id: int) -> None:
    """Enrol the user if they are not already (one statement, so two at once enrol once).
    Does not commit."""
    if insert_once(db.session, Enrolment, dict(user_id=user_id, course_id=course_id, joined_at=utcnow())):
        signals.course_joined.send(course_id, user_ids=[user_id])


def enrol_many(user_ids: list[int], course_id: int) -> None:
    """Enrol these users, those not enrolled already, in one statement. Does not commit."""
    if user_ids:
        now = utcnow()
        joined = db.session.scalars(
            dialect_insert(db.session)(Enrolment).on_conflict_do_nothing().returning(Enrolment.user_id),
            [dict(user_id=user_id, course_id=course_id, joined_at=now) for user_id in user_ids],
        ).all()
        if joined:
            signals.course_joined.send(course_id, user_ids=list(joined))


def join_course(user_id: int, course_id: int) -> bool:
    """Enrol the user; return False if they had already joined (joining twice is harmless)."""
    joined = insert_once(db.session, Enrolment, dict(user_id=user_id, course_id=course_id, joined_at=utcnow()))
    if joined is not None:
        signals.course_joined.send(course_id, user_ids=[user_id])
    db.session.commit()
    return joined is not None


VISIT_GRANULARITY = timedelta(minutes=1)
# Built once (read on every step page, where building it cost more than running it).
_MINE = sa.and_(StepProgress.user_id == sa.bindparam("user_id"), StepProgress.step_id == sa.bindparam("step_id"))
_LAST_VISIT = sa.select(StepProgress.completed_at, StepProgress.last_visited_at).where(_MINE)


def visit_columns() -> list:
    """The learner's completion and last visit of a step as columns on :user_id and :step_id,
    for a read that gathers a step page's own rows in one round trip (lms.steps.service)."""
    return [
        sa.select(StepProgress.completed_at).where(_MINE).scalar_subquery().label("completed_at"),
        sa.select(StepProgress.last_visited_at).where(_MINE).scalar_subquery().label("last_visited_at"),
    ]


def module_completions_column():
    """Which of the steps :module_step_ids the learner :user_id has completed, as one column
    of their ids ("3,5,8", or null when none), for the same read as `visit_columns`: a step
    page ticks its module's steps without a query of its own. `completed_among` reads it."""
    return (
        sa.select(sa.func.aggregate_strings(sa.cast(StepProgress.step_id, sa.String), ","))
        .where(
            StepProgress.user_id == sa.bindparam("user_id"),
            StepProgress.step_id.in_(sa.bindparam("module_step_ids", expanding=True)),
            StepProgress.completed_at.is_not(None),
        )
        .scalar_subquery()
        .label("module_completed")
    )


def completed_among(ids: str | None) -> frozenset[int]:
    """The step ids in a `module_completions_column` value."""
    return frozenset(int(i) for i in ids.split(",")) if ids else frozenset()


def record_visit(user_id: int, step_id: int, seen: tuple | None = None) -> bool:
    """Note that the learner opened the step; say whether it is marked complete. `seen` is
    (completed_at, last_visited_at) when the caller has read them (`visit_columns`).

    A visit within a minute of the last one to the same step writes nothing (rereading a
    page, paging its comments, coming back from a form): a step page is read far more often
    than it moves the learner on, and a write per read would cost every page a commit.
    Otherwise one statement whether or not this is the first visit: INSERT ... ON CONFLICT
    DO UPDATE ... RETURNING (SQLite 3.35+ and PostgreSQL), so two first visits at once
    cannot collide.
    """
    now = utcnow()
    completed_at, last_visited_at = (
        seen or db.session.execute(_LAST_VISIT, {"user_id": user_id, "step_id": step_id}).first() or (None, None)
    )
    if last_visited_at is not None and last_visited_at >= now - VISIT_GRANULARITY:
        return completed_at is not None
    completed_at = db.session.execute(
        _visit_upsert(db.session.get_bind().dialect.name),
        {"user_id": user_id, "step_id": step_id, "now": now},
        execution_options={"synchronize_session": False},
    ).scalar_one()
    signals.step_opened.send(step_id, user_id=user_id)
    db.session.commit()
    return completed_at is not None


@lru_cache(maxsize=2)
def _visit_upsert(dialect: str):
    """Built once per process and database, with bound parameters: building it cost more than running it."""
    insert = dialect_insert(db.session)(StepProgress).values(
        user_id=sa.bindparam("user_id"),
        step_id=sa.bindparam("step_id"),
        first_visited_at=sa.bindparam("now"),
        last_visited_at=sa.bindparam("now"),
    )
    return insert.on_conflict_do_update(
        index_elements=[StepProgress.user_id, StepProgress.step_id],
        set_={"last_visited_at": insert.excluded.last_visited_at},
    ).returning(StepProgress.completed_at)


def _progress_rows(user_id: int, outline: CourseOutline):
    ids = [s.id for s in outline.steps]
    return (
        db.session.execute(
            sa.select(StepProgress.step_id, StepProgress.completed_at, StepProgress.last_visited_at).where(
                StepProgress.user_id == user_id, one_of(StepProgress.step_id, ids)
            )
        ).all()
        if ids
        else []
    )


@dataclass(frozen=True)
class ModuleProgress:
    module: ModuleOutline
    completed: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0


@dataclass(frozen=True)
class Progress:
    """What the learner has done, over the steps they can see."""

    outline: CourseOutline
    completed_ids: frozenset[int]
    modules: tuple[ModuleProgress, ...]
    last_visited: StepSummary | None
    next_step: StepSummary | None  # the first step not yet complete: where to continue

    @property
    def completed(self) -> int:
        return len(self.completed_ids)

    @property
    def total(self) -> int:
        return len(self.outline.steps)

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0


def progress_for(user_id: int, outline: CourseOutline) -> Progress:
    """The learner's progress through the outline, in one query."""
    rows = _progress_rows(user_id, outline)
    done = frozenset(r.step_id for r in rows if r.completed_at is not None)
    last = max(rows, key=lambda r: r.last_visited_at, default=None)
    by_id = {s.id: s for s in outline.steps}
    return Progress(
        outline=outline,
        completed_ids=done,
        modules=tuple(ModuleProgress(m, sum(s.id in done for s in m.steps), len(m.steps)) for m in outline.modules),
        last_visited=by_id.get(last.step_id) if last else None,
        next_step=next((s for s in outline.steps if s.id not in done), None),
    )


def activity_dates(user_id: int, course_id: int) -> tuple[datetime | None, datetime | None]:
    """When the learner joined the course, and when they were last active in it."""
    joined = db.session.scalar(
        sa.select(Enrolment.joined_at).where(Enrolment.user_id == user_id, Enrolment.course_id == course_id)
    )
    last = db.session.scalar(
        sa.select(sa.func.max(StepProgress.last_visited_at)).where(StepProgress.user_id == user_id)
    )
    return joined, last
