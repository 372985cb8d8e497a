"""Mail through the outbox to a real SMTP server (aiosmtpd): written with the action, sent by
the delivery loop, retried when the server is down, never sent twice, never injectable."""

from __future__ import annotations

import threading
from datetime import timedelta

import sqlalchemy as sa

from lms.db import utcnow
from lms.extensions import db
from lms.mail import service as mail
from lms.mail.models import OutboxMessage, OutboxStatus
from tests import factories
from tests.mail_server import html_of, text_of


def queue_test_message(user, **extra):
    return mail.queue(
        to=user.email, name=user.display_name, user_id=user.id, template="test_message", subject="Hello", **extra
    )


def test_a_committed_message_arrives_with_text_and_accessible_html(app, learner, mailbox):
    queue_test_message(learner)
    db.session.commit()
    [message] = mailbox.deliver()
    assert mailbox.server.handler.envelopes == [[learner.email]]
    assert message["Subject"] == "Hello"
    assert message["From"].addresses[0].display_name == app.config["LMS_ORGANISATION_NAME"]
    assert message["Auto-Submitted"] == "auto-generated"
    assert "Dear Lee Learner," in text_of(message) and "mail from the platform reaches you" in text_of(message)
    html = html_of(message)
    assert '<html lang="en-GB">' in html and "<title>Hello</title>" in html and "<h1" in html
    assert "http://localhost/notifications/email" in text_of(message)  # email choices, on LMS_BASE_URL
    assert "<img" not in html  # no tracking pixels
    row = db.session.scalar(sa.select(OutboxMessage))
    assert row.status == OutboxStatus.SENT and row.attempts == 1 and row.sent_at is not None


def test_a_rolled_back_action_sends_nothing(app, learner, mailbox):
    queue_test_message(learner)
    db.session.rollback()
    assert mailbox.deliver() == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_a_message_held_back_waits_until_its_time(app, learner, mailbox):
    row = queue_test_message(learner, not_before=utcnow() + timedelta(hours=3))
    db.session.commit()
    assert mailbox.deliver() == []
    row.next_attempt_at = utcnow()
    db.session.commit()
    assert len(mailbox.deliver()) == 1


def test_notification_mail_carries_one_click_unsubscribe_headers(app, learner, mailbox):
    queue_test_message(learner, unsubscribe="http://localhost/unsubscribe/abc")
    db.session.commit()
    [message] = mailbox.deliver()
    assert message["List-Unsubscribe"] == "<http://localhost/unsubscribe/abc>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "http://localhost/unsubscribe/abc" in text_of(message)


def test_a_server_that_is_down_loses_nothing_and_is_retried(app, learner, mailbox, smtp_server):
    queue_test_message(learner)
    db.session.commit()
    smtp_server.stop()
    assert mail.deliver_due() == 0
    row = db.session.scalar(sa.select(OutboxMessage))
    db.session.refresh(row)
    assert row.status == OutboxStatus.PENDING and row.attempts == 1 and row.last_error
    assert row.next_attempt_at > utcnow()  # backs off: not tried again at once
    assert mail.deliver_due() == 0
    smtp_server.start()
    row.next_attempt_at = utcnow()  # the back-off has passed
    db.session.commit()
    [message] = mailbox.deliver()
    assert message["To"].addresses[0].addr_spec == learner.email
    db.session.refresh(row)
    assert row.status == OutboxStatus.SENT and row.attempts == 2


def test_after_the_last_retry_a_message_fails_and_an_admin_can_send_it_again(
    app, client, admin, learner, login, mailbox, smtp_server
):
    queue_test_message(learner)
    db.session.commit()
    smtp_server.handler.refuse_with = "451 4.3.0 try again later"
    for _ in range(len(mail.RETRY_DELAYS) + 1):
        db.session.execute(sa.update(OutboxMessage).values(next_attempt_at=utcnow()))
        db.session.commit()
        mail.deliver_due()
    row = db.session.scalar(sa.select(OutboxMessage))
    db.session.refresh(row)
    assert row.status == OutboxStatus.FAILED and "451" in row.last_error
    smtp_server.handler.refuse_with = None

    login(admin)
    page = client.get("/admin/mail")
    assert "Failed messages" in page.text and learner.email in page.text and "451" in page.text
    response = client.post("/admin/mail/retry", data={"message": [str(row.id)]}, follow_redirects=True)
    assert "1 message will be sent again." in response.text
    [message] = mailbox.deliver()
    assert message["Subject"] == "Hello"


