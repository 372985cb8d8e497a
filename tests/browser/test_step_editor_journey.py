"""An admin edits an article in Chromium (issue 19): only its fields show, a new type's fields
appear as soon as the type changes, the preview sits beside the body (below it on a phone),
publishing happens from the bar at the foot of the screen, and Compare leads back. Without
JavaScript, "Update fields" does what the script does."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.pages import main, sign_in
from tests.factories import make_user

NEW_TEXT = "Leaders who listen first make room for the people they lead to speak."
OTHER_FIELDS = ("Prompt", "Other learners' comments", "Video link", "Questions and settings (YAML)")


def _an_article(live_server):
    with live_server.app.app_context():
        from lms.content import service as content

        make_user(email="admin@example.org", display_name="Ada Admin", role="admin")
        return next(s for s in content.get_outline().steps if s.type == "article")


def _editor(page, live_server, step):
    page.goto(live_server(f"/admin/course/steps/{step.id}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit step: {step.title}")


def test_admin_edits_an_article_publishes_from_the_bar_and_compares(browser, live_server, axe_check):
    step = _an_article(live_server)
    page = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, live_server, "admin@example.org")
    _editor(page, live_server, step)

    # Only an article's fields; the no-JavaScript button is not needed here.
    for label in ("Title", "Duration in minutes", "Body (Markdown)"):
        expect(page.get_by_label(label, exact=True)).to_be_visible()
    for label in OTHER_FIELDS:
        expect(page.get_by_label(label, exact=True)).to_be_hidden()
    expect(page.get_by_role("button", name="Update fields")).to_be_hidden()
    # The preview beside the body, its top level with the box's.
    body = page.get_by_label("Body (Markdown)").bounding_box()
    preview = page.locator(".lms-preview").bounding_box()
    assert preview["x"] >= body["x"] + body["width"] and abs(preview["y"] - body["y"]) < 120, (body, preview)
    axe_check(page)

    # Another type's fields appear at once, and go again.
    page.get_by_label("Type", exact=True).select_option("discussion")
    expect(page.get_by_label("Prompt", exact=True)).to_be_visible()
    expect(page.get_by_label("Other learners' comments", exact=True)).to_be_visible()
    expect(page.get_by_label("Video link", exact=True)).to_be_hidden()
    axe_check(page)
    page.get_by_label("Type", exact=True).select_option("video")
    expect(page.get_by_label("Video link", exact=True)).to_be_visible()
    expect(page.get_by_label("Prompt", exact=True)).to_be_hidden()
    page.get_by_label("Type", exact=True).select_option("article")
    for label in OTHER_FIELDS:
        expect(page.get_by_label(label, exact=True)).to_be_hidden()

    text = page.get_by_label("Body (Markdown)")
    text.fill(NEW_TEXT + "\n\n" + text.input_value())
    expect(page.locator("#preview")).to_contain_text(NEW_TEXT)  # the live preview follows
    page.get_by_role("button", name="Save", exact=True).click()
    expect(main(page)).to_contain_text("Learners will see it when you publish.")

    # The bar stays at the foot of the screen while the top of the form is in view.
    bar = page.locator(".lms-action-bar")
    publish = bar.get_by_role("button", name=re.compile(r"^Publish revision \d+$"))
    expect(publish).to_be_in_viewport()
    box = bar.bounding_box()
    assert box["y"] + box["height"] <= 900 + 1 and box["y"] > 600, box
    axe_check(page)
    publish.click()
    expect(main(page)).to_contain_text("Published: learners now see this version.")
    expect(bar.get_by_role("button", name=re.compile(r"^Publish"))).to_have_count(0)  # nothing left to publish

    page.get_by_role("button", name="Compare revisions").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Changes from revision")
    expect(main(page)).to_contain_text("Added: " + NEW_TEXT)
    axe_check(page)
    page.get_by_role("link", name="Back to the step editor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit step: {step.title}")
    expect(page.get_by_label("Body (Markdown)")).to_have_value(re.compile(re.escape(NEW_TEXT)))


def test_on_a_phone_the_preview_sits_below_the_text_and_nothing_scrolls_sideways(browser, live_server, axe_check):
    step = _an_article(live_server)
    page = browser.new_context(bypass_csp=True, viewport={"width": 320, "height": 640}).new_page()
    sign_in(page, live_server, "admin@example.org")
    _editor(page, live_server, step)
    body = page.get_by_label("Body (Markdown)").bounding_box()
    preview = page.locator(".lms-preview").bounding_box()
    assert preview["y"] >= body["y"] + body["height"], (body, preview)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    expect(page.locator(".lms-action-bar").get_by_role("button", name="Save", exact=True)).to_be_in_viewport()
    axe_check(page)


def test_without_javascript_update_fields_shows_the_new_types_fields(browser, live_server, axe_check):
    step = _an_article(live_server)
    context = browser.new_context(java_script_enabled=False, bypass_csp=True)
    page = context.new_page()
    sign_in(page, live_server, "admin@example.org")
    _editor(page, live_server, step)
    expect(page.get_by_label("Prompt", exact=True)).to_be_hidden()
    page.get_by_label("Title", exact=True).fill("Typed before the type changed")
    page.get_by_label("Type", exact=True).select_option("reflection")
    expect(page.get_by_label("Prompt", exact=True)).to_be_hidden()  # nothing runs to show it...
    page.get_by_role("button", name="Update fields").click()  # ...until the form is sent
    expect(page.get_by_label("Prompt", exact=True)).to_be_visible()
    expect(page.get_by_label("Title", exact=True)).to_have_value("Typed before the type changed")
    context.close()
