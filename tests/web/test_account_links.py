"""Links sent by email, followed as a person would: verifying a new account, resetting a
password (by the person, an admin or the command line), and confirming a new address. Mail
goes through the real SMTP server; each link is taken from the message received."""

from __future__ import annotations

import re
import time
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from lms.accounts import tokens
from lms.accounts.models import User, UserSession
from lms.audit.models import AuditEntry
from lms.extensions import db
from tests.factories import PASSWORD, make_user
from tests.mail_server import html_of, text_of

NEW_PASSWORD = "a fresh and private passphrase"
LINK = re.compile(r"http://localhost(/[^\s\"<>]+)")


def link_in(message) -> str:
    """The link in a message (its path): the same in the plain text and the HTML part."""
    footer = {"/account", "/login", "/forgot-password", "/notifications/email", "/privacy"}
    [path] = set(LINK.findall(text_of(message))) - footer
    assert f'href="http://localhost{path}"' in html_of(message)
    return path


def only_mail_to(mailbox, address: str):
    [message] = mailbox.to(address)
    return message


def register(client, email="nia@example.org", name="Nia Nurse", password="a perfectly fine passphrase", **query):
    response = client.post(
        "/register", query_string=query, data={"display_name": name, "email": email, "password": password}
    )
    assert response.location == "/check-your-email", response.text
    return response


def user(email: str) -> User:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.email == email))


def same_page(text: str) -> str:
    """A page without what differs between any two responses (its CSRF tokens)."""
    return re.sub(r'name="csrf_token" (type="hidden" )?value="[^"]+"', "", text)


def signed_in_as(client) -> str | None:
    response = client.get("/account")
    if response.status_code != 200:
        return None
    return re.search(r"You are signed in as <strong>([^<]+)</strong>", response.text).group(1)


@contextmanager
def made_hours_ago(hours: float):
    """Tokens made inside are dated `hours` ago (itsdangerous reads the clock as it signs)."""
    real = time.time
    time.time = lambda: real() - hours * 3600
    try:
        yield
    finally:
        time.time = real


# -- Registration and verification --------------------------------------------------------


def test_the_verification_link_signs_the_person_in_and_takes_them_on_to_join(client, course, mailbox):
    register(client)
    assert "Check your email" in client.get("/check-your-email").text
    message = only_mail_to(mailbox, "nia@example.org")
    assert message["Subject"] == "Confirm your email address"
    assert "Dear Nia Nurse" in text_of(message) and "24 hours" in text_of(message)
    link = link_in(message)
    assert link.startswith("/confirm-email/")

    page = client.get(link)  # a mail scanner opening the link changes nothing
    assert page.status_code == 200 and "Confirm your email address" in page.text
    assert user("nia@example.org").email_verified_at is None and signed_in_as(client) is None

    response = client.post(link)
    assert response.location == "/"
    course_page = client.get("/").text
    assert "Your email address is confirmed and you are signed in." in course_page
    assert "Join this course" in course_page  # no second typing of the password
    assert user("nia@example.org").email_verified_at is not None
    assert signed_in_as(client) == "nia@example.org"
    assert client.post("/join").location == "/todo"


def test_the_page_they_were_going_to_is_kept_through_the_link(client, course, mailbox):
    register(client, next="/cohorts/join")
    assert client.post(link_in(only_mail_to(mailbox, "nia@example.org"))).location == "/cohorts/join"


def test_a_next_page_on_another_site_is_not_followed(client, course, mailbox):
    register(client, next="https://evil.example/")
    assert client.post(link_in(only_mail_to(mailbox, "nia@example.org"))).location == "/"


def test_an_unverified_account_cannot_sign_in_and_can_have_the_link_sent_again(client, course, mailbox):
    register(client)
    first = only_mail_to(mailbox, "nia@example.org")
    page = client.post("/login", data={"email": "nia@example.org", "password": "a perfectly fine passphrase"}).text
    assert "Confirm your email address first" in page and "Send the link again" in page
    assert signed_in_as(client) is None

    response = client.post("/login", data={"resend": "1"})
    assert response.location == "/check-your-email"
    assert "<strong>nia@example.org</strong>" in client.get(response.location).text
    again = [m for m in mailbox.to("nia@example.org") if m is not first]
    assert len(again) == 1 and again[0]["Subject"] == "Confirm your email address"
    assert client.post(link_in(again[0])).location == "/"
    assert signed_in_as(client) == "nia@example.org"


