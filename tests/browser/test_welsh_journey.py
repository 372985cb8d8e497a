"""A learner's journey in Welsh, in a real browser, with axe (language checks included) on
every page: the header's switch, creating an account, joining, a step, a comment, a quiz,
the test and the certificate. The Welsh words are read from the catalogue, so the journey
follows the translation rather than a copy of it."""

from __future__ import annotations

import re

from babel.support import Translations
from playwright.sync_api import expect

from tests.browser.pages import link_from_mail, main
from tests.browser.test_assessment_journey import complete_the_rest, course_facts, url
from tests.browser.test_learner_journey import NAME, PASSWORD
from tests.unit.test_catalogue import WELSH

_welsh = Translations.load(str(WELSH.parents[2]), ["cy"])


def cy(english: str, **values) -> str:
    """The catalogue's Welsh for an English message; fails if it has none."""
    welsh = _welsh.gettext(english)
    assert welsh != english, f"no Welsh for {english!r}"
    return welsh % values if values else welsh


def in_welsh(page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "cy")


def test_a_learner_in_welsh(page, live_server, axe_check):
    email = "gwyn@example.org"
    page.goto(live_server("/"))
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    switch = page.get_by_role("link", name="Cymraeg", exact=True)
    expect(switch).to_have_attribute("lang", "cy")
    switch.click()
    expect(page).to_have_url(live_server("/"))
    in_welsh(page)
    expect(page.get_by_role("link", name="English", exact=True)).to_have_attribute("lang", "en-GB")
    axe_check(page)

    # Create an account: the mail that confirms it comes in Welsh.
    page.get_by_role("banner").get_by_role("link", name=cy("Create an account"), exact=True).click()
    in_welsh(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(cy("Create an account"))
    axe_check(page)
    page.get_by_label(cy("Your name"), exact=True).fill(NAME)
    page.get_by_label(cy("Email address"), exact=True).fill(email)
    page.get_by_label(cy("Create a password"), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=cy("Create account")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(cy("Check your email"))
    axe_check(page)
    page.goto(link_from_mail(live_server, email, cy("Confirm your email address")))
    in_welsh(page)
    axe_check(page)
    page.get_by_role("button", name=cy("Confirm and sign in")).click()
    expect(page).to_have_url(live_server("/"))
    page.get_by_role("button", name=cy("Join this course")).click()
    expect(page).to_have_url(live_server("/todo"))
    in_welsh(page)
    axe_check(page)

    # A step, and a comment on it, which says it is in Welsh.
    page.get_by_role("link", name=cy("Start with step %(number)s", number="1.1")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("1.1")
    in_welsh(page)
    axe_check(page)
    comment = "Dwi'n cytuno: mae gwrando'n dod yn gyntaf."
    page.get_by_label(cy("Your comment"), exact=True).fill(comment)
    page.get_by_role("button", name=cy("Post comment")).click()
    posted = main(page).locator("[lang]", has_text=comment).first
    expect(posted).to_have_attribute("lang", "cy")
    axe_check(page)

    # The quiz.
    facts = course_facts(live_server)
    page.goto(url(live_server, facts["quiz"]))
    in_welsh(page)
    axe_check(page)
    for group in page.locator("#answers fieldset").all():
        group.locator("input").first.check()
    page.get_by_role("button", name=cy("Check my answers")).click()
    expect(page).to_have_url(url(live_server, facts["quiz"]) + "/results")
    in_welsh(page)
    axe_check(page)

    # The test, passed, and the certificate.
    complete_the_rest(live_server, email)
    page.goto(url(live_server, facts["test"]))
    for group, options in zip(page.locator("#answers fieldset").all(), facts["right"]):
        for index in options:
            group.locator("input").nth(index).check()
    page.get_by_role("button", name=cy("Submit my answers")).click()
    expect(page).to_have_url(url(live_server, facts["test"]) + "/results")
    in_welsh(page)
    axe_check(page)
    page.goto(live_server("/certificate"))
    page.get_by_role("button", name=cy("Get my certificate")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(cy("Certificate of achievement"))
    expect(page.locator(".lms-certificate")).to_contain_text(NAME)
    expect(page.locator(".lms-certificate")).to_contain_text(re.compile(r"\d{4}"))
    in_welsh(page)
    axe_check(page)
