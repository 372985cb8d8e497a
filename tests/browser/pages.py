"""Steps the browser journeys share: where a page's own content is, and signing in."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.mail_server import text_of


def main(page):
    return page.locator("main#maincontent")


def sign_in(page, live_server, email: str, password: str = PASSWORD) -> None:
    """Through the sign-in form (an English page), as a person would; done when the header
    offers to sign out."""
    page.goto(live_server("/login"))
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    # The header's sign-out form, in whichever language the account chose.
    expect(page.locator("form.nhsuk-header__account-form button")).to_be_visible()


def link_from_mail(live_server, address: str, subject: str) -> str:
    """The link in the latest message with this subject to the address, as a person would copy it."""
    messages = [m for m in live_server.mail_to(address) if m["Subject"] == subject]
    assert messages, f"no message {subject!r} to {address}"
    [link] = re.findall(
        re.escape(live_server.url) + r"/(?:confirm-email|reset-password|account/email)/\S+", text_of(messages[-1])
    )
    return link
