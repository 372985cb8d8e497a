"""The migrations build the schema the models describe, and come down again cleanly."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

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
        # Named after the test database, so runs on different test databases do not collide.
        scratch = database_url.rsplit("/", 1)[1].split("?")[0] + "_migrations"
        admin = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{scratch}"'))
            connection.execute(sa.text(f'CREATE DATABASE "{scratch}"'))
        admin.dispose()
        url = database_url.rsplit("/", 1)[0] + f"/{scratch}"
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
        differences = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata
        )
    assert differences == []
    downgrade(revision="base")
    assert tables() == set()


def test_migrations_form_one_line(scratch_app):
    """One head, so `flask db upgrade` knows where to go (branches must be merged)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(scratch_app.extensions["migrate"].migrate.get_config())
    assert len(script.get_heads()) == 1, script.get_heads()


# Upgrading with data: rows are put in every table as soon as a migration creates it, so each
# later migration (batch table rebuilds on SQLite included) runs over a populated database.
# Values come from the reflected columns, so a new table is filled without touching this test.


def _revisions(app) -> list[str]:
    """Every revision, first to head."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def _reflect() -> sa.MetaData:
    metadata = sa.MetaData()
    metadata.reflect(db.engine)
    metadata.remove(metadata.tables["alembic_version"])
    return metadata


def _value(table: sa.Table, column: sa.Column, row: int):
    """A plausible value of the column's type, different in each row (for unique constraints)."""
    kind = column.type
    if getattr(kind, "enums", None):
        return kind.enums[row % len(kind.enums)]
    try:
        python = kind.python_type
    except NotImplementedError:
        python = str
    moment = datetime(2026, 1, 2, 3, 4, row, tzinfo=UTC)
    if python is datetime:
        return (
            moment
            if getattr(kind, "timezone", False) or db.engine.dialect.name == "sqlite"
            else moment.replace(tzinfo=None)
        )
    text = f"{row}-{table.name}-{column.name}"
    return {
        bool: row % 2 == 0,
        int: row + 1,
        float: row + 0.5,
        Decimal: Decimal(row) + Decimal("0.5"),
        date: moment.date(),
        dict: {"row": row},
        list: [row],
        bytes: text.encode(),
    }.get(python, text[: getattr(kind, "length", None) or len(text)])


def _numbered_by_database(table: sa.Table, column: sa.Column) -> bool:
    """An integer key the database numbers (reflection cannot tell one the app sets itself)."""
    model = Base.metadata.tables.get(table.name)
    if model is None or column.name not in model.c:  # a table or column a later migration drops
        return column.server_default is not None
    return model.c[column.name].autoincrement in (True, "auto") and isinstance(column.type, sa.Integer)


def _fill(metadata: sa.MetaData, done: set[str], rows: int = 2) -> None:
    """Two rows in each table not filled yet, parents first; foreign keys point at parents' rows."""
    with db.engine.begin() as connection:
        for table in metadata.sorted_tables:
            if table.name in done:
                continue
            done.add(table.name)
            for row in range(rows):
                values = {}
                for position, column in enumerate(table.columns):
                    foreign = next(iter(column.foreign_keys), None)
                    if foreign is not None:
                        target = foreign.column
                        if target.table is table:  # a row's parent in its own table: none
                            continue
                        parents = [r[0] for r in connection.execute(sa.select(target).order_by(target))]
                        values[column.name] = parents[(row + position) % len(parents)]
                    elif column.primary_key and _numbered_by_database(table, column):
                        continue
                    else:
                        values[column.name] = _value(table, column, row)
                connection.execute(table.insert().values(**values))


def _snapshot() -> dict[str, dict[tuple, dict]]:
    """Every row of every table, by primary key, as the database gives it back."""
    metadata = _reflect()
    found = {}
    with db.engine.connect() as connection:
        for table in metadata.sorted_tables:
            key = [c.name for c in table.primary_key.columns] or [c.name for c in table.columns]
            found[table.name] = {
                tuple(r[k] for k in key): dict(r) for r in connection.execute(sa.select(table)).mappings()
            }
    return found


def _kept(before: dict, after: dict) -> list[str]:
    """What of `before` is missing or changed in `after`, for the tables and columns both have."""
    lost = []
    for name, rows in before.items():
        if name not in after:
            continue
        for key, row in rows.items():
            now = after[name].get(key)
            if now is None:
                lost.append(f"{name} {key}: row gone")
                continue
            changed = {c: (v, now[c]) for c, v in row.items() if c in now and now[c] != v}
            if changed:
                lost.append(f"{name} {key}: {changed}")
    return lost


def test_every_row_survives_upgrade_to_head_and_the_way_back_down(scratch_app):
    revisions = _revisions(scratch_app)
    filled: set[str] = set()
    snapshots = {}
    for revision in revisions:
        upgrade(revision=revision)
        _fill(_reflect(), filled)
        snapshots[revision] = _snapshot()
    assert set(Base.metadata.tables) <= filled, "every table of the models has rows at head"
    head = snapshots[revisions[-1]]
    for revision in revisions:
        assert not _kept(snapshots[revision], head), (revision, _kept(snapshots[revision], head))

    for revision in reversed(revisions[:-1]):  # down one step at a time to the first migration
        downgrade(revision=revision)
        now = _snapshot()
        assert not _kept(head, now), (revision, _kept(head, now))
        assert set(now) == set(snapshots[revision])
    upgrade(revision="heads")  # and up again over what the first migration's tables kept
    assert not _kept(snapshots[revisions[0]], _snapshot())
    downgrade(revision="base")
    assert tables() == set()


