"""The daily digest: one message a day at the person's chosen hour (on their clock), listing
what happened since their last one, grouped by step; no message when nothing happened.

The delivery loop runs `send_due_digests` each hour (registered with lms.mail by
lms.notifications.service); `flask --app lms mail digest` runs it by hand. Each person's
row in email_preferences holds the period their last digest covered. A run claims the next
period for a batch of people with one conditional UPDATE (their digest hour has passed
since `digest_until`), then builds and queues their digests in the same transaction: two
loops running at once cannot claim one period twice (the second UPDATE finds the condition
false; on PostgreSQL it also skips rows the first has locked), and a run that fails rolls
its claim back, so the period is built next hour instead of lost.

Work is done per batch of people and per distinct (time zone, hour): a fixed number of
queries for each batch, never one per person or per kind.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from lms.accounts.models import User
from lms.cohorts import service as cohorts
from lms.comments.models import Comment, Report
from lms.db import UTCDateTime, dialect_insert, utcnow
from lms.extensions import db
from lms.mail import service as mail
from lms.mail.links import external_url
from lms.notifications import mailing
from lms.notifications import preferences as rules
from lms.notifications.models import EmailPreference, Notification

log = logging.getLogger(__name__)

BATCH = 200  # people claimed, built and committed together
FIRST_PERIOD = timedelta(days=1)  # a person's first digest looks back this far
LONGEST_PERIOD = timedelta(days=7)  # after the loop was stopped for days, no longer than this
UNANSWERED_AFTER = timedelta(hours=48)
MOST_ITEMS = 60  # listed in one message; the rest are counted, with a link to see them


@dataclass(frozen=True)
class DigestItem:
    step_id: int | None
    text: str
    link: str
    at: datetime


@dataclass(frozen=True)
class DigestSection:
    heading: str
    items: tuple[DigestItem, ...]


def send_due_digests(now: datetime | None = None) -> int:
    """Build and queue every digest due at `now`; return how many were queued. Commits."""
    now = now or utcnow()
    _add_missing_rows()
    db.session.commit()
    queued = 0
    for time_zone, hour in db.session.execute(
        sa.select(EmailPreference.time_zone, EmailPreference.digest_hour).distinct()
    ).all():
        due = rules.latest_digest_moment(now, time_zone, hour)
        while claimed := _claim(time_zone, hour, due):
            queued += _build(claimed)
            db.session.commit()
        db.session.commit()  # end the transaction of the last, empty, claim
    log.info("digests: %s queued", queued)
    return queued


def _add_missing_rows() -> None:
    """Everyone active has a row (the defaults), so there is somewhere to keep their digest's period."""
    missing = sa.select(User.id).where(User.active, ~sa.exists().where(EmailPreference.user_id == User.id))
    db.session.execute(
        dialect_insert(db.session)(EmailPreference).from_select(["user_id"], missing).on_conflict_do_nothing()
    )


def _claim(time_zone: str, hour: int, due: datetime) -> dict[int, tuple[datetime, datetime]]:
    """Take the next period, up to `due`, for a batch of people on this clock whose last digest
    ended before it: person -> (from, until). Their rows stay locked until the commit."""
    waiting = sa.and_(
        EmailPreference.time_zone == time_zone,
        EmailPreference.digest_hour == hour,
        sa.or_(EmailPreference.digest_until.is_(None), EmailPreference.digest_until < due),
    )
    ids = db.session.scalars(
        sa.select(EmailPreference.user_id)
        .where(waiting)
        .order_by(EmailPreference.user_id)
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    ).all()
    if not ids:
        return {}
    earliest = sa.literal(due - LONGEST_PERIOD, UTCDateTime())
    start = sa.case(
        (EmailPreference.digest_until.is_(None), sa.literal(due - FIRST_PERIOD, UTCDateTime())),
        (EmailPreference.digest_until < earliest, earliest),
        else_=EmailPreference.digest_until,
    )
    # The condition again: only one UPDATE can move a row out of it (SQLite has no row locks).
    rows = db.session.execute(
        sa.update(EmailPreference)
        .where(EmailPreference.user_id.in_(ids), waiting)
        .values(digest_from=start, digest_until=due)
        .returning(EmailPreference.user_id, EmailPreference.digest_from, EmailPreference.digest_until)
    ).all()
    return {user_id: (start_at, until) for user_id, start_at, until in rows}


