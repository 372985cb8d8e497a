"""Record actions in the audit log, and read it back for admins.

`record` flushes and does not commit: it joins the caller's unit of work, so an action
and its audit entry are saved together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from lms.accounts.models import User
from lms.audit.models import AuditEntry
from lms.extensions import db

PAGE_SIZE = 50


def _label(target) -> str:
    for name in ("display_name", "title", "name", "email"):
        value = getattr(target, name, None)
        if value:
            return str(value)[:200]
    return f"{type(target).__name__} {getattr(target, 'id', '')}".strip()


def record(actor: User | None, action: str, target, reason: str | None = None, details: dict | None = None) -> None:
    """Note that actor did action to target (any model with an id), and why."""
    db.session.add(
        AuditEntry(
            actor_id=actor.id if actor else None,
            action=action,
            target_type=type(target).__tablename__ if hasattr(type(target), "__tablename__") else type(target).__name__,
            target_id=getattr(target, "id", None),
            target_label=_label(target),
            reason=reason,
            details=details or {},
        )
    )
    db.session.flush()


@dataclass(frozen=True)
class AuditRow:
    id: int
    created_at: datetime
    actor: str
    action: str
    target_type: str
    target_label: str
    reason: str | None
    details: dict


@dataclass(frozen=True)
class AuditPage:
    rows: tuple[AuditRow, ...]
    next_before: int | None  # the id to continue from, for the next (older) page


def actions() -> list[str]:
    return db.session.scalars(sa.select(AuditEntry.action).distinct().order_by(AuditEntry.action)).all()


def entries(action: str | None = None, actor_query: str | None = None, before: int | None = None) -> AuditPage:
    """Newest first, a page at a time (keyset on id), in one query."""
    query = (
        sa.select(AuditEntry, User.display_name)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .order_by(AuditEntry.id.desc())
        .limit(PAGE_SIZE + 1)
    )
    if action:
        query = query.where(AuditEntry.action == action)
    if actor_query:
        query = query.where(sa.func.lower(User.display_name).like(f"%{actor_query.strip().lower()}%"))
    if before:
        query = query.where(AuditEntry.id < before)
    rows = db.session.execute(query).all()
    page = [
        AuditRow(
            e.id, e.created_at, name or "System", e.action, e.target_type, e.target_label, e.reason, e.details or {}
        )
        for e, name in rows[:PAGE_SIZE]
    ]
    return AuditPage(tuple(page), page[-1].id if len(rows) > PAGE_SIZE else None)


def last_recorded(action: str, target_type: str, target_id: int) -> datetime | None:
    """When this action was last recorded against this target (one query), or None: for rules
    such as "one message to a learner a day"."""
    return db.session.scalar(
        sa.select(sa.func.max(AuditEntry.created_at)).where(
            AuditEntry.action == action, AuditEntry.target_type == target_type, AuditEntry.target_id == target_id
        )
    )