def test_the_wrong_password_on_an_unverified_account_reveals_nothing(client, course, mailbox):
    register(client)
    mailbox.deliver()
    page = client.post("/login", data={"email": "nia@example.org", "password": "not the password at all"}).text
    assert "Email address or password is incorrect" in page
    assert "Confirm your email address" not in page and "Send the link again" not in page
    assert client.post("/login", data={"resend": "1"}).location == "/login"  # nothing to resend for them
    assert len(mailbox.deliver()) == 1


def test_registering_an_address_with_an_account_shows_the_same_page_and_tells_the_owner(
    make_app, client, course, learner, mailbox
):
    register(client, email="someone.new@example.org")
    new_page = same_page(client.get("/check-your-email").text).replace("someone.new@example.org", "ADDRESS")
    other = make_app().test_client()
    register(other, email="learner@example.org", name="Impostor", password="the impostor's passphrase")
    taken_page = same_page(other.get("/check-your-email").text).replace("learner@example.org", "ADDRESS")
    assert taken_page == new_page

    message = only_mail_to(mailbox, "learner@example.org")
    assert message["Subject"] == "Someone tried to create an account with your email address"
    text = text_of(message)
    assert "Dear Lee Learner" in text and "sign in" in text and "reset your password" in html_of(message)
    assert "http://localhost/forgot-password" in text and "confirm-email" not in text
    assert user("learner@example.org").display_name == "Lee Learner"
    assert (
        "incorrect" in other.post("/login", data={"email": learner.email, "password": "the impostor's passphrase"}).text
    )