def _insert_users(metadata, roles: dict[int, str], made) -> None:
    """Rows in `users` as an older schema has them: id -> role, made at `made` (one time for
    all, or {id: time})."""
    users = metadata.tables["users"]
    with db.engine.begin() as connection:
        for n, role in roles.items():
            connection.execute(
                users.insert().values(
                    id=n,
                    email=f"person{n}@example.org",
                    display_name=f"Person {n}",
                    role=role,
                    password_hash="x",
                    active=True,
                    created_at=made[n] if isinstance(made, dict) else made,
                )
            )


def test_accounts_made_before_verification_are_verified_and_idle_sign_ins_end(scratch_app):
    """The migration that brought verification and sign-in lifetimes: existing accounts keep
    working (marked verified when they were made); a sign-in idle for longer than the limit
    (a session row from long ago) ends, one begun an hour ago goes on."""
    import hashlib
    from datetime import timedelta

    from lms.accounts import sign_ins
    from lms.db import utcnow

    upgrade(revision="d4e5f6a7b8c9")  # the head before it
    long_ago, an_hour_ago = datetime(2023, 3, 1, 9, 0, tzinfo=UTC), utcnow() - timedelta(hours=1)
    metadata = _reflect()
    sessions = metadata.tables["user_sessions"]
    _insert_users(metadata, {1: "learner", 2: "learner"}, {1: long_ago, 2: an_hour_ago})
    with db.engine.begin() as connection:
        for n, made in ((1, long_ago), (2, an_hour_ago)):
            token_hash = hashlib.sha256(f"token {n}".encode()).hexdigest()
            connection.execute(sessions.insert().values(user_id=n, token_hash=token_hash, created_at=made))
    upgrade(revision="heads")

    db.session.expire_all()
    from lms.accounts.models import User

    made = {u.id: u for u in db.session.scalars(sa.select(User))}
    assert made[1].email_verified_at == long_ago and made[2].email_verified_at is not None
    assert sign_ins.load_user("token 1") is None  # idle since 2023
    assert sign_ins.load_user("token 2").id == 2
    db.session.remove()


def test_completions_of_a_test_without_a_pass_are_cleared(scratch_app):
    """Issue 18: a test is complete only when passed. Completions a failed attempt made before
    are cleared; a passed test's, and other steps', stay."""
    upgrade(revision="e5f6a7b8c9d0")
    _fill(_reflect(), set())
    metadata = _reflect()
    progress, attempts, steps = (metadata.tables[n] for n in ("step_progress", "quiz_attempts", "steps"))
    moment = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)
    with db.engine.begin() as connection:
        users = [r[0] for r in connection.execute(sa.text("SELECT id FROM users ORDER BY id"))][:2]
        test, article = [r[0] for r in connection.execute(sa.select(steps.c.id).order_by(steps.c.id))][:2]
        connection.execute(steps.update().where(steps.c.id == test).values(type="test"))
        connection.execute(steps.update().where(steps.c.id == article).values(type="article"))
        connection.execute(progress.delete())
        failed, passed = [r[0] for r in connection.execute(sa.select(attempts.c.id).order_by(attempts.c.id))][:2]
        for attempt, user, ok in ((failed, users[0], False), (passed, users[1], True)):
            connection.execute(
                attempts.update().where(attempts.c.id == attempt).values(user_id=user, step_id=test, passed=ok)
            )
        for user, step in ((users[0], test), (users[1], test), (users[0], article)):
            connection.execute(
                progress.insert().values(
                    user_id=user, step_id=step, first_visited_at=moment, last_visited_at=moment, completed_at=moment
                )
            )
    upgrade(revision="e7f8a9b0c1d2")
    with db.engine.connect() as connection:
        rows = connection.execute(sa.select(progress.c.user_id, progress.c.step_id, progress.c.completed_at))
        complete = {(user, step): done is not None for user, step, done in rows}
    assert complete == {(users[0], test): False, (users[1], test): True, (users[0], article): True}


def test_audit_entries_made_before_actor_names_were_kept_get_the_current_name(scratch_app):
    """The best there is for old entries: their actor's name now ("System" for none)."""
    upgrade(revision="e7f8a9b0c1d2")  # the head before it
    metadata = _reflect()
    log = metadata.tables["audit_log"]
    moment = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    _insert_users(metadata, {1: "admin"}, moment)
    with db.engine.begin() as connection:
        for n, actor in ((1, 1), (2, None)):
            connection.execute(
                log.insert().values(
                    id=n,
                    actor_id=actor,
                    action="user.role",
                    target_type="users",
                    target_id=1,
                    target_label="Ada Admin",
                    details={},
                    created_at=moment,
                )
            )
    upgrade(revision="5e8b2c4d7f91")
    with db.engine.connect() as connection:
        labels = dict(connection.execute(sa.text("SELECT id, actor_label FROM audit_log")).all())
    assert labels == {1: "Person 1", 2: "System"}
    db.session.remove()


