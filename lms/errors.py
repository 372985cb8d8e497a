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
    app.teardown_appcontext(_release_session)


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
    The page must render without the database, so it shows everyone as signed out.
    """
    if not (isinstance(error, OperationalError) or error.connection_invalidated):
        raise error
    log.warning("database unavailable: %s", error.orig)
    try:
        db.session.rollback()
    except DBAPIError:
        pass
    # Rolling back expired whatever was loaded, and reloading needs the database: shown signed out.
    g._login_user = login_manager.anonymous_user()
    try:
        page = render_template("errors/503.html")
    except DBAPIError:  # the last resort is plainer, never a traceback
        page = "<!DOCTYPE html><title>Service unavailable</title><h1>Sorry, the service is unavailable</h1>"
    return page, 503, {"Retry-After": "30"}


def _release_session(exc) -> None:
    """Hand the session back even when the database went away mid-request.

    Runs before Flask-SQLAlchemy's own teardown (teardowns run last registered first). Its
    `session.remove()` rolls back, and a ROLLBACK on a dead connection raises: out of a
    teardown that would become the server's bare 500 page. Invalidate the connection instead.
    """
    try:
        db.session.remove()
    except DBAPIError:
        log.warning("database connection lost at the end of a request; discarded")
        try:
            db.session.registry().invalidate()
        finally:
            db.session.registry.clear()
