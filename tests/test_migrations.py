"""The migrations build the schema the models describe, and come down again cleanly."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from lms import create_app
from lms.db import Base
from lms.extensions import db


@pytest.fixture
def scratch_app(tmp_path, database_url):
    """An app on a database of its own, so going down to base leaves the shared one alone."""
    if database_url.startswith("postgresql"):
        admin = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text("DROP DATABASE IF EXISTS lms_migrations_test"))
            connection.execute(sa.text("CREATE DATABASE lms_migrations_test"))
        admin.dispose()
        url = database_url.rsplit("/", 1)[0] + "/lms_migrations_test"
    else:
        url = f"sqlite:///{tmp_path / 'migrations.sqlite'}"
    app = create_app({"LMS_ENV": "testing", "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        yield app
        db.engine.dispose()


def tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_from_empty_matches_the_models_then_downgrades_to_base(scratch_app):
    upgrade(revision="heads")
    assert tables() == set(Base.metadata.tables)
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                       Base.metadata)
    assert differences == []
    downgrade(revision="base")
    assert tables() == set()


def test_migrations_form_one_line(scratch_app):
    """One head, so `flask db upgrade` knows where to go (branches must be merged)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(scratch_app.extensions["migrate"].migrate.get_config())
    assert len(script.get_heads()) == 1, script.get_heads()
