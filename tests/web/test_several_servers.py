"""Two app servers sharing one database and one Redis behave as one site (issue 9).

Two Flask app objects stand for two servers: each has its own process-level outline cache
(lms.content.cache) and its own request handling; they share only the database the suite
runs on (PostgreSQL in CI's second run) and Redis for rate limits. Skipped when Redis is
not answering on 127.0.0.1:6379.
"""

from __future__ import annotations

import socket
import uuid

import pytest

from lms.comments import snapshots
from lms.content import cache
from lms.learning import service as learning
from tests.factories import PASSWORD
from tests.web.discussion_support import TALK, text_of

REDIS = "redis://127.0.0.1:6379"
# One prefix for this test process: Flask-Limiter keeps the first non-empty prefix it is given.
PREFIX = f"lms-test-{uuid.uuid4().hex}"


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not _redis_answers(), reason="Redis is not answering on 127.0.0.1:6379")


def _forget_counts() -> None:
    import redis

    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter(f"*{PREFIX}*"):
        client.delete(key)


@pytest.fixture
def servers(make_app, course, learner):
    """Two servers with rate limits on, counted in Redis under this test process's prefix."""
    config = dict(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=REDIS, RATELIMIT_KEY_PREFIX=PREFIX)
    _forget_counts()
    first, second = make_app(**config), make_app(**config)
    with first.app_context():
        learning.join_course(learner.id, course.course.id)
    yield first, second, PREFIX
    _forget_counts()


def _signed_in(first, second, learner):
    """Sign in on the first server and carry the same cookie to the second."""
    one, two = first.test_client(), second.test_client()
    assert one.post("/login", data={"email": learner.email, "password": PASSWORD}).status_code == 302
    session = one.get_cookie("session")
    two.set_cookie("session", session.value, domain=session.domain or "localhost")
    return one, two


def test_a_sign_in_on_one_server_is_valid_on_the_other_and_a_comment_shows_on_both(servers, learner):
    first, second, _ = servers
    one, two = _signed_in(first, second, learner)
    before = two.get(TALK)
    assert before.status_code == 200 and "Lee Learner" in text_of(two.get("/account").text)
    assert "Comments (0)" in text_of(before.text)  # the second server now keeps its outline
    assert one.post(f"{TALK}/comments", data={"body": "Posted through the first server"}).status_code == 302
    after = text_of(two.get(TALK).text)
    assert "Posted through the first server" in after and "Comments (1)" in after
    todo = text_of(two.get("/todo").text)  # counts come from the second server's kept outline
    assert "1 comment" in todo
    with second.app_context():
        assert cache.cache_for_app().key is not None  # it did keep one, and moved with the change


def test_signing_out_on_one_server_signs_out_on_the_other(servers, learner):
    first, second, _ = servers
    one, two = _signed_in(first, second, learner)
    assert two.get("/account").status_code == 200
    assert one.post("/logout").status_code == 302
    assert two.get("/account").status_code == 302  # the sign-in ended for every server


def test_the_posting_limit_counts_across_both_servers(servers, learner):
    first, second, prefix = servers
    one, two = _signed_in(first, second, learner)
    for n in range(6):  # the limit is 6 a minute per person, whichever server takes the post
        client = one if n % 2 else two
        assert client.post(f"{TALK}/comments", data={"body": f"Comment number {n}"}).status_code == 302, n
    refused = one.post(f"{TALK}/comments", data={"body": "One too many"})
    assert refused.status_code == 429
    assert two.post(f"{TALK}/comments", data={"body": "And here"}).status_code == 429
    import redis

    # The count lives in Redis, where any number of server processes read it: six posts, from both.
    client = redis.Redis.from_url(REDIS)
    keys = list(client.scan_iter(f"*{prefix}/user:{learner.id}/comment-posting/6/1/minute*"))
    assert keys and int(client.get(keys[0])) == 6


def test_a_thread_kept_by_one_server_is_not_served_after_a_post_through_the_other(servers, learner):
    """Each server keeps pages of a thread in its own memory, under the step's thread version
    both read from the shared database: a write through one is seen by the other at once."""
    first, second, _ = servers
    one, two = _signed_in(first, second, learner)
    two.get(TALK)
    with second.app_context():
        assert len(snapshots.kept()) == 1
    assert one.post(f"{TALK}/comments", data={"body": "Posted through the first server"}).status_code == 302
    assert "Posted through the first server" in text_of(two.get(TALK).text)
