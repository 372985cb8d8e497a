"""A sign-in that ends while a learner writes, in a real browser with CSRF on: autosave says
"saved" in the learner's own time, then, once the sign-in has been ended elsewhere, says in
words that it did not save (never "saved at undefined"); Save takes the learner to sign in,
and the reflection is back in its box afterwards, with a message, ready to save. A browser
that lost its cookies altogether gets the text back on a page to copy. axe-core checks every
page on the way."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from lms.accounts import sign_ins
from lms.extensions import db
from lms.learning import service as learning
from tests.browser.pages import main, sign_in
from tests.factories import make_user

FIRST = "When the ward is short-staffed I stop listening."
MORE = " Next week I will pause before I answer."


def test_a_reflection_survives_the_sign_in_ending(browser, live_server, axe_check):
    with live_server.app.app_context():
        from lms.content import service as content

        user = make_user(email="sol@example.org", display_name="Sol Signed-Out")
        outline = content.get_outline()
        learning.join_course(user.id, outline.course.id)
        step = next(s for s in outline.steps if s.type == "reflection")
        user_id = user.id
    step_url = live_server(f"/steps/{step.module_slug}/{step.slug}")
    page = browser.new_context(bypass_csp=True, locale="en-GB").new_page()
    sign_in(page, live_server, "sol@example.org")

    # Signed in: autosave says when, as a clock time, in plain words.
    page.goto(step_url)
    box = page.get_by_label("Your reflection", exact=True)
    box.fill(FIRST)
    status = page.locator("[data-autosave-status]")
    expect(status).to_have_text(re.compile(r"^Draft saved at \d\d:\d\d\.$"), timeout=10_000)

    # The sign-in is ended elsewhere (a password changed on another device, say).
    with live_server.app.app_context():
        sign_ins.end_all_sessions(user_id)
        db.session.commit()
    box.press_sequentially(MORE, delay=5)
    expect(status).to_have_text("Not saved: your sign-in has ended. Sign in again; your text is kept.", timeout=10_000)
    expect(status).not_to_contain_text("undefined")
    axe_check(page)

    # Save: to sign in, told what happened; then back on the step, the text in its box.
    page.get_by_role("button", name="Save reflection").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(main(page)).to_contain_text("so your reflection was not saved. We have kept it")
    axe_check(page)
    page.get_by_label("Email address", exact=True).fill("sol@example.org")
    page.get_by_label("Password", exact=True).fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(step_url + "#reflection")
    expect(main(page)).to_contain_text("We kept it: it is back in its box below. Check it, then save it.")
    expect(page.get_by_label("Your reflection", exact=True)).to_have_value(FIRST + MORE)
    axe_check(page)
    page.get_by_role("button", name="Save reflection").click()
    expect(main(page)).to_contain_text("Your reflection is saved. Only you can read it.")
    expect(page.get_by_label("Your reflection", exact=True)).to_have_value(FIRST + MORE)

    # A browser that lost every cookie cannot say whose text it is: it comes back to copy.
    page.get_by_label("Your reflection", exact=True).fill(FIRST + " Lost cookies.")
    page.context.clear_cookies()
    page.get_by_role("button", name="Save reflection").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You were signed out, so your reflection was not saved")
    expect(page.get_by_label("Your reflection", exact=True)).to_have_value(FIRST + " Lost cookies.")
    axe_check(page)
    page.context.close()
