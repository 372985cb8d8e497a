"""What a learner's step page reads of their own, in one round trip.

Each feature names the columns it needs on `:user_id` and `:step_id` (the visit and
completion, the module's completed steps, the reflection, the thread's state); this gathers
them into one statement, so a step page asks the database once where it asked four times,
and hands each feature back its part.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import sqlalchemy as sa

from lms.comments import threads
from lms.content.outline import ModuleOutline, StepSummary
from lms.extensions import db
from lms.learning import service as learning
from lms.reflection import service as reflection


@dataclass(frozen=True)
class LearnerState:
    seen: tuple  # (completed_at, last_visited_at), as learning.record_visit takes them
    module_completed: frozenset[int]  # ids of the module's steps the learner has completed
    reflection_id: int | None
    thread_state: tuple  # as lms.comments.threads.read_thread takes it


def learner_state(user_id: int, step_id: int, module_step_ids: list[int]) -> LearnerState:
    """The learner's own rows on the step and its module, read together (on the connection:
    plain columns need none of the ORM's work on each statement)."""
    row = (
        db.session.connection()
        .execute(_statement(), {"user_id": user_id, "step_id": step_id, "module_step_ids": module_step_ids})
        .one()
    )
    return LearnerState(
        seen=tuple(row[:2]),
        module_completed=learning.completed_among(row[2]),
        reflection_id=row[3],
        thread_state=tuple(row[4:]),
    )


@lru_cache(maxsize=1)
def _statement():
    """Built once per process: building it cost more than running it."""
    return sa.select(
        *learning.visit_columns(),
        learning.module_completions_column(),
        reflection.id_column(),
        *threads.state_columns(signed_in=True),
    )


@dataclass(frozen=True)
class ModulePlace:
    """Where a step sits in its module, and how far the learner is through the module."""

    module: ModuleOutline
    steps: tuple[StepSummary, ...]  # the module's steps the learner can see, in order
    current: StepSummary
    completed_ids: frozenset[int] = frozenset()  # of those steps, the ones the learner completed

    @property
    def step_ids(self) -> list[int]:
        return [step.id for step in self.steps]

    def with_completed(self, completed_ids: frozenset[int]) -> ModulePlace:
        return replace(self, completed_ids=frozenset(completed_ids) & set(self.step_ids))

    @property
    def position(self) -> int:
        """The step's place in the module, from 1 ("Step 2 of 8")."""
        return next(i for i, step in enumerate(self.steps, start=1) if step.id == self.current.id)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def completed(self) -> int:
        return len(self.completed_ids)

    @property
    def ticks(self) -> tuple[bool, ...]:
        return tuple(step.id in self.completed_ids for step in self.steps)

    @property
    def key(self) -> tuple:
        """Everything the module's step list shows, to keep its HTML under (lms.fragments)."""
        return (
            self.module.id,
            self.module.slug,
            self.module.number,
            self.module.title,
            self.steps,
            self.current.id,
            self.ticks,
        )


def module_place(module: ModuleOutline, current: StepSummary) -> ModulePlace:
    return ModulePlace(module, module.steps, current)
