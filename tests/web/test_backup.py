"""Backups of a SQLite database restore to the data they were taken from.

They use a SQLite database of their own, whichever engine the suite runs on, since
backup and restore are for SQLite installations (PostgreSQL uses pg_dump).
"""

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from lms import create_app
from lms.accounts.models import User
from lms.content.models import Step
from lms.extensions import db
from tests.factories import PASSWORD, make_comment, make_user


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


# -- A restore while the app serves (issue 24) -------------------------------------------------
# The app keeps course pages and thread pages per process under versions the database moves
# (lms.content.cache, lms.comments.snapshots). A restore puts old versions back; the next
# writes then made versions the processes had already used, and their kept pages (with
# comments the restore erased, without the new ones) were served again. A restore therefore
# moves every version to one never used before.

TALK, WELCOME = "/steps/first-steps/talk-about-it", "/steps/first-steps/welcome"


@pytest.fixture
def serving(tmp_path):
    """A SQLite app with the course, and a learner's browser on it, serving throughout."""
    from lms.content import service as content
    from lms.learning import service as learning
    from tests.conftest import FIXTURE_CONTENT

    app = create_app(
        {
            "LMS_ENV": "testing",
            "TESTING": True,
            "SECRET_KEY": "x" * 32,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "LMS_CONTENT_DIR": str(FIXTURE_CONTENT),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'live.sqlite'}",
        }
    )
    with app.app_context():
        upgrade()
        content.import_content(FIXTURE_CONTENT)
        learner = make_user(email="learner@example.org")
        learning.join_course(learner.id, content.get_outline().course.id)
        browser = app.test_client()
        assert browser.post("/login", data={"email": learner.email, "password": PASSWORD}).status_code == 302
        yield app, browser, learner
        db.session.remove()
        db.engine.dispose()


def set_welcome_body(text: str) -> None:
    """An edit to the course through the ORM, as authoring makes it (it moves the version)."""
    db.session.execute(sa.update(Step).where(Step.slug == "welcome").values(body_html=f"<p>{text}</p>"))
    db.session.commit()


def test_a_restore_while_the_app_serves_leaves_no_kept_page_stale(serving, tmp_path):
    app, browser, learner = serving
    talk = db.session.scalar(sa.select(Step.id).where(Step.slug == "talk-about-it"))
    assert "Welcome" in browser.get(WELCOME).text and browser.get(TALK).status_code == 200
    target = tmp_path / "backup.sqlite"
    assert app.test_cli_runner().invoke(args=["backup", str(target)]).exit_code == 0

    set_welcome_body("Written after the backup")
    make_comment(learner, talk, "Posted after the backup")
    assert "Written after the backup" in browser.get(WELCOME).text
    assert "Posted after the backup" in browser.get(TALK).text  # both now kept by this process

    db.session.remove()
    result = app.test_cli_runner().invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output

    set_welcome_body("Written after the restore")
    make_comment(learner, talk, "Posted after the restore")
    welcome, thread = browser.get(WELCOME).text, browser.get(TALK).text
    assert "Written after the restore" in welcome and "Written after the backup" not in welcome
    assert "Posted after the restore" in thread and "Posted after the backup" not in thread


def test_after_a_postgresql_restore_the_versions_move_on(app, client, enrolled, course):
    """pg_restore puts the thread versions' sequence back; `flask --app lms after-restore`
    moves every version past it (on SQLite versions are random, and the command moves them
    all the same)."""
    talk = db.session.scalar(sa.select(Step.id).where(Step.slug == "talk-about-it"))
    postgresql = db.engine.dialect.name == "postgresql"
    version = db.session.scalar(sa.select(Step.thread_version).where(Step.id == talk))
    sequence = postgresql and db.session.scalar(sa.text("SELECT last_value FROM thread_versions"))
    erased = make_comment(enrolled, talk, "Posted after the backup")
    assert "Posted after the backup" in client.get(TALK).text  # kept by this process

    # What pg_restore of a backup taken before that comment leaves: no comment, old versions.
    db.session.delete(erased)
    db.session.execute(sa.update(Step).where(Step.id == talk).values(thread_version=version, comment_count=0))
    if postgresql:
        db.session.execute(sa.text("SELECT setval('thread_versions', :value)"), {"value": sequence})
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["after-restore"])
    assert result.exit_code == 0, result.output

    make_comment(enrolled, talk, "Posted after the restore")
    thread = client.get(TALK).text
    assert "Posted after the restore" in thread and "Posted after the backup" not in thread
