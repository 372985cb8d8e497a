"""A learner's journey: join, visit steps, mark them complete, see what is done.

Reads take the course outline from the content service and add the learner's own
progress, so each page costs a fixed number of queries whatever the course size.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from lms.content.outline import CourseOutline, ModuleOutline, StepSummary
from lms.db import utcnow
from lms.extensions import db
from lms.learning.models import Enrolment, StepProgress


def is_enrolled(user_id: int, course_id: int) -> bool:
    return db.session.scalar(sa.select(sa.exists().where(
        Enrolment.user_id == user_id, Enrolment.course_id == course_id))) or False


def enrol(user_id: int, course_id: int) -> None:
    """Enrol the user if they are not already. Flushes, does not commit."""
    if not is_enrolled(user_id, course_id):
        db.session.add(Enrolment(user_id=user_id, course_id=course_id))
        db.session.flush()


def join_course(user_id: int, course_id: int) -> bool:
    """Enrol the user; return False if they had already joined (joining twice is harmless)."""
    if is_enrolled(user_id, course_id):
        return False
    db.session.add(Enrolment(user_id=user_id, course_id=course_id))
    try:
        db.session.commit()
    except IntegrityError:  # a double-click raced us: the first one enrolled them
        db.session.rollback()
        return False
    return True


def _progress_row(user_id: int, step_id: int) -> StepProgress | None:
    return db.session.scalar(sa.select(StepProgress).where(
        StepProgress.user_id == user_id, StepProgress.step_id == step_id))


def _upsert(user_id: int, step_id: int, change) -> StepProgress:
    """Apply change to the learner's row for the step, creating it if needed, and commit."""
    for _ in range(2):  # a concurrent first visit may insert the row between our read and write
        row = _progress_row(user_id, step_id) or StepProgress(user_id=user_id, step_id=step_id)
        change(row)
        db.session.add(row)
        try:
            db.session.commit()
            return row
        except IntegrityError:
            db.session.rollback()
    raise RuntimeError("could not record progress")


def record_visit(user_id: int, step_id: int) -> bool:
    """Note that the learner opened the step; return whether it is marked complete."""
    def visit(row: StepProgress) -> None:
        row.last_visited_at = utcnow()

    return _upsert(user_id, step_id, visit).completed_at is not None


def _progress_rows(user_id: int, outline: CourseOutline):
    ids = [s.id for s in outline.steps]
    return db.session.execute(
        sa.select(StepProgress.step_id, StepProgress.completed_at, StepProgress.last_visited_at)
        .where(StepProgress.user_id == user_id, StepProgress.step_id.in_(ids))).all() if ids else []


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


def toggle_step_complete(user_id: int, step_id: int) -> bool:
    """Flip the step between complete and not; return the new state."""
    def flip(row: StepProgress) -> None:
        row.completed_at = None if row.completed_at else utcnow()

    return _upsert(user_id, step_id, flip).completed_at is not None
