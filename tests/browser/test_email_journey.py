"""Email in a real browser: a learner who works nights chooses likes "at once" and quiet hours
covering now, on the email choices page (plain HTML radios and selects, no JavaScript needed);
a like is then held, arrives by SMTP when the quiet hours end, its link opens the comment,
and its one-click unsubscribe link stops likes. A facilitator sends a quiet learner a note
from the care queue. axe-core checks each page on the way."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from playwright.sync_api import expect

from lms.cohorts import service as cohorts
from lms.cohorts.models import CohortRole
from lms.comments import service as comments
from lms.db import utcnow
from lms.extensions import db
from lms.learning import service as learning
from lms.learning.models import StepProgress
from lms.mail import service as mail
from lms.notifications import preferences as rules
from tests.browser.pages import main, sign_in
from tests.factories import make_comment, make_user
from tests.mail_server import text_of

LONDON = ZoneInfo("Europe/London")


def people(live_server) -> dict:
    with live_server.app.app_context():
        from lms.content import service as content

        outline = content.get_outline()
        lee = make_user(email="lee@example.org", display_name="Lee Nights")
        olly = make_user(email="olly@example.org", display_name="Olly Other")
        fay = make_user(email="fay@example.org", display_name="Fay Facilitator", role="facilitator")
        for person in (lee, olly, fay):
            learning.join_course(person.id, outline.course.id)
        cohort = cohorts.create_cohort(outline.course.id, "Night staff", date(2027, 1, 1), None)
        cohorts.add_member(cohort, lee.email, CohortRole.LEARNER)
        cohorts.add_member(cohort, fay.email, CohortRole.FACILITATOR)
        step = next(s for s in outline.steps if s.type == "discussion")
        said = make_comment(lee, step.id, "Handover at 07:00 is when I am most tired.")
        learning.record_visit(lee.id, step.id)
        db.session.execute(
            sa.update(StepProgress)
            .where(StepProgress.user_id == lee.id)
            .values(last_visited_at=utcnow() - timedelta(days=30))
        )
        db.session.commit()
        found = {"comment_id": said.id, "cohort_id": cohort.id, "lee_id": lee.id, "olly_id": olly.id}
        db.session.remove()
        return found


def test_choosing_email_and_quiet_hours_then_a_held_like_arrives_when_they_end(
    page, live_server, axe_check, smtp_server
):
    found = people(live_server)
    hour = utcnow().astimezone(LONDON).hour
    start, end = (hour - 1) % 24, (hour + 2) % 24
    sign_in(page, live_server, "lee@example.org")

    page.get_by_role("link", name="Notifications").click()
    page.get_by_role("link", name="Choose which of these you get by email, and when").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Emails you get")
    axe_check(page)
    page.get_by_role("group", name="Likes").get_by_label("At once").check()
    page.get_by_label("Quiet hours start at").select_option(label=rules.hour_label(start))
    page.get_by_label("Quiet hours end at").select_option(label=rules.hour_label(end))
    page.get_by_role("button", name="Save email choices").click()
    expect(page.get_by_text("Your email choices have been saved.")).to_be_visible()
    expect(main(page)).to_contain_text(f"It is your quiet hours now: emails are kept until {rules.hour_label(end)}")
    expect(page.get_by_role("group", name="Likes").get_by_label("At once")).to_be_checked()
    axe_check(page)

    with live_server.app.app_context():
        from lms.accounts.models import User
        from lms.comments.models import Comment

        comments.like(db.session.get(User, found["olly_id"]), db.session.get(Comment, found["comment_id"]))
        assert mail.deliver_due() == 0  # quiet hours: held
        ends = rules.hold_until(utcnow(), "Europe/London", start, end)
        assert mail.deliver_due(now=ends) == 1
        db.session.remove()
    [message] = [m for m in smtp_server.messages if "lee@example.org" in str(m["To"])]
    assert message["Subject"] == "Olly Other liked your comment"

    # The link in the mail opens the comment; the unsubscribe link stops likes, in two clicks.
    link = next(u for u in text_of(message).split() if "/comments/" in u).replace("http://localhost", live_server.url)
    page.goto(link)
    expect(main(page)).to_contain_text("Handover at 07:00 is when I am most tired.")
    page.goto(message["List-Unsubscribe"].strip("<>").replace("http://localhost", live_server.url))
    expect(page.get_by_role("heading", level=1)).to_have_text("Stop emails about likes?")
    axe_check(page)
    page.get_by_role("button", name="Stop emails about likes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Emails stopped")
    axe_check(page)
    page.get_by_role("link", name="Change which emails you get").click()
    expect(page.get_by_role("group", name="Likes").get_by_label("Not by email")).to_be_checked()


def test_a_facilitator_sends_a_quiet_learner_a_note_from_the_care_queue(page, live_server, axe_check, smtp_server):
    found = people(live_server)
    with live_server.app.app_context():  # Olly reports Lee's comment: Fay's header counts it
        from lms.accounts.models import User
        from lms.comments import reports
        from lms.comments.models import Comment

        reports.report(db.session.get(User, found["olly_id"]), db.session.get(Comment, found["comment_id"]), "spam")
        db.session.remove()
    sign_in(page, live_server, "fay@example.org")
    expect(page.get_by_role("link", name="Moderation 1 waiting")).to_be_visible()
    page.goto(live_server(f"/facilitate/cohorts/{found['cohort_id']}/care"))
    page.get_by_role("link", name="Send a message to Lee Nights").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Send a message to Lee Nights")
    axe_check(page)
    box = page.get_by_label("Your message")
    expect(box).to_contain_text("Hello Lee,")
    box.fill("Hello Lee,\n\nNights are hard. Shall we find a time to talk about the course?\n\nFay")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_text("Your message to Lee Nights is on its way.")).to_be_visible()
    with live_server.app.app_context():
        assert mail.deliver_due() == 1
        db.session.remove()
    [message] = smtp_server.messages
    assert message["Reply-To"].addresses[0].addr_spec == "fay@example.org"
    assert "Nights are hard." in text_of(message)
