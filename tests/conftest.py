"""Fixtures: one migrated database per run (SQLite, or PostgreSQL via LMS_TEST_DATABASE_URL),
a fresh app per test, rows deleted after each test, and people to act as."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import argon2
import pytest
import sqlalchemy as sa
from flask import g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from jinja2 import BytecodeCache

from lms import create_app
from lms.accounts import passwords
from lms.db import Base
from lms.extensions import db
from tests import factories
from tests.mail_server import SmtpServer

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"

# CI sets LMS_NO_SKIPS=1: a test that skips there (Chromium or Redis missing, say) fails,
# so a green run always means every test ran.
NO_SKIPS = os.environ.get("LMS_NO_SKIPS") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    report = (yield).get_result()
    if NO_SKIPS and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"LMS_NO_SKIPS=1 but this test skipped: {report.longrepr}"


# Real Argon2id, at the cheapest cost: hashing at production cost would dominate the run.
passwords.set_hash_parameters(argon2.profiles.CHEAPEST)


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server for the whole run; every test app sends its mail to it."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def oidc_provider():
    """A real OpenID Connect provider (tests/oidc_provider.py) over HTTP for the whole run."""
    from tests.oidc_provider import OIDCProvider

    provider = OIDCProvider().start()
    yield provider
    provider.stop()


@pytest.fixture(scope="session")
def lti_platform():
    """A real LTI 1.3 platform (tests/lti_platform.py) over HTTP for the whole run."""
    from tests.lti_platform import LtiPlatform

    platform = LtiPlatform().start()
    yield platform
    platform.stop()


@pytest.fixture
def sso_app(make_app, oidc_provider):
    """An app with single sign-on through the test provider, which sends people back to it."""
    from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET

    def build(base_url: str = "http://localhost", **overrides):
        oidc_provider.reset(redirect_uris=[f"{base_url}/sso/callback"])
        return make_app(
            LMS_BASE_URL=base_url,
            LMS_OIDC_ISSUER=oidc_provider.issuer,
            LMS_OIDC_CLIENT_ID=CLIENT_ID,
            LMS_OIDC_CLIENT_SECRET=CLIENT_SECRET,
            LMS_OIDC_BUTTON="Sign in with NHSmail",
            **overrides,
        )

    return build


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """Build the schema once per run with the real migrations."""
    url = os.environ.get("LMS_TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    app = create_app(_test_config(url))
    with app.app_context():
        _drop_everything()
        upgrade(revision="heads")
        db.engine.dispose()
    return url


def _drop_everything() -> None:
    """Start from an empty database (a PostgreSQL test database outlives the run)."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))


def _test_config(url: str, **overrides) -> dict:
    return {
        "LMS_ENV": "testing",
        "LMS_BASE_URL": "http://localhost",
        "TESTING": True,
        "SECRET_KEY": "test secret key, not for production",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "LMS_CONTENT_DIR": str(FIXTURE_CONTENT),
        **overrides,
    }


class SharedBytecode(BytecodeCache):
    """Compiled templates kept for the whole run. Every test builds its own app, and each
    app's Jinja would otherwise compile every template it renders again (a third of the
    suite's time); a template whose source changes is compiled afresh (Jinja checks)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = SharedBytecode()


class IsolatedClient(FlaskClient):
    """A test client whose every request starts with an empty `g`.

    Tests hold an app context open so they can use the database between requests, and
    Flask reuses it for each request; in production each request has its own, so `g`
    (where Flask-Login caches the current user) must not carry over here either.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            g.__dict__.clear()
        return super().open(*args, **kwargs)


@pytest.fixture
def make_app(database_url, smtp_server):
    """Build an app on the test database; rows are deleted after the test."""
    apps = []
    smtp_server.clear()
    if smtp_server.controller is None:  # a test stopped it
        smtp_server.start()

    def build(**overrides):
        app = create_app(_test_config(database_url, **{"LMS_MAIL_URL": smtp_server.url, **overrides}))
        app.test_client_class = IsolatedClient
        app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
        apps.append(app)
        return app

    yield build
    for index, app in enumerate(apps):
        with app.app_context():
            db.session.remove()
            if index == 0:  # every app shares the database: clean it once
                with db.engine.begin() as connection:
                    for table in reversed(Base.metadata.sorted_tables):
                        connection.execute(table.delete())
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app


@pytest.fixture
def count_queries(app):
    """Collect the SQL statements run inside a `with count_queries() as statements:` block."""

    @contextmanager
    def counting():
        statements: list[str] = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)

    return counting


@pytest.fixture
def mailbox(app, smtp_server):
    """Deliver what the outbox holds, and read what the SMTP server received."""
    from lms.mail import service as mail

    class Mailbox:
        server = smtp_server

        def deliver(self):
            while mail.deliver_due():
                pass
            return list(smtp_server.messages)

        def to(self, address: str):
            return [m for m in self.deliver() if address in str(m["To"])]

    return Mailbox()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def course(app):
    """The fixture course, imported."""
    from lms.content import service

    service.import_content(FIXTURE_CONTENT)
    return service.get_outline()


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A writable copy of the fixture course, for tests that change files."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


@pytest.fixture
def learner(app):
    return factories.make_user(email="learner@example.org", display_name="Lee Learner")


@pytest.fixture
def intruder(app):
    return factories.make_user(email="intruder@example.org", display_name="Ivy Intruder")


@pytest.fixture
def facilitator(app):
    return factories.make_user(email="facilitator@example.org", display_name="Fay Facilitator", role="facilitator")


@pytest.fixture
def admin(app):
    return factories.make_user(email="admin@example.org", display_name="Ada Admin", role="admin")


@pytest.fixture
def login(client):
    """Sign a user in through the real login form."""

    def sign_in(user, password: str = factories.PASSWORD, remember: bool = False):
        data = {"email": user.email, "password": password}
        if remember:
            data["remember"] = "y"
        response = client.post("/login", data=data)
        assert response.status_code == 302, response.text
        return response

    return sign_in


@pytest.fixture
def enrolled(course, learner, login):
    """The learner, joined to the fixture course and signed in."""
    from lms.learning import service

    service.join_course(learner.id, course.course.id)
    login(learner)
    return learner


@pytest.fixture
def sign_in(app, course):
    """A new client signed in as the user (joined to the course), so several people can act."""
    from lms.learning import service

    def client_for(user):
        service.join_course(user.id, course.course.id)
        client = app.test_client()
        assert client.post("/login", data={"email": user.email, "password": factories.PASSWORD}).status_code == 302
        return client

    return client_for


ASSESSMENT_MODULES = Path(__file__).parent / "fixtures" / "assessment"


@pytest.fixture
def assessed_course(app, content_copy):
    """The fixture course plus a third module with a quiz, a self-assessment and a test
    (tests/fixtures/assessment), imported. Kept apart so other tests' step counts hold."""
    from lms.content import service

    shutil.copytree(ASSESSMENT_MODULES, content_copy / "modules", dirs_exist_ok=True)
    service.import_content(content_copy)
    return service.get_outline()


@pytest.fixture
def assessed(assessed_course, learner, login):
    """The learner, joined to the course with assessments and signed in."""
    from lms.learning import service

    service.join_course(learner.id, assessed_course.course.id)
    login(learner)
    return learner
