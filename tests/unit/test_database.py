"""The database behaves the same on SQLite and PostgreSQL where it matters."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from lms.extensions import db
from lms.learning.models import StepProgress


def test_foreign_keys_are_enforced(app, learner):
    db.session.add(StepProgress(user_id=learner.id, step_id=999_999))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_one_progress_row_per_learner_and_step(app, course, learner):
    step_id = course.steps[0].id
    db.session.add_all(
        [StepProgress(user_id=learner.id, step_id=step_id), StepProgress(user_id=learner.id, step_id=step_id)]
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StepProgress)) == 0


def test_one_of_picks_the_same_rows_on_both_databases_with_the_list_as_one_parameter(app, course):
    from lms.content.models import Step
    from lms.db import one_of

    ids = [s.id for s in course.steps]
    kept = sa.select(Step.id).where(one_of(Step.id, param="ids"))  # built once, the list given when run
    for wanted in ([], ids[:1], ids[::2], ids):
        assert sorted(db.session.scalars(sa.select(Step.id).where(one_of(Step.id, wanted)))) == sorted(wanted)
        assert sorted(db.session.scalars(kept, {"ids": wanted})) == sorted(wanted)
    compiled = sa.select(Step.id).where(one_of(Step.id, ids)).compile(db.engine)
    assert len(compiled.params) == 1  # not one per id: the text is the same for any number
    sql = str(compiled)
    assert ("= ANY (" in sql) if db.engine.dialect.name == "postgresql" else ("json_each(" in sql)


def test_sqlite_writes_ahead_and_syncs_at_checkpoints(app):
    """WAL with synchronous NORMAL: readers never wait for a writer, and a commit does not wait for the disk."""
    if db.engine.dialect.name != "sqlite":
        assert db.engine.dialect.name == "postgresql"  # its own durability settings are the server's
        return
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