def test_a_permanent_refusal_fails_at_once(app, learner, mailbox, smtp_server):
    queue_test_message(learner)
    db.session.commit()
    smtp_server.handler.refuse_with = "554 5.7.1 rejected"
    mail.deliver_due()
    row = db.session.scalar(sa.select(OutboxMessage))
    db.session.refresh(row)
    assert row.status == OutboxStatus.FAILED and row.attempts == 1


def test_two_delivery_processes_never_send_a_message_twice(app, mailbox, smtp_server):
    people = [factories.make_user() for _ in range(30)]
    for person in people:
        queue_test_message(person)
    db.session.commit()

    def deliverer():
        with app.app_context():
            while mail.deliver_due(limit=3):
                pass
            db.session.remove()

    workers = [threading.Thread(target=deliverer) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    received = [m["To"].addresses[0].addr_spec for m in smtp_server.messages]
    assert sorted(received) == sorted(p.email for p in people)


def test_a_name_cannot_inject_headers(app, mailbox, smtp_server):
    victim = "victim@example.org"
    person = factories.make_user(email="evil@example.org")
    mail.queue(
        to=person.email,
        name=f"Evil\r\nBcc: {victim}",
        template="test_message",
        subject=f"Hi\r\nBcc: {victim}",
        reply_to=("evil@example.org", f"Me\nBcc: {victim}"),
    )
    db.session.commit()
    [message] = mailbox.deliver()
    assert smtp_server.handler.envelopes == [["evil@example.org"]]
    assert message["Bcc"] is None
    assert "\n" not in message["Subject"] and "\n" not in str(message["To"])


def test_an_admin_can_send_a_test_message_and_others_cannot(app, client, admin, learner, facilitator, login, mailbox):
    login(learner)
    assert client.post("/admin/mail/test").status_code == 403
    assert client.get("/admin/mail").status_code == 403
    client.post("/logout")
    login(admin)
    response = client.post("/admin/mail/test", follow_redirects=True)
    assert f"A test message is on its way to {admin.email}" in response.text
    [message] = mailbox.deliver()
    assert message["To"].addresses[0].addr_spec == admin.email
    from lms.audit.models import AuditEntry

    assert db.session.scalar(sa.select(AuditEntry.action)) == "mail.test"


def test_signed_out_visitors_are_sent_to_sign_in(client, app):
    assert client.get("/admin/mail").status_code == 302
    assert client.post("/admin/mail/retry").status_code == 302


def test_without_a_mail_server_messages_are_written_as_files(make_app, tmp_path, database_url):
    app = make_app(LMS_MAIL_URL="", LMS_MAIL_DIR=str(tmp_path / "mail"))
    with app.app_context(), app.test_request_context():
        person = factories.make_user()
        queue_test_message(person)
        db.session.commit()
        assert mail.deliver_due() == 1
        [written] = list((tmp_path / "mail").glob("*.eml"))
        assert f"To: {person.display_name} <{person.email}>" in written.read_text()


def test_the_command_sends_what_is_waiting(app, runner, learner, mailbox, smtp_server):
    queue_test_message(learner)
    db.session.commit()
    result = runner.invoke(args=["mail", "deliver", "--once"])
    assert result.exit_code == 0 and "Sent 1 message(s)." in result.output
    assert len(smtp_server.messages) == 1


def test_hourly_jobs_run_and_one_failing_does_not_stop_the_others(app):
    ran = []
    mail.every_hour("test-boom", lambda now: 1 / 0)
    mail.every_hour("test-ok", lambda now: ran.append(now))
    try:
        mail.run_hourly_jobs(utcnow())
    finally:
        mail._HOURLY.pop("test-boom")
        mail._HOURLY.pop("test-ok")
    assert len(ran) == 1


def test_a_claim_left_by_a_dead_process_is_taken_again(app, learner, mailbox):
    row = queue_test_message(learner)
    row.status, row.claim, row.claimed_at = OutboxStatus.SENDING, "dead", utcnow() - timedelta(hours=1)
    db.session.commit()
    assert len(mailbox.deliver()) == 1
