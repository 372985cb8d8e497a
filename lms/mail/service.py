"""Write mail to the outbox, and deliver it.

`queue` joins the caller's unit of work (it flushes, never commits): the message is sent
only if the action that caused it commits. `deliver_due` claims waiting messages (row locks
with SKIP LOCKED on PostgreSQL, a claim token everywhere), sends each outside any
transaction, and records the outcome; failures are retried with growing delays and marked
failed after the last, for an admin to retry. Several delivery processes never send one
message twice, except one claimed by a process that died mid-send (reclaimed after
CLAIM_TIMEOUT: at least once beats never).
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from lms.db import utcnow
from lms.extensions import db
from lms.mail import message as mime
from lms.mail.links import external_url
from lms.mail.models import OutboxMessage, OutboxStatus
from lms.mail.transport import PermanentFailure, transport_for

log = logging.getLogger(__name__)

RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
CLAIM_TIMEOUT = timedelta(minutes=15)
BATCH = 50
PAGE_SIZE = 50


def queue(
    *,
    to: str,
    name: str | None,
    template: str,
    subject: str,
    user_id: int | None = None,
    reply_to: tuple[str, str] | None = None,
    unsubscribe: str | None = None,
    not_before: datetime | None = None,
    **context,
) -> OutboxMessage:
    """Put a message in the outbox, rendered now from templates/email/<template>.txt and .html.

    `unsubscribe` is the one-click link of notification mail (List-Unsubscribe);
    `not_before` holds it back (quiet hours).
    """
    context = {"name": name, "unsubscribe": unsubscribe, "subject": subject, "config": current_app.config, **context}
    payload = {
        "to_name": name,
        "text": _render(f"email/{template}.txt", context),
        "html": _render(f"email/{template}.html", context),
        "reply_to": list(reply_to) if reply_to else None,
        "unsubscribe": unsubscribe,
    }
    row = OutboxMessage(
        recipient=to,
        subject=mime.one_line(subject),
        payload=payload,
        user_id=user_id,
        next_attempt_at=not_before or utcnow(),
    )
    db.session.add(row)
    db.session.flush()
    return row


def sent_recently(recipients: list[str], subject: str, within: timedelta) -> set[str]:
    """Which of these addresses were sent a message with this subject in the last `within`
    (waiting, sent or failed): so an action sent twice does not mail anyone twice."""
    if not recipients:
        return set()
    return set(
        db.session.scalars(
            sa.select(OutboxMessage.recipient).where(
                OutboxMessage.recipient.in_(recipients),
                OutboxMessage.subject == mime.one_line(subject),
                OutboxMessage.created_at >= utcnow() - within,
            )
        )
    )


def _render(name: str, context: dict) -> str:
    """Render without the pages' context processors: mail is also written outside a request
    (the delivery loop's digests), and says nothing about whoever is signed in."""
    return current_app.jinja_env.get_template(name).render(context)


def build_message(row: OutboxMessage):
    config = current_app.config
    payload = row.payload
    headers = {}
    if payload.get("reply_to"):
        headers["Reply-To"] = mime.address(*payload["reply_to"])
    if payload.get("unsubscribe"):
        headers["List-Unsubscribe"] = f"<{payload['unsubscribe']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return mime.build(
        sender=mime.address(config["LMS_MAIL_FROM"], config["LMS_ORGANISATION_NAME"]),
        recipient=mime.address(row.recipient, payload.get("to_name")),
        subject=row.subject,
        text=payload["text"],
        html=payload["html"],
        headers=headers,
    )


def _claim(limit: int, now: datetime) -> tuple[str, list[OutboxMessage]]:
    """Take up to `limit` messages due at `now` for this run; commits the claim."""
    token = secrets.token_hex(16)
    due = sa.or_(
        sa.and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now),
        sa.and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_at < now - CLAIM_TIMEOUT),
    )
    ids = db.session.scalars(
        sa.select(OutboxMessage.id)
        .where(OutboxMessage.kind == "mail", due)
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
        return token, []
    claimed = db.session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.claim == token)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)  # sent in the order they were due
    ).all()
    return token, list(claimed)


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
        log.warning("mail %s failed for good: %s", row.id, row.last_error)
    else:
        row.status, row.next_attempt_at = OutboxStatus.PENDING, now + RETRY_DELAYS[row.attempts - 1]
        log.info("mail %s will be retried: %s", row.id, row.last_error)


def deliver_due(limit: int = BATCH, now: datetime | None = None) -> int:
    """Send what is due (at `now`: mail held for quiet hours waits until then); return how many were sent."""
    _, rows = _claim(limit, now or utcnow())
    if not rows:
        return 0
    transport = transport_for(current_app.config)
    sent = 0
    for row in rows:
        try:
            transport.send(build_message(row))
            error = None
            sent += 1
        except Exception as failure:  # noqa: BLE001  (any failure must be recorded, never lose the row)
            error = failure
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
                log.exception("mail delivery failed; trying again shortly")
            finally:
                db.session.remove()
        time.sleep(interval)


@dataclass(frozen=True)
class OutboxSummary:
    waiting: int
    failed: int
    sent_today: int


def summary() -> OutboxSummary:
    since = utcnow() - timedelta(days=1)
    counts = dict(
        db.session.execute(
            sa.select(OutboxMessage.status, sa.func.count())
            .where(OutboxMessage.status != OutboxStatus.SENT)
            .group_by(OutboxMessage.status)
        ).all()
    )
    sent = db.session.scalar(
        sa.select(sa.func.count()).where(OutboxMessage.status == OutboxStatus.SENT, OutboxMessage.sent_at >= since)
    )
    waiting = counts.get(OutboxStatus.PENDING, 0) + counts.get(OutboxStatus.SENDING, 0)
    return OutboxSummary(waiting=waiting, failed=counts.get(OutboxStatus.FAILED, 0), sent_today=sent or 0)


def failed(before: int | None = None) -> list[OutboxMessage]:
    """Failed messages, newest first, a page at a time (keyset on id)."""
    query = sa.select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
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


__all__ = ["external_url", "queue", "deliver_due", "deliver_forever", "every_hour", "retry", "failed", "summary"]
