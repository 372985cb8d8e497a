"""What a facilitator sees of a cohort: progress, drop-off, discussion, the care queue and
the cohort's self-assessments in aggregate (and a learner's mirror of the same aggregate).

Aggregates come from the database in a fixed number of queries whatever the cohort's
size. Nothing private (reflections, self-assessment answers, one person's scores) is ever
read here; self-assessment aggregates follow the five-response rule in aggregate.py.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta

from lms.accounts import service as accounts
from lms.accounts.models import User
from lms.assessment import cohort as assessment_cohort
from lms.assessment.service import QUIZ_TYPES, SELF_ASSESSMENT, QuizRecord, quiz_records
from lms.audit import service as audit
from lms.cohorts import service as cohorts
from lms.cohorts.models import Cohort, CohortRole
from lms.comments import activity
from lms.content import service as content
from lms.content.outline import CourseOutline, StepSummary
from lms.db import utcnow
from lms.errors import InvalidInput, NotAllowed, NotFound
from lms.extensions import db
from lms.facilitation.aggregate import MIN_RESPONSES, Summary, summarise
from lms.learning import service as learning
from lms.mail import service as mail
from lms.mail.message import one_line

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
    return tuple(
        DashboardRow(
            r.user_id, r.name, r.completed, round(100 * r.completed / total), r.last_active, by_id.get(r.last_step_id)
        )
        for r in rows
    )


def dashboard(
    cohort: Cohort, outline: CourseOutline, *, show: str, sort: str, descending: bool, stalled_days: int, page: int
) -> Dashboard:
    rows, total = learning.learner_table(
        cohorts.learner_ids(cohort.id),
        outline,
        show=show,
        sort=sort,
        descending=descending,
        stalled_days=stalled_days,
        page=page,
        per_page=PER_PAGE,
    )
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
    rows, _ = learning.learner_table(
        cohorts.learner_ids(cohort.id), outline, show=show, sort="name", stalled_days=stalled_days, per_page=1_000_000
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Learner", "Steps completed", "Of", "Percent", "Last active (UTC)", "Last step visited"])
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
    quiet, quiet_total = learning.learner_table(
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
        quiet_total,
        stalled_days,
    )


# Self-assessments in aggregate -------------------------------------------------------


@dataclass(frozen=True)
class AssessmentAggregate:
    step: StepSummary
    audience: str  # "team" (about the learner's team) or "self"
    summary: Summary


def _aggregates(member_ids, steps: list[StepSummary]) -> list[AssessmentAggregate]:
    """Each self-assessment step summed up across these learners' latest responses (two queries)."""
    if not steps:
        return []
    settings = content.get_settings_of([s.id for s in steps])
    scores = assessment_cohort.latest_scores(member_ids, [s.id for s in steps])
    return [
        AssessmentAggregate(
            step, settings[step.id].get("audience", "self"), summarise(settings[step.id], scores.get(step.id, []))
        )
        for step in steps
        if step.id in settings
    ]


def self_assessment_aggregates(cohort: Cohort, outline: CourseOutline) -> list[AssessmentAggregate]:
    """The cohort's team self-assessments first, then personal ones, each under the five-response rule."""
    found = _aggregates(cohorts.learner_ids(cohort.id), [s for s in outline.steps if s.type == SELF_ASSESSMENT])
    return sorted(found, key=lambda a: a.audience != "team")


@dataclass(frozen=True)
class Mirror:
    """What a learner may compare their own scores with: their cohort's aggregate, if any."""

    cohort_name: str | None  # None: the learner is in no cohort
    summary: Summary | None = None
    minimum: int = MIN_RESPONSES


def mirror_for(user_id: int, step: StepSummary) -> Mirror:
    """The learner's (newest) cohort's aggregate for this self-assessment (at most three queries)."""
    mine = [c for c, role in cohorts.cohorts_of(user_id) if role == CohortRole.LEARNER]
    if not mine:
        return Mirror(None)
    found = _aggregates(cohorts.learner_ids(mine[0].id), [step])
    return Mirror(mine[0].name, found[0].summary if found else None)


# A note to a learner who has gone quiet ---------------------------------------------

NOTE_ACTION = "learner.message"
SUBJECT_MAX = 120
NOTE_MAX = 2000
NOTE_GAP = timedelta(hours=20)  # one note a day to any one learner, from all their facilitators


@dataclass(frozen=True)
class NoteDraft:
    learner: User
    subject: str
    body: str
    last_sent: datetime | None  # when someone last sent this learner a note


def _learner_in(cohort: Cohort, user_id: int) -> User:
    if not cohorts.is_learner_in(cohort.id, user_id):
        raise NotFound("That person is not a learner in this cohort")
    return accounts.get_user(user_id)


def note_draft(staff: User, cohort: Cohort, user_id: int) -> NoteDraft:
    """The message a facilitator starts from: short, warm, and easy to answer by email."""
    learner = _learner_in(cohort, user_id)
    first_name = learner.display_name.split()[0] if learner.display_name.split() else learner.display_name
    body = (
        f"Hello {first_name},\n\n"
        "I noticed you have not been on the course for a little while, and wanted to ask how you are.\n\n"
        "If something is getting in the way, such as time, shifts or something about the course, "
        "reply to this email and let me know. I am happy to help you find a way back in, at your own pace.\n\n"
        f"Best wishes,\n{staff.display_name}"
    )
    return NoteDraft(
        learner,
        "How are you getting on with the course?",
        body,
        audit.last_recorded(NOTE_ACTION, "users", learner.id),
    )


def send_note(staff: User, cohort: Cohort, user_id: int, subject: str, body: str, now: datetime | None = None) -> User:
    """Email a learner of the cohort a note from a facilitator, replies going to the
    facilitator's own address; recorded in the audit log. Commits."""
    if not cohorts.can_facilitate(staff, cohort.id):
        raise NotAllowed("You do not facilitate this cohort")
    learner = _learner_in(cohort, user_id)
    if not learner.active:
        raise InvalidInput("This person's account is closed, so they cannot be sent a message", field="body")
    subject = one_line(subject or "", SUBJECT_MAX + 1)
    body = (body or "").replace("\r\n", "\n").strip()
    if not subject:
        raise InvalidInput("Enter a subject", field="subject")
    if len(subject) > SUBJECT_MAX:
        raise InvalidInput(f"The subject must be {SUBJECT_MAX} characters or fewer", field="subject")
    if not body:
        raise InvalidInput("Enter your message", field="body")
    if len(body) > NOTE_MAX:
        raise InvalidInput(f"Your message must be {NOTE_MAX:,} characters or fewer", field="body")
    now = now or utcnow()
    last = audit.last_recorded(NOTE_ACTION, "users", learner.id)
    if last is not None and now - last < NOTE_GAP:
        raise InvalidInput(
            f"{learner.display_name} was sent a message less than a day ago. "
            "Give them time to answer before writing again.",
            field="body",
        )
    mail.queue(
        to=learner.email,
        name=learner.display_name,
        template="learner_note",
        subject=subject,
        user_id=learner.id,
        reply_to=(staff.email, staff.display_name),
        body=body,
        sender=staff.display_name,
        cohort=cohort.name,
    )
    audit.record(staff, NOTE_ACTION, learner, details={"cohort_id": cohort.id, "subject": subject})
    db.session.commit()
    return learner
