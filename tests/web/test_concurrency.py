"""Many identical requests at once produce exactly the right rows (constraints, not luck)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from lms.extensions import db
from lms.learning.models import Enrolment, StepProgress

WELCOME = "/steps/first-steps/welcome"


def clients_signed_in_as(app, client, count: int):
    """`count` clients carrying the same signed-in cookies, like one learner's many tabs."""
    copies = []
    for _ in range(count):
        copy = app.test_client()
        for cookie in client._cookies.values():
            copy.set_cookie(cookie.key, cookie.value)
        copies.append(copy)
    return copies


def fire(clients, method: str, url: str, data: dict | None = None) -> list[int]:
    def send(c):
        return getattr(c, method)(url, data=data or {}).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(send, clients))


def test_fifty_simultaneous_mark_complete_make_one_completed_row(app, client, enrolled, course):
    statuses = fire(clients_signed_in_as(app, client, 50), "post", WELCOME + "/complete", {"complete": "1"})
    assert set(statuses) == {302}
    db.session.expire_all()
    rows = db.session.execute(sa.select(StepProgress.user_id, StepProgress.completed_at)).all()
    assert len(rows) == 1 and rows[0].user_id == enrolled.id and rows[0].completed_at is not None


def test_fifty_simultaneous_first_visits_make_one_row(app, client, enrolled):
    statuses = fire(clients_signed_in_as(app, client, 50), "get", WELCOME)
    assert set(statuses) == {200}
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StepProgress)) == 1


def test_fifty_simultaneous_joins_make_one_enrolment(app, client, course, learner, login):
    login(learner)
    statuses = fire(clients_signed_in_as(app, client, 50), "post", "/join")
    assert set(statuses) == {302}
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 1
