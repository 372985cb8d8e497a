"""Accounts in a real browser, with mail through the test SMTP server: register, confirm the
address from the email, join; forget the password, reset it from the email, and a sign-in
on another device (a second browser context) has ended. Audited by axe."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.pages import link_from_mail, main, sign_in
from tests.browser.test_learner_journey import NAME, PASSWORD, register_and_sign_in

EMAIL = "kit@example.org"
NEW_PASSWORD = "lanterns over the harbour wall"


def test_register_confirm_join_then_forget_and_reset_the_password(browser, page, live_server, axe_check):
    # Register from the course page, confirm from the email (signed in at once), join.
    page.goto(live_server("/"))
    register_and_sign_in(page, live_server, EMAIL, axe_check)

    # The same person signed in on a ward computer: a second browser, a sign-in of its own.
    ward = browser.new_context(locale="en-GB").new_page()
    sign_in(ward, live_server, EMAIL, PASSWORD)
    ward.goto(live_server("/todo"))
    expect(ward.get_by_role("heading", level=1)).to_have_text("To do")

    # The account page lists both sign-ins.
    page.get_by_role("link", name=f"{NAME} (your account)").click()
    expect(page.get_by_role("heading", level=2, name="Where you are signed in")).to_be_visible()
    expect(main(page).get_by_role("table").get_by_role("row")).to_have_count(3)  # a header and two sign-ins
    expect(main(page)).to_contain_text("(this device)")
    axe_check(page)

    # Signed out, the password forgotten: from the sign-in page to the email.
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.goto(live_server("/login"))
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page).to_have_url(live_server("/forgot-password"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    axe_check(page)
    page.get_by_label("Email address", exact=True).fill(EMAIL)
    page.get_by_role("button", name="Send me a link").click()
    expect(page).to_have_url(live_server("/check-your-email"))
    expect(main(page)).to_contain_text(f"If {EMAIL} has an account, we have sent it a link to set a new password.")
    axe_check(page)

    link = link_from_mail(live_server, EMAIL, "Reset your password")
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set a new password")
    axe_check(page)
    page.get_by_label("New password", exact=True).fill("password1234")  # too common: refused
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set a new password")
    expect(page.get_by_role("alert")).to_contain_text("This password is too common")
    axe_check(page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set new password").click()
    expect(page).to_have_url(live_server("/todo"))
    expect(main(page)).to_contain_text("Your password has been changed. You are signed in here")

    # The ward computer's sign-in has ended.
    ward.reload()
    expect(ward).to_have_url(re.compile(re.escape(live_server("/login"))))
    expect(ward.get_by_role("button", name="Sign out")).to_have_count(0)

    # The link works once: opened again, it says so and offers a new one.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link can no longer be used")
    expect(main(page).get_by_role("link", name="Ask for a new link to reset your password")).to_be_visible()
    axe_check(page)

    # The old password no longer signs in; the new one does.
    ward.goto(live_server("/login"))
    ward.get_by_label("Email address", exact=True).fill(EMAIL)
    ward.get_by_label("Password", exact=True).fill(PASSWORD)
    ward.get_by_role("button", name="Sign in").click()
    expect(main(ward)).to_contain_text("Email address or password is incorrect")
    sign_in(ward, live_server, EMAIL, NEW_PASSWORD)
    ward.context.close()


def test_an_unconfirmed_account_is_offered_the_link_again_at_sign_in(page, live_server, axe_check):
    page.goto(live_server("/register"))
    page.get_by_label("Your name", exact=True).fill(NAME)
    page.get_by_label("Email address", exact=True).fill(EMAIL)
    page.get_by_label("Create a password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(live_server("/check-your-email"))

    page.goto(live_server("/login"))
    page.get_by_label("Email address", exact=True).fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(main(page)).to_contain_text("Confirm your email address first")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    axe_check(page)

    page.get_by_role("button", name="Send the link again").click()
    expect(page).to_have_url(live_server("/check-your-email"))
    assert len(live_server.mail_to(EMAIL)) == 2
    page.goto(link_from_mail(live_server, EMAIL, "Confirm your email address"))
    page.get_by_role("button", name="Confirm and sign in").click()
    expect(page).to_have_url(live_server("/"))
    expect(page.get_by_role("button", name="Join this course")).to_be_visible()
