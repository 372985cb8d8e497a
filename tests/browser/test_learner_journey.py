"""A learner's whole journey in a real browser, with CSRF on and the real course, audited by axe."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.pages import link_from_mail, main

PASSWORD = "correct horse battery staple"
NAME = "Robin Reader"


def register_and_sign_in(page, live_server, email: str, axe_check=None) -> None:
    """From the course page: create an account, follow the link in the email to confirm the
    address (which signs the learner in), join the course."""
    audit = axe_check or (lambda page: None)

    page.get_by_role("link", name="Create an account", exact=True).click()
    expect(page).to_have_url(live_server("/register"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    audit(page)

    page.get_by_label("Your name", exact=True).fill(NAME)
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_label("Create a password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(live_server("/check-your-email"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(main(page)).to_contain_text(f"We have sent an email to {email}.")
    audit(page)

    page.goto(link_from_mail(live_server, email, "Confirm your email address"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    audit(page)
    page.get_by_role("button", name="Confirm and sign in").click()

    # Signed in, on the course page, one button from joining.
    expect(page).to_have_url(live_server("/"))
    expect(main(page)).to_contain_text("Your email address is confirmed and you are signed in.")
    expect(page.get_by_role("link", name=f"{NAME} (your account)")).to_be_visible()
    audit(page)

    page.get_by_role("button", name="Join this course").click()
    expect(page).to_have_url(live_server("/todo"))
    expect(page.get_by_role("heading", level=1)).to_have_text("To do")
    expect(main(page)).to_contain_text("You have joined")


def open_first_step_and_complete_it(page, live_server, axe_check=None) -> None:
    audit = axe_check or (lambda page: None)

    page.get_by_role("link", name="Start with step 1.1").click()
    expect(page).to_have_url(re.compile(re.escape(live_server("/steps/")) + r"[\w-]+/[\w-]+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("1.1")
    expect(page.get_by_role("button", name="Mark as complete and continue to 1.2")).to_be_visible()
    expect(main(page)).not_to_contain_text("You have completed this step.")
    audit(page)

    # One button completes the step and opens the next, the confirmation at the top.
    page.get_by_role("button", name="Mark as complete and continue to 1.2").click()
    expect(page).to_have_url(re.compile(r"/steps/[\w-]+/[\w-]+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("1.2")
    expect(main(page)).to_contain_text("Step 1.1 is marked as complete.")
    expect(page.get_by_role("button", name="Mark as complete and continue to 1.3")).to_be_visible()
    expect(page.locator("#module-steps").get_by_role("listitem").first).to_contain_text("Completed")
    audit(page)


def open_progress(page, live_server, axe_check=None) -> None:
    audit = axe_check or (lambda page: None)
    total = live_server.published_steps

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Progress").click()
    expect(page).to_have_url(live_server("/progress"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your progress")
    expect(main(page)).to_contain_text(f"You have completed 1 of {total} steps")
    expect(page.get_by_label("Whole course: 1 of", exact=False)).to_have_attribute("value", "1")
    audit(page)


def test_learner_journey(page, live_server, axe_check):
    assert live_server.app.config["WTF_CSRF_ENABLED"]  # so every form below must carry its token
    total = live_server.published_steps
    page.goto(live_server("/"))
    expect(page).to_have_title(re.compile(r"^Compassionate and Collective Leadership"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Compassionate and Collective Leadership in Health and Care"
    )
    # A link styled, and announced, as a button.
    expect(page.get_by_role("button", name="Create an account to join")).to_have_attribute("href", "/register")
    axe_check(page)

    register_and_sign_in(page, live_server, "robin@example.org", axe_check)
    expect(page.get_by_label("Your progress: 0 of", exact=False)).to_have_attribute("max", str(total))
    axe_check(page)  # the to-do page

    open_first_step_and_complete_it(page, live_server, axe_check)
    open_progress(page, live_server, axe_check)

    # The module page, from the progress table.
    page.get_by_role("table").get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(re.escape(live_server("/modules/")) + r"[\w-]+$"))
    expect(page.get_by_text("Module 1", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Steps in this module")).to_be_visible()
    expect(main(page).locator(".lms-step-row--done")).to_have_count(1)
    expect(main(page).locator(".lms-step-row--done")).to_contain_text("Completed")
    axe_check(page)

    # The account page, from the header.
    page.get_by_role("link", name=f"{NAME} (your account)").click()
    expect(page).to_have_url(live_server("/account"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(main(page)).to_contain_text("You are signed in as robin@example.org.")
    expect(page.get_by_role("textbox", name="Your name")).to_have_value(NAME)
    axe_check(page)

    # Sign out (the header form carries its CSRF token), then the signed-out pages.
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(live_server("/"))
    expect(main(page)).to_contain_text("You have signed out.")
    account_nav = page.get_by_role("navigation", name="Account")
    expect(account_nav.get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    expect(account_nav.get_by_role("button", name="Sign out")).to_have_count(0)

    page.goto(live_server("/login"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_label("Email address", exact=True)).to_have_value("")
    axe_check(page)

    page.goto(live_server("/register"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    axe_check(page)

    response = page.goto(live_server("/no-such-page"))
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page).to_have_title(re.compile(r"^Page not found"))
    axe_check(page)

    # Signed out, the progress page asks the learner to sign in first.
    page.goto(live_server("/progress"))
    expect(page).to_have_url(re.compile(re.escape(live_server("/login")) + r"\?next="))


def test_journey_without_javascript(new_context, live_server):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Compassionate and Collective Leadership in Health and Care"
    )
    # No script ran: the NHS.UK frontend's `js-enabled` class was never added.
    expect(page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))

    register_and_sign_in(page, live_server, "nojs@example.org")
    open_first_step_and_complete_it(page, live_server)
    open_progress(page, live_server)


def test_form_errors_are_announced(page, live_server, axe_check):
    page.goto(live_server("/register"))
    page.get_by_role("button", name="Create account").click()

    summary = page.locator(".nhsuk-error-summary")
    expect(page).to_have_title(re.compile(r"^Error: Create an account"))
    expect(summary.get_by_role("alert")).to_contain_text("There is a problem")
    expected = {
        "display_name": "Enter your name",
        "email": "Enter your email address",
        "password": "Enter a password",
    }
    for field_id, message in expected.items():
        expect(summary.locator(f'a[href="#{field_id}"]')).to_have_text(message)
        _assert_error_beside_field(page, field_id, message)
    axe_check(page)

    page.get_by_label("Your name", exact=True).fill(NAME)
    page.get_by_label("Email address", exact=True).fill("robin@example.org")
    page.get_by_label("Create a password", exact=True).fill("too short")
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(live_server("/register"))
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(summary.get_by_role("link")).to_have_text("Password must be at least 12 characters")
    _assert_error_beside_field(page, "password", "Password must be at least 12 characters")
    # What was typed is kept, except the password, which is never sent back.
    expect(page.get_by_label("Your name", exact=True)).to_have_value(NAME)
    expect(page.get_by_label("Email address", exact=True)).to_have_value("robin@example.org")
    expect(page.get_by_label("Create a password", exact=True)).to_have_value("")
    for field_id in ("display_name", "email"):
        expect(page.locator(f"#{field_id}")).not_to_have_attribute("aria-describedby", re.compile("error"))
    axe_check(page)

    # The summary's link takes the learner to the field.
    summary.get_by_role("link").click()
    expect(page.locator("#password")).to_be_focused()


def _assert_error_beside_field(page, field_id: str, message: str) -> None:
    field = page.locator(f"#{field_id}")
    described_by = field.get_attribute("aria-describedby") or ""
    error_ids = [i for i in described_by.split() if "error" in i]
    assert error_ids, f"#{field_id} has no error in aria-describedby={described_by!r}"
    error = page.locator(f"#{error_ids[0]}")
    expect(error).to_have_text(f"Error: {message}")
    expect(error).to_be_visible()
    expect(field).to_have_accessible_description(re.compile(re.escape(message)))
    # Beside its field: in the same form group, which is marked as in error.
    group = page.locator(".nhsuk-form-group--error").filter(has=page.locator(f"#{field_id}"))
    expect(group).to_have_count(1)
    expect(group.locator(f"#{error_ids[0]}")).to_have_count(1)


def test_keyboard_skip_link(page, live_server):
    page.goto(live_server("/"))
    skip = page.get_by_role("link", name="Skip to main content")

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    box = skip.bounding_box()
    assert box is not None and box["width"] > 20 and box["height"] > 10, f"skip link not shown on focus: {box}"

    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server("/#maincontent"))
    expect(page.locator("#maincontent")).to_be_focused()  # the NHS.UK skip-link script moves focus
    # Focus has moved to the main content: the next Tab lands on its first control, past
    # the header's links (the course page's first is its "Create an account to join" button).
    page.keyboard.press("Tab")
    expect(page.locator("#maincontent :focus")).to_have_count(1)
    expect(page.get_by_role("button", name="Create an account to join")).to_be_focused()


def test_axe_check_reports_violations(page, axe_check):
    """The audit is not vacuous: a page with known faults fails it, naming rule and element."""
    page.set_content('<html><body><main><img src="data:,"><a href="/x"></a></main></body></html>')
    try:
        axe_check(page)
    except AssertionError as error:
        message = str(error)
    else:
        raise AssertionError("axe_check passed a page with an unlabelled image and an empty link")
    for expected in ("[image-alt]", "[link-name]", "[html-has-lang]", "impact=critical", '<img src="data:,">'):
        assert expected in message, message