def test_an_unverified_account_registered_again_is_replaced_and_its_old_link_stops_working(client, course, mailbox):
    register(client, name="Ivy Impostor", password="the impostor's passphrase")
    impostors_link = link_in(only_mail_to(mailbox, "nia@example.org"))
    mailbox.server.clear()

    owner = client.application.test_client()
    register(owner, name="Nia Nurse", password="the owner's own passphrase")
    owners_link = link_in(only_mail_to(mailbox, "nia@example.org"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
    assert user("nia@example.org").display_name == "Nia Nurse"

    refused = client.post(impostors_link)
    assert refused.status_code == 400 and "This link can no longer be used" in refused.text
    assert user("nia@example.org").email_verified_at is None

    assert owner.post(owners_link).location == "/"
    assert signed_in_as(owner) == "nia@example.org"
    fresh = client.application.test_client()
    login = {"email": "nia@example.org", "password": "the impostor's passphrase"}
    assert "incorrect" in fresh.post("/login", data=login).text
    assert fresh.post("/login", data={**login, "password": "the owner's own passphrase"}).status_code == 302


def test_accounts_made_by_the_command_line_the_demo_and_the_factories_are_verified(app, runner, course):
    assert make_user().email_verified_at is not None
    result = runner.invoke(
        args=["users", "create", "--email", "cli@example.org", "--name", "Cli Person"], input=NEW_PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["demo", "--force"]).exit_code == 0  # forced: the cli account is a real one
    assert user("cli@example.org").email_verified_at is not None
    assert user("learner@example.org").email_verified_at is not None  # the demo learner


# -- Links that cannot be used --------------------------------------------------------------


@pytest.fixture
def newcomer(client, course, mailbox):
    """Someone registered and not yet verified, and their verification link."""
    register(client)
    return user("nia@example.org"), link_in(only_mail_to(mailbox, "nia@example.org"))


def assert_refused(response, heading: str, way_on: str):
    assert response.status_code == 400
    assert f"<h1>{heading}</h1>" in response.text
    assert way_on in response.text


def test_a_used_verification_link_says_so_and_offers_a_way_on(client, newcomer):
    _, link = newcomer
    client.post(link)
    client.post("/logout")
    for method in (client.get, client.post):
        assert_refused(method(link), "This link can no longer be used", 'href="/login"')
    assert signed_in_as(client) is None


def test_a_verification_link_works_for_24_hours(client, newcomer):
    person, _ = newcomer
    with made_hours_ago(23.5):
        fresh = tokens.make(tokens.VERIFY, person)
    with made_hours_ago(24.1):
        stale = tokens.make(tokens.VERIFY, person)
    refused = client.post(f"/confirm-email/{stale}")
    assert_refused(refused, "This link has expired", "we will offer to send you a new link")
    assert user("nia@example.org").email_verified_at is None and signed_in_as(client) is None
    assert client.post(f"/confirm-email/{fresh}").location == "/"


def test_a_tampered_link_changes_nothing(client, newcomer):
    _, link = newcomer
    token = link.rsplit("/", 1)[1]
    for broken in (token[:-2] + ("AA" if token[-2:] != "AA" else "BB"), token[:20], "not-a-token", token + "x"):
        assert_refused(client.post(f"/confirm-email/{broken}"), "This link does not work", "Nothing has been changed")
    assert user("nia@example.org").email_verified_at is None and signed_in_as(client) is None


def test_a_link_made_for_one_purpose_is_refused_for_another(client, learner, newcomer, mailbox):
    person, verify_link = newcomer
    verify_token = verify_link.rsplit("/", 1)[1]
    reset_token = tokens.make(tokens.RESET, learner)
    email_token = tokens.make(tokens.CHANGE_EMAIL, learner, e="elsewhere@example.org")
    assert_refused(
        client.post(f"/reset-password/{verify_token}", data={"password": NEW_PASSWORD}),
        "This link does not work",
        'href="/forgot-password"',
    )
    assert_refused(client.post(f"/confirm-email/{reset_token}"), "This link does not work", 'href="/login"')
    assert_refused(client.post(f"/account/email/{reset_token}"), "This link does not work", 'href="/account"')
    assert_refused(
        client.post(f"/reset-password/{email_token}", data={"password": NEW_PASSWORD}),
        "This link does not work",
        "new link",
    )
    assert user("nia@example.org").email_verified_at is None
    assert user("learner@example.org").password_hash == learner.password_hash
    assert signed_in_as(client) is None


def test_a_link_that_names_another_person_is_refused(client, learner, intruder):
    """A token whose signed data names one person but is bound to another's state."""
    forged = tokens._serializer(tokens.RESET).dumps({"u": learner.id, "s": tokens.fingerprint(intruder)})
    refused = client.post(f"/reset-password/{forged}", data={"password": NEW_PASSWORD})
    assert_refused(refused, "This link can no longer be used", 'href="/forgot-password"')
    assert user("learner@example.org").password_hash == learner.password_hash
    assert user("intruder@example.org").password_hash == intruder.password_hash

    # Signed for the intruder, with the learner's id swapped into its data: the signature fails.
    token = tokens.make(tokens.RESET, intruder)
    payload, rest = token.split(".", 1)
    import base64
    import json

    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    swapped = base64.urlsafe_b64encode(json.dumps({**data, "u": learner.id}).encode()).decode().rstrip("=")
    assert_refused(
        client.post(f"/reset-password/{swapped}.{rest}", data={"password": NEW_PASSWORD}),
        "This link does not work",
        "new link",
    )
    assert user("learner@example.org").password_hash == learner.password_hash


# -- Forgot your password -------------------------------------------------------------------


def test_forgot_password_answers_the_same_for_every_address_and_mails_only_an_account(client, course, learner, mailbox):
    assert 'href="/forgot-password"' in client.get("/login").text
    assert "Reset your password" in client.get("/forgot-password").text
    register(client.application.test_client(), email="unverified@example.org")
    mailbox.deliver()
    mailbox.server.clear()
    pages = {}
    for address in ("learner@example.org", "nobody@example.org", "unverified@example.org"):
        response = client.post("/forgot-password", data={"email": address.upper()})
        assert response.location == "/check-your-email"
        pages[address] = same_page(client.get("/check-your-email").text).replace(address.upper(), "ADDRESS")
    assert len(set(pages.values())) == 1 and "set a new password" in pages["nobody@example.org"]
    received = sorted(str(m["To"]) for m in mailbox.deliver())
    assert received == ["Lee Learner <learner@example.org>", "Nia Nurse <unverified@example.org>"]


def test_a_reset_link_sets_a_new_password_and_ends_every_other_sign_in(app, client, learner, mailbox):
    elsewhere = app.test_client()
    assert elsewhere.post("/login", data={"email": learner.email, "password": PASSWORD}).status_code == 302
    assert signed_in_as(elsewhere) == learner.email

    client.post("/forgot-password", data={"email": learner.email})
    message = only_mail_to(mailbox, learner.email)
    assert message["Subject"] == "Reset your password" and "1 hour" in text_of(message)
    link = link_in(message)
    page = client.get(link)
    assert page.status_code == 200 and "Set a new password" in page.text and learner.email in page.text

    response = client.post(link, data={"password": NEW_PASSWORD})
    assert response.location == "/todo"
    assert signed_in_as(client) == learner.email
    assert signed_in_as(elsewhere) is None  # the older sign-in has ended
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UserSession)) == 1

    fresh = app.test_client()
    assert "incorrect" in fresh.post("/login", data={"email": learner.email, "password": PASSWORD}).text
    assert fresh.post("/login", data={"email": learner.email, "password": NEW_PASSWORD}).status_code == 302
    client.post("/logout")
    assert_refused(client.get(link), "This link can no longer be used", 'href="/forgot-password"')


