"""Backups of a SQLite database restore to the data they were taken from.

They use a SQLite database of their own, whichever engine the suite runs on, since
backup and restore are for SQLite installations (PostgreSQL uses pg_dump).
"""

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from lms import create_app
from lms.accounts.models import User
from lms.extensions import db
from tests.factories import make_user


@pytest.fixture
def sqlite_app(tmp_path):
    app = create_app(
        {
            "LMS_ENV": "testing",
            "SECRET_KEY": "x" * 32,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'live.sqlite'}",
        }
    )
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


def names() -> set[str]:
    return set(db.session.scalars(sa.select(User.display_name)))


def test_backup_then_restore_brings_the_data_back(sqlite_app, tmp_path):
    runner = sqlite_app.test_cli_runner()
    make_user(display_name="Before the backup")
    target = tmp_path / "backup.sqlite"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0 and target.stat().st_size > 0
    make_user(display_name="After the backup")
    db.session.remove()
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert names() == {"Before the backup"}


def test_backup_defaults_to_instance_backups(sqlite_app, tmp_path):
    result = sqlite_app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 0
    assert list((tmp_path / "backups").glob("lms-*.sqlite"))


def test_restore_of_a_missing_file_is_refused(sqlite_app, tmp_path):
    result = sqlite_app.test_cli_runner().invoke(args=["restore", str(tmp_path / "none.sqlite"), "--yes"])
    assert result.exit_code == 1 and "no backup file" in result.output


def test_postgresql_is_pointed_to_pg_dump():
    app = create_app(
        {
            "LMS_ENV": "testing",
            "SECRET_KEY": "x" * 32,
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://lms@db.internal/lms",
        }
    )
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 1 and "pg_dump" in result.output
