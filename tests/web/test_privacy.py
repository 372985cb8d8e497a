"""The privacy notice and the cookies page: whom they tell people to contact, what they say is
kept and erased (held to the tables the platform really has), and the cookies a real sign-in
really sets (a new cookie fails here until the page lists it)."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import pytest

from lms.extensions import db
from lms.learning import service as learning
from lms.mail import service as mail
from lms.record.personal_data import DELETE, KEEP, PERSONAL_TABLES
from tests.factories import PASSWORD, make_user
from tests.mail_server import html_of, text_of

CONTACTS = [
    # settings -> what the pages must show, and what they must not
    (
        {"LMS_PRIVACY_CONTACT": "dpo@trust.example", "LMS_CONTACT_EMAIL": "help@trust.example"},
        'contact <a href="mailto:dpo@trust.example">dpo@trust.example</a>',
        "help@trust.example",
    ),
    ({"LMS_CONTACT_EMAIL": "help@trust.example"}, 'contact <a href="mailto:help@trust.example">', "ask your course"),
    ({}, "ask your course facilitator", "mailto:"),
    (
        {"LMS_PRIVACY_CONTACT": "https://trust.example/privacy", "LMS_CONTACT_EMAIL": "help@trust.example"},
        'contact <a href="https://trust.example/privacy">https://trust.example/privacy</a>',
        "mailto:",
    ),
    (
        {"LMS_PRIVACY_CONTACT": "the Data Protection Officer, Anytown NHS Trust"},
        "contact the Data Protection Officer, Anytown NHS Trust",
        "mailto:",
    ),
]


@pytest.mark.parametrize(("settings", "shown", "not_shown"), CONTACTS)
def test_both_pages_name_the_privacy_contact_or_whoever_stands_in(make_app, settings, shown, not_shown):
    client = make_app(**settings).test_client()
    for path in ("/privacy", "/cookies"):
        page = client.get(path)
        assert page.status_code == 200
        assert shown in page.text and not_shown not in page.text


def test_the_notice_names_the_organisation_as_controller_and_says_who_sees_what(make_app):
    page = make_app(LMS_ORGANISATION_NAME="Anytown NHS Trust").test_client().get("/privacy").text
    assert "Anytown NHS Trust runs this course platform. We are the data controller" in page
    assert "your reflections: facilitators and admins cannot see them either" in page
    assert "only shown once five or more people have answered" in page and "each time five more" in page
    assert "Everyone who has joined the course" in page and "your comments and replies" in page
    assert 'href="https://ico.org.uk/make-a-complaint/"' in page
    assert 'href="/account"' in page and "Download my data" in page and "Delete my account" in page


@pytest.mark.parametrize(
    ("basis", "shown"),
    [
        ("", "has not yet stated it here"),
        ("public-task", "in the public interest: training and developing health and care staff (Article 6(1)(e)"),
        ("legitimate-interests", "legitimate interests"),
        ("contract", "to provide the course you signed up for (Article 6(1)(b) of the UK GDPR)"),
    ],
)
def test_the_lawful_basis_is_the_one_the_organisation_set(make_app, basis, shown):
    page = make_app(LMS_PRIVACY_LAWFUL_BASIS=basis).test_client().get("/privacy").text
    assert shown in page
    assert ("has not yet stated it here" in page) == (basis == "")


def test_sign_in_lifetimes_follow_the_settings(make_app):
    client = make_app(LMS_SESSION_IDLE_HOURS=8.0, LMS_SESSION_MAX_DAYS=7.0).test_client()
    notice = client.get("/privacy").text
    assert "A sign-in ends after 8 hours without use" in notice and "7 days after you signed in" in notice
    assert "14 hours after if you did not" in notice
    assert "if you do not use the platform for 8 hours" in client.get("/cookies").text


# What the notice says about each table that names a person: erased with the account, or kept.
# A new table in lms.record.personal_data fails here until the notice says what happens to it.
ERASED = {
    "user_sessions": "your sign-ins",
    "external_identities": "the links to your accounts with your organisation",
    "lti_launches": "records of opening the course from your organisation's learning platform",
    "lti_scores": "the test results we send it",
    "enrolments": "your place in the course",
    "step_progress": "your progress",
    "cohort_members": "in your cohort",
    "reflections": "your reflections",
    "self_assessment_responses": "self-assessment answers",
    "quiz_attempts": "quiz and test answers and scores",
    "certificates": "your certificate",
    "bookmarks": "bookmarks",
    "follows": "the people you follow and the people who follow you",
    "notifications": "notifications",
    "outbox": "copies of the emails we sent you",
    "email_preferences": "your choices of which emails you get",
    "unsent_forms": "text you sent after your sign-in had ended",
    "comment_likes": "your likes",
}
KEPT = {
    "comments": "your comments and replies",
    "comment_reports": "your reports of comments",
    "thread_locks": "discussions you closed",
    "step_revisions": "course pages you wrote or changed",
    "audit_log": "the audit log of staff actions",
}


def test_the_notice_says_what_deleting_an_account_erases_and_keeps(client):
    assert {**ERASED, **KEPT}.keys() == PERSONAL_TABLES.keys()
    assert {t for t, (_, policy) in PERSONAL_TABLES.items() if policy == DELETE} == ERASED.keys()
    assert {t for t, (_, policy) in PERSONAL_TABLES.items() if policy == KEEP} == KEPT.keys()
    page = client.get("/privacy").text
    erased = page.split("<p>We erase:</p>")[1].split("<p>We keep:</p>")[0]
    kept = page.split("<p>We keep:</p>")[1].split("</ul>")[0]
    assert [t for t, phrase in ERASED.items() if phrase not in erased] == []
    assert [t for t, phrase in KEPT.items() if phrase not in kept] == []
    assert "A former learner" in kept


REFLECTION_STEP = "/steps/next-steps/look-back"


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def _listed(page: str) -> dict[str, str]:
    """The cookies page's table: name -> the row's text."""
    table = page.split('id="cookies"')[1].split("</table>")[0]
    rows = re.findall(r"<code>([^<]+)</code></th>(.*?)</tr>", table, re.S)
    return {name: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)) for name, row in rows}


def test_the_cookies_page_lists_exactly_the_cookies_a_real_sign_in_sets(make_app, course):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        person = make_user(email="nurse@example.org")
        learning.join_course(person.id, course.course.id)
    client = app.test_client()
    set_cookies: list[str] = []

    def visit(response):
        set_cookies.extend(response.headers.getlist("Set-Cookie"))
        return response

    for path in ("/", "/register", "/privacy", "/cookies"):
        visit(client.get(path))
    # The header's language switch, there and back (the pages below stay in English).
    visit(client.get("/language/cy?next=/cookies"))
    visit(client.get("/language/en?next=/cookies"))
    login = {"email": person.email, "password": PASSWORD, "remember": "y"}
    signed_in = visit(client.post("/login", data={**login, "csrf_token": _token(visit(client.get("/login")).text)}))
    assert signed_in.status_code == 302
    account = visit(client.get("/account"))
    visit(client.get("/todo"))
    step = visit(client.get(REFLECTION_STEP))
    visit(client.post("/logout", data={"csrf_token": _token(account.text)}))
    # A reflection sent from a page left open after signing out is kept for its writer.
    kept = visit(client.post(REFLECTION_STEP + "/reflection", data={"body": "Mine", "csrf_token": _token(step.text)}))
    assert kept.status_code == 302 and "/login" in kept.location

    names = {header.split("=", 1)[0] for header in set_cookies}
    listed = _listed(client.get("/cookies").text)
    launches_only = {"lms_lti_state"}  # set by an LTI launch: tests/web/test_lti.py checks it
    assert names | launches_only == set(listed), "every cookie the platform sets, and only those, is on /cookies"

    session_name, remember_name = app.config["SESSION_COOKIE_NAME"], "remember_token"
    first = {h.split("=", 1)[0]: h for h in reversed(set_cookies)}  # the first Set-Cookie of each
    assert "Expires" not in first[session_name] and "Until you close your browser" in listed[session_name]
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", first[remember_name]).group(1))
    days = round((expires - datetime.now(UTC)).total_seconds() / 86400)
    assert f"{days} days." in listed[remember_name] and "Keep me signed in" in listed[remember_name]
    assert all("HttpOnly" in header for header in set_cookies)


def test_without_keep_me_signed_in_only_the_session_cookie_is_set(client, learner, login):
    response = login(learner)
    assert {h.split("=", 1)[0] for h in response.headers.getlist("Set-Cookie")} == {"session"}


def test_every_page_links_to_the_notice_and_the_cookies(client, enrolled):
    for path in ("/no/such/page", "/todo", "/privacy"):
        page = client.get(path).text
        assert 'href="/privacy">Privacy</a>' in page and 'href="/cookies">Cookies</a>' in page


def test_registration_links_to_the_notice_beside_the_button(client):
    page = client.get("/register").text
    link = page.index('href="/privacy">How we use your information</a>')
    assert page.index("<form") < link < page.index('class="nhsuk-button"') < page.index("</form>")


def test_every_email_links_to_the_notice(app, learner, mailbox):
    mail.queue(to=learner.email, name=learner.display_name, user_id=learner.id, template="test_message", subject="Hi")
    db.session.commit()
    [message] = mailbox.deliver()
    assert "How we use your information: http://localhost/privacy" in text_of(message)
    assert '<a href="http://localhost/privacy" style="color:#005eb8;">How we use your information</a>' in html_of(
        message
    )


def test_the_language_switchs_cookie_is_listed_with_what_it_holds_and_how_long_it_lasts(client):
    from lms.i18n import COOKIE, COOKIE_DAYS

    switched = client.get("/language/cy?next=/cookies")
    [header] = [h for h in switched.headers.getlist("Set-Cookie") if h.startswith(f"{COOKIE}=")]
    assert header.startswith(f"{COOKIE}=cy;") and f"Max-Age={COOKIE_DAYS * 86400}" in header
    listed = _listed(client.get("/language/en?next=/cookies", follow_redirects=True).text)
    assert "It holds the language you chose" in listed[COOKIE] and "functional cookie" in listed[COOKIE]
    assert listed[COOKIE].strip().endswith(f"{COOKIE_DAYS} days")
    # In Welsh, the same row says it in Welsh.
    welsh = html.unescape(_listed(client.get("/language/cy?next=/cookies", follow_redirects=True).text)[COOKIE])
    assert "Mae'n cadw'r iaith a ddewisoch" in welsh and welsh.strip().endswith(f"{COOKIE_DAYS} diwrnod")
