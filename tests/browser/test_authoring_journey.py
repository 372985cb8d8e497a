"""An admin edits, previews, publishes and restores a step; a learner sees each version."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from lms.learning import service as learning
from tests.browser.pages import sign_in
from tests.factories import make_user

NEW_TEXT = "Staff who feel supported give better care: this sentence was written in the browser."


def test_admin_edits_publishes_and_restores_a_step(browser, live_server, axe_check):
    with live_server.app.app_context():
        make_user(email="admin@example.org", display_name="Ada Admin", role="admin")
        learner = make_user(email="learner@example.org", display_name="Lee Learner")
        from lms.content import service as content

        outline = content.get_outline()
        learning.join_course(learner.id, outline.course.id)
        second = outline.steps[1]
    step_url = live_server(f"/steps/{second.module_slug}/{second.slug}")

    admin = browser.new_context(bypass_csp=True).new_page()
    learner_page = browser.new_context(bypass_csp=True).new_page()
    sign_in(learner_page, live_server, "learner@example.org")
    learner_page.goto(step_url)
    original = learner_page.locator(".lms-prose").first.inner_text()
    assert NEW_TEXT not in original

    sign_in(admin, live_server, "admin@example.org")
    admin.get_by_role("link", name="Admin", exact=True).click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("People")
    axe_check(admin)
    admin.get_by_role("link", name="Lee Learner").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Lee Learner")
    axe_check(admin)
    admin.get_by_role("link", name="Cohorts", exact=True).click()
    admin.get_by_role("button", name="Create a cohort").click()
    axe_check(admin)
    admin.get_by_label("Cohort name").fill("Ward leaders")
    start = admin.get_by_role("group", name="Start date")
    start.get_by_label("Day").fill("1")
    start.get_by_label("Month").fill("3")
    start.get_by_label("Year").fill("2027")
    admin.get_by_role("button", name="Create cohort").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Ward leaders")
    admin.get_by_label("Email address", exact=True).fill("learner@example.org")
    admin.get_by_role("button", name="Add to cohort").click()
    expect(admin.locator("main")).to_contain_text("Lee Learner added as a learner")
    axe_check(admin)
    for link, heading in (("Cohorts", "Cohorts"), ("Audit log", "Audit log"), ("Course authoring", "Course authoring")):
        admin.get_by_role("link", name=link, exact=True).first.click()
        expect(admin.get_by_role("heading", level=1)).to_have_text(heading)
        axe_check(admin)

    admin.get_by_role("link", name=second.title, exact=True).click()
    expect(admin.get_by_role("heading", level=1)).to_have_text(f"Edit step: {second.title}")
    axe_check(admin)
    body = admin.get_by_label("Body (Markdown)")
    body.fill(NEW_TEXT + "\n\n## Sources\n\n- The course team")
    admin.get_by_role("button", name="Preview", exact=True).click()
    expect(admin.locator("#preview")).to_contain_text(NEW_TEXT)
    expect(admin.get_by_label("Body (Markdown)")).to_have_value(re.compile(re.escape(NEW_TEXT)))
    axe_check(admin)

    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator("main")).to_contain_text("Learners will see it when you publish.")
    expect(admin.locator("main")).to_contain_text("Changed since publish")
    learner_page.reload()
    expect(learner_page.locator("main")).not_to_contain_text(NEW_TEXT)

    admin.get_by_role("button", name=re.compile(r"^Publish revision \d+$")).click()
    expect(admin.locator("main")).to_contain_text("Published: learners now see this version.")
    learner_page.reload()
    expect(learner_page.locator("main")).to_contain_text(NEW_TEXT)

    admin.get_by_role("button", name="Compare revisions").click()
    expect(admin.get_by_role("heading", level=1)).to_contain_text("Changes from revision")
    expect(admin.locator("main")).to_contain_text("Added: " + NEW_TEXT)
    axe_check(admin)
    admin.go_back()

    admin.get_by_role("button", name="Restore revision 1").click()
    expect(admin.locator("main")).to_contain_text("Revision 1 restored")
    admin.get_by_role("button", name=re.compile(r"^Publish revision \d+$")).click()
    learner_page.reload()
    expect(learner_page.locator("main")).not_to_contain_text(NEW_TEXT)
    assert learner_page.locator(".lms-prose").first.inner_text() == original

    admin.goto(live_server("/admin/audit"))
    expect(admin.locator("main")).to_contain_text("restored revision 1 of step")
    axe_check(admin)