def test_comments_made_before_badges_were_kept_take_their_authors_current_role(scratch_app):
    upgrade(revision="5e8b2c4d7f91")  # the head before it
    metadata = _reflect()
    comments, steps = metadata.tables["comments"], metadata.tables["steps"]
    moment = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    _insert_users(metadata, {1: "learner", 2: "facilitator", 3: "admin"}, moment)
    _fill(metadata, {"users"}, rows=1)  # a course with a step to comment on (and a row elsewhere)
    with db.engine.begin() as connection:
        step = connection.execute(sa.select(steps.c.id)).scalar()
        for n in (1, 2, 3):
            connection.execute(
                comments.insert().values(
                    id=100 + n, step_id=step, author_id=n, body_md="x", body_html="x", created_at=moment
                )
            )
    upgrade(revision="b41d9e6a0c27")
    with db.engine.connect() as connection:
        query = sa.text("SELECT id, educator FROM comments WHERE id > 100")
        badges = {k: bool(v) for k, v in connection.execute(query).all()}
    assert badges == {101: False, 102: True, 103: True}
    db.session.remove()


def test_comments_hidden_as_off_topic_keep_the_words_their_author_was_shown(scratch_app):
    upgrade(revision="c3a1f0e7d2b9")  # the head before it
    metadata = _reflect()
    comments, steps = metadata.tables["comments"], metadata.tables["steps"]
    moment = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    _insert_users(metadata, {1: "learner", 2: "learner"}, moment)
    _fill(metadata, {"users"}, rows=1)
    hidden = {
        101: ("off-topic", None),
        102: ("off-topic", "Please keep to the step."),
        103: ("unkind", "Be kind."),
        104: ("off-topic", "x" * 1000),
    }
    with db.engine.begin() as connection:
        step = connection.execute(sa.select(steps.c.id)).scalar()
        for id_, (reason, note) in hidden.items():
            connection.execute(
                comments.insert().values(
                    id=id_,
                    step_id=step,
                    author_id=1,
                    body_md="x",
                    body_html="x",
                    created_at=moment,
                    hidden_at=moment,
                    hidden_reason=reason,
                    hidden_note=note,
                )
            )
    upgrade(revision="heads")
    with db.engine.connect() as connection:
        query = sa.text("SELECT id, hidden_reason, hidden_note FROM comments WHERE id > 100 ORDER BY id")
        rows = {id_: (reason, note) for id_, reason, note in connection.execute(query).all()}
    assert rows[101] == ("other", "It is off topic or advertising")
    assert rows[102] == ("other", "It is off topic or advertising. Please keep to the step.")
    assert rows[103] == ("unkind", "Be kind.")
    assert rows[104][0] == "other" and len(rows[104][1]) == 1000 and rows[104][1].startswith("It is off topic")
    db.session.remove()


def test_earlier_posts_complete_their_steps_for_enrolled_learners(scratch_app):
    upgrade(revision="7d3e1f0a9b25")  # the head before it
    metadata = _reflect()
    t = metadata.tables
    moment, later = datetime(2026, 11, 2, 9, 0, tzinfo=UTC), datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
    _insert_users(metadata, {1: "learner", 2: "learner", 3: "learner"}, moment)
    _fill(metadata, {"users"}, rows=1)
    with db.engine.begin() as connection:
        step = connection.execute(sa.select(t["steps"].c.id)).scalar()
        course = connection.execute(sa.select(t["courses"].c.id)).scalar()
        connection.execute(t["steps"].update().values(type="discussion"))
        for table in ("step_progress", "enrolments", "comments"):
            connection.execute(t[table].delete())
        for n in (1, 2):  # 3 posted but never joined the course (staff, say): nothing to complete
            connection.execute(t["enrolments"].insert().values(user_id=n, course_id=course, joined_at=moment))
        # 1 visited before posting (a progress row to complete); 2 posted twice, never visited
        connection.execute(
            t["step_progress"]
            .insert()
            .values(user_id=1, step_id=step, first_visited_at=moment, last_visited_at=moment, completed_at=None)
        )
        for id_, author, at in ((101, 1, later), (102, 2, moment), (103, 2, later), (104, 3, moment)):
            connection.execute(
                t["comments"]
                .insert()
                .values(id=id_, step_id=step, author_id=author, body_md="x", body_html="x", created_at=at)
            )
    upgrade(revision="heads")
    with db.engine.connect() as connection:
        query = sa.text("SELECT user_id, first_visited_at, completed_at FROM step_progress ORDER BY user_id")
        rows = {user: (str(first)[:16], str(done)[:16]) for user, first, done in connection.execute(query).all()}
    assert rows == {1: ("2026-11-02 09:00", "2026-11-03 09:00"), 2: ("2026-11-02 09:00", "2026-11-02 09:00")}
    db.session.remove()
