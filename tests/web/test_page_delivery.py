"""Pages: kept by the person's own browser, revalidated by ETag, compressed cheaply (lms.responses)."""

from __future__ import annotations

import gzip
import re

from lms import responses
from tests.factories import make_comment, make_user
from tests.web.discussion_support import TALK, post

GZIP = {"Accept-Encoding": "gzip"}


def _keys(html: str) -> list[str]:
    return re.findall(r'name="submission" value="([^"]+)"', html)


def test_a_page_is_private_and_revalidated_each_time(client, enrolled):
    page = client.get(TALK)
    assert page.cache_control.private and page.cache_control.no_cache
    assert not page.cache_control.public and page.headers["ETag"].startswith('W/"')


def test_reloading_an_unchanged_step_page_is_a_304_with_no_body(client, enrolled):
    first = client.get(TALK)
    again = client.get(TALK, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]


def test_a_page_that_changed_in_any_way_has_another_etag(client, enrolled, course):
    etag = client.get(TALK).headers["ETag"]
    make_comment(make_user(display_name="Someone Else"), course.steps[2].id, "A new thought")
    changed = client.get(TALK, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "A new thought" in changed.text
    assert changed.headers["ETag"] != etag


def test_one_time_keys_are_new_on_every_rendering_and_left_out_of_the_etag(client, enrolled, course):
    make_comment(make_user(), course.steps[2].id, "Reply to me")
    first, second = client.get(TALK), client.get(TALK)
    one, two = _keys(first.text), _keys(second.text)
    assert len(one) == len(set(one)) >= 2  # the comment box and a reply form: distinct on the page
    assert not set(one) & set(two)  # and new on the next rendering
    assert first.headers["ETag"] == second.headers["ETag"]


def test_a_key_from_a_page_answered_304_still_posts(client, enrolled):
    first = client.get(TALK)
    assert client.get(TALK, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    response = post(client, "Sent from the kept copy", submission=_keys(first.text)[0])
    assert response.status_code == 302
    assert "Sent from the kept copy" in client.get(TALK).text


def test_a_page_with_a_flashed_message_is_not_taken_for_the_page_without_it(client, enrolled):
    etag = client.get(TALK).headers["ETag"]
    post(client, "Posting flashes a message")
    after = client.get(TALK, headers={"If-None-Match": etag})
    assert after.status_code == 200


def test_pages_are_compressed_cheaply_and_read_back_whole(client, enrolled):
    plain = client.get(TALK).data
    compressed = client.get(TALK, headers=GZIP)
    assert compressed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in compressed.vary
    assert len(compressed.data) < len(plain) / 3
    data = gzip.decompress(compressed.data)
    assert data.count(b"<form") == plain.count(b"<form") and responses.LEVEL == 1


def test_a_conditional_reload_of_a_compressed_page_is_a_304(client, enrolled):
    first = client.get(TALK, headers=GZIP)
    again = client.get(TALK, headers={**GZIP, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and "Content-Encoding" not in again.headers


def test_the_etag_leaves_out_only_the_csrf_token_and_the_nonce(app):
    with app.test_request_context():
        nonce = responses.page_nonce()
        body = f"<p>Hello</p><input value='{nonce}-1'>".encode()
        assert responses.page_etag(body) == responses.page_etag(b"<p>Hello</p><input value='-1'>")
        assert responses.page_etag(body) != responses.page_etag(b"<p>Hullo</p><input value='-1'>")
