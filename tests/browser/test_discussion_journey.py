"""A discussion in a real browser, with CSRF on: learner A comments, learner B replies and
likes, A sees the notification, B reports A's comment, the facilitator hides it with a
reason, and A sees the reason. axe-core checks the step, profile, notifications and
moderation pages on the way."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from lms.learning import service as learning
from tests.browser.pages import sign_in
from tests.factories import make_user

A_COMMENT = "On my ward we start each handover by asking how everyone is. It takes two minutes."
B_REPLY = "We tried this in theatre recovery too: people *do* answer honestly."
HIDE_NOTE = "Please take out the name of the ward, so no colleague can be identified."


def comment_of(page, author: str):
    """The comment (list item) whose byline names the author."""
    return page.locator("li.lms-comment").filter(has=page.locator(".lms-comment__byline", has_text=author)).first


def test_discussion_journey(browser, live_server, axe_check):
    with live_server.app.app_context():
        from lms.content import service as content

        people = {
            "a": make_user(email="annie@example.org", display_name="Annie Ahmed"),
            "b": make_user(email="ben@example.org", display_name="Ben Brown"),
            "f": make_user(email="fran@example.org", display_name="Fran Facilitator", role="facilitator"),
        }
        outline = content.get_outline()
        for person in people.values():
            learning.join_course(person.id, outline.course.id)
        step = next(s for s in outline.steps if s.type == "discussion")
    step_url = live_server(f"/steps/{step.module_slug}/{step.slug}")
    annie, ben, fran = (browser.new_context(bypass_csp=True, locale="en-GB").new_page() for _ in range(3))

    # A comments on a discussion step, under its prompt.
    sign_in(annie, live_server, "annie@example.org")
    annie.goto(step_url)
    expect(annie.get_by_role("heading", level=2, name=re.compile(r"^Comments"))).to_be_visible()
    axe_check(annie)
    annie.get_by_label("Your comment", exact=True).fill(A_COMMENT)
    annie.get_by_role("button", name="Post comment").click()
    expect(annie).to_have_url(re.compile(r"#comment-\d+$"))
    expect(annie.locator("main")).to_contain_text("Your comment has been posted.")
    expect(comment_of(annie, "Annie Ahmed")).to_contain_text(A_COMMENT)
    axe_check(annie)

    # B replies (the reply box opens from its "Reply" summary) and likes A's comment.
    sign_in(ben, live_server, "ben@example.org")
    ben.goto(step_url)
    theirs = comment_of(ben, "Annie Ahmed")
    theirs.locator("summary", has_text="Reply to comment by Annie Ahmed").click()
    theirs.get_by_label("Your reply to Annie Ahmed").fill(B_REPLY)
    theirs.get_by_role("button", name="Post reply").click()
    expect(ben.locator("main")).to_contain_text("Your reply has been posted.")
    reply = ben.locator(".lms-comments--replies li.lms-comment").first
    expect(reply).to_contain_text("We tried this in theatre recovery too")
    expect(reply.locator("em")).to_have_text("do")
    comment_of(ben, "Annie Ahmed").get_by_role("button", name="Like comment by Annie Ahmed").click()
    expect(comment_of(ben, "Annie Ahmed").locator(".lms-comment__likes").first).to_have_text("1 like")
    expect(comment_of(ben, "Annie Ahmed").get_by_role("button", name="Unlike comment by Annie Ahmed")).to_be_visible()
    axe_check(ben)

    # A sees the count in the header, and the notifications.
    annie.goto(live_server("/todo"))
    expect(annie.get_by_role("link", name="Notifications 2 unread")).to_be_visible()
    annie.get_by_role("link", name="Notifications 2 unread").click()
    expect(annie.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(annie.locator("main")).to_contain_text("Ben Brown replied to your comment")
    expect(annie.locator("main")).to_contain_text("Ben Brown liked your comment")
    axe_check(annie)
    annie.get_by_role("link", name="Ben Brown replied to your comment").click()
    expect(annie.locator("main")).to_contain_text("We tried this in theatre recovery too")
    annie.goto(live_server("/notifications"))
    annie.get_by_role("button", name="Mark all as read").click()
    expect(annie.get_by_role("link", name="Notifications", exact=True)).to_be_visible()

    # B opens A's profile (from the byline) and follows her; axe checks the profile page.
    ben.goto(step_url)
    comment_of(ben, "Annie Ahmed").get_by_role("link", name="Annie Ahmed").first.click()
    expect(ben.get_by_role("heading", level=1)).to_have_text("Annie Ahmed")
    expect(ben.locator("main")).to_contain_text(A_COMMENT)
    axe_check(ben)
    ben.get_by_role("button", name="Follow Annie Ahmed").click()
    expect(ben.get_by_role("button", name="Unfollow Annie Ahmed")).to_be_visible()

    # B reports A's comment, with a reason.
    ben.goto(step_url)
    comment_of(ben, "Annie Ahmed").get_by_role("link", name="Report comment by Annie Ahmed").click()
    expect(ben.get_by_role("heading", level=1)).to_have_text("Report a comment")
    axe_check(ben)
    ben.get_by_label("Shares confidential or identifiable information").check()
    ben.get_by_label("Tell the facilitators more (optional)").fill("It names the ward.")
    ben.get_by_role("button", name="Send report").click()
    expect(ben.locator("main")).to_contain_text("Thank you for reporting this comment.")

    # The facilitator finds it in the queue, with the report, and hides it with a reason.
    sign_in(fran, live_server, "fran@example.org")
    fran.get_by_role("navigation", name="Menu").get_by_role("link", name="Moderation").click()
    expect(fran.get_by_role("heading", level=1)).to_have_text("Moderation queue")
    expect(fran.locator("main")).to_contain_text("It names the ward.")
    expect(fran.locator("main")).to_contain_text(A_COMMENT)
    axe_check(fran)
    fran.get_by_role("link", name="Hide comment by Annie Ahmed").click()
    expect(fran.get_by_role("heading", level=1)).to_have_text("Hide a comment")
    axe_check(fran)
    fran.get_by_label("Shares confidential or identifiable information (for example about a patient)").check()
    fran.get_by_label("A note to the author").fill(HIDE_NOTE)
    fran.get_by_role("button", name="Hide comment").click()
    expect(fran.locator("main")).to_contain_text("The comment is hidden. Its author has been told why.")
    expect(fran.locator("main")).to_contain_text("Nothing to look at.")

    # Others see a placeholder; the reply keeps its place.
    ben.goto(step_url)
    expect(ben.locator("main")).to_contain_text("This comment was hidden by a facilitator.")
    expect(ben.locator("main")).not_to_contain_text(A_COMMENT)
    expect(ben.locator("main")).to_contain_text("We tried this in theatre recovery too")

    # A is told, and sees the reason and the note beside her comment.
    annie.goto(live_server("/notifications"))
    expect(annie.locator("main")).to_contain_text("A facilitator hid your comment and said why")
    axe_check(annie)
    annie.get_by_role("link", name="A facilitator hid your comment and said why").click()
    mine = comment_of(annie, "Annie Ahmed")
    expect(mine).to_contain_text("Hidden by a facilitator.")
    expect(mine).to_contain_text(
        "Reason: Shares confidential or identifiable information (for example about a patient)"
    )
    expect(mine).to_contain_text(HIDE_NOTE)
    expect(mine).to_contain_text(A_COMMENT)
    expect(mine.get_by_role("button", name="Ask for a review of your hidden comment")).to_be_visible()
    axe_check(annie)


def test_commenting_and_replying_work_without_javascript(new_context, live_server):
    with live_server.app.app_context():
        from lms.content import service as content

        person = make_user(email="nojs@example.org", display_name="Nia Nojs")
        outline = content.get_outline()
        learning.join_course(person.id, outline.course.id)
        step = next(s for s in outline.steps if s.type == "discussion")
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, live_server, "nojs@example.org")
    page.goto(live_server(f"/steps/{step.module_slug}/{step.slug}"))
    page.get_by_label("Your comment", exact=True).fill("Posted with scripts switched off.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("main")).to_contain_text("Your comment has been posted.")
    mine = comment_of(page, "Nia Nojs")
    mine.locator("summary", has_text="Reply to comment by Nia Nojs").click()  # native <details>
    mine.get_by_label("Your reply to Nia Nojs").fill("And a reply, the same way.")
    mine.get_by_role("button", name="Post reply").click()
    expect(page.locator(".lms-comments--replies")).to_contain_text("And a reply, the same way.")
    page.get_by_role("combobox", name="Sort by").select_option("oldest")
    page.get_by_role("button", name="Show comments").click()
    expect(page).to_have_url(re.compile(r"sort=oldest"))
    expect(page.locator("main")).to_contain_text("Posted with scripts switched off.")
