"""What a facilitator sees of a cohort: progress, drop-off, and (elsewhere) discussion.

Aggregates come from the database in a fixed number of queries whatever the cohort's
size. Nothing private (reflections, personal self-assessment answers) is ever read here.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from lms.accounts.models import User
from lms.cohorts import service as cohorts
from lms.cohorts.models import Cohort
from lms.content.outline import CourseOutline, StepSummary
from lms.errors import NotAllowed
from lms.learning import service as learning

PER_PAGE = 50


def cohort_for(viewer: User, cohort_id: int) -> Cohort:
    """The cohort, if the viewer may follow it (NotFound or NotAllowed otherwise)."""
    cohort = cohorts.get_cohort(cohort_id)
    if not cohorts.can_facilitate(viewer, cohort_id):
        raise NotAllowed("You do not facilitate this cohort")
    return cohort


@dataclass(frozen=True)
class DashboardRow:
    user_id: int
    name: str
    completed: int
    percent: int
    last_active: object
    last_step: StepSummary | None


@dataclass(frozen=True)
class Dashboard:
    cohort: Cohort
    rows: tuple[DashboardRow, ...]
    total: int
    page: int
    pages: int
    steps_total: int


def _rows(outline: CourseOutline, rows) -> tuple[DashboardRow, ...]:
    by_id = {s.id: s for s in outline.steps}
    total = len(outline.steps) or 1
    return tuple(DashboardRow(r.user_id, r.name, r.completed, round(100 * r.completed / total), r.last_active,
                              by_id.get(r.last_step_id)) for r in rows)


def dashboard(cohort: Cohort, outline: CourseOutline, *, show: str, sort: str, descending: bool,
              stalled_days: int, page: int) -> Dashboard:
    rows, total = learning.learner_table(cohorts.learner_ids(cohort.id), outline, show=show, sort=sort,
                                         descending=descending, stalled_days=stalled_days, page=page,
                                         per_page=PER_PAGE)
    return Dashboard(cohort, _rows(outline, rows), total, page, max(1, -(-total // PER_PAGE)), len(outline.steps))


@dataclass(frozen=True)
class FunnelRow:
    step: StepSummary
    reached: int
    completed: int


def funnel(cohort: Cohort, outline: CourseOutline) -> list[FunnelRow]:
    counts = learning.step_funnel(cohorts.learner_ids(cohort.id), outline)
    return [FunnelRow(step, *counts.get(step.id, (0, 0))) for step in outline.steps]


def spreadsheet_safe(value) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def dashboard_csv(cohort: Cohort, outline: CourseOutline, *, show: str, stalled_days: int) -> str:
    """Every matching learner (not one page) as UTF-8 CSV, formula-safe."""
    rows, _ = learning.learner_table(cohorts.learner_ids(cohort.id), outline, show=show, sort="name",
                                     stalled_days=stalled_days, per_page=1_000_000)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Learner", "Steps completed", "Of", "Percent", "Last active (UTC)", "Last step visited"])
    for row in _rows(outline, rows):
        writer.writerow([spreadsheet_safe(v) for v in (
            row.name, row.completed, len(outline.steps), row.percent,
            row.last_active.strftime("%Y-%m-%d %H:%M") if row.last_active else "",
            f"{row.last_step.number} {row.last_step.title}" if row.last_step else "")])
    return "\ufeff" + out.getvalue()  # a BOM so Excel reads UTF-8 names correctly
