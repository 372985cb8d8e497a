"""Private reflections in a real browser, with CSRF on and the real course: a learner writes a
reflection on a reflection step (autosave says it is saved) and a second one on a later step,
opens My reflections, shares an edited copy of the first in the step's comments, prints the
learning record (print media: the record alone) and downloads it as Markdown, and all their
data as JSON, then deletes their account: another learner still reads the shared comment,
from "a former learner". axe-core checks every page on the way."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import expect

from lms.learning import service as learning
from tests.browser.pages import main, sign_in
from tests.factories import PASSWORD, make_user

PRIVATE = "I noticed I stop listening when the ward is short-staffed. Sam on nights saw it too."
SHARED = "I noticed I stop listening when the ward is short-staffed. I now pause before I answer."
SECOND = "Asking the team what got in the way worked better than telling them what to do."


def test_reflection_journey(browser, live_server, axe_check):
    with live_server.app.app_context():
        from lms.content import service as content

        user = make_user(email="rhea@example.org", display_name="Rhea Reflects")
        reader = make_user(email="owen@example.org", display_name="Owen Other")
        outline = content.get_outline()
        learning.join_course(user.id, outline.course.id)
        learning.join_course(reader.id, outline.course.id)
        step, second = [s for s in outline.steps if s.type == "reflection"][:2]
    step_url = live_server(f"/steps/{step.module_slug}/{step.slug}")
    page = browser.new_context(bypass_csp=True, locale="en-GB", accept_downloads=True).new_page()

    sign_in(page, live_server, "rhea@example.org")

    # Write on the reflection step: the draft autosaves as the learner types.
    page.goto(step_url)
    expect(page.get_by_role("heading", level=2, name="Your private reflection")).to_be_visible()
    expect(main(page)).to_contain_text("Only you can read this.")
    axe_check(page)
    page.get_by_label("Your reflection", exact=True).fill(PRIVATE)
    expect(page.locator("[data-autosave-status]")).to_contain_text(
        re.compile(r"Draft saved at \d\d:\d\d"), timeout=10_000
    )
    page.get_by_label("Include this reflection in my learning record").check()
    page.get_by_role("button", name="Save reflection").click()
    expect(main(page)).to_contain_text("Your reflection is saved. Only you can read it.")
    axe_check(page)

    # A second reflection, on a later step, kept out of the learning record.
    page.goto(live_server(f"/steps/{second.module_slug}/{second.slug}"))
    page.get_by_label("Your reflection", exact=True).fill(SECOND)
    page.get_by_role("button", name="Save reflection").click()
    expect(main(page)).to_contain_text("Your reflection is saved. Only you can read it.")

    # My reflections lists both, with a way to share a copy.
    page.get_by_role("link", name="All my reflections").click()
    expect(main(page)).to_contain_text(SECOND)
    expect(page.get_by_role("heading", level=1)).to_have_text("My reflections")
    expect(main(page)).to_contain_text(PRIVATE)
    expect(main(page)).to_contain_text("In your learning record")
    axe_check(page)
    page.get_by_role("link", name=f"Share a copy in the comments of step {step.number}").click()

    # The share page: the comment box holds a copy, edited before posting.
    expect(page.get_by_role("heading", level=1)).to_have_text("Share your reflection in the comments")
    box = page.get_by_label("Your comment", exact=True)
    expect(box).to_have_value(PRIVATE)
    axe_check(page)
    box.fill(SHARED)
    page.get_by_role("button", name="Post comment").click()
    expect(page).to_have_url(re.compile(re.escape(step_url) + r"#comment-\d+$"))
    expect(main(page)).to_contain_text("Your comment has been posted.")
    expect(page.locator("li.lms-comment").filter(has_text=SHARED)).to_have_count(1)
    expect(page.locator("li.lms-comment").filter(has_text="Sam on nights")).to_have_count(0)
    expect(page.get_by_label("Your reflection", exact=True)).to_have_value(PRIVATE)  # unchanged
    axe_check(page)

    # The learning record includes the reflection, and downloads as Markdown.
    page.goto(live_server("/record/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning record")
    expect(main(page)).to_contain_text(PRIVATE)
    expect(main(page)).to_contain_text("Certificate")
    expect(main(page)).not_to_contain_text(SECOND)  # not chosen for the record
    axe_check(page)
    page.emulate_media(media="print")  # printed, the page is the record alone
    expect(page.locator("header").first).to_be_hidden()
    expect(page.locator("footer").first).to_be_hidden()
    expect(main(page)).to_contain_text(PRIVATE)
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as Markdown").click()
    assert download.value.suggested_filename == "learning-record.md"
    record = Path(download.value.path()).read_text(encoding="utf-8")
    assert record.startswith("# Learning record: ") and "- Learner: Rhea Reflects" in record
    assert f"### {step.number} {step.title}" in record and PRIVATE in record

    # Download my data, from the account page: the reflection and the comment are in it.
    page.get_by_role("link", name="Rhea Reflects (your account)").click()
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["account"]["email"] == "rhea@example.org"
    assert data["reflections"][0]["body_md"] == PRIVATE and data["comments"][0]["body_md"] == SHARED

    # Delete the account, with the password.
    page.get_by_role("link", name="Delete my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")
    axe_check(page)
    page.get_by_label("Your password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(main(page)).to_contain_text("Your account has been deleted.")
    page.context.close()

    # Another learner still reads the shared comment, now from a former learner.
    other = browser.new_context(bypass_csp=True, locale="en-GB").new_page()
    sign_in(other, live_server, "owen@example.org")
    other.goto(step_url)
    comment = other.locator("li.lms-comment").filter(has_text=SHARED)
    expect(comment).to_contain_text("A former learner")
    expect(other.locator("main#maincontent")).not_to_contain_text("Rhea Reflects")
    expect(other.locator("main#maincontent")).not_to_contain_text("Sam on nights")
    axe_check(other)
    other.context.close()
