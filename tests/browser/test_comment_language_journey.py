"""A comment's language in a real browser: on a Welsh page the box offers Welsh first, the
learner says their comment is in English, and it is shown with `lang="en-GB"` among Welsh
interface words; then, without JavaScript, a Welsh reply. axe-core checks the pages, its
language rules included."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from lms.learning import service as learning
from tests.browser.pages import main, sign_in
from tests.factories import make_user

ENGLISH = "Handover starts with how everyone is. It takes two minutes."
WELSH = "Rydyn ni'n gwneud hyn ar y ward hefyd."


def test_a_comment_says_which_language_it_is_in(browser, live_server, axe_check):
    with live_server.app.app_context():
        from lms.content import service as content

        annie = make_user(email="annie@example.org", display_name="Annie Ahmed")
        outline = content.get_outline()
        learning.join_course(annie.id, outline.course.id)
        step = next(s for s in outline.steps if s.type == "discussion")
    step_path = f"/steps/{step.module_slug}/{step.slug}"
    page = browser.new_context(bypass_csp=True, locale="en-GB").new_page()
    sign_in(page, live_server, "annie@example.org")
    page.goto(live_server(f"/language/cy?next={step_path}"))
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    language = page.get_by_label("Iaith eich sylw").first
    expect(language).to_have_value("cy")  # the page's language, unless the author says otherwise
    axe_check(page)

    page.get_by_label("Eich sylw", exact=True).fill(ENGLISH)
    language.select_option("en")
    page.get_by_role("button", name="Postio sylw").click()
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    comment = page.locator("li.lms-comment").filter(has_text=ENGLISH).first
    expect(comment.locator(".lms-comment__body")).to_have_attribute("lang", "en-GB")
    expect(comment.get_by_role("button", name="Hoffi sylw gan Annie Ahmed")).to_have_count(0)  # not her own
    expect(comment.get_by_role("link", name="Golygu eich sylw")).to_be_visible()
    axe_check(page)

    # Without JavaScript: the reply's own choice, in a plain form.
    quiet = browser.new_context(bypass_csp=True, locale="en-GB", java_script_enabled=False).new_page()
    sign_in(quiet, live_server, "annie@example.org")
    quiet.goto(live_server(step_path))  # her account's choice: Welsh
    mine = quiet.locator("li.lms-comment").filter(has_text=ENGLISH).first
    mine.locator("summary").first.click()
    mine.get_by_label("Eich ateb i Annie Ahmed").fill(WELSH)
    expect(mine.get_by_label("Iaith eich sylw")).to_have_value("cy")
    mine.get_by_role("button", name="Postio ateb").click()
    expect(main(quiet)).to_contain_text("Mae eich ateb wedi'i bostio")
    reply = quiet.locator(".lms-comments--replies li.lms-comment").filter(has_text=WELSH).first
    expect(reply.locator(".lms-comment__body")).to_have_attribute("lang", "cy")
