"""Domain errors raised by services, and the error pages."""

from __future__ import annotations

import logging
import sys

import sqlalchemy as sa
from flask import Flask, g, render_template
from flask_babel import get_locale, gettext
from markupsafe import escape
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
    app.wsgi_app = _last_resort(app, app.wsgi_app)


# Error pages never ask the database anything: not who is signed in (the header), not the
# notifications count. When the database is down, or the failure came from it, asking again
# fails again, and a failure inside an error handler reaches the server's bare 500 page.
# They show whom this request had already read, from memory, and otherwise show no one.


def N_(text: str) -> str:
    """Marks words for the catalogue (pybabel's default keyword) that are translated later."""
    return text


PLAIN_PAGE = '<!DOCTYPE html><html lang="{lang}"><meta charset="utf-8"><title>{title}</title><h1>{title}</h1><p>{text}</p></html>'
PLAIN = {
    503: (
        N_("Sorry, the service is unavailable"),
        N_("We cannot reach our database at the moment. Try again in a minute."),
    ),
    500: (
        N_("Sorry, there is a problem with the service"),
        N_("Try again later. Nothing you saved before this has been lost."),
    ),
}


def _person_from_memory():
    """The signed-in person as this request already read them, detached from the session so
    that nothing can load more; or a visitor when they were not read (or rolled back)."""
    user = g.get("_login_user")
    if user is None or not user.is_authenticated:
        return login_manager.anonymous_user()
    state = sa.inspect(user, raiseerr=False)
    if state is None:  # not a database row
        return user
    if state.expired or {"id", "display_name", "role"} & state.unloaded:
        return login_manager.anonymous_user()
    if state.session is not None:
        state.session.expunge(user)
    return user


def _plain(code: int):
    """In the request's language if it is known (English outside a request, or if choosing
    it fails: this page must never fail itself)."""
    title, text = PLAIN.get(code, PLAIN[500])
    try:
        language, title, text = str(get_locale() or "en"), gettext(title), gettext(text)
    except Exception:
        language = "en"
    return PLAIN_PAGE.format(lang="cy" if language == "cy" else "en-GB", title=escape(title), text=escape(text))


def _render_page(template: str, code: int, **context) -> str:
    """The error page, without the database; a plain one if even that fails."""
    g._login_user = _person_from_memory()
    try:
        return render_template(template, code=code, unread_notifications=0, **context)
    except Exception:
        log.exception("the %s page could not be rendered; sent a plain one", code)
        return _plain(code)


def _page(code: int):
    def handler(error):
        # A view's own page for the error (a rate-limited form giving its text back) wins.
        if getattr(error, "response", None) is not None:
            return error.response
        return _render(code)

    return handler


def _render(code: int):
    template = f"errors/{code}.html" if code in (403, 404, 429) else "errors/generic.html"
    return _render_page(template, code), code


def _roll_back() -> None:
    try:
        db.session.rollback()
    except DBAPIError:
        pass


def _server_error(error):
    g._login_user = _person_from_memory()  # before the rollback expires what was read
    _roll_back()
    return _render_page("errors/500.html", 500), 500


def _database_error(error: DBAPIError):
    """The database cannot be reached (down, restarting, locked): a clean 503 page, no traceback.

    Anything else the database refuses is a bug: raised again, it takes the usual 500 path.
    The page renders without the database, showing whom the request had read, if anyone.
    """
    if not (isinstance(error, OperationalError) or error.connection_invalidated):
        raise error
    log.warning("database unavailable: %s", error.orig)
    g._login_user = _person_from_memory()
    _roll_back()
    return _render_page("errors/503.html", 503), 503, {"Retry-After": "30"}


def _last_resort(app: Flask, wsgi_app):
    """Whatever escapes Flask's own handling (a failing error handler or teardown) is answered
    with a plain page here, never the server's bare one. Tests that propagate exceptions see
    them raised as before."""

    def application(environ, start_response):
        try:
            return wsgi_app(environ, start_response)
        except Exception:
            propagate = app.config.get("PROPAGATE_EXCEPTIONS")
            if propagate or (propagate is None and (app.testing or app.debug)):  # as Flask decides
                raise
            log.exception("an error escaped the error pages; sent a plain 500 page")
            start_response(
                "500 INTERNAL SERVER ERROR",
                [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")],
                sys.exc_info(),
            )
            return [_plain(500).encode()]

    return application


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
