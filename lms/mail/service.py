"""Write mail to the outbox, and send it.

`queue` renders a message now and adds it to the outbox (lms.mail.outbox) in the caller's
unit of work; the outbox's delivery loop sends it through `_send` (registered below as the
"mail" kind), with the claims and retries every kind of message shares. The loop's names are
re-exported here, where the rest of the platform has always found them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale

from lms.db import utcnow
from lms.extensions import db
from lms.mail import message as mime
from lms.mail import outbox
from lms.mail.links import external_url
from lms.mail.models import OutboxMessage
from lms.mail.outbox import (  # noqa: F401  (_HOURLY: where tests look for the hourly jobs)
    _HOURLY,
    BATCH,
    PAGE_SIZE,
    RETRY_DELAYS,
    OutboxSummary,
    deliver_due,
    deliver_forever,
    every_hour,
    failed,
    retry,
    run_hourly_jobs,
    summaries,
)
from lms.mail.transport import transport_for

log = logging.getLogger(__name__)

LANGUAGES = ("en", "cy")

# The language saved on the recipient's account, looked up by whoever keeps accounts
# (lms.accounts, above this layer, registers it): user_id -> 'en' | 'cy' | None.
_saved_language: Callable[[int], str | None] = lambda user_id: None  # noqa: E731


def language_from(lookup: Callable[[int], str | None]) -> None:
    """Register how a recipient's saved language is found (lms.accounts does, once)."""
    global _saved_language
    _saved_language = lookup


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
    language: str | None = None,
    **context,
) -> OutboxMessage | None:
    """Put a message in the outbox, rendered now from templates/email/<template>.txt and .html.

    It is written in the recipient's language: `language` when the caller knows it, else the
    one saved on the account `user_id` (one query), else English; whoever's action sends it.
    An address with no account (an invitation) is written to in English. Subject
    and context may hold lazy strings (`lazy_gettext`): they are read here, in that language.

    `unsubscribe` is the one-click link of notification mail (List-Unsubscribe);
    `not_before` holds it back (quiet hours). An address that cannot exist is not written
    to at all (None): the placeholder of an account another system gave no address for.
    """
    if undeliverable(to):
        log.info("not queued: %s can receive no mail", to)
        return None
    if language not in LANGUAGES and user_id is not None:
        language = _saved_language(user_id)
    if language not in LANGUAGES:
        language = "en"
    with force_locale(language):
        subject = str(subject)
        context = {
            "name": name,
            "unsubscribe": unsubscribe,
            "subject": subject,
            "config": current_app.config,
            "language": language,
            **context,
        }
        payload = {
            "to_name": name,
            "text": _render(f"email/{template}.txt", context),
            "html": _render(f"email/{template}.html", context),
            "reply_to": list(reply_to) if reply_to else None,
            "unsubscribe": unsubscribe,
        }
    return outbox.add(
        "mail", recipient=to, subject=mime.one_line(subject), payload=payload, user_id=user_id, not_before=not_before
    )


def undeliverable(address: str) -> bool:
    """Addresses in the `.invalid` top-level domain, which RFC 2606 keeps from ever existing
    (lms.accounts.external gives such an address to an account that came without one)."""
    return address.rsplit("@", 1)[-1].lower().rstrip(".").endswith(".invalid")


def sent_recently(recipients: list[str], subject: str, within: timedelta) -> set[str]:
    """Which of these addresses were sent a message with this subject in the last `within`
    (waiting, sent or failed): so an action sent twice does not mail anyone twice. A lazy
    subject (`lazy_gettext`) matches the message in any language it may have been sent in."""
    if not recipients:
        return set()
    subjects = set()
    for language in LANGUAGES:
        with force_locale(language):
            subjects.add(mime.one_line(str(subject)))
    return set(
        db.session.scalars(
            sa.select(OutboxMessage.recipient).where(
                OutboxMessage.kind == "mail",
                OutboxMessage.recipient.in_(recipients),
                OutboxMessage.subject.in_(subjects),
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


def _send(rows: list[OutboxMessage]):
    """Send each message by the configured transport, one by one."""
    transport = transport_for(current_app.config)
    for row in rows:
        try:
            transport.send(build_message(row))
        except Exception as failure:  # noqa: BLE001  (any failure must be recorded, never lose the row)
            yield row, failure
        else:
            yield row, None


outbox.deliver_by("mail", _send, batch=BATCH)


def summary() -> OutboxSummary:
    """The mail in the outbox: waiting, failed, sent in the last 24 hours."""
    return outbox.summaries()["mail"]


__all__ = [
    "external_url",
    "queue",
    "deliver_due",
    "deliver_forever",
    "every_hour",
    "run_hourly_jobs",
    "retry",
    "failed",
    "summary",
    "summaries",
    "PAGE_SIZE",
    "RETRY_DELAYS",
]