def test_a_weak_new_password_is_refused_and_the_link_still_works(client, learner, mailbox):
    client.post("/forgot-password", data={"email": learner.email})
    link = link_in(only_mail_to(mailbox, learner.email))
    for weak, error in (("short", "at least 12 characters"), ("password1234", "too common"), ("a" * 20, "repeated")):
        page = client.post(link, data={"password": weak})
        assert page.status_code == 200 and error in page.text and "There is a problem" in page.text
    assert user(learner.email).password_hash == learner.password_hash
    assert client.post(link, data={"password": NEW_PASSWORD}).location == "/todo"


def test_a_reset_link_works_for_an_hour(client, learner):
    with made_hours_ago(59 / 60):
        fresh = tokens.make(tokens.RESET, learner)
    with made_hours_ago(61 / 60):
        stale = tokens.make(tokens.RESET, learner)
    assert_refused(client.get(f"/reset-password/{stale}"), "This link has expired", 'href="/forgot-password"')
    refused = client.post(f"/reset-password/{stale}", data={"password": NEW_PASSWORD})
    assert_refused(refused, "This link has expired", 'href="/forgot-password"')
    assert user(learner.email).password_hash == learner.password_hash
    assert client.post(f"/reset-password/{fresh}", data={"password": NEW_PASSWORD}).location == "/todo"


def test_resetting_the_password_of_an_unverified_account_verifies_it(client, course, mailbox):
    register(client)
    mailbox.deliver()
    mailbox.server.clear()
    client.post("/forgot-password", data={"email": "nia@example.org"})
    assert client.post(link_in(only_mail_to(mailbox, "nia@example.org")), data={"password": NEW_PASSWORD}).location
    assert user("nia@example.org").email_verified_at is not None
    assert signed_in_as(client) == "nia@example.org"


def test_a_deactivated_account_is_sent_no_reset_link(client, learner, mailbox):
    learner.active = False
    db.session.commit()
    assert client.post("/forgot-password", data={"email": learner.email}).location == "/check-your-email"
    assert mailbox.deliver() == []


