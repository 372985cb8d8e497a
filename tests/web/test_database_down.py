"""When the database cannot be reached, every page is a clean 503 page: no traceback, no
bare server error, whether or not the visitor is signed in."""

from __future__ import annotations

import socket

import pytest
import sqlalchemy as sa
import werkzeug.test
from sqlalchemy.exc import OperationalError

from lms.extensions import db
from tests.web.test_concurrency import clients_signed_in_as


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database_down(app, make_app):
    """An app like the test one, but whose database is a closed port (`app` is built first,
    so the clean-up after the test runs on the real database)."""
    url = f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/nowhere"
    return make_app(SQLALCHEMY_DATABASE_URI=url, PROPAGATE_EXCEPTIONS=False)


def assert_clean_503(response) -> None:
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.text
    assert "Try again in a minute" in response.text
    assert response.headers["Retry-After"] == "30"
    for leak in ("Traceback", "OperationalError", "psycopg", "127.0.0.1"):
        assert leak not in response.text


@pytest.mark.parametrize("url", ["/", "/certificates/7K3M-QX9P-H2TD-W8RF"])
def test_pages_for_visitors_show_a_clean_503(database_down, url):
    assert_clean_503(database_down.test_client().get(url))


def test_a_signed_in_learner_gets_the_503_page_not_a_server_error(app, client, enrolled, database_down):
    # The learner's cookie is valid; only the database behind it has gone.
    (tab,) = clients_signed_in_as(database_down, client, 1)
    for response in (
        tab.get("/todo"),
        tab.get("/steps/first-steps/welcome"),
        tab.post("/steps/first-steps/welcome/complete", data={"complete": "1"}),
        tab.post("/steps/first-steps/talk-about-it/comments", data={"body": "Still here?"}),
    ):
        assert_clean_503(response)
        assert "Sign in" in response.text  # shown as signed out: the header cannot ask who they are


def test_the_same_learner_is_served_again_when_the_database_is_back(client, enrolled, database_down):
    assert_clean_503(clients_signed_in_as(database_down, client, 1)[0].get("/todo"))
    assert client.get("/todo").status_code == 200


@pytest.fixture
def database_goes_away_after_sign_in(app):
    """Arm it, and the database answers the next request's sign-in check (the user is loaded)
    and then fails every statement and ROLLBACK after it, as when PostgreSQL restarts."""
    state = {"armed": False, "away": False}

    def statement(conn, cursor, sql, *args):
        if state["away"]:
            raise OperationalError(sql, {}, Exception("terminating connection due to administrator command"))
        if state["armed"] and "user_sessions" in sql:
            state["away"] = True

    def rollback(conn):
        if state["away"]:
            raise OperationalError("ROLLBACK", {}, Exception("terminating connection due to administrator command"))

    sa.event.listen(db.engine, "before_cursor_execute", statement)
    sa.event.listen(db.engine, "rollback", rollback)
    yield lambda: state.update(armed=True)
    state.update(armed=False, away=False)
    sa.event.remove(db.engine, "before_cursor_execute", statement)
    sa.event.remove(db.engine, "rollback", rollback)


@pytest.mark.parametrize("url", ["/todo", "/steps/first-steps/welcome"])
def test_the_database_going_away_mid_request_gives_the_503_page(
    client, enrolled, database_goes_away_after_sign_in, url
):
    """The user is loaded, then the database goes: the page cannot reload the user, and the
    ROLLBACK at the end of the request fails too. Still the clean 503 page, never a bare 500."""
    database_goes_away_after_sign_in()
    assert_clean_503(client.get(url))


