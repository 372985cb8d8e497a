"""Without LMS_XAPI_ENDPOINT, xAPI is off: no action queues a statement and nothing is sent."""

from __future__ import annotations

import sqlalchemy as sa

from lms.extensions import db
from lms.mail import outbox
from lms.mail import service as mail
from lms.mail.models import OutboxMessage, OutboxStatus
from lms.xapi import service as xapi
from tests.web.discussion_support import post

WELCOME = "/steps/first-steps/welcome"


def kinds() -> list[str]:
    return list(db.session.scalars(sa.select(OutboxMessage.kind)))


def test_no_action_queues_a_statement_when_xapi_is_off(app, client, enrolled, mailbox):
    assert not app.config["LMS_XAPI_ENDPOINT"] and not xapi.is_on()
    client.get(WELCOME)
    assert client.post(f"{WELCOME}/complete").status_code == 302
    assert post(client, "Nothing leaves").status_code == 302
    assert "xapi" not in kinds()
    assert "Your learning records" not in client.get("/account").text  # no choice to make
    assert "learning record system" not in client.get("/privacy").text


def test_statements_left_from_when_it_was_on_wait_unsent_while_it_is_off(app, learner, mailbox):
    outbox.add("xapi", recipient="learning record store", subject="experienced", payload={}, user_id=learner.id)
    db.session.commit()
    assert mail.deliver_due() == 0
    row = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "xapi"))
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.PENDING, 0, None)
    assert mail.summaries()["xapi"].waiting == 1
