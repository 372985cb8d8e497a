"""A learner takes the real course's self-assessment twice, answers a quiz, passes the final
test and opens the certificate and its public page, in Chromium, with axe on every page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from lms.accounts import service as accounts
from lms.content import service as content
from lms.extensions import db
from lms.learning import completion
from tests.browser.pages import main
from tests.browser.test_learner_journey import NAME, register_and_sign_in


def course_facts(live_server) -> dict:
    """Where the real course's self-assessment, first quiz and final test are, and the test's answers."""
    with live_server.app.app_context():
        outline = content.get_outline()
        found = {
            "self": next(
                s
                for s in outline.steps
                if s.type == "self-assessment" and content.get_step_settings(s.id)["audience"] == "self"
            ),
            "quiz": next(s for s in outline.steps if s.type == "quiz"),
            "test": next(s for s in outline.steps if s.type == "test"),
        }
        questions = content.get_step_settings(found["test"].id)["questions"]
        found["right"] = [[i for i, o in enumerate(q["options"]) if o["correct"]] for q in questions]
        db.session.remove()
    return found


def url(live_server, step) -> str:
    return live_server(f"/steps/{step.module_slug}/{step.slug}")


def answer_every_statement(page, label: str) -> None:
    # .all() does not wait: after a click the form may not have arrived yet.
    expect(page.locator("#answers fieldset").first).to_be_visible()
    for group in page.locator("#answers fieldset").all():
        group.get_by_label(label, exact=True).check()


def complete_the_rest(live_server, email: str) -> None:
    """Mark every step complete, as the learner would with the button, to reach the 90%."""
    with live_server.app.app_context():
        user = accounts.find_by_email(email)
        for step in content.get_outline().steps:
            completion.complete_step(user.id, step.id)
        db.session.commit()
        db.session.remove()


def take_the_self_assessment_twice(page, live_server, axe_check, step) -> None:
    page.goto(url(live_server, step))
    expect(page.get_by_role("heading", level=2, name="Your answers")).to_be_visible()
    expect(page.get_by_role("button", name="Mark as complete")).to_have_count(0)
    axe_check(page)

    # Only the first statement answered: refused, every other statement marked, the answer kept.
    groups = page.locator("#answers fieldset")
    total = groups.count()
    groups.first.get_by_label("Often", exact=True).check()
    page.get_by_role("button", name="Save my answers and see my results").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("link")).to_have_count(total - 1)
    expect(page.locator("#answers fieldset").first.get_by_label("Often", exact=True)).to_be_checked()
    axe_check(page)
    summary.get_by_role("link").first.click()
    expect(page.locator("#answers fieldset").nth(1).locator("input").first).to_be_focused()

    answer_every_statement(page, "Sometimes")
    page.get_by_role("button", name="Save my answers and see my results").click()
    expect(page).to_have_url(url(live_server, step) + "/results")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your results")
    expect(main(page)).to_contain_text("Your answers are saved.")
    expect(page.get_by_role("img", name="Your scores in each area, out of 5")).to_be_visible()
    expect(main(page)).not_to_contain_text("Since last time")
    axe_check(page)

    page.get_by_role("link", name="Take it again").click()
    answer_every_statement(page, "Always")
    page.get_by_role("button", name="Save my answers and see my results").click()
    expect(page).to_have_url(url(live_server, step) + "/results")
    expect(main(page)).to_contain_text("your 2 times in all")
    expect(main(page)).to_contain_text(re.compile(r"Since last time: (up|down) \d\.\d"))
    expect(page.get_by_role("columnheader", name="Since last time")).to_be_visible()
    expect(page.locator("svg text", has_text="last time")).not_to_have_count(0)
    axe_check(page)


def answer_the_quiz(page, live_server, axe_check, step) -> None:
    page.goto(url(live_server, step))
    expect(page.get_by_role("heading", level=2, name="Check your understanding")).to_be_visible()
    axe_check(page)
    for group in page.locator("#answers fieldset").all():
        group.locator("input").first.check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page).to_have_url(url(live_server, step) + "/results")
    expect(main(page)).to_contain_text(re.compile(r"You got (\d+ of \d+ right|every question right)"))
    expect(main(page)).to_contain_text("You chose:")
    axe_check(page)


def pass_the_test(page, live_server, axe_check, step, right: list[list[int]]) -> None:
    page.goto(url(live_server, step))
    expect(page.get_by_role("heading", level=2, name="The test")).to_be_visible()
    axe_check(page)
    for group, options in zip(page.locator("#answers fieldset").all(), right):
        for index in options:
            group.locator("input").nth(index).check()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page).to_have_url(url(live_server, step) + "/results")
    passed = main(page).locator(".nhsuk-panel")  # green: a pass
    expect(passed).to_contain_text("You passed")
    expect(passed).to_contain_text("Your best score is 100%")
    axe_check(page)


def claim_and_check_the_certificate(page, live_server, axe_check, new_context) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Progress").click()
    expect(main(page)).to_contain_text("passed")
    axe_check(page)
    page.get_by_role("link", name="Get your certificate").click()
    expect(page).to_have_url(live_server("/certificate"))
    axe_check(page)
    page.get_by_role("button", name="Get my certificate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Certificate of achievement")
    certificate = page.locator(".lms-certificate")
    expect(certificate).to_contain_text(NAME)
    expect(certificate).to_contain_text("Compassionate and Collective Leadership in Health and Care")
    code = re.search(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", certificate.inner_text())[0]
    expect(page.get_by_role("button", name="Print or save as PDF")).to_be_visible()  # shown by JavaScript
    axe_check(page)

    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    width, height = map(float, re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf).groups())
    assert width > height and abs(width - 841.9) < 2, (width, height)  # A4 landscape, in points
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 1  # the certificate alone, on one page

    public = new_context().new_page()  # nobody signed in
    public.goto(live_server(f"/certificates/{code.lower().replace('-', '')}"))
    expect(public).to_have_url(live_server(f"/certificates/{code}"))
    expect(public.get_by_role("heading", level=1)).to_have_text("This certificate is genuine")
    for fact in (NAME, "Compassionate and Collective Leadership in Health and Care", code, "hours"):
        expect(main(public)).to_contain_text(fact)
    expect(main(public)).not_to_contain_text("@example.org")
    axe_check(public)


def test_assessment_journey(page, new_context, live_server, axe_check):
    assert live_server.app.config["WTF_CSRF_ENABLED"]
    facts = course_facts(live_server)
    page.goto(live_server("/"))
    register_and_sign_in(page, live_server, "sam@example.org")

    take_the_self_assessment_twice(page, live_server, axe_check, facts["self"])
    answer_the_quiz(page, live_server, axe_check, facts["quiz"])
    complete_the_rest(live_server, "sam@example.org")
    page.goto(live_server("/certificate"))
    expect(main(page)).to_contain_text("Pass the test at step")
    axe_check(page)
    pass_the_test(page, live_server, axe_check, facts["test"], facts["right"])
    claim_and_check_the_certificate(page, live_server, axe_check, new_context)


def test_a_quiz_without_javascript(new_context, live_server):
    facts = course_facts(live_server)
    page = new_context(java_script_enabled=False).new_page()
    page.goto(live_server("/"))
    register_and_sign_in(page, live_server, "nojs-quiz@example.org")
    page.goto(url(live_server, facts["quiz"]))
    page.get_by_role("button", name="Check my answers").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Answer question 1")
    for group in page.locator("#answers fieldset").all():
        group.locator("input").last.check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page).to_have_url(url(live_server, facts["quiz"]) + "/results")
    expect(main(page)).to_contain_text("You chose:")
