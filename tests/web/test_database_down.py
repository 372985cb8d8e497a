"""When the database cannot be reached, every page is a clean 503 page: no traceback, no
bare server error, whether or not the visitor is signed in."""

from __future__ import annotations

import socket

import pytest
import sqlalchemy as sa
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
