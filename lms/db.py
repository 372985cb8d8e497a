"""The declarative base with a constraint naming convention, and shared column helpers."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from sqlalchemy.dialects.postgresql import ARRAY

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(so.DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC datetime on every engine (SQLite stores naive values)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given; use lms.db.utcnow()")
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def dialect_insert(session: so.Session):
    """The INSERT construct of the session's database, for ON CONFLICT (SQLite 3.35+ and PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def insert_once(session: so.Session, model, values: dict, *, unless=None):
    """Insert a row unless the table's uniqueness already holds one like it (or `unless`, a
    condition, holds): the new row, or None. Nothing is checked before it is written.

    The way every form that creates something acts once, however often and however many at a
    time it is sent: the row carries what makes it unique (a submission key, or what it is:
    one like per person and comment), and the database has the final word. One statement,
    INSERT ... ON CONFLICT DO NOTHING RETURNING (SQLite 3.35+ and PostgreSQL); with
    `unless`, INSERT ... SELECT ... WHERE NOT EXISTS, so no check can race the insert it
    guards. It neither raises IntegrityError nor aborts the transaction; the caller reads the
    row that stands when it gets None (PostgreSQL waits for a twin in flight to commit first).
    """
    insert = dialect_insert(session)(model)
    if unless is None:
        insert = insert.values(**values)
    else:
        columns = model.__table__.c
        row = sa.select(*(sa.literal(value, columns[name].type) for name, value in values.items())).where(~unless)
        insert = insert.from_select(list(values), row)
    return session.scalars(insert.on_conflict_do_nothing().returning(model)).first()


def submission_of(key: str | None, sent) -> str | None:
    """What a submission is kept under: the form's one-time key (lms.responses) with what it
    carried, digested to 32 characters. The same form sent again with the same content is a
    resend and finds the first; changed and sent again from a page the browser kept (after
    Back), it is new, and kept as such rather than lost. None without a key: no such check.
    """
    if not key:
        return None
    return hashlib.blake2b(json.dumps([key, sent], sort_keys=True).encode(), digest_size=16).hexdigest()


class IdList(sa.types.TypeDecorator):
    """A list of integer ids bound as one parameter: an array on PostgreSQL, JSON text (read
    back by `json_each`) on SQLite."""

    impl = sa.types.Text
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(ARRAY(sa.Integer))
        return dialect.type_descriptor(sa.Text())

    def process_bind_param(self, value, dialect):
        values = [int(v) for v in value]
        return values if dialect.name == "postgresql" else json.dumps(values)


def one_of(column, values=None, *, param: str | None = None):
    """`column IN values`, with the list as one parameter: `= ANY(array)` on PostgreSQL,
    `IN (SELECT value FROM json_each(text))` on SQLite.

    The statement's text is then the same however many values there are, so the server plans
    it once, and binding 75 ids one by one (which cost more than running the query) is gone.
    For a statement built once and kept, name the parameter (`param=`) and pass the list when
    executing; building these small statements cost more than running them.
    """
    bound = sa.bindparam(param, type_=IdList()) if param else sa.bindparam(None, list(values), type_=IdList())
    if _dialect_name() == "postgresql":
        return column == sa.any_(bound)
    return column.in_(sa.select(sa.func.json_each(bound).table_valued("value").c.value))


def _dialect_name() -> str:
    """The app's database, reached through the app: lms.extensions imports this module for
    Base, so this module cannot import lms.extensions back."""
    return current_app.extensions["sqlalchemy"].engine.dialect.name


class TimestampMixin:
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow)


@sa.event.listens_for(sa.engine.Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record) -> None:
    """Make SQLite enforce foreign keys, as PostgreSQL does, and cope with concurrent learners."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL never corrupts the database; a power cut may lose the last
        # commits. FULL made every commit (each step visit) wait for the disk: 3 ms a page.
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA busy_timeout = 5000")
        cursor.close()
