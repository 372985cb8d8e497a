"""A report is noticed and handled, in a real browser with CSRF on: a learner reports a
comment in their cohort; the facilitator signs in, lands on My cohorts, sees the count
beside Moderation in the header, finds the comment marked "Reported" in the care queue
(linking to it in the moderation queue), follows the header's count, hides the comment
with a reason from the list the learner chose from, and the count goes. axe-core checks
each page; the facilitator's part runs again with JavaScript off."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from lms.cohorts import service as cohorts
from lms.cohorts.models import CohortRole
from lms.comments import rules
from lms.extensions import db
from tests.browser.pages import main, sign_in
from tests.factories import make_comment, make_user

SAID = "**Honestly**, the night staff on this ward never pull their weight."
REASONS = [str(words) for words in rules.REASONS.values()]  # their English words (no page here to ask)
REASON = str(rules.REASONS["unkind"])


def a_reported_comment_waits(live_server) -> str:
    """A cohort with a facilitator and two learners, one of whom has commented; the step's URL."""
    with live_server.app.app_context():
        from lms.content import service as content

        outline = content.get_outline()
        fola = make_user(email="fola@example.org", display_name="Fola Facilitator", role="facilitator")
        ama = make_user(email="ama@example.org", display_name="Ama Owusu")
        bryn = make_user(email="bryn@example.org", display_name="Bryn Evans")
        cohort = cohorts.create_cohort(outline.course.id, "Ward managers spring", date(2027, 3, 1), None)
        cohorts.add_member(cohort, fola.email, CohortRole.FACILITATOR)
        for learner in (ama, bryn):
            cohorts.add_member(cohort, learner.email, CohortRole.LEARNER)
        db.session.commit()  # the facilitator has not joined the course: moderation does not ask them to
        step = next(s for s in outline.steps if s.type == "discussion")
        make_comment(ama, step.id, SAID)
        db.session.remove()
        return live_server(f"/steps/{step.module_slug}/{step.slug}")


def reasons_offered(page) -> list[str]:
    return [label.strip() for label in page.locator(".nhsuk-radios__label").all_inner_texts()]


def moderation_link(page):
    return page.get_by_role("navigation", name="Menu").get_by_role("link", name="Moderation")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_report_is_noticed_from_the_header_and_handled(browser, live_server, axe_check, javascript):
    step_url = a_reported_comment_waits(live_server)
    context = {"bypass_csp": True, "locale": "en-GB"}
    bryn = browser.new_context(**context).new_page()
    fola = browser.new_context(**context, java_script_enabled=javascript).new_page()
    check = axe_check if javascript else (lambda page: None)  # axe runs as a script

    # A learner reports the comment, choosing a reason.
    sign_in(bryn, live_server, "bryn@example.org")
    bryn.goto(step_url)
    bryn.get_by_role("link", name="Report comment by Ama Owusu").click()
    expect(bryn.get_by_role("heading", level=1)).to_have_text("Report a comment")
    reported_from = reasons_offered(bryn)
    assert reported_from == REASONS
    bryn.get_by_label(REASON).check()
    bryn.get_by_label("Tell the facilitators more (optional)").fill("It blames a whole team.")
    bryn.get_by_role("button", name="Send report").click()
    expect(main(bryn)).to_contain_text("Thank you for reporting this comment.")

    # The facilitator signs in and lands on My cohorts, with the count beside Moderation.
    sign_in(fola, live_server, "fola@example.org")
    expect(fola).to_have_url(live_server("/facilitate/"))
    expect(fola.get_by_role("heading", level=1)).to_have_text("Your cohorts")
    expect(moderation_link(fola)).to_have_text("Moderation 1 waiting")
    expect(moderation_link(fola).locator(".lms-count")).to_be_visible()
    check(fola)

    # The care queue shows the comment as its thread does, marked Reported with the reason.
    fola.get_by_role("link", name="Ward managers spring").click()
    fola.get_by_role("navigation", name="This cohort").get_by_role("link", name="Care queue").click()
    card = main(fola).locator("li.nhsuk-card").filter(has_text="Ama Owusu").first
    expect(card.locator("strong.nhsuk-tag")).to_have_text("Reported")
    expect(card).to_contain_text(f"Reported {REASON}.")
    expect(card.locator(".lms-comment__body strong")).to_have_text("Honestly")  # rendered, not **Honestly**
    check(fola)
    card.get_by_role("link", name="Look at it in the moderation queue (comment by Ama Owusu)").click()
    expect(fola.get_by_role("heading", level=1)).to_have_text("Moderation queue")
    item = main(fola).locator("li.lms-queue__item").first
    expect(item).to_contain_text("It blames a whole team.")
    assert fola.url.endswith(f"#{item.get_attribute('id')}")
    check(fola)

    # From the header's count: the queue, where the comment is hidden with the learner's reason.
    fola.goto(live_server("/facilitate/"))
    moderation_link(fola).click()
    expect(fola.get_by_role("heading", level=1)).to_have_text("Moderation queue")
    expect(main(fola)).to_contain_text("1 comment waiting.")
    fola.get_by_role("link", name="Hide comment by Ama Owusu").click()
    expect(fola.get_by_role("heading", level=1)).to_have_text("Hide a comment")
    assert reasons_offered(fola) == reported_from  # the same reasons, in the same order and words
    check(fola)
    fola.get_by_label(REASON).check()
    fola.get_by_label("A note to the author").fill("Please talk about what happened, not about a whole team.")
    fola.get_by_role("button", name="Hide comment").click()
    expect(main(fola)).to_contain_text("The comment is hidden. Its author has been told why.")
    expect(main(fola)).to_contain_text("0 comments waiting.")
    expect(moderation_link(fola)).to_have_text("Moderation")  # the count has gone
    check(fola)

    # The care queue no longer lists the hidden comment.
    fola.goto(live_server("/facilitate/"))
    fola.get_by_role("link", name="Ward managers spring").click()
    fola.get_by_role("navigation", name="This cohort").get_by_role("link", name="Care queue").click()
    expect(main(fola)).to_contain_text("First comments nobody has answered (0)")
    expect(main(fola)).not_to_contain_text("night staff")
