"""Notifications by email: each person's choices, mail sent at once, and one-click unsubscribe.

Mail "at once" is written to the outbox (lms.mail) in the transaction that creates the
notification, held until the person's quiet hours end if it falls in them. Like the
notification it names who and where, never the comment's words, so a comment hidden
later has not already gone out by email. Nobody inactive (deactivated or deleted) is
mailed, and nobody about their own action (lms.notifications.service skips those).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from lms.accounts.models import User
from lms.cohorts import looking_after
from lms.comments.rules import REASONS
from lms.content import service as content
from lms.content.outline import StepSummary
from lms.db import utcnow
from lms.errors import InvalidInput
from lms.extensions import db
from lms.mail import service as mail
from lms.mail.links import external_url
from lms.notifications import preferences as rules
from lms.notifications.models import EmailPreference


def choice_of(key: str):
    """The person's choice for an email kind, as a column expression (the default when they have no row)."""
    return sa.func.coalesce(getattr(EmailPreference, key), rules.DEFAULTS[key])


# Choices ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Choices:
    kinds: dict[str, str]  # email kind -> now | digest | off
    time_zone: str
    digest_hour: int
    quiet_from: int | None
    quiet_until: int | None

    @property
    def has_quiet_hours(self) -> bool:
        return self.quiet_from is not None and self.quiet_until is not None


DEFAULT_CHOICES = Choices(dict(rules.DEFAULTS), rules.LONDON, rules.DEFAULT_DIGEST_HOUR, None, None)


def choices_of(user_id: int) -> Choices:
    row = db.session.get(EmailPreference, user_id)
    if row is None:
        return DEFAULT_CHOICES
    return Choices(
        {k.key: getattr(row, k.key) for k in rules.EMAIL_KINDS},
        row.time_zone,
        row.digest_hour,
        row.quiet_from,
        row.quiet_until,
    )


def _row_for(user_id: int) -> EmailPreference:
    row = db.session.get(EmailPreference, user_id)
    if row is None:
        row = EmailPreference(user_id=user_id, **rules.DEFAULTS)
        db.session.add(row)
    return row


def save_choices(
    user: User,
    kinds: dict[str, str],
    *,
    time_zone: str,
    digest_hour: int | None,
    quiet_from: int | None,
    quiet_until: int | None,
) -> None:
    """Keep the person's email choices; kinds they may not choose (staff kinds, for a learner) keep theirs."""
    allowed = rules.kinds_for(user.is_staff)
    for kind in allowed:
        if kinds.get(kind.key) not in kind.choices:
            raise InvalidInput(
                _("Choose how you want to hear about %(kind)s", kind=_(kind.label).lower()), field=kind.key
            )
    if time_zone not in rules.TIME_ZONES:
        raise InvalidInput(_("Choose your time zone from the list"), field="time_zone")
    if digest_hour not in rules.HOURS:
        raise InvalidInput(_("Choose the hour your daily digest is sent"), field="digest_hour")
    if (quiet_from is None) != (quiet_until is None):
        field = "quiet_until" if quiet_until is None else "quiet_from"
        raise InvalidInput(_("Choose when your quiet hours start and when they end, or no quiet hours"), field=field)
    if quiet_from is not None and (quiet_from not in rules.HOURS or quiet_until not in rules.HOURS):
        raise InvalidInput(_("Choose an hour from the list"), field="quiet_from")
    if quiet_from is not None and quiet_from == quiet_until:
        raise InvalidInput(_("Quiet hours must end at a different hour from the one they start"), field="quiet_until")
    row = _row_for(user.id)
    for kind in allowed:
        setattr(row, kind.key, kinds[kind.key])
    row.time_zone, row.digest_hour = time_zone, digest_hour
    row.quiet_from, row.quiet_until = quiet_from, quiet_until
    db.session.commit()


# One-click unsubscribe (RFC 8058) -----------------------------------------------------


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="lms.notifications.unsubscribe")


def unsubscribe_token(user_id: int, key: str) -> str:
    """A signed token naming the person and the email kind (or the digest): it never expires,
    since a mail program may offer the link long after the message came."""
    return _signer().dumps([user_id, key])


def unsubscribe_url(user_id: int, key: str) -> str:
    return external_url("notifications.unsubscribe", token=unsubscribe_token(user_id, key))


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    key: str  # an email kind, or rules.DIGEST_KEY
    what: str  # what stops, in words (in the language of the page)


def read_unsubscribe_token(token: str) -> Unsubscribe:
    """What a token stops; InvalidInput if it was not made here (tampered, or cut short)."""
    try:
        user_id, key = _signer().loads(token)
    except (BadSignature, ValueError, TypeError):
        raise InvalidInput(_("This link does not work: it may have been cut short or changed.")) from None
    if key != rules.DIGEST_KEY and key not in rules.BY_KEY:
        raise InvalidInput(_("This link does not work: it may have been cut short or changed."))
    user = db.session.get(User, user_id)
    if user is None or not user.active:  # closed or deleted: it gets no email, and keeps no choices
        raise InvalidInput(_("This link does not work: the account it was for is closed, so it gets no email."))
    return Unsubscribe(int(user_id), key, str(stopping(key)))


