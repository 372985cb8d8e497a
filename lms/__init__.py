"""lms: an online course platform for leadership in health and social care."""

from __future__ import annotations

from flask import Flask
from flask_babel import gettext

from lms import assets, cli, errors, i18n, inputs, mail, responses, security, templating, unsent, xapi
from lms.config import ROOT, load_config
from lms.extensions import csrf, db, limiter, login_manager, migrate

BLUEPRINTS = (
    "lms.accounts.views",
    "lms.learning.views",
    "lms.content.views",
    "lms.cohorts.views",
    "lms.steps.views",
    "lms.audit.views",
    "lms.people.views",
    "lms.authoring.views",
    "lms.facilitation.views",
    "lms.reflection.views",
    "lms.record.views",
    "lms.assessment.views",
    "lms.certificates.views",
    "lms.progress.views",
    "lms.comments.views",
    "lms.moderation.views",
    "lms.profiles.views",
    "lms.notifications.views",
    "lms.accessibility.views",
    "lms.sso.views",
    "lms.lti.views",
)


def create_app(config: dict | None = None) -> Flask:
    """Build the application: settings, extensions, blueprints, commands, error pages."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(load_config())
    app.config.update(config or {})
    _init_extensions(app)
    inputs.install_converters(app)  # before the routes that use them
    _register_blueprints(app)
    for module in (assets, responses, security, inputs, i18n, templating, mail, xapi, errors, unsent, cli):
        module.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    import lms.models  # noqa: F401  (every table known before Alembic or the app needs it)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Sign in to continue."
    login_manager.localize_callback = gettext
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    from lms.accounts.sign_ins import load_user

    login_manager.user_loader(load_user)


def _register_blueprints(app: Flask) -> None:
    from importlib import import_module

    for name in BLUEPRINTS:
        app.register_blueprint(import_module(name).bp)
