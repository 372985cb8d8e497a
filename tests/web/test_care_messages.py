"""A facilitator's care queue offers "Send a message": a short note by email to a learner who
has gone quiet, from a draft they can change, with replies going to the facilitator's own
address, recorded in the audit log, refused to anyone who does not look after the learner."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lms.audit.models import AuditEntry
from lms.cohorts import service as cohorts
from lms.cohorts.models import CohortRole
from lms.db import utcnow
from lms.errors import NotAllowed
from lms.extensions import db
from lms.facilitation import notes
from lms.learning import service as learning
from lms.learning.models import StepProgress
from lms.mail.models import OutboxMessage
from tests.factories import PASSWORD, make_user
from tests.mail_server import html_of, text_of
from tests.web.discussion_support import text_of as page_text


@pytest.fixture
def ward(app, course, facilitator):
    cohort = cohorts.create_cohort(course.course.id, "Ward leaders", date(2027, 1, 1), None)
    cohorts.add_member(cohort, facilitator.email, CohortRole.FACILITATOR)
    quinn = make_user(email="quinn@example.org", display_name="Quinn Quiet")
    cohorts.add_member(cohort, quinn.email, CohortRole.LEARNER)
    learning.record_visit(quinn.id, course.steps[0].id)
    db.session.execute(
        sa.update(StepProgress)
        .where(StepProgress.user_id == quinn.id)
        .values(last_visited_at=utcnow() - timedelta(days=20))
    )
    db.session.commit()
    return cohort, quinn


def url(cohort, person) -> str:
    return f"/facilitate/cohorts/{cohort.id}/learners/{person.id}/message"


def outbox_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))


def test_a_facilitator_sends_a_quiet_learner_a_note_they_can_answer_by_email(
    client, login, facilitator, admin, ward, mailbox
):
    cohort, quinn = ward
    login(facilitator)
    care = client.get(f"/facilitate/cohorts/{cohort.id}/care").text
    assert f'href="{url(cohort, quinn)}"' in care and "Send a message" in page_text(care)
    page = client.get(url(cohort, quinn))
    text = page_text(page.text)
    assert page.status_code == 200 and "Send a message to Quinn Quiet" in text
    assert "Hello Quinn," in page.text and "How are you getting on with the course?" in page.text
    assert "facilitator@example.org" in text  # where replies will go
    response = client.post(
        url(cohort, quinn),
        data={"subject": "Checking in", "body": "Hello Quinn,\n\nHow are you? Shifts can be hard.\n\nFay"},
    )
    assert response.location == f"/facilitate/cohorts/{cohort.id}/care"
    assert "Your message to Quinn Quiet is on its way." in client.get(response.location).text
    [message] = mailbox.to("quinn@example.org")
    assert message["Subject"] == "Checking in"
    assert message["Reply-To"].addresses[0].addr_spec == "facilitator@example.org"
    assert message["Reply-To"].addresses[0].display_name == "Fay Facilitator"
    assert "How are you? Shifts can be hard." in text_of(message) and "Dear" not in text_of(message)
    assert "Fay Facilitator is a facilitator of your group, Ward leaders" in text_of(message)
    assert "<p" in html_of(message) and "Shifts can be hard." in html_of(message)
    assert message["List-Unsubscribe"] is None  # a person's note, not notification mail
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "learner.message"))
    assert entry.actor_id == facilitator.id and entry.target_id == quinn.id
    assert entry.details == {"cohort_id": cohort.id, "subject": "Checking in"}
    client.post("/logout")
    login(admin)
    assert "learner.message" in client.get("/admin/audit").text


def test_one_note_a_day_to_a_learner(client, login, facilitator, admin, ward, mailbox):
    cohort, quinn = ward
    login(facilitator)
    client.post(url(cohort, quinn), data={"subject": "Hello", "body": "How are you?"})
    again = client.post(url(cohort, quinn), data={"subject": "Hello again", "body": "Still there?"})
    assert again.status_code == 400
    assert "Quinn Quiet was sent a message less than a day ago" in page_text(again.text)
    assert "Still there?" in again.text  # what they wrote is kept
    assert "was last sent a message on" in page_text(client.get(url(cohort, quinn)).text)
    later = utcnow() + timedelta(days=1)
    notes.send_note(admin, cohort, quinn.id, "A day later", "Hello", now=later)  # an admin may too
    assert [m["Subject"] for m in mailbox.to("quinn@example.org")] == ["Hello", "A day later"]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"subject": "", "body": "Hi"}, "Enter a subject"),
        ({"subject": "Hi", "body": "   "}, "Enter your message"),
        ({"subject": "x" * 121, "body": "Hi"}, "The subject must be 120 characters or fewer"),
        ({"subject": "Hi", "body": "x" * 2001}, "Your message must be 2,000 characters or fewer"),
    ],
)
def test_an_empty_or_overlong_note_is_refused_beside_the_field(client, login, facilitator, ward, data, message):
    cohort, quinn = ward
    login(facilitator)
    response = client.post(url(cohort, quinn), data=data)
    assert response.status_code == 400 and "There is a problem" in response.text and message in response.text
    assert outbox_count() == 0


def test_only_the_learners_cohort_facilitators_and_admins_may_send(app, client, login, course, facilitator, ward):
    cohort, quinn = ward
    note = {"subject": "Hi", "body": "Hi"}
    assert client.post(url(cohort, quinn), data=note).location.startswith("/login")
    other_learner = make_user(email="olly@example.org")
    cohorts.add_member(cohort, other_learner.email, CohortRole.LEARNER)
    db.session.commit()
    login(other_learner)
    assert client.get(url(cohort, quinn)).status_code == 403
    assert client.post(url(cohort, quinn), data=note).status_code == 403
    client.post("/logout")
    otto = make_user(email="otto@example.org", role="facilitator")  # facilitates another cohort
    theirs = cohorts.create_cohort(course.course.id, "Theirs", date(2027, 1, 1), None)
    cohorts.add_member(theirs, otto.email, CohortRole.FACILITATOR)
    db.session.commit()
    login(otto)
    assert client.post(url(cohort, quinn), data=note).status_code == 403
    assert client.post(url(theirs, quinn), data=note).status_code == 404  # Quinn is not in Otto's cohort
    client.post("/logout")
    login(facilitator)
    outsider = make_user(email="out@example.org")
    assert client.get(url(cohort, outsider)).status_code == 404
    assert client.post(url(cohort, facilitator), data=note).status_code == 404  # staff, not a learner
    assert outbox_count() == 0
    with pytest.raises(NotAllowed, match="You do not facilitate this cohort"):
        notes.send_note(otto, cohort, quinn.id, "Hi", "Hi")


def test_a_closed_account_is_not_sent_a_note(client, login, facilitator, ward):
    cohort, quinn = ward
    quinn.active = False
    db.session.commit()
    login(facilitator)
    response = client.post(url(cohort, quinn), data={"subject": "Hi", "body": "Hi"})
    assert response.status_code == 400 and "account is closed" in response.text
    assert outbox_count() == 0


def test_a_subject_cannot_add_headers(client, login, facilitator, ward, mailbox):
    cohort, quinn = ward
    login(facilitator)
    client.post(url(cohort, quinn), data={"subject": "Hello\r\nBcc: evil@example.org", "body": "Hi"})
    [message] = mailbox.deliver()
    assert message["Bcc"] is None and message["Subject"] == "Hello Bcc: evil@example.org"
    assert mailbox.server.handler.envelopes == [["quinn@example.org"]]


def test_notes_are_rate_limited_per_facilitator(make_app, course, facilitator):
    app = make_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        cohort = cohorts.create_cohort(course.course.id, "Busy ward", date(2027, 1, 1), None)
        cohorts.add_member(cohort, facilitator.email, CohortRole.FACILITATOR)
        people = [make_user(email=f"l{n}@example.org") for n in range(11)]
        for person in people:
            cohorts.add_member(cohort, person.email, CohortRole.LEARNER)
        db.session.commit()
        client = app.test_client()
        client.post("/login", data={"email": facilitator.email, "password": PASSWORD})
        for person in people[:10]:
            assert client.post(url(cohort, person), data={"subject": "Hi", "body": "Hi"}).status_code == 302
        assert client.post(url(cohort, people[10]), data={"subject": "Hi", "body": "Hi"}).status_code == 429
        assert outbox_count() == 10
