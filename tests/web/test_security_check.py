"""`flask security-check` and the refusal of a known secret key in production."""

import pytest

from lms import create_app

GOOD = {
    "LMS_ENV": "production",
    "SECRET_KEY": "k" * 48,
    "LMS_SECRET_KEY_FROM_ENV": True,
    "DEBUG": False,
    "SESSION_COOKIE_SECURE": True,
    "REMEMBER_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
    "LMS_BASE_URL": "https://learn.example.nhs.uk",
    "LMS_MAIL_URL": "smtp+starttls://lms:secret@smtp.example.nhs.uk:587",
    "LMS_MAIL_FROM": "learning@example.nhs.uk",
}


def run(workers="1", **config):
    """Run the check on an app built with this configuration (it touches no database)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://lms@db.internal/lms", **config})
    return app.test_cli_runner().invoke(args=["security-check", "--workers", workers])


def test_a_good_production_configuration_passes():
    result = run(workers="4", **GOOD)
    assert result.exit_code == 0 and "No problems found." in result.output


def test_a_bad_configuration_lists_every_problem(monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")  # how debug mode reaches the flask command
    result = run(
        workers="4",
        LMS_ENV="development",
        SECRET_KEY="changeme",
        LMS_SECRET_KEY_FROM_ENV=False,
        SESSION_COOKIE_SECURE=False,
        REMEMBER_COOKIE_SECURE=False,
        SQLALCHEMY_DATABASE_URI="sqlite:////tmp/x.sqlite",
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        LMS_BASE_URL="http://127.0.0.1:5000",
        LMS_MAIL_URL="",
        LMS_XAPI_ENDPOINT="http://lrs.internal/xAPI/",
    )
    assert result.exit_code == 1
    for expected in (
        "known default or too short",
        "LMS_SECRET_KEY is not set",
        "debug mode is on",
        "LMS_ENV is not 'production'",
        "SESSION_COOKIE_SECURE is off",
        "SQLite with 4 workers",
        "rate limits are counted in memory",
        "LMS_BASE_URL is not an https:// address",
        "LMS_MAIL_URL is not set",
        "LMS_XAPI_ENDPOINT is not an https:// address",
        "LMS_XAPI_KEY or LMS_XAPI_SECRET is not set",
        "problem(s) to fix",
    ):
        assert expected in result.output, expected


def test_production_refuses_to_start_with_a_known_secret_key():
    with pytest.raises(RuntimeError, match="known default"):
        create_app({"LMS_ENV": "production", "SECRET_KEY": "changeme"})


def test_production_serves_nothing_without_its_public_address_but_commands_run(caplog):
    config = {**GOOD, "LMS_BASE_URL": ""}
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", **config})
    assert app.test_client().get("/accessibility").status_code == 500
    assert "LMS_BASE_URL is not set" in caplog.text
    result = run(**config)
    assert "LMS_BASE_URL is not an https:// address" in result.output
