"""Joining a cohort by its link in a real browser: the admin copies the link from the cohort's
page (the copy button, and the link as text without JavaScript); a newcomer follows it signed
out (from the invitation the admin's pasted list sent), creates an account, confirms it from
the email, and lands in the course as a member of the cohort, with no second password and no
further button. axe-core checks each page."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from playwright.sync_api import expect

from lms.cohorts import service as cohorts
from lms.cohorts.models import CohortMember, CohortRole
from lms.extensions import db
from tests.browser.pages import link_from_mail, main, sign_in
from tests.factories import make_user
from tests.mail_server import text_of

EMAIL = "sam@example.org"
NAME = "Sam Newcomer"
PASSWORD = "kettles on the night shift"


def a_cohort(live_server) -> int:
    with live_server.app.app_context():
        from lms.content import service as content

        make_user(email="ada@example.org", display_name="Ada Admin", role="admin")
        cohort = cohorts.create_cohort(content.get_outline().course.id, "Ward leaders", date(2027, 3, 1), "WARD-2027")
        db.session.commit()
        cohort_id = cohort.id
        db.session.remove()
        return cohort_id


def membership(live_server, email: str) -> CohortRole | None:
    from lms.accounts.models import User

    with live_server.app.app_context():
        role = db.session.scalar(
            sa.select(CohortMember.role).join(User, User.id == CohortMember.user_id).where(User.email == email)
        )
        db.session.remove()
        return role


def test_the_admin_copies_the_link_and_a_newcomer_follows_it_into_the_course(browser, live_server, axe_check):
    cohort_id = a_cohort(live_server)
    link = live_server("/join/WARD-2027")

    # The admin copies the link from the cohort's page.
    admin_context = browser.new_context(
        bypass_csp=True, locale="en-GB", permissions=["clipboard-read", "clipboard-write"]
    )
    admin = admin_context.new_page()
    sign_in(admin, live_server, "ada@example.org")
    admin.goto(live_server(f"/admin/cohorts/{cohort_id}"))
    expect(admin.get_by_role("heading", level=2, name="Share the join link")).to_be_visible()
    expect(admin.get_by_label("Join link", exact=True)).to_have_value(link)
    axe_check(admin)
    admin.get_by_role("button", name="Copy link").click()
    expect(main(admin).get_by_role("status")).to_have_text("Link copied. Paste it into an email or message.")
    assert admin.evaluate("navigator.clipboard.readText()") == link

    # Without JavaScript: no button that cannot work, and the link there to select.
    plain = browser.new_context(bypass_csp=True, locale="en-GB", java_script_enabled=False).new_page()
    sign_in(plain, live_server, "ada@example.org")
    plain.goto(live_server(f"/admin/cohorts/{cohort_id}"))
    expect(plain.get_by_label("Join link", exact=True)).to_have_value(link)
    expect(plain.get_by_role("button", name="Copy link")).to_be_hidden()

    # The admin also pastes a list: the newcomer has no account, so is emailed the link.
    admin.get_by_label("Email addresses, one a line", exact=True).fill(f"{EMAIL}\nSam at the ward")
    admin.get_by_role("button", name="Add everyone").click()
    expect(admin.get_by_role("heading", level=1)).to_contain_text("What was done")
    expect(admin.get_by_role("heading", level=2, name="Invited by email, with the join link (1)")).to_be_visible()
    expect(main(admin)).to_contain_text("Line 2: Sam at the ward")
    expect(admin.get_by_label("Email addresses, one a line", exact=True)).to_have_value("Sam at the ward")
    axe_check(admin)
    [invitation] = [m for m in live_server.mail_to(EMAIL) if m["Subject"].startswith("Join Ward leaders")]
    assert link in text_of(invitation)

    # The newcomer, signed out, follows the link.
    page = browser.new_context(bypass_csp=True, locale="en-GB").new_page()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Ward leaders")
    axe_check(page)
    page.get_by_role("button", name="Create an account and join").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    page.get_by_label("Your name", exact=True).fill(NAME)
    page.get_by_label("Email address", exact=True).fill(EMAIL)
    page.get_by_label("Create a password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(live_server("/check-your-email"))
    assert membership(live_server, EMAIL) is None

    # The email's link: confirm, and the journey ends in the course, in the cohort.
    page.goto(link_from_mail(live_server, EMAIL, "Confirm your email address"))
    page.get_by_role("button", name="Confirm and sign in").click()
    expect(page).to_have_url(live_server("/todo"))
    expect(main(page)).to_contain_text("Welcome to Ward leaders. You have joined the cohort and the course.")
    expect(page.get_by_role("heading", level=1)).to_have_text("To do")
    expect(page.get_by_role("link", name=re.compile(r"^Start with step 1\.1"))).to_be_visible()
    axe_check(page)
    assert membership(live_server, EMAIL) == CohortRole.LEARNER

    # The admin sees them in the cohort.
    admin.goto(live_server(f"/admin/cohorts/{cohort_id}"))
    expect(main(admin).get_by_role("table").get_by_role("link", name=NAME, exact=True)).to_be_visible()
