"""What a facilitator sees of a cohort: progress, drop-off, discussion and the care queue.
The cohort's self-assessments in aggregate are in batches.py, notes to learners in notes.py.

Aggregates come from the database in a fixed number of queries whatever the cohort's
size. Nothing private (reflections, self-assessment answers, one person's scores) is ever
shown from here.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _

from lms.accounts.models import User
from lms.assessment.service import QUIZ_TYPES, QuizRecord, quiz_records
from lms.cohorts import service as cohorts
from lms.cohorts.models import Cohort
from lms.comments import activity
from lms.content.outline import CourseOutline, StepSummary
from lms.db import utcnow
from lms.errors import NotAllowed
from lms.learning import service as learning
from lms.spreadsheets import spreadsheet_safe

PER_PAGE = 50
WEEK = timedelta(days=7)
REPLY_WAIT = timedelta(days=2)  # a comment with no reply after this long joins the care queue
CARE_LIST = 25  # people shown in each part of the care queue (the page says how many more)


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
    stalled: bool


@dataclass(frozen=True)
class Dashboard:
    cohort: Cohort
    rows: tuple[DashboardRow, ...]
    total: int
    page: int
    pages: int
    steps_total: int
    counts: dict[str, int]  # learners each filter shows


def _rows(outline: CourseOutline, rows) -> tuple[DashboardRow, ...]:
    by_id = {s.id: s for s in outline.steps}
    total = len(outline.steps) or 1
    return tuple(
        DashboardRow(
            r.user_id,
            r.name,
            r.completed,
            round(100 * r.completed / total),
            r.last_active,
            by_id.get(r.last_step_id),
            r.stalled,
        )
        for r in rows
    )


def dashboard(
    cohort: Cohort, outline: CourseOutline, *, show: str, sort: str, descending: bool, stalled_days: int, page: int
) -> Dashboard:
    rows, counts = learning.learner_table(
        cohorts.learner_ids(cohort.id),
        outline,
        show=show,
        sort=sort,
        descending=descending,
        stalled_days=stalled_days,
        page=page,
        per_page=PER_PAGE,
    )
    total = counts[show]
    pages = max(1, -(-total // PER_PAGE))
    return Dashboard(cohort, _rows(outline, rows), total, page, pages, len(outline.steps), counts)


@dataclass(frozen=True)
class FunnelRow:
    step: StepSummary
    reached: int
    completed: int


def funnel(cohort: Cohort, outline: CourseOutline) -> list[FunnelRow]:
    counts = learning.step_funnel(cohorts.learner_ids(cohort.id), outline)
    return [FunnelRow(step, *counts.get(step.id, (0, 0))) for step in outline.steps]


def dashboard_csv(cohort: Cohort, outline: CourseOutline, *, show: str, stalled_days: int) -> str:
    """Every matching learner (not one page) as UTF-8 CSV, formula-safe."""
    rows, _counts = learning.learner_table(
        cohorts.learner_ids(cohort.id), outline, show=show, sort="name", stalled_days=stalled_days, per_page=1_000_000
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(  # headings in the page's language; the cells stay as a spreadsheet reads them
        [
            _("Learner"),
            _("Steps completed"),
            _("Of"),
            _("Percent"),
            _("Last active (UTC)"),
            _("Last step visited"),
            _("Stalled (no activity for %(days)s days)", days=stalled_days),
        ]
    )
    for row in _rows(outline, rows):
        writer.writerow(
            [
                spreadsheet_safe(v)
                for v in (
                    row.name,
                    row.completed,
                    len(outline.steps),
                    row.percent,
                    row.last_active.strftime("%Y-%m-%d %H:%M") if row.last_active else "",
                    f"{row.last_step.number} {row.last_step.title}" if row.last_step else "",
                    "Yes" if row.stalled else "",
                )
            ]
        )
    return "\ufeff" + out.getvalue()  # a BOM so Excel reads UTF-8 names correctly


@dataclass(frozen=True)
class AssessedScore:
    step: StepSummary
    record: QuizRecord | None  # None: not taken yet


def quiz_and_test_scores(user_id: int, outline: CourseOutline) -> list[AssessedScore]:
    """The learner's attempts, best score and pass at each quiz and test (one query)."""
    steps = [s for s in outline.steps if s.type in QUIZ_TYPES]
    records = quiz_records(user_id, [s.id for s in steps])
    return [AssessedScore(step, records.get(step.id)) for step in steps]


# Discussion --------------------------------------------------------------------------


@dataclass(frozen=True)
class StepDiscussion:
    step: StepSummary
    this_week: int
    total: int
    unanswered: int


@dataclass(frozen=True)
class DiscussionActivity:
    steps: tuple[StepDiscussion, ...]  # steps the cohort has commented on, in course order
    reports_waiting: int

    @property
    def this_week(self) -> int:
        return sum(s.this_week for s in self.steps)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.steps)

    @property
    def steps_unanswered(self) -> int:
        return sum(1 for s in self.steps if s.unanswered)


def discussion_activity(cohort: Cohort, outline: CourseOutline) -> DiscussionActivity:
    """The cohort's learners' comments per step, this week and in all, and reports waiting (two queries)."""
    members = cohorts.learner_ids(cohort.id)
    counts = activity.activity_by_step(members, utcnow() - WEEK)
    steps = tuple(
        StepDiscussion(step, c.this_week, c.total, c.unanswered) for step in outline.steps if (c := counts.get(step.id))
    )
    return DiscussionActivity(steps, activity.open_reports(members))


# The care queue ----------------------------------------------------------------------


@dataclass(frozen=True)
class CareItem:
    waiting: activity.Waiting
    step: StepSummary | None  # None if the step is no longer published


@dataclass(frozen=True)
class CareQueue:
    first_comments: tuple[CareItem, ...]
    first_total: int
    no_reply: tuple[CareItem, ...]
    no_reply_total: int
    quiet: tuple[DashboardRow, ...]
    quiet_total: int
    stalled_days: int


def care_queue(cohort: Cohort, outline: CourseOutline, *, stalled_days: int) -> CareQueue:
    """People to reach: unanswered first comments, comments with no reply after two days, and
    learners who were active but have gone quiet (six queries, each list capped at CARE_LIST)."""
    members = cohorts.learner_ids(cohort.id)
    by_id = {s.id: s for s in outline.steps}
    first, first_total = activity.unanswered_first_comments(members, CARE_LIST)
    waiting, waiting_total = activity.unanswered_since(members, utcnow() - REPLY_WAIT, CARE_LIST)
    quiet, counts = learning.learner_table(
        members,
        outline,
        show="stalled",
        sort="last_active",
        descending=True,
        stalled_days=stalled_days,
        per_page=CARE_LIST,
    )
    return CareQueue(
        tuple(CareItem(w, by_id.get(w.step_id)) for w in first),
        first_total,
        tuple(CareItem(w, by_id.get(w.step_id)) for w in waiting),
        waiting_total,
        _rows(outline, quiet),
        counts["stalled"],
        stalled_days,
    )
