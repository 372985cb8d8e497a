"""Steps the browser journeys share: where a page's own content is, and signing in."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.factories import PASSWORD


def main(page):
    return page.locator("main#maincontent")


def sign_in(page, live_server, email: str, password: str = PASSWORD) -> None:
    """Through the sign-in form, as a person would; done when the header offers to sign out."""
    page.goto(live_server("/login"))
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