@dataclass(frozen=True)
class _Person:
    recipient: mailing.Recipient
    role: str
    kinds: dict[str, str]
    period: tuple[datetime, datetime]

    def wants(self, key: str) -> bool:
        return self.kinds.get(key) == rules.DIGEST

    def covers(self, moment: datetime) -> bool:
        return self.period[0] < moment <= self.period[1]


def _people(claimed: dict[int, tuple[datetime, datetime]]) -> list[_Person]:
    """The claimed people who are active and have at least one kind in their digest (one query)."""
    keys = [k.key for k in rules.EMAIL_KINDS]
    rows = db.session.execute(
        sa.select(
            User.id,
            User.email,
            User.display_name,
            User.role,
            EmailPreference.time_zone,
            *(getattr(EmailPreference, key) for key in keys),
        )
        .join(EmailPreference, EmailPreference.user_id == User.id)
        .where(User.id.in_(list(claimed)), User.active)
    ).all()
    people = []
    for user_id, email, name, role, time_zone, *choices in rows:
        kinds = dict(zip(keys, choices))
        role = getattr(role, "value", role)
        if role == "learner":
            kinds = {k: v for k, v in kinds.items() if not rules.BY_KEY[k].staff_only}
        if rules.DIGEST in kinds.values():
            people.append(
                _Person(mailing.Recipient(user_id, email, name, time_zone, None, None), role, kinds, claimed[user_id])
            )
    return people


def _build(claimed: dict[int, tuple[datetime, datetime]]) -> int:
    people = _people(claimed)
    if not people:
        return 0
    items: dict[int, list[DigestItem]] = defaultdict(list)
    for user_id, item in _notification_items([p.recipient.id for p in people]):
        items[user_id].append(item)
    staff = [p for p in people if p.role != "learner" and (p.wants("reports") or p.wants("unanswered"))]
    if staff:
        for user_id, item in _staff_items(staff):
            items[user_id].append(item)
    steps = mailing.steps_by_id()
    queued = 0
    for person in people:
        mine = sorted(items.get(person.recipient.id, ()), key=lambda i: i.at)
        if not mine:
            continue  # nothing happened: no message
        _queue(person, mine, steps)
        queued += 1
    return queued


def _notification_items(user_ids: list[int]):
    """(person, item) for each notification in each person's period, of a kind they chose for
    the digest and not mailed at once already (one query)."""
    actor = so.aliased(User)
    choice = sa.case(
        {kind: getattr(EmailPreference, channel) for kind, channel in rules.CHANNEL_OF.items()},
        value=Notification.kind,
    )
    rows = db.session.execute(
        sa.select(
            Notification.user_id,
            Notification.kind,
            Notification.comment_id,
            Notification.created_at,
            actor.display_name,
            Comment.step_id,
        )
        .join(EmailPreference, EmailPreference.user_id == Notification.user_id)
        .join(Comment, Comment.id == Notification.comment_id)
        .outerjoin(actor, actor.id == Notification.actor_id)
        .where(
            Notification.user_id.in_(user_ids),
            Notification.created_at > EmailPreference.digest_from,
            Notification.created_at <= EmailPreference.digest_until,
            Notification.emailed_at.is_(None),
            choice == rules.DIGEST,
        )
        .order_by(Notification.user_id, Notification.created_at, Notification.id)
    ).all()
    for user_id, kind, comment_id, created_at, name, step_id in rows:
        text = rules.KINDS[kind].format(actor=name or "A former learner")
        yield user_id, DigestItem(step_id, text, mailing.comment_link(comment_id), created_at)


