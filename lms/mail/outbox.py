"""The outbox: one queue and one delivery loop for everything that leaves the platform.

`add` joins the caller's unit of work (it flushes, never commits): a message leaves only if
the action that caused it commits. Each kind of message registers how it is sent
(`deliver_by`: mail by SMTP, xAPI statements in batches POSTed to the learning record
store); `deliver_due` then claims what is due of each kind (row locks with SKIP LOCKED on
PostgreSQL, a claim token everywhere), sends it outside any transaction, and records each
outcome. Failures are retried after 1, 5, 30 and 120 minutes, then marked failed for an
admin to retry. Several delivery processes never send one message twice, except one claimed
by a process that died mid-send (reclaimed after CLAIM_TIMEOUT: at least once beats never).
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from lms.db import insert_once, utcnow
from lms.extensions import db
from lms.mail.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
CLAIM_TIMEOUT = timedelta(minutes=15)
BATCH = 50
PAGE_SIZE = 50


class PermanentFailure(Exception):
    """The receiving end refused the message for good: retrying will not help."""


# How a kind of message is sent: `send` takes the claimed rows and yields each row with its
# outcome (None, or the exception) as soon as it is known, so each is recorded at once.
Sender = Callable[[list[OutboxMessage]], Iterator[tuple[OutboxMessage, Exception | None]]]


@dataclass(frozen=True)
class Delivery:
    kind: str
    send: Sender
    batch: int = BATCH
    enabled: Callable[[dict], bool] = lambda config: True  # off: its messages wait, unclaimed


_DELIVERIES: dict[str, Delivery] = {}


def deliver_by(kind: str, send: Sender, *, batch: int = BATCH, enabled: Callable[[dict], bool] | None = None) -> None:
    """Register how messages of `kind` are sent (each feature that queues a kind does, once)."""
    _DELIVERIES[kind] = Delivery(kind, send, batch, enabled or (lambda config: True))


def add(
    kind: str,
    *,
    recipient: str,
    subject: str,
    payload: dict,
    user_id: int | None = None,
    not_before: datetime | None = None,
    dedupe_key: str | None = None,
) -> OutboxMessage | None:
    """Queue a message in the caller's transaction. With `dedupe_key`, one INSERT ... ON
    CONFLICT DO NOTHING: None when a message with that key was queued already."""
    values = dict(
        kind=kind,
        recipient=recipient,
        subject=subject,
        payload=payload,
        user_id=user_id,
        next_attempt_at=not_before or utcnow(),
    )
    if dedupe_key is not None:
        now = utcnow()
        return insert_once(
            db.session,
            OutboxMessage,
            dict(values, dedupe_key=dedupe_key, status=OutboxStatus.PENDING, attempts=0, created_at=now),
        )
    row = OutboxMessage(**values)
    db.session.add(row)
    db.session.flush()
    return row


def _claim(kind: str, limit: int, now: datetime) -> list[OutboxMessage]:
    """Take up to `limit` messages of `kind` due at `now` for this run; commits the claim."""
    token = secrets.token_hex(16)
    due = sa.or_(
        sa.and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now),
        sa.and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_at < now - CLAIM_TIMEOUT),
    )
    ids = db.session.scalars(
        sa.select(OutboxMessage.id)
        .where(OutboxMessage.kind == kind, due)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if ids:
        # The condition again: on SQLite (no row locks) a second process may have read the
        # same ids; only one UPDATE can move a row out of `due`.
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), due)
            .values(status=OutboxStatus.SENDING, claim=token, claimed_at=now)
        )
    db.session.commit()
    if not ids:
        return []
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.claim == token)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)  # sent in the order they were due
        )
    )


def _record(row: OutboxMessage, error: Exception | None) -> None:
    now = utcnow()
    row.claim = None
    row.attempts += 1
    if error is None:
        row.status, row.sent_at, row.last_error = OutboxStatus.SENT, now, None
        return
    row.last_error = f"{type(error).__name__}: {error}"[:500]
    if isinstance(error, PermanentFailure) or row.attempts > len(RETRY_DELAYS):
        row.status = OutboxStatus.FAILED
        log.warning("%s %s failed for good: %s", row.kind, row.id, row.last_error)
    else:
        row.status, row.next_attempt_at = OutboxStatus.PENDING, now + RETRY_DELAYS[row.attempts - 1]
        log.info("%s %s will be retried: %s", row.kind, row.id, row.last_error)


def _outcomes(delivery: Delivery, rows: list[OutboxMessage]) -> Iterable[tuple[OutboxMessage, Exception | None]]:
    """The sender's outcomes; if it breaks off, every row it did not answer for failed with it."""
    answered = set()
    try:
        for row, error in delivery.send(rows):
            answered.add(row.id)
            yield row, error
    except Exception as failure:  # noqa: BLE001  (any failure must be recorded, never lose a row)
        for row in rows:
            if row.id not in answered:
                yield row, failure


