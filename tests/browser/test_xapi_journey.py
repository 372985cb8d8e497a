"""xAPI's two pages in a real browser, audited by axe: a learner chooses to share their
self-assessment scores; an admin sees a statement that failed on the Outbox page and sends
it again."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from lms.extensions import db
from lms.mail import outbox
from lms.mail.models import OutboxMessage, OutboxStatus
from tests.browser.pages import main, sign_in
from tests.factories import make_user


def test_a_learner_chooses_to_share_scores_and_an_admin_resends_a_failed_statement(
    browser, page, live_server, axe_check
):
    live_server.app.config["LMS_XAPI_ENDPOINT"] = "http://127.0.0.1:9/xAPI/"  # on; nothing is delivered here
    learner = make_user(email="lou@example.org", display_name="Lou Learner")
    make_user(email="ada@example.org", display_name="Ada Admin", role="admin")
    row = outbox.add("xapi", recipient="learning record store", subject="experienced", payload={}, user_id=learner.id)
    row.status, row.last_error = OutboxStatus.FAILED, "PermanentFailure: 400 refused"
    db.session.commit()
    row_id = row.id
    db.session.remove()

    sign_in(page, live_server, "lou@example.org")
    page.goto(live_server("/account"))
    box = page.get_by_label("Send my self-assessment scores to my organisation's learning records")
    expect(box).not_to_be_checked()
    axe_check(page)
    box.check()
    page.get_by_role("button", name="Save my choice").click()
    expect(page.get_by_text("Your choice about sharing your scores has been saved.")).to_be_visible()
    expect(page.get_by_label("Send my self-assessment scores to my organisation's learning records")).to_be_checked()

    admin = browser.new_context(locale="en-GB", bypass_csp=True).new_page()
    sign_in(admin, live_server, "ada@example.org")
    admin.goto(live_server("/admin/mail"))
    expect(admin.get_by_role("heading", level=1)).to_have_text("Outbox")
    kinds = main(admin).get_by_role("table", name="What the outbox holds")
    expect(kinds.get_by_role("row", name="xAPI statements")).to_have_text(re.compile(r"xAPI statements\s+0\s+0\s+1"))
    axe_check(admin)
    admin.get_by_role("button", name="Send the chosen messages again").click()
    expect(admin.get_by_text("1 message will be sent again.")).to_be_visible()
    assert db.session.get(OutboxMessage, row_id).status == OutboxStatus.PENDING
