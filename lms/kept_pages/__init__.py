"""Whole pages kept by each process for the signed-in person who asked for them.

A learner reads a step page many times for each time anything on it changes, and rendering
it (the article, the thread, their progress and reflection, the forms) is most of its cost.
So a view may let its page be kept (`@keepable`, then `keep_until(moment)` while rendering):
the next request for the same page by the same sign-in is answered with the kept HTML,
after the one query every page makes anyway (the sign-in).

Kept pages are exact, not merely fresh enough:

- Every committed write through the app's engine, ORM or not, moves a number in
  `page_generations` in the same transaction (engine events, so no code path can forget
  it): the site's (scope 0), or only the writer's own for writes made inside
  `personal_to(user_id)`, which must change nothing shown on another person's kept page
  (the learner's visits, progress, reflections and bookmarks).
- A page is kept under its sign-in, CSRF token and URL and both numbers as the sign-in query
  read them, before the view read anything else: a page rendered from older data can only
  sit under older numbers, and after a write every request misses until the page is
  rendered again. Old entries age out of a bounded store.
- Values that must be new on every page (comment forms' submission keys) are registered
  with `fresh()` and replaced with new ones each time the page is served.
- A page is kept only until the moment its view gave, and never with flashed messages,
  after a write in the same request, or for a response other than 200.

Writes made outside the app (psql) do not move the numbers: a page could then be served
unchanged until its view's moment (a minute, for a step page).
"""
from __future__ import annotations

import re
import secrets
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, has_request_context, request, session
from flask_login import current_user

from lms.extensions import db
from lms.kept import Kept, kept_by_app
from lms.kept_pages.models import SITE, PageGeneration

MOST_BYTES = 16 * 1024 * 1024  # per process: about 130 step pages of the benchmark's size
OFF = "lms.kept_pages.off"  # set on a connection whose writes move nothing (migrations)
_WRITTEN = "lms.kept_pages.written"  # on a connection: the scopes its open transaction wrote
_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE)\b|\s*WITH\b.*\b(INSERT|UPDATE|DELETE)\b",
                    re.IGNORECASE | re.DOTALL)  # a statement that may write
_BUMP = ("INSERT INTO page_generations (scope, value) VALUES {} "
         "ON CONFLICT (scope) DO UPDATE SET value = page_generations.value + 1")
_personal: ContextVar[int | None] = ContextVar("lms_personal_writes", default=None)


# --- what views say -------------------------------------------------------------------------

def keepable(view):
    """Mark a GET view whose page may be kept; it keeps one by calling `keep_until`."""
    view.keep_page = True
    return view


def keep_until(moment: datetime) -> None:
    """This page may be served again, unrendered, until `moment` unless something is written."""
    g.kept_until = moment.timestamp()


def fresh(value: str) -> str:
    """Note a value that must be new each time the page is served (a submission key)."""
    if has_request_context():
        g.setdefault("kept_fresh", []).append(value)
    return value


@contextmanager
def personal_to(user_id: int):
    """Writes in this block change only what `user_id`'s own pages show: they move that
    person's number, not the site's, so everyone else's kept pages stay."""
    token = _personal.set(user_id)
    try:
        yield
    finally:
        _personal.reset(token)


# --- the numbers ----------------------------------------------------------------------------

def watch(engine: sa.Engine) -> None:
    """Move the numbers with every transaction that writes through `engine`."""
    if not sa.event.contains(engine, "before_cursor_execute", _noted):
        sa.event.listen(engine, "before_cursor_execute", _noted)
        sa.event.listen(engine, "commit", _bump)
        sa.event.listen(engine, "rollback", _forget)


def _noted(conn, cursor, statement, parameters, context, executemany) -> None:
    if _WRITE.match(statement) and not conn.info.get(OFF):
        conn.info.setdefault(_WRITTEN, set()).add(_personal.get() or SITE)


