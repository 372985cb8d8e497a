"""What a daily digest lists: the items from each person's notifications and, for staff, from
the moderation queue and learners' unanswered first comments, grouped by step in the course's
order. lms.notifications.digest claims each person's period and queues the message.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l

from lms.accounts.models import User
from lms.cohorts import looking_after
from lms.comments.models import Comment, Report
from lms.extensions import db
from lms.mail.links import external_url
from lms.notifications import mailing
from lms.notifications import preferences as rules
from lms.notifications.models import EmailPreference, Notification

UNANSWERED_AFTER = timedelta(hours=48)


@dataclass(frozen=True)
class DigestItem:
    step_id: int | None
    text: object  # a lazy string: read in the recipient's language when their message is written
    link: str
    at: datetime


@dataclass(frozen=True)
class DigestSection:
    heading: object  # a lazy string, as DigestItem.text
    items: tuple[DigestItem, ...]


@dataclass(frozen=True)
class Person:
    """Someone whose digest is being built: who they are, what they chose for it, the period it covers."""

    recipient: mailing.Recipient
    role: str
    kinds: dict[str, str]
    period: tuple[datetime, datetime]

    def wants(self, key: str) -> bool:
        return self.kinds.get(key) == rules.DIGEST

    def covers(self, moment: datetime) -> bool:
        return self.period[0] < moment <= self.period[1]


def notification_items(user_ids: list[int]):
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
        text = _l(rules.KINDS[kind], actor=name or _l("A former learner"))
        yield user_id, DigestItem(step_id, text, mailing.comment_link(comment_id), created_at)


def staff_items(staff: list[Person]):
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
        for learner_id, facilitator_id in db.session.execute(looking_after.learner_facilitator_pairs(sorted(authors))):
            looked_after[facilitator_id].add(learner_id)
    queue_link = external_url("moderation.queue_page")
    for person in staff:
        mine = None if person.role == "admin" else looked_after.get(person.recipient.id, set())
        if person.wants("reports"):
            for _comment_id, step_id, author_id, name, flagged_at, reported in flagged:
                if person.covers(flagged_at) and (mine is None or author_id in mine):
                    who = name or _l("A former learner")
                    text = (
                        _l("A comment by %(who)s was reported", who=who)
                        if reported
                        else _l("%(who)s asked for another look at their hidden comment", who=who)
                    )
                    yield person.recipient.id, DigestItem(step_id, text, queue_link, flagged_at)
        if person.wants("unanswered"):
            for comment_id, step_id, author_id, name, created_at in first_posts:
                reached = created_at + UNANSWERED_AFTER
                if person.covers(reached) and (mine is None or author_id in mine) and author_id != person.recipient.id:
                    text = _l("%(name)s's first comment has had no reply for 2 days", name=name)
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
        heading = (
            _l("Step %(number)s %(title)s", number=step.number, title=step.title)
            if step
            else _l("Elsewhere in the course")
        )
        result.append(DigestSection(heading, tuple(grouped[step_id])))
    return result
