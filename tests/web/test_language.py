"""Which language a page is in: the account's choice, then the switch's cookie, then the
browser's Accept-Language, then English; the header's switch keeps the person on their page."""

from __future__ import annotations

import re

from lms.accounts.models import User
from lms.extensions import db


def page_language(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.text).group(1)


def switch_link(response) -> str:
    return re.search(r'class="nhsuk-header__account-item lms-language-switch"><a [^>]*href="([^"]+)"', response.text)[1]


def test_english_unless_the_browser_asks_for_welsh(client, course):
    assert page_language(client.get("/")) == "en-GB"
    assert page_language(client.get("/", headers={"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"})) == "cy"
    assert page_language(client.get("/", headers={"Accept-Language": "fr, de;q=0.8"})) == "en-GB"


def test_the_switch_keeps_the_visitor_on_their_page_and_remembers(client, course):
    page = client.get("/glossary?page=2")
    assert ">Cymraeg</a>" in page.text
    href = switch_link(page).replace("&amp;", "&")
    switched = client.get(href)
    assert switched.status_code == 302 and switched.headers["Location"] == "/glossary?page=2"
    assert "lms_language=cy" in switched.headers["Set-Cookie"] and "HttpOnly" in switched.headers["Set-Cookie"]
    welsh = client.get("/glossary?page=2", headers={"Accept-Language": "en"})  # the choice beats the browser
    assert page_language(welsh) == "cy" and ">English</a>" in welsh.text
    assert "Cyfrif" in welsh.text  # the header's words


def test_the_switch_never_sends_anyone_off_the_site(client, course):
    for target in ("https://evil.example/", "//evil.example", "/\t/evil.example"):
        response = client.get("/language/cy", query_string={"next": target})
        assert response.headers["Location"] == "/"
    assert client.get("/language/fr").headers["Set-Cookie"].startswith("lms_language=en")


def test_a_signed_in_persons_choice_is_saved_and_beats_the_cookie(client, course, learner, login):
    login(learner)
    client.get("/language/cy?next=/")
    assert db.session.get(User, learner.id).language == "cy"
    client.set_cookie("lms_language", "en")
    assert page_language(client.get("/")) == "cy"
    client.get("/language/en?next=/")
    assert db.session.get(User, learner.id).language == "en"
    assert page_language(client.get("/", headers={"Accept-Language": "cy"})) == "en-GB"


def test_dates_are_written_in_the_pages_language(app):
    from datetime import UTC, datetime

    from flask_babel import force_locale

    from lms.i18n import date, when

    moment = datetime(2026, 7, 4, 9, 30, tzinfo=UTC)
    with app.test_request_context():
        assert date(moment) == "4 July 2026"
        assert when(moment) == "4 July 2026 at 10:30"  # British Summer Time
        with force_locale("cy"):
            assert date(moment) == "4 Gorffennaf 2026"
            assert when(moment) == "4 Gorffennaf 2026 am 10:30"