def _bump(conn) -> None:
    """Before the commit, in its transaction: the data and its number become visible together."""
    scopes = conn.info.pop(_WRITTEN, None)
    if not scopes:
        return
    # Sorted, so two transactions lock the rows in the same order; ints, so no quoting.
    values = ", ".join(f"({int(scope)}, 1)" for scope in sorted(scopes))
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(_BUMP.format(values))
    finally:
        cursor.close()
    if has_request_context():
        g.kept_wrote = True


def _forget(conn) -> None:
    conn.info.pop(_WRITTEN, None)


# --- keeping and serving --------------------------------------------------------------------

@dataclass(frozen=True)
class _Page:
    texts: tuple[str, ...]  # the HTML around the fresh values
    slots: tuple[int, ...]  # which fresh value goes after each text but the last
    lengths: tuple[int, ...]  # each fresh value's length (hexadecimal digits)
    until: float
    size: int

    @classmethod
    def of(cls, html: str, fresh_values: list[str], until: float) -> _Page:
        values = list(dict.fromkeys(v for v in fresh_values if v in html))
        if not values:
            return cls((html,), (), (), until, len(html))
        found = re.split("(" + "|".join(map(re.escape, values)) + ")", html)
        return cls(tuple(found[0::2]), tuple(values.index(v) for v in found[1::2]),
                   tuple(len(v) for v in values), until, len(html))

    def html(self) -> str:
        """The page with new fresh values: each one on the rendered page is one new one here."""
        new = [secrets.token_hex((length + 1) // 2)[:length] for length in self.lengths]
        parts = [self.texts[0]]
        for slot, text in zip(self.slots, self.texts[1:]):
            parts += (new[slot], text)
        return "".join(parts)


def _store() -> Kept:
    return kept_by_app("lms.kept_pages", current_app.config.get("LMS_KEPT_PAGE_BYTES", MOST_BYTES),
                       weigh=lambda page: page.size)


def _serve_kept():
    """Before the view: the kept page for this sign-in, URL and numbers, if there is one."""
    if request.method != "GET" or "_flashes" in session or not current_app.config["LMS_KEEP_PAGES"]:
        return None
    view = current_app.view_functions.get(request.endpoint)
    if not getattr(view, "keep_page", False) or not current_user.is_authenticated:
        return None
    numbers = current_user.read_with
    if "site_generation" not in numbers:  # signed in by this request, not by the sign-in query
        return None
    g.kept_key = (current_user.session_token, session.get("csrf_token"), request.full_path,
                  numbers["site_generation"], numbers["own_generation"])
    page = _store().get(g.kept_key)
    if page is None or page.until <= time.time():
        return None
    return Response(page.html(), mimetype="text/html")


def _keep(response: Response) -> Response:
    """After a view that allowed it: keep what it rendered, unless something says not to."""
    key, until = g.pop("kept_key", None), g.pop("kept_until", None)
    if (key is None or until is None or g.pop("kept_wrote", False)
            or response.status_code != 200 or response.is_streamed or response.mimetype != "text/html"
            or "_flashes" in session or uncommitted_writes()
            or (current_user.session_token, session.get("csrf_token")) != key[:2]):
        return response
    _store().keep(key, _Page.of(response.get_data(as_text=True), g.pop("kept_fresh", []), until))
    return response


def uncommitted_writes() -> bool:
    """Whether the session's transaction has written: what it reads may yet be rolled back."""
    current = db.session()
    if current.new or current.dirty or current.deleted:
        return True
    return current.in_transaction() and bool(current.connection().info.get(_WRITTEN))


def init_app(app: Flask) -> None:
    from lms.accounts import service as accounts  # which itself declares its writes personal

    # The numbers come with the sign-in query, which every page makes first.
    accounts.read_with_user("site_generation", lambda user_id: sa.select(PageGeneration.value)
                            .where(PageGeneration.scope == SITE).scalar_subquery())
    accounts.read_with_user("own_generation", lambda user_id: sa.select(PageGeneration.value)
                            .where(PageGeneration.scope == user_id).scalar_subquery())
    with app.app_context():
        watch(db.engine)
    app.before_request(_serve_kept)
    app.after_request(_keep)