def _staff_items(staff: list[_Person]):
    """(person, item) for facilitators and admins: comments that joined the moderation queue in
    their period and are still in it, and learners' first comments that reached 48 hours
    without a reply in it; a facilitator's cohorts only, an admin's all (three queries)."""
    earliest = min(p.period[0] for p in staff)
    latest = max(p.period[1] for p in staff)
    author = so.aliased(User)
    flagged = db.session.execute(
        sa.select(
            Comment.id,
            Comment.step_id,
            Comment.author_id,
            author.display_name,
            Comment.flagged_at,
            sa.exists().where(Report.comment_id == Comment.id, Report.resolved_at.is_(None)),
        )
        .outerjoin(author, author.id == Comment.author_id)
        .where(Comment.flagged_at > earliest, Comment.flagged_at <= latest)
        .order_by(Comment.flagged_at, Comment.id)
    ).all()
    earlier = so.aliased(Comment)
    first_posts = db.session.execute(
        sa.select(Comment.id, Comment.step_id, Comment.author_id, author.display_name, Comment.created_at)
        .join(author, author.id == Comment.author_id)
        .where(
            author.role == "learner",
            Comment.parent_id.is_(None),
            Comment.reply_count == 0,
            Comment.deleted_at.is_(None),
            Comment.hidden_at.is_(None),
            Comment.created_at > earliest - UNANSWERED_AFTER,
            Comment.created_at <= latest - UNANSWERED_AFTER,
            ~sa.exists().where(
                earlier.author_id == Comment.author_id,
                sa.or_(
                    earlier.created_at < Comment.created_at,
                    sa.and_(earlier.created_at == Comment.created_at, earlier.id < Comment.id),
                ),
            ),
        )
        .order_by(Comment.created_at, Comment.id)
    ).all()
    authors = {row.author_id for row in (*flagged, *first_posts) if row.author_id is not None}
    looked_after: dict[int, set[int]] = defaultdict(set)  # facilitator -> their cohorts' learners
    if authors and any(p.role != "admin" for p in staff):
        for learner_id, facilitator_id in db.session.execute(cohorts.learner_facilitator_pairs(sorted(authors))):
            looked_after[facilitator_id].add(learner_id)
    queue_link = external_url("moderation.queue_page")
    for person in staff:
        mine = None if person.role == "admin" else looked_after.get(person.recipient.id, set())
        if person.wants("reports"):
            for _comment_id, step_id, author_id, name, flagged_at, reported in flagged:
                if person.covers(flagged_at) and (mine is None or author_id in mine):
                    who = name or "A former learner"
                    text = (
                        f"A comment by {who} was reported"
                        if reported
                        else f"{who} asked for another look at their hidden comment"
                    )
                    yield person.recipient.id, DigestItem(step_id, text, queue_link, flagged_at)
        if person.wants("unanswered"):
            for comment_id, step_id, author_id, name, created_at in first_posts:
                reached = created_at + UNANSWERED_AFTER
                if person.covers(reached) and (mine is None or author_id in mine) and author_id != person.recipient.id:
                    text = f"{name}'s first comment has had no reply for 2 days"
                    yield person.recipient.id, DigestItem(step_id, text, mailing.comment_link(comment_id), reached)


def sections(items: list[DigestItem], steps: dict) -> list[DigestSection]:
    """Items grouped by step, in the course's order; those on no published step last."""
    order = {step_id: index for index, step_id in enumerate(steps)}
    grouped: dict[int | None, list[DigestItem]] = defaultdict(list)
    for item in items:
        grouped[item.step_id if item.step_id in steps else None].append(item)
    result = []
    for step_id in sorted(grouped, key=lambda s: order.get(s, len(order))):
        step = steps.get(step_id)
        heading = f"Step {step.number} {step.title}" if step else "Elsewhere in the course"
        result.append(DigestSection(heading, tuple(grouped[step_id])))
    return result


def _queue(person: _Person, items: list[DigestItem], steps: dict) -> None:
    shown = items[:MOST_ITEMS]
    count = len(items)
    mail.queue(
        to=person.recipient.email,
        name=person.recipient.name,
        template="digest",
        subject=f"Your daily digest: {count} update{'s' if count != 1 else ''} from the course",
        user_id=person.recipient.id,
        unsubscribe=mailing.unsubscribe_url(person.recipient.id, rules.DIGEST_KEY),
        sections=sections(shown, steps),
        more=count - len(shown),
        notifications_link=external_url("notifications.page"),
        stop="your daily digest",
    )
