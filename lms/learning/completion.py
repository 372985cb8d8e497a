"""Completing steps: the one completion rule (which actions mark a step complete, and what
the learner may mark by hand), and the writes that mark a step complete or not.

Each write is one statement, INSERT ... ON CONFLICT DO UPDATE, so a visit or another
completion at the same moment cannot collide with it.
"""

from __future__ import annotations

from functools import lru_cache

import sqlalchemy as sa

from lms.db import dialect_insert, utcnow
from lms.extensions import db
from lms.learning import signals
from lms.learning.models import StepProgress


def set_step_complete(user_id: int, step_id: int, complete: bool = True) -> None:
    """Mark the step complete or not, and commit. Saying the state (not flipping it) makes a
    double submission, or many at once, land on the state the learner asked for."""
    if _set_completion(user_id, step_id, complete):
        signals.step_completed.send(step_id, user_id=user_id)
    db.session.commit()


# The one completion rule, stated on the course page: a step is complete when the learner
# marks it, and these actions mark it for them; the learner can undo any mark but a pass.
COMPLETED_BY_POSTING = ("discussion",)  # a comment or a reply on the step
COMPLETED_BY_SAVING = ("reflection",)  # the reflection saved (a draft kept as they type is not)
COMPLETED_BY_SUBMISSION = ("quiz", "test", "self-assessment")  # answers sent (the button can only undo)
COMPLETED_BY_PASSING = ("test",)  # of those, a test only when the answers pass


def may_set(step_type: str, complete: bool) -> bool:
    """Whether the learner may mark the step complete (or not) by hand. Answered steps are
    marked by their answers; a quiz's or self-assessment's mark can be undone, a test's not
    (it is complete exactly when passed)."""
    if step_type in COMPLETED_BY_PASSING:
        return False
    return not complete or step_type not in COMPLETED_BY_SUBMISSION


def complete_step(user_id: int, step_id: int) -> bool:
    """Mark the step complete unless it already is; say whether it was not. Does not commit.

    For a feature whose own write completes a step (an answer sheet), so both land together;
    its own signal tells of the completion.
    """
    return _set_completion(user_id, step_id, True)


def complete_step_of_type(user_id: int, step_id: int, types: tuple[str, ...]) -> None:
    """Mark the step complete if it is of one of `types` (one statement, whatever the type:
    the caller need not read the step first). Does not commit.

    For a feature whose write completes some steps only (a comment completes a discussion).
    """
    now = utcnow()
    completed_at = db.session.execute(
        _typed_completion_upsert(db.session.get_bind().dialect.name),
        {"user_id": user_id, "step_id": step_id, "now": now, "types": list(types)},
        execution_options={"synchronize_session": False},
    ).scalar()
    if completed_at == now:  # completed by this statement (kept from before, it would be older)
        signals.step_completed.send(step_id, user_id=user_id)


def _set_completion(user_id: int, step_id: int, complete: bool) -> bool:
    """The learner's row for the step, completed (keeping the first time) or not, created if
    need be: one statement, INSERT ... ON CONFLICT DO UPDATE, so a first visit or another
    completion at the same moment cannot collide with it (it waits for them on PostgreSQL).
    Whether this statement completed it (the time it returns is now, not an older one kept)."""
    now = utcnow()
    completed_at = db.session.execute(
        _completion_upsert(db.session.get_bind().dialect.name),
        {"user_id": user_id, "step_id": step_id, "now": now, "completed_at": now if complete else None},
        execution_options={"synchronize_session": False},
    ).scalar()
    return complete and completed_at == now


@lru_cache(maxsize=2)
def _completion_upsert(dialect: str):
    """Built once per process and database, with bound parameters, as `_visit_upsert` is."""
    insert = dialect_insert(db.session)(StepProgress).values(
        user_id=sa.bindparam("user_id"),
        step_id=sa.bindparam("step_id"),
        first_visited_at=sa.bindparam("now"),
        last_visited_at=sa.bindparam("now"),
        completed_at=sa.bindparam("completed_at"),
    )
    asked = insert.excluded.completed_at
    # Not complete: cleared. Complete: since the first time, if it already was.
    kept = sa.case((asked.is_(None), None), else_=sa.func.coalesce(StepProgress.completed_at, asked))
    return insert.on_conflict_do_update(
        index_elements=[StepProgress.user_id, StepProgress.step_id], set_={"completed_at": kept}
    ).returning(StepProgress.completed_at)


@lru_cache(maxsize=2)
def _typed_completion_upsert(dialect: str):
    """INSERT ... SELECT from the step's row when its type is one of :types, then as
    `_completion_upsert` (completed since the first time). Built once per process and database."""
    from lms.content.models import Step

    now = sa.bindparam("now", type_=StepProgress.completed_at.type)
    the_step = sa.select(sa.bindparam("user_id", type_=sa.Integer), Step.id, now, now, now).where(
        Step.id == sa.bindparam("step_id"), Step.type.in_(sa.bindparam("types", expanding=True))
    )
    table = StepProgress.__table__  # a Core statement: the ORM reads INSERT ... SELECT's parameters as rows
    insert = dialect_insert(db.session)(table).from_select(
        [table.c.user_id, table.c.step_id, table.c.first_visited_at, table.c.last_visited_at, table.c.completed_at],
        the_step,
    )
    kept = sa.func.coalesce(table.c.completed_at, insert.excluded.completed_at)
    return insert.on_conflict_do_update(
        index_elements=[table.c.user_id, table.c.step_id], set_={"completed_at": kept}
    ).returning(table.c.completed_at)
