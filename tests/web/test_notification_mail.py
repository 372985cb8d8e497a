"""Notifications by email, as people meet them: mail at once to someone signed out, likes in
the digest at the hour they chose, nothing during quiet hours (held, then sent), reports
reaching the cohort's facilitator, one-click unsubscribe. Mail goes to a real SMTP server
(the `mailbox` fixture); time is passed to the services (`now`), never mocked."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from lms.cohorts import service as cohorts
from lms.cohorts.models import CohortRole
from lms.comments import reports
from lms.db import utcnow
from lms.extensions import db
from lms.learning import service as learning
from lms.mail import service as mail
from lms.mail.models import OutboxMessage
from lms.moderation import service as moderation
from lms.notifications import digest
from lms.notifications import preferences as rules
from lms.notifications.models import EmailPreference, Notification
from tests.factories import make_comment, make_user
from tests.mail_server import html_of, text_of
from tests.web.discussion_support import TALK, step_id
from tests.web.discussion_support import text_of as page_text

LONDON = ZoneInfo("Europe/London")
DEFAULT_FORM = {
    "replies": "now",
    "likes": "digest",
    "followed": "digest",
    "moderation": "now",
    "reports": "digest",
    "unanswered": "digest",
    "digest_hour": "8",
    "quiet_from": "",
    "quiet_until": "",
    "time_zone": "Europe/London",
}


@pytest.fixture
def other(app, course):
    return make_user(email="other@example.org", display_name="Olly Other")


@pytest.fixture
def ward(app, course, learner, other, facilitator, admin):
    """A cohort with Lee and Olly as learners and Fay as facilitator; Otto facilitates another."""
    ward = cohorts.create_cohort(course.course.id, "Ward leaders", date(2027, 1, 1), None)
    elsewhere = cohorts.create_cohort(course.course.id, "Elsewhere", date(2027, 1, 1), None)
    otto = make_user(email="otto@example.org", display_name="Otto Elsewhere", role="facilitator")
    for person in (learner, other):
        cohorts.add_member(ward, person.email, CohortRole.LEARNER)
    cohorts.add_member(ward, facilitator.email, CohortRole.FACILITATOR)
    cohorts.add_member(elsewhere, otto.email, CohortRole.FACILITATOR)
    for person in (facilitator, admin, otto):
        learning.join_course(person.id, course.course.id)
    db.session.commit()
    return {"cohort": ward, "otto": otto}


def choose(client, **changes):
    """Save email choices through the page, as a person would."""
    response = client.post("/notifications/email", data={**DEFAULT_FORM, **changes})
    assert response.status_code == 302, page_text(response.text)
    return response


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", text_of(message))


def path_of(url: str) -> str:
    return url.replace("http://localhost", "")


def next_local(moment: datetime, hour: int) -> datetime:
    return rules.next_digest_moment(moment, "Europe/London", hour)


# Mail at once ---------------------------------------------------------------------------


def test_a_reply_posted_while_the_author_is_signed_out_reaches_them_at_once(app, learner, other, sign_in, mailbox):
    mine = make_comment(learner, step_id(), "What helps you at handover?")  # Lee is not signed in anywhere
    sign_in(other).post(f"/comments/{mine.id}/reply", data={"body": "A calm five minutes first"})
    [message] = mailbox.to(learner.email)
    reply_id = db.session.scalar(sa.select(sa.func.max(Notification.comment_id)))
    assert message["Subject"] == "Olly Other replied to your comment"
    text = text_of(message)
    assert "Olly Other replied to your comment on step 1.3 Talk about it." in text
    assert "A calm five minutes" not in text and "A calm five minutes" not in html_of(message)  # never the words
    link = f"http://localhost/comments/{reply_id}#comment-{reply_id}"
    assert link in text and f'href="{link}"' in html_of(message)
    assert message["List-Unsubscribe"].startswith("<http://localhost/email/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Stop emails about replies to your comments: http://localhost/email/unsubscribe/" in text
    assert "Choose which emails you get: http://localhost/notifications/email" in text
    # Following the link: sign in, and the reply is there.
    visitor = app.test_client()
    assert visitor.get(path_of(link)).location.startswith("/login")
    page = sign_in(learner).get(path_of(link).split("#")[0])
    assert page.status_code == 200 and "A calm five minutes first" in page.text
    assert db.session.scalar(sa.select(Notification.emailed_at).where(Notification.kind == "reply")) is not None


def test_moderation_decisions_are_mailed_at_once_without_the_comments_words(app, course, learner, facilitator, mailbox):
    mine = make_comment(learner, step_id(), "Something private about a patient")
    moderation.hide(facilitator, mine, "confidential", "Please take out the patient's details.")
    [message] = mailbox.to(learner.email)
    assert message["Subject"] == "A facilitator hid your comment and said why"
    assert "on step 1.3 Talk about it" in text_of(message)
    assert "patient" not in text_of(message).replace("Choose", "")
    assert mailbox.to(facilitator.email) == []  # nobody is mailed about their own action


def test_nobody_is_mailed_about_their_own_action_nor_when_inactive(app, learner, other, sign_in, mailbox):
    mine = make_comment(learner, step_id(), "Talk to me")
    lee = sign_in(learner)
    lee.post(f"/comments/{mine.id}/reply", data={"body": "Replying to myself"})
    assert mailbox.deliver() == []
    theirs = make_comment(other, step_id(), "Mine")
    other.active = False  # deactivated by an admin
    db.session.commit()
    lee.post(f"/comments/{theirs.id}/reply", data={"body": "Olly is not here"})
    assert mailbox.deliver() == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 1  # still told on the page


def test_a_deleted_account_gets_no_mail(app, learner, other, sign_in, mailbox):
    from tests.factories import PASSWORD

    mine = make_comment(learner, step_id(), "Before I go")
    sign_in(learner).post("/record/delete-account", data={"password": PASSWORD})
    sign_in(other).post(f"/comments/{mine.id}/reply", data={"body": "Goodbye"})
    assert mailbox.deliver() == []


def test_an_account_with_a_placeholder_address_is_never_mailed(app, course, other, sign_in, mailbox):
    """A learner whose learning platform gave no address (lms.accounts.external) has one in the
    `.invalid` domain, which can never exist: nothing for them waits in the outbox to fail."""
    from lms.accounts.external import PLACEHOLDER_DOMAIN

    placeholder = make_user(email=f"lti-0123abcd@{PLACEHOLDER_DOMAIN}", display_name="A learner")
    mine = make_comment(placeholder, step_id(), "What helps you at handover?")
    sign_in(other).post(f"/comments/{mine.id}/reply", data={"body": "A calm five minutes first"})
    assert db.session.scalar(
        sa.select(Notification.id).where(Notification.user_id == placeholder.id)
    )  # told on the site
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
    assert mailbox.deliver() == []
    assert mail.undeliverable("someone@No-Email.INVALID.") and not mail.undeliverable("invalid@example.org")


def test_not_by_email_sends_nothing_and_at_once_for_likes_sends_at_once(app, learner, other, sign_in, mailbox):
    lee = sign_in(learner)
    choose(lee, replies="off", likes="now")
    mine = make_comment(learner, step_id(), "Choose for me")
    olly = sign_in(other)
    olly.post(f"/comments/{mine.id}/reply", data={"body": "Hello"})
    olly.post(f"/comments/{mine.id}/like")
    [message] = mailbox.to(learner.email)
    assert message["Subject"] == "Olly Other liked your comment"


def test_followers_who_chose_at_once_are_mailed_the_others_wait_for_the_digest(app, learner, other, sign_in, mailbox):
    third = make_user(email="tess@example.org", display_name="Tess Third")
    lee, tess = sign_in(learner), sign_in(third)
    lee.post(f"/people/{other.id}/follow")
    tess.post(f"/people/{other.id}/follow")
    choose(lee, followed="now")
    sign_in(other).post(TALK + "/comments", data={"body": "A new thought", "submission": "k1"})
    [message] = mailbox.deliver()
    assert learner.email in str(message["To"])
    assert message["Subject"] == "Olly Other, whom you follow, posted a comment"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 2  # Tess: on the page


# Quiet hours ---------------------------------------------------------------------------


def test_nothing_is_sent_during_quiet_hours_then_it_is_sent_when_they_end(app, learner, other, sign_in, mailbox):
    hour = utcnow().astimezone(LONDON).hour
    lee = sign_in(learner)
    choose(lee, quiet_from=str((hour - 1) % 24), quiet_until=str((hour + 2) % 24))
    assert "It is your quiet hours now: emails are kept until" in page_text(lee.get("/notifications/email").text)
    mine = make_comment(learner, step_id(), "Night shift thoughts")
    sign_in(other).post(f"/comments/{mine.id}/reply", data={"body": "Sleep well"})
    assert mailbox.deliver() == []  # held
    held = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipient == learner.email))
    ends = rules.hold_until(utcnow(), "Europe/London", (hour - 1) % 24, (hour + 2) % 24)
    assert held.next_attempt_at == ends and ends.astimezone(LONDON).hour == (hour + 2) % 24
    assert mail.deliver_due(now=ends - timedelta(minutes=1)) == 0  # still quiet a minute before
    assert mail.deliver_due(now=ends) == 1
    [message] = mailbox.server.messages
    assert message["Subject"] == "Olly Other replied to your comment"


def test_quiet_hours_follow_the_time_zone_they_choose(app, learner, other, sign_in, mailbox):
    kolkata = ZoneInfo("Asia/Kolkata")
    hour = utcnow().astimezone(kolkata).hour
    lee = sign_in(learner)
    choose(lee, quiet_from=str(hour), quiet_until=str((hour + 1) % 24), time_zone="Asia/Kolkata")
    mine = make_comment(learner, step_id(), "Away")
    sign_in(other).post(f"/comments/{mine.id}/reply", data={"body": "Hi"})
    held = db.session.scalar(sa.select(OutboxMessage.next_attempt_at))
    assert held > utcnow() and held.astimezone(kolkata).hour == (hour + 1) % 24
    assert held.astimezone(kolkata).minute == 0


# The digest ------------------------------------------------------------------------------


def test_a_like_reaches_them_in_the_digest_at_their_chosen_hour(app, learner, other, sign_in, mailbox):
    choose(sign_in(learner), digest_hour="18")
    mine = make_comment(learner, step_id(), "Like me later")
    sign_in(other).post(f"/comments/{mine.id}/like")
    assert mailbox.deliver() == []  # likes wait for the digest
    liked_at = db.session.scalar(sa.select(Notification.created_at))
    six = next_local(liked_at, 18)
    assert six.astimezone(LONDON).hour == 18
    assert digest.send_due_digests(now=six - timedelta(hours=1)) == 0  # yesterday's period: before the like
    assert mailbox.deliver() == []
    assert digest.send_due_digests(now=six + timedelta(minutes=5)) == 1
    [message] = mailbox.deliver()
    assert learner.email in str(message["To"])
    assert message["Subject"] == "Your daily digest: 1 update from the course"
    text = text_of(message)
    assert "Step 1.3 Talk about it" in text and "Olly Other liked your comment" in text
    assert f"http://localhost/comments/{mine.id}#comment-{mine.id}" in text and "Like me later" not in text
    assert message["List-Unsubscribe"].startswith("<http://localhost/email/unsubscribe/")
    assert "Stop your daily digest:" in text
    # Never built twice for one period; and a day with nothing in it sends nothing.
    assert digest.send_due_digests(now=six + timedelta(minutes=50)) == 0
    assert digest.send_due_digests(now=six + timedelta(days=1, minutes=5)) == 0
    assert mailbox.deliver() == [message]


def test_the_digest_groups_by_step_in_course_order_and_leaves_out_what_was_mailed(
    app, course, learner, other, sign_in, mailbox
):
    third = make_user(email="tess@example.org", display_name="Tess Third")
    welcome, talk = course.steps[0], course.steps[2]
    on_talk = make_comment(learner, talk.id, "On talk")
    on_welcome = make_comment(learner, welcome.id, "On welcome")
    olly, tess = sign_in(other), sign_in(third)
    olly.post(f"/comments/{on_talk.id}/like")
    tess.post(f"/comments/{on_welcome.id}/like")
    olly.post(f"/comments/{on_welcome.id}/like")
    olly.post(f"/comments/{on_welcome.id}/reply", data={"body": "Mailed at once"})
    mailbox.deliver()
    at = next_local(utcnow(), 8) + timedelta(minutes=1)
    assert digest.send_due_digests(now=at) == 1
    [message] = mailbox.to(learner.email)[1:]
    text = text_of(message)
    assert message["Subject"] == "Your daily digest: 3 updates from the course"
    assert text.index("Step 1.1 Welcome") < text.index("Step 1.3 Talk about it")
    welcome_part = text.split("Step 1.1 Welcome")[1].split("Step 1.3")[0]
    assert "Tess Third liked your comment" in welcome_part and "Olly Other liked your comment" in welcome_part
    assert "replied" not in text  # mailed at once already
    html = html_of(message)
    assert "<h2" in html and "<ul" in html


def test_digests_are_built_once_even_when_two_loops_run_at_the_same_moment(make_app, app, course, learner, other):
    mine = make_comment(learner, step_id(), "Popular")
    from lms.comments import service as comments

    comments.like(other, mine)
    at = next_local(utcnow(), 8) + timedelta(minutes=1)
    second = make_app()
    results = []

    def run(application):
        with application.app_context():
            results.append(digest.send_due_digests(now=at))
            db.session.remove()

    import threading

    threads = [threading.Thread(target=run, args=(a,)) for a in (app, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.session.expire_all()
    assert sorted(results) == [0, 1]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1


def test_the_digest_makes_the_same_queries_for_ten_people_as_for_a_hundred(app, course, other, count_queries):
    from lms.comments import service as comments

    def people_liked(n: int, prefix: str) -> list:
        people = []
        for i in range(n):
            person = make_user(email=f"{prefix}{i}@example.org", display_name=f"{prefix} {i}")
            comments.like(other, make_comment(person, step_id(), f"Comment by {prefix} {i}"))
            people.append(person)
        return people

    def statements_for(moment) -> list[str]:
        with count_queries() as statements:
            assert digest.send_due_digests(now=moment) > 0
        return [s for s in statements if not s.lstrip().upper().startswith("INSERT INTO OUTBOX")]

    at = next_local(utcnow(), 8) + timedelta(minutes=1)
    people_liked(10, "few")
    first = statements_for(at)
    people_liked(100, "many")  # the few have had this digest: the many are new, due at the same moment
    second = statements_for(at)
    assert len(second) == len(first), "\n".join(second)


def test_mail_digest_command_and_the_hourly_job(app, runner, learner, other, sign_in, mailbox):
    assert mail._HOURLY["digests"] is digest.send_due_digests
    result = runner.invoke(args=["mail", "digest"])
    assert result.exit_code == 0 and "Queued 0 digest(s)." in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EmailPreference)) >= 2  # everyone has a row
    mine = make_comment(learner, step_id(), "Hourly")
    sign_in(other).post(f"/comments/{mine.id}/like")
    mail.run_hourly_jobs(next_local(utcnow(), 8) + timedelta(minutes=1))
    assert [m["Subject"] for m in mailbox.to(learner.email)] == ["Your daily digest: 1 update from the course"]


# Facilitators: reports and first posts ---------------------------------------------------


def test_a_report_reaches_the_cohorts_facilitator_in_the_digest(app, ward, learner, other, facilitator, admin, mailbox):
    mine = make_comment(learner, step_id(), "Something sharp")
    reports.report(other, mine, "unkind")
    assert mailbox.deliver() == []  # reports come in the digest unless chosen at once
    at = next_local(utcnow(), 8) + timedelta(minutes=1)
    assert digest.send_due_digests(now=at) == 2  # Fay (her cohort) and Ada (an admin sees all)
    [message] = mailbox.to(facilitator.email)
    text = text_of(message)
    assert "Step 1.3 Talk about it" in text and "A comment by Lee Learner was reported" in text
    assert "http://localhost/moderation" in text and "Something sharp" not in text
    assert len(mailbox.to(admin.email)) == 1
    assert mailbox.to("otto@example.org") == []  # another cohort's facilitator


def test_a_report_reaches_the_cohorts_facilitator_at_once_when_chosen(
    app, ward, learner, other, facilitator, sign_in, mailbox
):
    fay = sign_in(facilitator)
    choose(fay, reports="now")
    choose(sign_in(ward["otto"]), reports="now")
    mine = make_comment(learner, step_id(), "Something sharp")
    sign_in(other).post(f"/comments/{mine.id}/report", data={"reason": "unkind", "details": ""})
    [message] = mailbox.deliver()
    assert facilitator.email in str(message["To"])
    assert message["Subject"] == "A comment on step 1.3 Talk about it was reported"
    text = text_of(message)
    assert "as: Unkind, disrespectful or bullying" in text and "http://localhost/moderation" in text
    assert "Something sharp" not in text
    assert "Stop emails about comments waiting for moderation" in text
    # A second report of the same comment: it is in the queue already, so no second mail.
    third = make_user()
    learning.join_course(third.id, learning_course_id())
    reports.report(third, mine, "spam")
    assert len(mailbox.deliver()) == 1
    # The author asking for another look at a hidden comment brings it back, by mail too.
    moderation.hide(facilitator, mine, "unkind", "")
    reports.request_review(learner, mine)
    # (The standard library folds a long Subject right after "Subject:": unfolded, it keeps a space.)
    subjects = [m["Subject"].strip() for m in mailbox.to(facilitator.email)]
    assert subjects[-1] == "A hidden comment on step 1.3 Talk about it is waiting for another look"


def learning_course_id() -> int:
    from lms.content import service as content

    return content.get_outline().course.id


def test_the_header_counts_comments_waiting_beside_moderation(
    app, ward, learner, other, facilitator, admin, sign_in, count_queries
):
    mine = make_comment(learner, step_id(), "Reported")
    outsider = make_user(display_name="Out Sider")
    theirs = make_comment(outsider, step_id(), "Not in a cohort")
    reports.report(other, mine, "unkind")
    reports.report(other, theirs, "spam")

    def moderation_link(client) -> str:
        return re.search(r">Moderation(.*?)</a>", client.get("/todo").text).group(1)

    fay, ada, otto, lee = sign_in(facilitator), sign_in(admin), sign_in(ward["otto"]), sign_in(learner)
    assert page_text(moderation_link(fay)) == "1 waiting"
    assert page_text(moderation_link(ada)) == "2 waiting"
    assert moderation_link(otto) == ""
    assert ">Moderation" not in lee.get("/todo").text
    with count_queries() as statements:
        fay.get("/todo")
    assert sum("flagged_at" in s for s in statements) == 1  # read with the sign-in, no query of its own
    assert any("flagged_at" in s and "user_sessions" in s for s in statements)
    moderation.dismiss(facilitator, mine)
    assert moderation_link(fay) == ""


def test_first_posts_unanswered_for_48_hours_are_in_the_facilitators_digest(
    app, ward, learner, other, facilitator, mailbox
):
    at = next_local(utcnow(), 8) + timedelta(minutes=1)
    period_start = at - timedelta(days=1)
    lonely = make_comment(learner, step_id(), "Is anyone there?", when=period_start - timedelta(hours=30))
    answered = make_comment(other, step_id(), "Me too", when=period_start - timedelta(hours=30))
    make_comment(facilitator, step_id(), "Welcome", parent=answered)
    make_comment(learner, step_id(), "My second comment", when=period_start - timedelta(hours=29))
    too_new = make_user(display_name="Nina New")
    cohorts.add_member(ward["cohort"], too_new.email, CohortRole.LEARNER)
    db.session.commit()
    make_comment(too_new, step_id(), "Just now")  # not 48 hours old yet
    assert digest.send_due_digests(now=at) >= 1
    [message] = mailbox.to(facilitator.email)
    text = text_of(message)
    assert "Lee Learner's first comment has had no reply for 2 days" in text
    assert f"http://localhost/comments/{lonely.id}#comment-{lonely.id}" in text
    assert "Olly Other's first" not in text and "Nina New" not in text
    assert mailbox.to("otto@example.org") == []


# Preferences and unsubscribing -----------------------------------------------------------


def test_the_preferences_page_shows_the_defaults_and_saves_choices(client, enrolled, facilitator, sign_in):
    page = client.get("/notifications/email").text
    text = page_text(page)
    assert "Emails you get" in text and "Replies to your comments" in text
    assert "Comments waiting for moderation" not in text  # staff only
    assert 'id="replies" name="replies" type="radio" value="now" checked' in page
    assert 'name="likes" type="radio" value="digest" checked' in page
    assert "Your next digest is due on" in text and "UK time (London)" in text
    choose(client, replies="digest", digest_hour="20", quiet_from="22", quiet_until="7")
    page = client.get("/notifications/email").text
    assert "Your email choices have been saved." in page
    assert 'name="replies" type="radio" value="digest" checked' in page
    assert re.search(r'<option value="20" selected', page) and re.search(r'<option value="22" selected', page)
    row = db.session.get(EmailPreference, enrolled.id)
    assert (row.replies, row.digest_hour, row.quiet_from, row.quiet_until) == ("digest", 20, 22, 7)
    staff_page = page_text(sign_in(facilitator).get("/notifications/email").text)
    assert "Comments waiting for moderation" in staff_page and "First comments nobody has answered" in staff_page


@pytest.mark.parametrize(
    "changes, message, field",
    [
        ({"replies": "sometimes"}, "Choose how you want to hear about replies to your comments", "replies"),
        ({"quiet_from": "22"}, "Choose when your quiet hours start and when they end", "quiet_until"),
        ({"quiet_from": "9", "quiet_until": "9"}, "Quiet hours must end at a different hour", "quiet_until"),
        ({"time_zone": "Mars/Olympus"}, "Choose your time zone from the list", "time_zone"),
        ({"digest_hour": "25"}, "Choose the hour your daily digest is sent", "digest_hour"),
    ],
)
def test_choices_that_make_no_sense_are_refused_beside_the_field(client, enrolled, changes, message, field):
    response = client.post("/notifications/email", data={**DEFAULT_FORM, **changes})
    assert response.status_code == 400
    assert "There is a problem" in response.text and message in response.text
    assert f'href="#{field}' in response.text
    assert db.session.get(EmailPreference, enrolled.id) is None


def test_a_learner_cannot_choose_staff_kinds(client, enrolled):
    choose(client, reports="now", unanswered="off")
    row = db.session.get(EmailPreference, enrolled.id)
    assert (row.reports, row.unanswered) == ("digest", "digest")


def test_the_preferences_page_needs_a_sign_in(app):
    assert app.test_client().get("/notifications/email").location.startswith("/login")


def test_one_click_unsubscribe_stops_that_kind_only(app, learner, other, sign_in, mailbox):
    mine = make_comment(learner, step_id(), "First")
    olly = sign_in(other)
    olly.post(f"/comments/{mine.id}/reply", data={"body": "One"})
    [message] = mailbox.to(learner.email)
    url = path_of(message["List-Unsubscribe"].strip("<>"))
    mail_program = app.test_client()  # no session, no cookies: as a mail program posts (RFC 8058)
    confirm = mail_program.get(url)
    assert confirm.status_code == 200 and "Stop emails about replies to your comments?" in page_text(confirm.text)
    assert db.session.get(EmailPreference, learner.id) is None  # a GET (a link scanner) changes nothing
    done = mail_program.post(url, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "You will no longer get emails about replies to your comments" in done.text
    olly.post(f"/comments/{mine.id}/reply", data={"body": "Two"})
    assert len(mailbox.to(learner.email)) == 1
    row = db.session.get(EmailPreference, learner.id)
    assert (row.replies, row.moderation) == ("off", "now")


def test_the_digests_unsubscribe_link_stops_the_digest(app, learner):
    from lms.notifications import mailing

    client = app.test_client()
    choose_row = EmailPreference(user_id=learner.id, likes="digest", followed="now")
    db.session.add(choose_row)
    db.session.commit()
    token = mailing.unsubscribe_token(learner.id, rules.DIGEST_KEY)
    assert "Stop your daily digest?" in page_text(client.get(f"/email/unsubscribe/{token}").text)
    client.post(f"/email/unsubscribe/{token}")
    db.session.expire_all()
    row = db.session.get(EmailPreference, learner.id)
    assert (row.likes, row.followed, row.replies) == ("off", "now", "now")


@pytest.mark.parametrize("token", ["nonsense", "WzEsICJyZXBsaWVzIl0.forged", "closed"])
def test_a_changed_unsubscribe_link_shows_a_clear_page_and_changes_nothing(app, learner, token):
    if token == "closed":  # a real link, for an account since closed
        from lms.notifications import mailing

        token = mailing.unsubscribe_token(learner.id, "replies")
        learner.active = False
        db.session.commit()
    response = app.test_client().post(f"/email/unsubscribe/{token}")
    assert response.status_code == 400
    text = page_text(response.text)
    assert "This link does not work" in text and "go to your email choices" in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EmailPreference)) == 0


def test_held_mail_uses_local_clock_across_the_spring_change(app, learner, other):
    """The service takes `now`: quiet hours 22 to 7 on the night the clocks go forward end at 07:00 BST."""
    from lms.notifications import mailing

    db.session.add(EmailPreference(user_id=learner.id, quiet_from=22, quiet_until=7))
    db.session.commit()
    mine = make_comment(learner, step_id(), "Spring")
    night = datetime(2027, 3, 27, 23, 30, tzinfo=UTC)
    mailing.mail_notification(
        [learner.id], "Olly Other replied to your comment", "replies", mine.id, mine.step_id, night
    )
    db.session.commit()
    held = db.session.scalar(sa.select(OutboxMessage.next_attempt_at))
    assert held == datetime(2027, 3, 28, 6, 0, tzinfo=UTC)  # 07:00 BST
