"""The step page and completion in Chromium (issue 18): one click completes a step and lands
on the next with the confirmation in view; the module's steps sit beside the step (below it
on a phone); the certificate page names the steps left; a failed test is shown as not passed.
With axe on every page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from lms.accounts import service as accounts
from lms.content import service as content
from lms.extensions import db
from lms.learning import completion
from tests.browser.pages import main
from tests.browser.test_assessment_journey import course_facts, url
from tests.browser.test_learner_journey import register_and_sign_in


def first_module(live_server):
    with live_server.app.app_context():
        module = content.get_outline().modules[0]
        db.session.remove()
    return module


def module_steps(page):
    return page.locator("#module-steps")


def in_view(page, locator) -> bool:
    """Whether the element is on screen without scrolling."""
    box = locator.bounding_box()
    viewport = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]


def complete_and_continue(page, live_server, module, axe_check=None) -> None:
    """From step 1.1: the one button completes it and opens 1.2, confirmation in view."""
    audit = axe_check or (lambda page: None)
    first, second = module.steps[0], module.steps[1]
    page.goto(url(live_server, first))
    expect(main(page)).to_contain_text(f"Step 1 of {len(module.steps)}")
    nav = module_steps(page)
    expect(nav.get_by_role("listitem")).to_have_count(len(module.steps))
    expect(nav.locator('[aria-current="step"]')).to_have_text(re.compile(rf"{first.number}\s+{re.escape(first.title)}"))
    expect(nav).to_contain_text(f"0 of {len(module.steps)} steps complete")
    foot = page.locator("#progress-actions")
    expect(foot.get_by_role("button")).to_have_count(1)
    expect(foot.get_by_role("link", name="Continue without marking")).to_have_attribute(
        "href", url(live_server, second).removeprefix(live_server.url)
    )
    audit(page)

    foot.get_by_role("button", name=f"Mark as complete and continue to {second.number}").click()
    expect(page).to_have_url(url(live_server, second))
    expect(page.get_by_role("heading", level=1)).to_contain_text(second.number)
    banner = main(page).locator(".nhsuk-notification-banner--success")
    expect(banner).to_contain_text(f"Step {first.number} is marked as complete.")
    assert in_view(page, banner), "the confirmation must be where the learner lands, not off-screen"
    nav = module_steps(page)
    expect(nav.get_by_role("listitem").first).to_contain_text("Completed")
    expect(nav.get_by_role("listitem").nth(1)).to_contain_text("Not completed")
    expect(nav.locator('[aria-current="step"]')).to_contain_text(second.title)
    expect(nav).to_contain_text(f"1 of {len(module.steps)} steps complete")
    expect(main(page)).to_contain_text(f"Step 2 of {len(module.steps)}")
    audit(page)


def test_one_click_completes_a_step_and_continues(page, live_server, axe_check):
    assert live_server.app.config["WTF_CSRF_ENABLED"]
    module = first_module(live_server)
    page.goto(live_server("/"))
    expect(main(page)).to_contain_text("A step is complete when you mark it complete.")
    register_and_sign_in(page, live_server, "path@example.org")
    complete_and_continue(page, live_server, module, axe_check)

    # Wide screen: the module's steps beside the step.
    article, nav = page.locator("article.lms-step").bounding_box(), module_steps(page).bounding_box()
    assert nav["x"] >= article["x"] + article["width"] - 1 and nav["y"] < article["y"] + article["height"]

    # Back to 1.1, now complete: continue, and the undo confirmed where it was pressed.
    first, second = module.steps[0], module.steps[1]
    page.goto(url(live_server, first))
    foot = page.locator("#progress-actions")
    expect(foot).to_contain_text("You have completed this step.")
    expect(foot.get_by_role("button", name=f"Continue to {second.number}")).to_have_attribute(
        "href", url(live_server, second).removeprefix(live_server.url)
    )  # a link styled, and announced, as a button
    foot.get_by_role("button", name="Mark as not complete").click()
    expect(page).to_have_url(url(live_server, first) + "#progress-actions")
    confirmation = page.locator("#progress-actions").get_by_role("status")
    expect(confirmation).to_have_text(f"Step {first.number} is marked as not complete.")
    assert in_view(page, confirmation)
    expect(main(page).locator(".nhsuk-notification-banner")).to_have_count(0)
    expect(module_steps(page)).to_contain_text(f"0 of {len(module.steps)} steps complete")
    axe_check(page)


def test_one_click_complete_and_continue_without_javascript_on_a_phone(new_context, live_server, axe_check):
    module = first_module(live_server)
    page = new_context(java_script_enabled=False, viewport={"width": 375, "height": 740}).new_page()
    page.goto(live_server("/"))
    register_and_sign_in(page, live_server, "path-nojs@example.org")
    complete_and_continue(page, live_server, module)
    # On a phone the columns stack: the module's steps come below the step.
    article, nav = page.locator("article.lms-step").bounding_box(), module_steps(page).bounding_box()
    assert nav["y"] >= article["y"] + article["height"] - 1
    assert nav["x"] >= 0 and nav["x"] + nav["width"] <= 375  # (the page's own width is the phones work's)


def test_the_certificate_page_names_the_steps_left(page, live_server, axe_check):
    page.goto(live_server("/"))
    register_and_sign_in(page, live_server, "cert-left@example.org")
    with live_server.app.app_context():
        outline = content.get_outline()
        user = accounts.find_by_email("cert-left@example.org")
        left = [s for s in outline.steps if s.type != "test"][-5:]  # all but five steps (and the test) complete
        for step in outline.steps:
            if step not in left and step.type != "test":
                completion.complete_step(user.id, step.id)
        db.session.commit()
        db.session.remove()

    page.goto(live_server("/certificate"))
    expect(main(page)).to_contain_text("Steps not yet complete:")
    links = main(page).locator(".lms-steps-left").get_by_role("link")
    expect(links).to_have_count(5)
    for link, step in zip(links.all(), left):
        expect(link).to_have_text(f"{step.number} {step.title}")
    expect(main(page)).to_contain_text("Pass the test at step")
    axe_check(page)
    links.first.click()
    expect(page).to_have_url(url(live_server, left[0]))
    expect(page.get_by_role("heading", level=1)).to_contain_text(left[0].number)


def test_a_failed_test_is_shown_as_not_passed(page, live_server, axe_check):
    facts = course_facts(live_server)
    test = facts["test"]
    page.goto(live_server("/"))
    register_and_sign_in(page, live_server, "failed@example.org")
    page.goto(url(live_server, test))
    for group, right in zip(page.locator("#answers fieldset").all(), facts["right"]):
        inputs = group.locator("input")
        wrong = next(i for i in range(inputs.count()) if i not in right)
        inputs.nth(wrong).check()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page).to_have_url(url(live_server, test) + "/results")
    expect(main(page)).not_to_contain_text("Success")
    expect(main(page).locator(".nhsuk-panel, .nhsuk-notification-banner--success")).to_have_count(0)
    panel = main(page).locator(".lms-result-panel")
    expect(panel.get_by_role("heading", name="Not a pass this time")).to_be_visible()
    expect(panel).to_contain_text("You scored 0%")
    expect(panel).to_contain_text(re.compile(r"You have \d+ attempts? left"))
    expect(panel.get_by_role("link", name="Review the steps of this module")).to_be_visible()
    axe_check(page)

    page.goto(url(live_server, test))
    expect(page.locator("#progress-actions")).to_contain_text("This step is marked complete when you pass the test.")
    expect(page.locator("#progress-actions")).not_to_contain_text("You have completed this step.")
    axe_check(page)