def stopping(key: str):
    """What an unsubscribe link for this key stops, in words: a lazy string, read in the
    language of the page or of the message it is written into."""
    if key == rules.DIGEST_KEY:
        return _l("your daily digest")
    return _l("emails about %(kind)s", kind=_LowerLabel(rules.BY_KEY[key].label))


class _LowerLabel:
    """An email kind's label, translated when read and in lower case (inside a sentence)."""

    def __init__(self, label: str) -> None:
        self.label = label

    def __str__(self) -> str:
        return _(self.label).lower()


def unsubscribe(token: str) -> Unsubscribe:
    """Stop what the token names: that kind is set to "not by email"; for the digest, every
    kind that was in it. Commits."""
    found = read_unsubscribe_token(token)
    row = _row_for(found.user_id)
    for kind in rules.EMAIL_KINDS:
        if kind.key == found.key or (found.key == rules.DIGEST_KEY and getattr(row, kind.key) == rules.DIGEST):
            setattr(row, kind.key, rules.OFF)
    db.session.commit()
    return found


# Mail sent at once -----------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    id: int
    email: str
    name: str
    time_zone: str | None
    quiet_from: int | None
    quiet_until: int | None
    language: str | None = None  # their saved choice; their mail is in English without one


def _recipients(condition) -> list[Recipient]:
    """Active people matching the condition, with what mailing them needs (one query)."""
    rows = db.session.execute(
        sa.select(
            User.id,
            User.email,
            User.display_name,
            EmailPreference.time_zone,
            EmailPreference.quiet_from,
            EmailPreference.quiet_until,
            User.language,
        )
        .outerjoin(EmailPreference, EmailPreference.user_id == User.id)
        .where(User.active, condition)
        .order_by(User.id)
    ).all()
    return [Recipient(*row) for row in rows]


def steps_by_id() -> dict[int, StepSummary]:
    outline = content.get_outline()
    return {s.id: s for s in outline.steps} if outline else {}


def _at(step: StepSummary) -> dict:
    return {"number": step.number, "title": step.title}


def comment_link(comment_id: int) -> str:
    return external_url("comments.conversation", comment_id=comment_id) + f"#comment-{comment_id}"


def _queue(person: Recipient, key: str, subject: str, template: str, now: datetime, **context) -> None:
    mail.queue(
        to=person.email,
        name=person.name,
        template=template,
        subject=subject,
        user_id=person.id,
        unsubscribe=unsubscribe_url(person.id, key),
        not_before=rules.hold_until(now, person.time_zone, person.quiet_from, person.quiet_until),
        language=person.language or "en",
        stop=stopping(key),
        **context,
    )


def mail_notification(
    user_ids: Iterable[int], text, channel: str, comment_id: int, step_id: int, now: datetime | None = None
) -> None:
    """Mail these people (who chose "at once" for this kind) a notification, in the caller's
    transaction. `text` names who did what ("Olly Other replied to your comment"): a lazy
    string, so each person reads it in their own language."""
    ids = list(user_ids)
    if not ids:
        return
    now = now or utcnow()
    step = steps_by_id().get(step_id)
    for person in _recipients(User.id.in_(ids)):
        _queue(
            person,
            channel,
            text,
            "notification",
            now,
            text=text,
            step=step,
            link=comment_link(comment_id),
        )


def mail_flagged(comment, by_id: int | None, reason: str, now: datetime | None = None) -> None:
    """Tell the staff who chose "at once" that a comment joined the moderation queue: the
    facilitators of its author's cohorts, and admins. Never its reporter or its author."""
    looks_after = sa.or_(User.role == "admin", User.id.in_(looking_after.facilitator_ids_of(comment.author_id)))
    people = _recipients(
        sa.and_(
            looks_after,
            User.role.in_(("facilitator", "admin")),
            choice_of("reports") == rules.NOW,
            User.id.not_in([i for i in (by_id, comment.author_id) if i is not None]),
        )
    )
    if not people:
        return
    now = now or utcnow()
    step = steps_by_id().get(comment.step_id)
    if reason == "review" and step:
        text = _l("A hidden comment on step %(number)s %(title)s is waiting for another look", **_at(step))
    elif reason == "review":
        text = _l("A hidden comment on the course is waiting for another look")
    elif step:
        text = _l("A comment on step %(number)s %(title)s was reported", **_at(step))
    else:
        text = _l("A comment on the course was reported")
    for person in people:
        _queue(
            person,
            "reports",
            text,
            "moderation_waiting",
            now,
            text=text,
            reason=REASONS.get(reason),
            link=external_url("moderation.queue_page"),
        )
