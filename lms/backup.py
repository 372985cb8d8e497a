"""Back up and restore a SQLite database with SQLite's online backup, both safe while the
app serves.

A restore copies the backup into the live database in one step, with every version the
processes keep pages under (`courses.content_version`, `steps.thread_version`; see
lms.content.cache and lms.comments.snapshots) moved first to a value never used before, so
no process can serve a page it kept before the restore, and none needs restarting.
PostgreSQL is backed up and restored with its own tools, then `flask --app lms after-restore`
moves the versions the same way (lms.content.service.renew_versions): see the README.
"""

from __future__ import annotations

import secrets
import shutil
import sqlite3
import tempfile
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
    """Replace the database with a backup, in one step, with fresh versions (see above)."""
    if not backup_file.is_file():
        raise ValueError(f"no backup file at {backup_file}")
    live_path = sqlite_path(database_url)
    with tempfile.TemporaryDirectory() as folder:
        copy_path = Path(folder) / "restoring.sqlite"
        shutil.copyfile(backup_file, copy_path)  # the backup file itself stays as it was
        with sqlite3.connect(copy_path) as copy:
            _renew_versions(copy)
        with sqlite3.connect(copy_path) as copy, sqlite3.connect(live_path) as live:
            copy.backup(live)


def _renew_versions(connection: sqlite3.Connection) -> None:
    """As lms.content.service.renew_versions does on a running database: a content version at
    random in the column's range, and a random 64-bit thread version for every step."""
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "courses" in tables:
        connection.execute("UPDATE courses SET content_version = ?", (secrets.randbelow(2**31 - 2**22) + 2**21,))
    if "steps" in tables:
        connection.execute("UPDATE steps SET thread_version = random()")
