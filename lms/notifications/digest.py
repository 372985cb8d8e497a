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
queries for each batch, never one per person or per kind. What a digest lists is gathered
in lms.notifications.digest_items.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_ngettext

from lms.accounts.models import User
from lms.db import UTCDateTime, dialect_insert, utcnow
from lms.extensions import db
from lms.mail import service as mail
from lms.mail.links import external_url
from lms.notifications import mailing
from lms.notifications import preferences as rules
from lms.notifications.digest_items import DigestItem, Person, notification_items, sections, staff_items
from lms.notifications.models import EmailPreference

log = logging.getLogger(__name__)

BATCH = 200  # people claimed, built and committed together
FIRST_PERIOD = timedelta(days=1)  # a person's first digest looks back this far
LONGEST_PERIOD = timedelta(days=7)  # after the loop was stopped for days, no longer than this
MOST_ITEMS = 60  # listed in one message; the rest are counted, with a link to see them


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


def _people(claimed: dict[int, tuple[datetime, datetime]]) -> list[Person]:
    """The claimed people who are active and have at least one kind in their digest (one query)."""
    keys = [k.key for k in rules.EMAIL_KINDS]
    rows = db.session.execute(
        sa.select(
            User.id,
            User.email,
            User.display_name,
            User.role,
            User.language,
            EmailPreference.time_zone,
            *(getattr(EmailPreference, key) for key in keys),
        )
        .join(EmailPreference, EmailPreference.user_id == User.id)
        .where(User.id.in_(list(claimed)), User.active)
    ).all()
    people = []
    for user_id, email, name, role, language, time_zone, *choices in rows:
        kinds = dict(zip(keys, choices))
        role = getattr(role, "value", role)
        if role == "learner":
            kinds = {k: v for k, v in kinds.items() if not rules.BY_KEY[k].staff_only}
        if rules.DIGEST in kinds.values():
            people.append(
                Person(
                    mailing.Recipient(user_id, email, name, time_zone, None, None, language),
                    role,
                    kinds,
                    claimed[user_id],
                )
            )
    return people


def _build(claimed: dict[int, tuple[datetime, datetime]]) -> int:
    people = _people(claimed)
    if not people:
        return 0
    items: dict[int, list[DigestItem]] = defaultdict(list)
    for user_id, item in notification_items([p.recipient.id for p in people]):
        items[user_id].append(item)
    staff = [p for p in people if p.role != "learner" and (p.wants("reports") or p.wants("unanswered"))]
    if staff:
        for user_id, item in staff_items(staff):
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


def _queue(person: Person, items: list[DigestItem], steps: dict) -> None:
    shown = items[:MOST_ITEMS]
    count = len(items)
    mail.queue(
        to=person.recipient.email,
        name=person.recipient.name,
        template="digest",
        subject=lazy_ngettext(
            "Your daily digest: %(num)d update from the course",
            "Your daily digest: %(num)d updates from the course",
            count,
        ),
        user_id=person.recipient.id,
        unsubscribe=mailing.unsubscribe_url(person.recipient.id, rules.DIGEST_KEY),
        sections=sections(shown, steps),
        more=count - len(shown),
        notifications_link=external_url("notifications.page"),
        stop=mailing.stopping(rules.DIGEST_KEY),
        language=person.recipient.language or "en",
    )