def test_a_connection_lost_after_the_page_was_made_is_discarded_quietly(app, client, enrolled):
    """PostgreSQL restarts between the last query and the ROLLBACK that hands the connection
    back: the page was made and is sent; the dead connection is dropped, not a 500."""
    from concurrent.futures import ThreadPoolExecutor

    state = {"away": False}

    def rollback(conn):
        if state["away"]:
            raise OperationalError("ROLLBACK", {}, Exception("terminating connection due to administrator command"))

    (tab,) = clients_signed_in_as(app, client, 1)
    sa.event.listen(db.engine, "rollback", rollback)
    try:
        state["away"] = True
        with ThreadPoolExecutor(1) as pool:  # a thread of its own: its request has its own app context
            response = pool.submit(tab.get, "/todo").result()
            assert response.status_code == 200 and "Welcome" in response.text
            state["away"] = False
            assert pool.submit(tab.get, "/todo").result().status_code == 200
    finally:
        sa.event.remove(db.engine, "rollback", rollback)


# -- Error pages never need the database (issue 24) ------------------------------------------


def add_failing_routes(app) -> None:
    """Routes that fail the ways a page can: a bug (500) and a refusal by rate (429)."""
    from flask import abort

    def broken():
        raise RuntimeError("a bug in a view")

    app.add_url_rule("/test-only/broken", "test_broken", broken)
    app.add_url_rule("/test-only/too-many", "test_too_many", lambda: abort(429))


ERROR_PAGES = [
    ("/no-such-page", 404, "Page not found"),
    ("/test-only/broken", 500, "Sorry, there is a problem with the service"),
    ("/test-only/too-many", 429, "Too many attempts"),
]


@pytest.mark.parametrize("url, status, heading", ERROR_PAGES)
def test_error_pages_render_for_a_signed_in_learner_while_the_database_is_down(
    client, enrolled, database_down, url, status, heading
):
    """The page must not ask the database who is signed in: that question fails too, and out
    of an error handler it became gunicorn's bare "Internal Server Error" page."""
    add_failing_routes(database_down)
    (tab,) = clients_signed_in_as(database_down, client, 1)
    response = tab.get(url)
    assert response.status_code == status
    assert heading in response.text and "nhsuk-header" in response.text
    assert "Traceback" not in response.text and "psycopg" not in response.text


@pytest.mark.parametrize("url, status, heading", ERROR_PAGES)
def test_error_pages_make_no_database_queries(make_app, client, enrolled, url, status, heading):
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    add_failing_routes(app)
    (tab,) = clients_signed_in_as(app, client, 1)
    statements = []
    with app.app_context():
        engine = db.engine  # this app's own
    sa.event.listen(engine, "before_cursor_execute", lambda conn, cursor, sql, *args: statements.append(sql))
    response = tab.get(url)
    assert response.status_code == status and heading in response.text
    assert statements == []


def test_a_page_that_fails_after_loading_the_learner_still_shows_them_signed_in(app, client, enrolled, make_app):
    """The learner was read before the failure: the error page names them, from memory."""
    from flask_login import current_user

    failing = make_app(PROPAGATE_EXCEPTIONS=False)

    def broken_after_sign_in_check():
        assert current_user.is_authenticated
        raise RuntimeError("a bug after the sign-in check")

    failing.add_url_rule("/test-only/broken-later", "test_broken_later", broken_after_sign_in_check)
    (tab,) = clients_signed_in_as(failing, client, 1)
    response = tab.get("/test-only/broken-later")
    assert response.status_code == 500 and enrolled.display_name in response.text


def test_a_failure_after_the_page_is_answered_with_a_plain_page_not_the_servers(make_app, course):
    """Past every error handler (a teardown that fails, as a ROLLBACK on a dead connection
    did): the app still answers with its own plain page."""
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.teardown_request
    def fails(error):
        raise RuntimeError("a teardown that fails")

    # Through the WSGI call itself, as gunicorn makes it (Flask's test client would end the
    # request after the call instead, outside the app). Nothing is sent before the body, so
    # a later start_response replaces an earlier one (PEP 3333), as in gunicorn.
    statuses = []
    body = b"".join(
        app.wsgi_app(werkzeug.test.EnvironBuilder(path="/").get_environ(), lambda status, *_: statuses.append(status))
    ).decode()
    assert statuses[-1].startswith("500")
    assert "Sorry, there is a problem with the service" in body and "Traceback" not in body
