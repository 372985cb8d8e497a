"""Record actions in the audit log, and read it back for admins.

`record` flushes and does not commit: it joins the caller's unit of work, so an action
and its audit entry are saved together or not at all. An entry keeps who did it and to
what by name and id as they were at the time, and is never changed or deleted after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import event

from lms.accounts.models import User
from lms.audit import words
from lms.audit.models import AuditEntry
from lms.extensions import db
from lms.spreadsheets import csv_text

PAGE_SIZE = 50
EXPORT_MOST = 100_000  # rows in one CSV export: years of a course's admin work
UK = ZoneInfo("Europe/London")


class AuditIsWrittenOnce(Exception):
    """Something tried to change or delete an audit entry."""


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _written_once(mapper, connection, entry) -> None:
    raise AuditIsWrittenOnce(f"audit entry {entry.id} cannot be changed or deleted")


def _unwrap(thing):
    """The object behind a proxy (current_user), so its real type and values are recorded."""
    get = getattr(thing, "_get_current_object", None)
    return get() if callable(get) else thing


def _label(target) -> str:
    for name in ("display_name", "title", "name", "email"):
        value = getattr(target, name, None)
        if value:
            return str(value)[:200]
    return f"{type(target).__name__} {getattr(target, 'id', '')}".strip()


def record(actor: User | None, action: str, target, reason: str | None = None, details: dict | None = None) -> None:
    """Note that actor did action to target (any model with an id), and why."""
    actor, target = _unwrap(actor), _unwrap(target)
    db.session.add(
        AuditEntry(
            actor_id=actor.id if actor else None,
            actor_label=(actor.display_name if actor else SYSTEM)[:200],
            action=action,
            target_type=getattr(type(target), "__tablename__", type(target).__name__),
            target_id=getattr(target, "id", None),
            target_label=_label(target),
            reason=reason,
            details=details or {},
        )
    )
    db.session.flush()


@dataclass(frozen=True)
class Filters:
    actor: str | None = None  # the name at the time contains this
    action: str | None = None
    since: date | None = None  # UK days, both ends included
    until: date | None = None


@dataclass(frozen=True)
class AuditRow:
    id: int
    created_at: datetime
    actor_id: int | None
    actor: str
    action: str
    words: str
    target_type: str
    target_id: int | None
    target_label: str
    reason: str | None
    details: dict


@dataclass(frozen=True)
class AuditPage:
    rows: tuple[AuditRow, ...]
    next_before: int | None  # the id to continue from, for the next (older) page


def actions() -> list[tuple[str, str]]:
    """Every action the log holds, as (code, name), by name."""
    codes = db.session.scalars(sa.select(AuditEntry.action).distinct()).all()
    return sorted(((code, words.action_name(code)) for code in codes), key=lambda pair: pair[1])


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UK).astimezone(UTC)


def _query(filters: Filters) -> sa.Select:
    query = sa.select(AuditEntry).order_by(AuditEntry.id.desc())
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.actor:
        pattern = (
            "%" + filters.actor.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        query = query.where(sa.func.lower(AuditEntry.actor_label).like(pattern, escape="\\"))
    if filters.since:
        query = query.where(AuditEntry.created_at >= _start_of(filters.since))
    if filters.until:
        query = query.where(AuditEntry.created_at < _start_of(filters.until + timedelta(days=1)))
    return query


SYSTEM = "System"  # who did it, kept when nobody did (a scheduled job): shown in words


def _actor(e: AuditEntry) -> str:
    """Who did it: their name as kept, or the platform itself in the reader's language."""
    if e.actor_id is None and e.actor_label in ("", SYSTEM):
        return _("System")
    return e.actor_label or _("System")


def _row(e: AuditEntry) -> AuditRow:
    return AuditRow(
        e.id,
        e.created_at,
        e.actor_id,
        _actor(e),
        e.action,
        words.describe(e.action, e.target_label, e.details),
        e.target_type,
        e.target_id,
        e.target_label,
        e.reason,
        e.details or {},
    )


def entries(filters: Filters | None = None, before: int | None = None) -> AuditPage:
    """Newest first, a page at a time (keyset on id), in one query."""
    query = _query(filters or Filters()).limit(PAGE_SIZE + 1)
    if before:
        query = query.where(AuditEntry.id < before)
    found = db.session.scalars(query).all()
    page = [_row(e) for e in found[:PAGE_SIZE]]
    return AuditPage(tuple(page), page[-1].id if len(found) > PAGE_SIZE else None)


def csv_header() -> tuple[str, ...]:
    """The export's headings, in the reader's language (the rows are the data as kept, but for
    what they did, in words)."""
    return (
        _("When (UTC)"),
        _("Done by"),
        _("Done by (person id)"),
        _("What they did"),
        _("Action"),
        _("To what"),
        _("Target type"),
        _("Target id"),
        _("Reason"),
        _("Details"),
    )


def export_csv(filters: Filters) -> str:
    """Every matching entry (not one page), newest first, as formula-safe CSV."""
    rows = (
        (
            r.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            r.actor,
            r.actor_id,
            r.words,
            r.action,
            r.target_label,
            r.target_type,
            r.target_id,
            r.reason,
            "; ".join(f"{k}: {v}" for k, v in r.details.items()),
        )
        for r in map(_row, db.session.scalars(_query(filters).limit(EXPORT_MOST)))
    )
    return csv_text(csv_header(), rows)


def last_recorded(action: str, target_type: str, target_id: int) -> datetime | None:
    """When this action was last recorded against this target (one query), or None: for rules
    such as "one message to a learner a day"."""
    return db.session.scalar(
        sa.select(sa.func.max(AuditEntry.created_at)).where(
            AuditEntry.action == action, AuditEntry.target_type == target_type, AuditEntry.target_id == target_id
        )
    )