def deliver_due(limit: int | None = None, now: datetime | None = None) -> int:
    """Send one batch of what is due of each kind (at `now`: mail held for quiet hours waits
    until then); return how many were sent."""
    sent = 0
    for delivery in list(_DELIVERIES.values()):
        if not delivery.enabled(current_app.config):
            continue
        rows = _claim(delivery.kind, limit or delivery.batch, now or utcnow())
        for row, error in _outcomes(delivery, rows):
            sent += error is None
            _record(row, error)
            db.session.commit()
    return sent


# Jobs the delivery loop runs each hour (the notification digests), registered by the
# features that own them: name -> function(now).
_HOURLY: dict[str, Callable[[datetime], object]] = {}


def every_hour(name: str, job: Callable[[datetime], object]) -> None:
    _HOURLY[name] = job


def run_hourly_jobs(now: datetime | None = None) -> None:
    for name, job in _HOURLY.items():
        try:
            job(now or utcnow())
        except Exception:
            db.session.rollback()
            log.exception("hourly job %s failed", name)


def deliver_forever(app, interval: float = 5.0, stop: Callable[[], bool] = lambda: False) -> None:
    """The delivery loop: send what is due every `interval` seconds, hourly jobs each hour."""
    last_hour = None
    while not stop():
        with app.app_context():
            try:
                hour = utcnow().replace(minute=0, second=0, microsecond=0)
                if hour != last_hour:
                    run_hourly_jobs()
                    last_hour = hour
                while deliver_due():
                    pass
            except Exception:
                log.exception("delivery failed; trying again shortly")
            finally:
                db.session.remove()
        time.sleep(interval)


@dataclass(frozen=True)
class OutboxSummary:
    waiting: int
    failed: int
    sent_today: int


def summaries() -> dict[str, OutboxSummary]:
    """Per kind (every registered one, and any other the table holds): waiting, failed, sent in
    the last 24 hours. One query."""
    since = utcnow() - timedelta(days=1)
    is_ = lambda condition: sa.func.sum(sa.case((condition, 1), else_=0))  # noqa: E731
    rows = db.session.execute(
        sa.select(
            OutboxMessage.kind,
            is_(OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING])),
            is_(OutboxMessage.status == OutboxStatus.FAILED),
            is_(sa.and_(OutboxMessage.status == OutboxStatus.SENT, OutboxMessage.sent_at >= since)),
        )
        .where(sa.or_(OutboxMessage.status != OutboxStatus.SENT, OutboxMessage.sent_at >= since))
        .group_by(OutboxMessage.kind)
    ).all()
    found = {kind: OutboxSummary(int(w or 0), int(f or 0), int(s or 0)) for kind, w, f, s in rows}
    return {kind: found.get(kind, OutboxSummary(0, 0, 0)) for kind in [*_DELIVERIES, *found]}


def failed(before: int | None = None, kind: str | None = None) -> list[OutboxMessage]:
    """Failed messages (of one kind, or all), newest first, a page at a time (keyset on id)."""
    query = sa.select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    if before:
        query = query.where(OutboxMessage.id < before)
    return list(db.session.scalars(query.order_by(OutboxMessage.id.desc()).limit(PAGE_SIZE)))


def retry(message_ids: list[int]) -> int:
    """Put failed messages back in the queue, due now; return how many. Commits."""
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_(message_ids), OutboxMessage.status == OutboxStatus.FAILED)
        .values(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=utcnow(), last_error=None)
    )
    db.session.commit()
    return result.rowcount


def requeue(kind: str, since: datetime, until: datetime | None = None) -> int:
    """Send again every message of `kind` written in [since, until) that was sent or failed
    (the same rows, so the same content and ids); return how many. Commits."""
    written = [OutboxMessage.created_at >= since] + ([OutboxMessage.created_at < until] if until else [])
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.kind == kind,
            OutboxMessage.status.in_([OutboxStatus.SENT, OutboxStatus.FAILED]),
            *written,
        )
        .values(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=utcnow(), last_error=None, claim=None)
    )
    db.session.commit()
    return result.rowcount
