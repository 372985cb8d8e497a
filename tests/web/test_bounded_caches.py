"""What each process keeps between requests is bounded in bytes, and keyed only by what
changes the output: never by a raw query string, which a visitor can make new on every
request (issue 24: 1,500 long distinct query strings took workers from 90 to 185 MB).
Worker memory itself is measured by the load test (loadtest/run.py), not here."""

from __future__ import annotations

import re
import secrets
from html import unescape

from lms.kept import Kept
from tests.factories import make_comment, make_user
from tests.web.discussion_support import TALK, step_id


def junk(n: int = 2000) -> str:
    return f"utm_source={secrets.token_hex(n // 2)}"


def next_fields(page: str) -> set[str]:
    return {unescape(v) for v in re.findall(r'name="next" value="([^"]*)"', page)}


def stores(app) -> dict[str, Kept]:
    return {name: kept for name, kept in app.extensions.items() if isinstance(kept, Kept)}


def test_the_page_to_come_back_to_leaves_out_query_arguments_that_change_nothing(app, client, enrolled, course):
    make_comment(make_user(email="ann@example.org", display_name="Ann"), step_id(), "Who listens to you?")
    page = client.get(f"{TALK}?sort=oldest&{junk()}").text
    assert next_fields(page) == {f"{TALK}?sort=oldest"}


def test_distinct_long_query_strings_add_nothing_to_what_is_kept(app, client, enrolled, course):
    author = make_user(email="ann@example.org", display_name="Ann")
    for n in range(3):
        make_comment(author, step_id(), f"Comment {n}")
    client.get(f"{TALK}?{junk()}")
    client.get(f"/static/css/app.css?{junk()}", headers={"Accept-Encoding": "gzip"})
    before = {name: (len(kept), kept.weight) for name, kept in stores(app).items()}
    for _ in range(20):
        assert client.get(f"{TALK}?{junk()}").status_code == 200
        client.get(f"/static/css/app.css?{junk()}", headers={"Accept-Encoding": "gzip"})
    assert {name: (len(kept), kept.weight) for name, kept in stores(app).items()} == before


def test_spellings_of_one_static_file_share_one_compressed_copy(app, client):
    for path in ("/static/css/app.css", "/static/css/./app.css", "/static/css/../css/app.css", "/static/./css/app.css"):
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
    assert len(stores(app)["lms.assets.compressed"]) == 1


def test_every_store_stays_within_its_bytes_however_many_pages_are_asked_for(app, client, enrolled, course):
    author = make_user(email="ann@example.org", display_name="Ann")
    for n in range(25):
        make_comment(author, step_id(), f"Comment {n} " + "words " * 200)
    for store in stores(app).values():
        store.most = 20_000  # small, so that the pages below overflow every store they use
    for n in range(15):
        client.get(f"{TALK}?sort={'oldest' if n % 2 else 'newest'}&{junk()}")
        client.get(f"/comments/{n + 1}?{junk()}")
    used = stores(app)
    assert {"lms.comments.parts", "lms.comments.views", "lms.comments.snapshots"} <= set(used)
    for name, store in used.items():
        assert 0 < store.weight <= store.most, name