def test_an_admin_can_email_a_reset_link_and_it_is_audited(app, client, admin, learner, login, mailbox):
    login(admin)
    page = client.get(f"/admin/people/{learner.id}").text
    assert "Email a link to set a new password" in page
    response = client.post(f"/admin/people/{learner.id}/reset-link")
    assert response.location == f"/admin/people/{learner.id}"
    assert "A link to set a new password is on its way to learner@example.org" in client.get(response.location).text
    message = only_mail_to(mailbox, learner.email)
    assert "An administrator of the course has sent you a link" in text_of(message)
    [entry] = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "user.reset_link")).all()
    assert (entry.actor_id, entry.target_id) == (admin.id, learner.id)
    other = app.test_client()
    assert other.post(link_in(message), data={"password": NEW_PASSWORD}).location == "/todo"


def test_only_admins_can_send_a_reset_link(app, client, learner, facilitator, login, mailbox):
    login(facilitator)
    assert client.post(f"/admin/people/{learner.id}/reset-link").status_code == 403
    assert mailbox.deliver() == []


def test_the_command_line_prints_a_reset_link_for_sites_without_mail(app, client, runner, learner):
    result = runner.invoke(args=["users", "reset-link", "--email", "LEARNER@example.org"])
    assert result.exit_code == 0, result.output
    link = result.output.strip()
    assert link.startswith("http://localhost/reset-password/")
    path = link.removeprefix("http://localhost")
    assert client.post(path, data={"password": NEW_PASSWORD}).location == "/todo"
    unknown = runner.invoke(args=["users", "reset-link", "--email", "nobody@example.org"])
    assert unknown.exit_code != 0 and "No active account with the email nobody@example.org" in unknown.output


# -- Changing one's email address -----------------------------------------------------------


def change_email(client, new: str):
    return client.post("/account", data={"email-email": new, "email-current_password": PASSWORD, "email-submit": "1"})


def test_a_new_address_changes_only_when_its_link_is_followed(app, client, learner, login, mailbox):
    login(learner)
    response = change_email(client, "Lee.New@Example.org")
    assert response.location == "/account"
    assert "We have sent a link to lee.new@example.org" in client.get("/account").text
    assert user("learner@example.org") is not None  # not changed yet

    confirm = only_mail_to(mailbox, "lee.new@example.org")
    assert confirm["Subject"] == "Confirm your new email address"
    notice = only_mail_to(mailbox, "learner@example.org")
    assert notice["Subject"] == "A change to your email address was asked for"
    assert "lee.new@example.org" in text_of(notice) and "/forgot-password" in text_of(notice)

    link = link_in(confirm)
    on_phone = app.test_client()  # opened on another device, not signed in: the link is enough
    page = on_phone.get(link)
    assert page.status_code == 200 and "lee.new@example.org" in page.text
    assert on_phone.post(link).location == "/login?email=lee.new@example.org"
    changed = user("lee.new@example.org")
    assert changed is not None and changed.id == learner.id and changed.email_verified_at is not None
    assert "incorrect" in on_phone.post("/login", data={"email": "learner@example.org", "password": PASSWORD}).text
    assert on_phone.post("/login", data={"email": "lee.new@example.org", "password": PASSWORD}).status_code == 302
    assert_refused(client.post(link), "This link can no longer be used", 'href="/account"')


def test_asking_for_an_address_that_has_an_account_tells_its_owner_not_the_asker(
    client, learner, intruder, login, mailbox
):
    login(learner)
    change_email(client, "someone.else@example.org")
    other_answer = same_page(client.get("/account").text)
    mailbox.deliver()
    mailbox.server.clear()
    change_email(client, intruder.email)
    assert same_page(client.get("/account").text) == other_answer.replace("someone.else@example.org", intruder.email)
    owner = only_mail_to(mailbox, intruder.email)
    assert owner["Subject"] == "Someone tried to use your email address for another account"
    assert "/account/email/" not in text_of(owner)
    assert user(learner.email).email == learner.email and user(intruder.email).id == intruder.id


def test_an_address_taken_before_the_link_is_followed_is_not_changed(client, learner, login, mailbox):
    login(learner)
    change_email(client, "contested@example.org")
    link = link_in(only_mail_to(mailbox, "contested@example.org"))
    make_user(email="contested@example.org")
    response = client.post(link)
    assert response.status_code == 200 and "Another account now uses that email address" in response.text
    assert user(learner.email).id == learner.id
