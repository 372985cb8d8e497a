"""Back up and restore a SQLite database with SQLite's online backup (safe while serving).

PostgreSQL is backed up with its own tools: see the README.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url


def sqlite_path(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise ValueError("backup and restore work on a SQLite database file; for PostgreSQL use pg_dump (README)")
    return Path(url.database)


def backup(database_url: str, target: Path | None = None) -> Path:
    """Copy the live database to target (default: instance/backups/lms-<UTC time>.sqlite)."""
    source = sqlite_path(database_url)
    if target is None:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        target = source.parent / "backups" / f"lms-{stamp}.sqlite"
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as live, sqlite3.connect(target) as copy:
        live.backup(copy)
    return target


def restore(database_url: str, backup_file: Path) -> None:
    """Replace the database with a backup (stop the app first)."""
    if not backup_file.is_file():
        raise ValueError(f"no backup file at {backup_file}")
    with sqlite3.connect(backup_file) as saved, sqlite3.connect(sqlite_path(database_url)) as live:
        saved.backup(live)
