"""Domain errors raised by services, and the error pages."""
from __future__ import annotations

import logging

from flask import Flask, g, render_template
from sqlalchemy.exc import DBAPIError, OperationalError

from lms.extensions import db, login_manager

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule of the platform was broken; the message is safe to show the user."""

    field: str | None = None

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        if field:
            self.field = field


class NotFound(DomainError):
    pass


class NotAllowed(DomainError):
    pass


class InvalidInput(DomainError):
    pass


def init_app(app: Flask) -> None:
    for code in (400, 403, 404, 405, 409, 413, 429):
        app.register_error_handler(code, _page(code))
    app.register_error_handler(NotFound, lambda e: _render(404))
    app.register_error_handler(NotAllowed, lambda e: _render(403))
    app.register_error_handler(500, _server_error)
    app.register_error_handler(DBAPIError, _database_error)


def _page(code: int):
    def handler(error):
        # A view's own page for the error (a rate-limited form giving its text back) wins.
        if getattr(error, "response", None) is not None:
            return error.response
        return _render(code)

    return handler


def _render(code: int):
    template = f"errors/{code}.html" if code in (403, 404, 429) else "errors/generic.html"
    return render_template(template, code=code), code


def _server_error(error):
    db.session.rollback()
    return render_template("errors/500.html"), 500


def _database_error(error: DBAPIError):
    """The database cannot be reached (down, restarting, locked): a clean 503 page, no traceback.

    Anything else the database refuses is a bug: raised again, it takes the usual 500 path.
    The page must render without the database, so a person not yet loaded shows as signed out.
    """
    if not (isinstance(error, OperationalError) or error.connection_invalidated):
        raise error
    log.warning("database unavailable: %s", error.orig)
    try:
        db.session.rollback()
    except DBAPIError:
        pass
    if "_login_user" not in g:
        g._login_user = login_manager.anonymous_user()
    return render_template("errors/503.html"), 503, {"Retry-After": "30"}
