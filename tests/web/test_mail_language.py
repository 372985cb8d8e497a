"""Mail in the recipient's language: each message is written in the language the person chose
(their account's), whoever's action sends it; without a choice, mail someone asked for on a
page (a link to verify or reset) is in that page's language, other mail in English. The
account page keeps the choice. Mail goes through the real SMTP server (`mailbox`)."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
import sqlalchemy as sa

from lms.accounts.models import User
from lms.extensions import db
from lms.mail import service as mail
from lms.notifications import preferences as rules
from lms.notifications.models import Notification
from tests.factories import PASSWORD, make_comment, make_user
from tests.mail_server import html_of, text_of
from tests.web.discussion_support import step_id

WELSH = {"Accept-Language": "cy-GB,cy;q=0.9"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}


def language_of(email: str) -> str | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(User.language).where(User.email == email))


def choose_language(user: User, code: str | None) -> None:
    user.language = code
    db.session.commit()


@pytest.fixture
def other(app, course):
    return make_user(email="other@example.org", display_name="Olly Other")


# Notifications: the recipient's language, not the poster's ----------------------------


def test_a_reply_reaches_a_welsh_learner_in_welsh_and_an_english_one_in_english(app, learner, other, sign_in, mailbox):
    choose_language(learner, "cy")  # Lee chose Welsh; Olly never chose
    poster = make_user(email="pat@example.org", display_name="Pat Poster")
    lees = make_comment(learner, step_id(), "What helps you at handover?")
    ollys = make_comment(other, step_id(), "I write a list.")
    client = sign_in(poster)
    for comment in (lees, ollys):  # Pat's page is in Welsh: it changes nobody's mail
        response = client.post(f"/comments/{comment.id}/reply", data={"body": "A calm five minutes"}, headers=WELSH)
        assert response.status_code in (200, 302)

    [welsh] = mailbox.to(learner.email)
    assert welsh["Subject"] == "Mae Pat Poster wedi ateb eich sylw"
    text = text_of(welsh)
    assert "Annwyl Lee Learner," in text
    assert "Mae Pat Poster wedi ateb eich sylw ar gam 1.3" in text
    assert "Atal e-byst ynghylch atebion i'ch sylwadau: http://localhost/email/unsubscribe/" in text
    assert "Dewiswch pa e-byst a gewch chi" in text and "replied" not in text
    assert '<html lang="cy">' in html_of(welsh) and "Darllenwch ef ar y cwrs" in html_of(welsh)
    assert welsh["List-Unsubscribe"].startswith("<http://localhost/email/unsubscribe/")  # the headers stay

    [english] = mailbox.to(other.email)
    assert english["Subject"] == "Pat Poster replied to your comment"
    assert "Dear Olly Other," in text_of(english) and "Pat Poster replied to your comment on step 1.3" in text_of(
        english
    )
    assert "Annwyl" not in text_of(english) and '<html lang="en-GB">' in html_of(english)


def test_the_digest_is_written_in_each_persons_language_by_the_delivery_loop(app, learner, other, sign_in, mailbox):
    choose_language(learner, "cy")
    lees = make_comment(learner, step_id(), "Hourly")
    ollys = make_comment(other, step_id(), "Daily")
    liker = make_user(email="pat@example.org", display_name="Pat Poster")
    client = sign_in(liker)
    for comment in (lees, ollys):
        client.post(f"/comments/{comment.id}/like", headers=WELSH)
    liked_at = db.session.scalar(sa.select(sa.func.max(Notification.created_at)))
    mail.run_hourly_jobs(rules.next_digest_moment(liked_at, "Europe/London", 8) + timedelta(minutes=1))  # no request

    [welsh] = mailbox.to(learner.email)
    assert welsh["Subject"] == "Eich crynodeb dyddiol: 1 diweddariad o'r cwrs"
    text = text_of(welsh)
    assert "Dyma beth sydd wedi digwydd ar y cwrs ers eich crynodeb diwethaf." in text
    assert "Cam 1.3 " in text and "Mae Pat Poster wedi hoffi eich sylw" in text
    assert "Atal eich crynodeb dyddiol:" in text
    [english] = mailbox.to(other.email)
    assert english["Subject"] == "Your daily digest: 1 update from the course"
    assert "Step 1.3 " in text_of(english) and "Pat Poster liked your comment" in text_of(english)


# Links asked for on a page -------------------------------------------------------------


def test_a_reset_link_is_in_the_saved_language_whatever_the_page(client, learner, mailbox):
    choose_language(learner, "cy")
    client.post("/forgot-password", data={"email": learner.email}, headers=ENGLISH)
    [message] = mailbox.to(learner.email)
    assert message["Subject"] == "Ailosod eich cyfrinair"
    assert "Annwyl Lee Learner," in text_of(message) and "Mae'r ddolen yn gweithio am 1 awr, unwaith." in text_of(
        message
    )
    assert "Dewis cyfrinair newydd" in html_of(message)


def test_without_a_saved_choice_a_reset_link_is_in_the_pages_language(client, learner, other, mailbox):
    client.post("/forgot-password", data={"email": learner.email}, headers=WELSH)
    client.post("/forgot-password", data={"email": other.email}, headers=ENGLISH)
    [welsh] = mailbox.to(learner.email)
    [english] = mailbox.to(other.email)
    assert welsh["Subject"] == "Ailosod eich cyfrinair" and "Annwyl Lee Learner," in text_of(welsh)
    assert english["Subject"] == "Reset your password" and "Dear Olly Other," in text_of(english)
    assert language_of(learner.email) is None  # asking for a link chooses nothing


def test_registering_in_welsh_saves_welsh_and_the_link_comes_in_welsh(client, course, mailbox):
    fields = {"display_name": "Nia Nyrs", "email": "nia@example.org", "password": "a perfectly fine passphrase"}
    response = client.post("/register", data=fields, headers=WELSH)
    assert response.location == "/check-your-email"
    assert language_of("nia@example.org") == "cy"
    [message] = mailbox.to("nia@example.org")
    assert message["Subject"] == "Cadarnhewch eich cyfeiriad e-bost"
    assert "Diolch am greu cyfrif ar y cwrs." in text_of(message)

    english = {**fields, "display_name": "Ed English", "email": "ed@example.org"}
    client.post("/register", data=english, headers=ENGLISH)
    assert language_of("ed@example.org") is None
    [message] = mailbox.to("ed@example.org")
    assert message["Subject"] == "Confirm your email address"


# The account page's choice ---------------------------------------------------------------


def test_the_account_page_saves_the_language_for_pages_and_mail(client, learner, login, mailbox):
    login(learner)
    page = client.get("/account", headers=ENGLISH)
    assert '<span lang="en-GB">Language</span> / <span lang="cy">Iaith</span>' in page.text
    assert (
        '<span lang="cy">Cymraeg</span>' in page.text
    )  # each choice named, and marked, in its own language and "emails we send you" in page.text
    response = client.post("/account", data={"language-language": "cy", "language-submit": "1"})
    assert response.location == "/account"
    assert language_of(learner.email) == "cy"
    welsh = client.get("/account", headers=ENGLISH)  # the account's choice beats the browser
    assert '<html lang="cy"' in welsh.text and "Mae eich iaith wedi'i chadw." in unescape(welsh.text)
    assert "Eich cyfrif" in welsh.text
    client.post("/forgot-password", data={"email": learner.email})  # signed in: redirected, nothing sent
    client.post("/account/sign-out-others")  # nothing to end: its flash only
    client.post(
        "/account", data={"email-email": "lee@example.net", "email-current_password": PASSWORD, "email-submit": "1"}
    )
    subjects = {m["Subject"] for m in mailbox.deliver()}
    assert "Cadarnhewch eich cyfeiriad e-bost newydd" in subjects  # to the new address, in Welsh
    assert "Gofynnwyd am newid i'ch cyfeiriad e-bost" in subjects

    response = client.post("/account", data={"language-language": "en", "language-submit": "1"})
    assert language_of(learner.email) == "en" and response.location == "/account"


def test_a_language_that_is_not_offered_is_refused_beside_the_field(client, learner, login):
    login(learner)
    response = client.post("/account", data={"language-language": "fr", "language-submit": "1"})
    assert response.status_code in (200, 400)
    assert "Choose English or Cymraeg" in response.text
    assert 'href="#language-language' in response.text  # the error summary links to the field
    assert language_of(learner.email) is None


def test_only_a_signed_in_person_can_choose_and_only_with_the_forms_token(client, make_app, learner):
    response = client.post("/account", data={"language-language": "cy", "language-submit": "1"})
    assert response.status_code == 302 and response.location.startswith("/login")
    assert language_of(learner.email) is None

    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        csrf_client = app.test_client()
        page = csrf_client.get("/login").text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        csrf_client.post("/login", data={"email": learner.email, "password": PASSWORD, "csrf_token": token})
        refused = csrf_client.post("/account", data={"language-language": "cy", "language-submit": "1"})
        assert refused.status_code != 302
        assert language_of(learner.email) is None
        page = csrf_client.get("/account").text
        token = re.search(r'name="language-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        saved = csrf_client.post(
            "/account", data={"language-language": "cy", "language-submit": "1", "language-csrf_token": token}
        )
        assert saved.location == "/account" and language_of(learner.email) == "cy"
