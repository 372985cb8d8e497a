"""What a learner's step page reads of their own, in one round trip.

Each feature names the columns it needs on `:user_id` and `:step_id` (the visit and
completion, the reflection, the thread's state); this gathers them into one statement, so a
step page asks the database once where it asked three times, and hands each feature back
its part.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sqlalchemy as sa

from lms.comments import threads
from lms.extensions import db
from lms.learning import service as learning
from lms.reflection import service as reflection


@dataclass(frozen=True)
class LearnerState:
    seen: tuple  # (completed_at, last_visited_at), as learning.record_visit takes them
    reflection_id: int | None
    thread_state: tuple  # as lms.comments.threads.read_thread takes it


def learner_state(user_id: int, step_id: int) -> LearnerState:
    """The learner's own rows on the step, read together (on the connection: plain columns
    need none of the ORM's work on each statement)."""
    row = db.session.connection().execute(_statement(), {"user_id": user_id, "step_id": step_id}).one()
    return LearnerState(seen=tuple(row[:2]), reflection_id=row[2], thread_state=tuple(row[3:]))


@lru_cache(maxsize=1)
def _statement():
    """Built once per process: building it cost more than running it."""
    return sa.select(*learning.visit_columns(), reflection.id_column(), *threads.state_columns(signed_in=True))
