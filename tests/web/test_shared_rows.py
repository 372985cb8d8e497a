"""No write updates a row that other writers share.

A row every writer updates (a site-wide counter, a generation number) makes every writer in
every server queue on its lock, whatever the hardware. So each kind of write a learner
makes is done twice, by two learners, and the rows each one updated (rows that existed
before and changed) must not overlap. Personal writes are made on the same step by both,
which is the stronger test; writes that rightly move something of the step or comment they
touch (a comment count, a thread's version) are made on different ones. Every statement a
write sent is listed when it fails.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.comments.models import Comment
from lms.db import Base
from lms.extensions import db
from lms.learning import service as learning
from tests.factories import PASSWORD, make_comment, make_user

WELCOME, TALK = "/steps/first-steps/welcome", "/steps/first-steps/talk-about-it"
LOOK_BACK = "/steps/next-steps/look-back"
QUIZ, SURVEY = "/steps/check-your-learning/quick-quiz", "/steps/check-your-learning/how-you-lead"


def _rows() -> dict[tuple, tuple]:
    """Every row of every table, by table and primary key."""
    found = {}
    with db.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            key = [column.name for column in table.primary_key.columns]
            for row in connection.execute(table.select()).mappings():
                found[(table.name, *(row[k] for k in key))] = tuple(row.values())
    return found


def _updated_by(action) -> set[tuple]:
    """The rows that existed before `action` and differ after it."""
    before = _rows()
    action()
    after = _rows()
    assert after != before, "the write wrote nothing"
    return {key for key, values in before.items() if key in after and after[key] != values}


@pytest.fixture
def people(app, assessed_course):
    """Two signed-in learners, and Cal and Dan, whose comments sit on two different steps."""
    cal, dan = make_user(display_name="Cal"), make_user(display_name="Dan")
    targets = {}
    for person, url in ((cal, WELCOME), (dan, TALK)):
        step_id = next(s.id for s in assessed_course.steps if url.endswith(f"/{s.slug}"))
        targets[person.display_name] = (person, url, make_comment(person, step_id, f"{person.display_name} says hello"))
    clients = []
    for name in ("Ann", "Bea"):
        user = make_user(display_name=name)
        learning.join_course(user.id, assessed_course.course.id)
        client = app.test_client()
        assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
        clients.append((user, client))
    return clients, targets, assessed_course


def _sheet(outline, url: str, fields: dict) -> dict:
    return {"step": str(next(s.id for s in outline.steps if url.endswith(f"/{s.slug}"))), **fields}


# kind of write: (what learner n does, given the targets: Ann acts on Cal's, Bea on Dan's)
WRITES = {
    "sign in": lambda user, client, target, outline: client.application.test_client().post(
        "/login", data={"email": user.email, "password": PASSWORD}
    ),
    "open a step": lambda user, client, target, outline: client.get(LOOK_BACK),
    "mark a step complete": lambda user, client, target, outline: client.post(f"{WELCOME}/complete"),
    "post a comment": lambda user, client, target, outline: client.post(
        f"{target[1]}/comments", data={"body": f"A comment from {user.display_name}"}
    ),
    "reply": lambda user, client, target, outline: client.post(
        f"/comments/{target[2].id}/reply", data={"body": f"A reply from {user.display_name}"}
    ),
    "like": lambda user, client, target, outline: client.post(f"/comments/{target[2].id}/like"),
    "bookmark": lambda user, client, target, outline: client.post(f"/comments/{target[2].id}/bookmark"),
    "report": lambda user, client, target, outline: client.post(
        f"/comments/{target[2].id}/report", data={"reason": "spam"}
    ),
    "follow": lambda user, client, target, outline: client.post(f"/people/{target[0].id}/follow"),
    "save a reflection": lambda user, client, target, outline: client.post(
        f"{LOOK_BACK}/reflection", data={"body": f"What {user.display_name} learned"}
    ),
    "answer a quiz": lambda user, client, target, outline: client.post(
        f"{QUIZ}/answers", data=_sheet(outline, QUIZ, {"question-colour": ["1"], "question-values": ["1", "2"]})
    ),
    "take a self-assessment": lambda user, client, target, outline: client.post(
        f"{SURVEY}/answers",
        data=_sheet(outline, SURVEY, {"statement-listen": "4", "statement-interrupt": "2", "statement-obstacles": "5"}),
    ),
}


@pytest.mark.parametrize("kind", WRITES)
def test_two_learners_writing_update_no_row_in_common(people, count_queries, kind):
    clients, targets, outline = people
    updated, sent = [], []
    for (user, client), target in zip(clients, (targets["Cal"], targets["Dan"])):

        def write(user=user, client=client, target=target):
            response = WRITES[kind](user, client, target, outline)
            assert response.status_code in (200, 302, 303), (kind, response.status_code)

        with count_queries() as statements:
            updated.append(_updated_by(write))
        sent.append([s for s in statements if not s.lstrip().upper().startswith(("SELECT", "WITH"))])
    shared = updated[0] & updated[1]
    assert not shared, f"{kind}: both writers updated {sorted(shared)}; statements: {sent}"


def test_the_check_catches_a_row_every_writer_shares(people, count_queries):
    """The same check fails for a write that bumps one shared row, as a site-wide generation did."""
    _, targets, _ = people

    def bump():
        db.session.execute(
            sa.update(Comment).where(Comment.id == targets["Cal"][2].id).values(like_count=Comment.like_count + 1)
        )
        db.session.commit()

    assert ("comments", targets["Cal"][2].id) in _updated_by(bump) & _updated_by(bump)
