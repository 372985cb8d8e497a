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
    db.session.add_all([StepProgress(user_id=learner.id, step_id=step_id),
                        StepProgress(user_id=learner.id, step_id=step_id)])
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StepProgress)) == 0


def test_one_of_picks_the_same_rows_on_both_databases_with_one_parameter_on_postgresql(app, course):
    from lms.content.models import Step
    from lms.db import one_of

    ids = [s.id for s in course.steps]
    for wanted in ([], ids[:1], ids[::2], ids):
        query = sa.select(Step.id).where(one_of(Step.id, wanted))
        assert sorted(db.session.scalars(query)) == sorted(wanted)
    sql = str(sa.select(Step.id).where(one_of(Step.id, ids)).compile(db.engine))
    if db.engine.dialect.name == "postgresql":
        assert "= ANY (" in sql and sql.count("%(") == 1
    else:
        assert " IN (" in sql
