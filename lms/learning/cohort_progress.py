"""What staff read of a group of learners' progress: the cohort's table of learners (filtered,
sorted, a page at a time) and how far the group got through each step. Reached through
lms.learning.service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from lms.accounts.models import User
from lms.content.outline import CourseOutline
from lms.db import utcnow
from lms.extensions import db
from lms.learning.models import StepProgress


@dataclass(frozen=True)
class LearnerRow:
    user_id: int
    name: str
    completed: int
    last_active: datetime | None
    last_step_id: int | None
    stalled: bool  # active once, not finished, and nothing for `stalled_days` (the "stalled" filter's rule)


LEARNER_SORTS = {"name", "completed", "last_active"}
LEARNER_FILTERS = {"all", "not-started", "stalled", "completed"}


def learner_table(
    member_ids: sa.Select,
    outline: CourseOutline,
    *,
    show: str = "all",
    sort: str = "name",
    descending: bool = False,
    stalled_days: int = 14,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[LearnerRow], dict[str, int]]:
    """A page of the learners' progress, aggregated in the database, and how many learners
    each filter (LEARNER_FILTERS) matches.

    Two queries whatever the number of learners: the counts and the page.
    """
    published = [s.id for s in outline.steps]
    done = (
        sa.select(
            StepProgress.user_id,
            sa.func.count(StepProgress.completed_at).filter(StepProgress.step_id.in_(published)).label("completed"),
            sa.func.max(StepProgress.last_visited_at).label("last_active"),
        )
        .where(StepProgress.user_id.in_(member_ids))
        .group_by(StepProgress.user_id)
        .subquery()
    )
    # The step each learner was on last: a correlated subquery, so the database works it out for
    # the page's rows only (through ix_step_progress_user_last_visited), not for every member.
    latest = (
        sa.select(StepProgress.step_id)
        .where(StepProgress.user_id == User.id, StepProgress.step_id.in_(published))
        .order_by(StepProgress.last_visited_at.desc(), StepProgress.id.desc())
        .limit(1)
        .correlate(User)
        .scalar_subquery()
    )
    completed = sa.func.coalesce(done.c.completed, 0)
    # Each filter's rule, once: it picks the rows, counts them, and flags them in every view.
    rules = {
        "not-started": done.c.last_active.is_(None),
        "stalled": sa.and_(done.c.last_active < utcnow() - timedelta(days=stalled_days), completed < len(published)),
        "completed": completed >= len(published) if published else sa.false(),
    }
    counted = db.session.execute(
        sa.select(sa.func.count(), *(sa.func.count().filter(rule) for rule in rules.values()))
        .select_from(User)
        .outerjoin(done, done.c.user_id == User.id)
        .where(User.id.in_(member_ids))
    ).one()
    counts = dict(zip(("all", *rules), counted))
    query = (
        sa.select(User.id, User.display_name, completed.label("completed"), done.c.last_active)
        .where(User.id.in_(member_ids), rules.get(show, sa.true()))
        .outerjoin(done, done.c.user_id == User.id)
    )
    column = {"name": sa.func.lower(User.display_name), "completed": completed, "last_active": done.c.last_active}[
        sort if sort in LEARNER_SORTS else "name"
    ]
    order = column.desc() if descending else column.asc()
    if sort == "last_active":  # never-active learners last whichever way
        order = order.nulls_last()
    stalled = sa.case((rules["stalled"], True), else_=False)
    rows = db.session.execute(
        query.add_columns(latest, stalled).order_by(order, User.id).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return [LearnerRow(*row[:5], bool(row[5])) for row in rows], counts


def step_funnel(member_ids: sa.Select, outline: CourseOutline) -> dict[int, tuple[int, int]]:
    """For each visible step: how many of these learners reached it and completed it (one query)."""
    ids = [s.id for s in outline.steps]
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(StepProgress.step_id, sa.func.count(), sa.func.count(StepProgress.completed_at))
        .where(StepProgress.user_id.in_(member_ids), StepProgress.step_id.in_(ids))
        .group_by(StepProgress.step_id)
    ).all()
    return {step_id: (reached, completed) for step_id, reached, completed in rows}
