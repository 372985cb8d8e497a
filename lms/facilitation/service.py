"""What a facilitator sees of a cohort: progress, drop-off, discussion, the care queue and
the cohort's self-assessments in aggregate (and a learner's mirror of the same aggregate).

Aggregates come from the database in a fixed number of queries whatever the cohort's
size. Nothing private (reflections, self-assessment answers, one person's scores) is ever
shown from here; self-assessment aggregates follow the five-response rule in aggregate.py
and move only in batches of five learners (the batches are this feature's own table).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from lms.accounts import service as accounts
from lms.accounts.models import User
from lms.assessment import cohort as assessment_cohort
from lms.assessment.service import QUIZ_TYPES, SELF_ASSESSMENT, QuizRecord, quiz_records
from lms.assessment.signals import self_assessment_taken
from lms.audit import service as audit
from lms.cohorts import service as cohorts
from lms.cohorts.models import Cohort, CohortRole
from lms.comments import activity
from lms.content import service as content
from lms.content.outline import CourseOutline, StepSummary
from lms.db import dialect_insert, utcnow
from lms.errors import InvalidInput, NotAllowed, NotFound
from lms.extensions import db
from lms.facilitation.aggregate import MIN_RESPONSES, Summary, responses_needed, snapshot_due, summarise
from lms.facilitation.models import AggregateSnapshot
from lms.learning import service as learning
from lms.mail import service as mail
from lms.mail.message import one_line
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
# Pages read a cohort's newest batch of figures (AggregateSnapshot), never the responses,
# and a new batch is taken only when aggregate.snapshot_due says so: in the transaction of
# the answer that makes it due, or, when the count got there another way (learners who had
# answered joining the cohort, answers from before batches existed), by the next page that
# reads it. Either way the rule is the same, so the figures move five learners at a time.


@dataclass(frozen=True)
class AssessmentAggregate:
    step: StepSummary
    audience: str  # "team" (about the learner's team) or "self"
    summary: Summary | None  # the newest batch; None before the first
    answered: int = 0  # before the first batch: how many have answered (it shows no answers)

    @property
    def needed(self) -> int:
        return responses_needed(self.answered)


def _newest_batches(cohort_id: int, step_ids: list[int]) -> dict[int, AggregateSnapshot]:
    """Per step, the cohort's newest batch (one query)."""
    newest = (
        sa.select(AggregateSnapshot.step_id, sa.func.max(AggregateSnapshot.batch).label("batch"))
        .where(AggregateSnapshot.cohort_id == cohort_id, AggregateSnapshot.step_id.in_(step_ids))
        .group_by(AggregateSnapshot.step_id)
        .subquery()
    )
    rows = db.session.scalars(
        sa.select(AggregateSnapshot)
        .join(newest, sa.and_(AggregateSnapshot.step_id == newest.c.step_id, AggregateSnapshot.batch == newest.c.batch))
        .where(AggregateSnapshot.cohort_id == cohort_id)
    )
    return {row.step_id: row for row in rows}


def _counted(batch: AggregateSnapshot | None) -> int | None:
    return batch.responses if batch is not None else None


def _take_batch(
    cohort_id: int, step_id: int, settings: dict, scores: list[dict], last: AggregateSnapshot | None
) -> AggregateSnapshot | None:
    """The step's next batch, from these scores; None if it is not due after all, or if an
    answer sent at the same moment took this batch number first (its figures stand)."""
    if not snapshot_due(len(scores), _counted(last)):
        return None  # someone left the cohort between the count and the scores
    insert = dialect_insert(db.session)(AggregateSnapshot).values(
        cohort_id=cohort_id,
        step_id=step_id,
        batch=last.batch + 1 if last else 1,
        responses=len(scores),
        summary=summarise(settings, scores).as_data(),
        created_at=utcnow(),
    )
    return db.session.scalars(insert.on_conflict_do_nothing().returning(AggregateSnapshot)).first()


def _batches(
    cohort_id: int, step_ids: list[int], settings: dict[int, dict] | None = None
) -> tuple[dict[int, AggregateSnapshot], dict[int, int], bool]:
    """Per step, the cohort's newest batch, after taking any that is due; how many have
    answered; and whether a batch was taken (to be committed). Two queries, and two more
    and an insert per step when a batch is due."""
    members = cohorts.learner_ids(cohort_id)
    counts = assessment_cohort.responder_counts(members, step_ids)
    newest = _newest_batches(cohort_id, step_ids)
    due = [s for s in step_ids if snapshot_due(counts.get(s, 0), _counted(newest.get(s)))]
    if not due:
        return newest, counts, False
    settings = settings if settings is not None else content.get_settings_of(due)
    scores = assessment_cohort.latest_scores(members, due)
    taken = False
    for step_id in due:
        batch = _take_batch(cohort_id, step_id, settings[step_id], scores[step_id], newest.get(step_id))
        if batch is not None:
            newest[step_id], taken = batch, True
    return newest, counts, taken


@self_assessment_taken.connect
def _batch_on_answer(response, **_) -> None:
    """In the answer's transaction: the next batch of each of the learner's cohorts, if now due."""
    for cohort, role in cohorts.cohorts_of(response.user_id):
        if role == CohortRole.LEARNER:
            _batches(cohort.id, [response.step_id])


def _aggregate(step: StepSummary, settings: dict, batch: AggregateSnapshot | None, answered: int):
    if batch is None:
        return AssessmentAggregate(step, settings.get("audience", "self"), None, answered)
    # From the first batch on, the live count is not shown either: it would move with each answer.
    return AssessmentAggregate(step, settings.get("audience", "self"), Summary.from_data(batch.summary))


def self_assessment_aggregates(cohort: Cohort, outline: CourseOutline) -> list[AssessmentAggregate]:
    """The cohort's team self-assessments first, then personal ones: each one's newest batch
    (three queries, and a few more on the rare page that takes a batch)."""
    steps = [s for s in outline.steps if s.type == SELF_ASSESSMENT]
    if not steps:
        return []
    settings = content.get_settings_of([s.id for s in steps])
    steps = [s for s in steps if s.id in settings]
    newest, counts, taken = _batches(cohort.id, [s.id for s in steps], settings)
    if taken:
        db.session.commit()
    found = [_aggregate(s, settings[s.id], newest.get(s.id), counts.get(s.id, 0)) for s in steps]
    return sorted(found, key=lambda a: a.audience != "team")


@dataclass(frozen=True)
class Mirror:
    """What a learner may compare their own scores with: their cohort's newest batch, if any."""

    cohort_name: str | None  # None: the learner is in no cohort
    summary: Summary | None = None  # None: no batch yet
    answered: int = 0  # before the first batch: how many in the cohort have answered
    minimum: int = MIN_RESPONSES

    @property
    def needed(self) -> int:
        return responses_needed(self.answered)


def mirror_for(user_id: int, step: StepSummary) -> Mirror:
    """The learner's (newest) cohort's figures for this self-assessment (three queries)."""
    mine = [c for c, role in cohorts.cohorts_of(user_id) if role == CohortRole.LEARNER]
    if not mine:
        return Mirror(None)
    newest, counts, taken = _batches(mine[0].id, [step.id])
    if taken:
        db.session.commit()
    batch = newest.get(step.id)
    if batch is None:
        return Mirror(mine[0].name, None, counts.get(step.id, 0))
    return Mirror(mine[0].name, Summary.from_data(batch.summary))


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
