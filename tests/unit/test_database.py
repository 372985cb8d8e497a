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


def test_insert_once_gives_the_new_row_then_none_and_leaves_the_transaction_usable(app, course, learner):
    from lms.db import insert_once, utcnow
    from lms.learning.models import Enrolment

    values = dict(user_id=learner.id, course_id=course.course.id, joined_at=utcnow())
    first = insert_once(db.session, Enrolment, values)
    assert isinstance(first, Enrolment) and first.id is not None
    assert insert_once(db.session, Enrolment, values) is None  # the table's uniqueness: no error raised
    db.session.commit()  # nothing was aborted (no savepoint, no rollback)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 1


def test_insert_once_writes_nothing_when_its_condition_holds(app, course, learner):
    from lms.db import insert_once, utcnow
    from lms.learning.models import Enrolment

    values = dict(user_id=learner.id, course_id=course.course.id, joined_at=utcnow())
    assert insert_once(db.session, Enrolment, values, unless=sa.true()) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 0
    assert insert_once(db.session, Enrolment, values, unless=sa.false()) is not None


def test_a_submission_is_kept_under_its_form_key_and_what_it_carried():
    from lms.db import submission_of

    key = submission_of("nonce-answers", {"capital": ["1"], "nations": ["1", "2"]})
    assert key == submission_of("nonce-answers", {"nations": ["1", "2"], "capital": ["1"]})  # order is not content
    assert len(key) == 32  # fits the submission_key columns (40)
    assert key != submission_of("nonce-answers", {"capital": ["2"], "nations": ["1", "2"]})  # changed: not a resend
    assert key != submission_of("other-nonce-answers", {"capital": ["1"], "nations": ["1", "2"]})  # another form
    assert submission_of("", {"capital": ["1"]}) is None and submission_of(None, "text") is None


def test_completing_a_step_keeps_the_first_time_and_clearing_it_clears_it(app, course, learner):
    from lms.learning import completion

    step_id = course.steps[0].id

    def completed_at():
        db.session.expire_all()
        return db.session.scalar(sa.select(StepProgress.completed_at).where(StepProgress.step_id == step_id))

    completion.set_step_complete(learner.id, step_id)
    first = completed_at()
    assert first is not None
    completion.complete_step(learner.id, step_id)
    completion.set_step_complete(learner.id, step_id)
    assert completed_at() == first  # complete again: still since the first time
    completion.set_step_complete(learner.id, step_id, complete=False)
    assert completed_at() is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StepProgress)) == 1
