"""A cohort run a week at a time, in a real browser with CSRF on and the real course: an admin
makes a weekly cohort (a mistake in the dates first, shown and kept as typed), and adds a
learner; the learner sees each week with its opening date, finds no link into week 2, and
reaching a week 2 step by the Next link or its address is told when it opens. With and
without JavaScript; axe-core checks every page on the way when scripts run."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from lms.learning.pacing import long_date, uk_today
from tests.browser.pages import main, sign_in
from tests.factories import make_user

WEEKLY = "Weekly: module 1 opens on the start date, then one more module each week"


def fill_date(page, legend: str, day) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day) if day else "")
    group.get_by_label("Month").fill(str(day.month) if day else "")
    group.get_by_label("Year").fill(str(day.year) if day else "")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_learner_in_a_weekly_cohort_sees_when_each_week_opens(new_context, live_server, axe_check, javascript):
    today = uk_today()
    week_2_opens = long_date(today + timedelta(days=7))
    check = axe_check if javascript else (lambda page: None)  # axe runs as a script
    with live_server.app.app_context():
        from lms.content import service as content

        make_user(email="ada@example.org", display_name="Ada Admin", role="admin")
        make_user(email="wren@example.org", display_name="Wren Weekly")
        outline = content.get_outline()
        week_1, week_2 = outline.modules[0], outline.modules[1]
        last_of_week_1, first_of_week_2 = week_1.steps[-1], week_2.steps[0]

    # The admin makes the cohort: an end date before the start is refused, as typed.
    admin = new_context(java_script_enabled=javascript).new_page()
    sign_in(admin, live_server, "ada@example.org")
    admin.goto(live_server("/admin/cohorts/new"))
    check(admin)
    admin.get_by_label("Cohort name").fill("Ward leaders, spring")
    fill_date(admin, "Start date", today)
    admin.get_by_label(WEEKLY).check()
    fill_date(admin, "End date (optional)", today - timedelta(days=1))
    admin.get_by_role("button", name="Create cohort").click()
    summary = admin.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("The end date must be the same as or after the start date")
    expect(admin.get_by_role("group", name="End date (optional)").get_by_label("Day")).to_have_value(
        str((today - timedelta(days=1)).day)
    )
    expect(admin.get_by_label(WEEKLY)).to_be_checked()
    check(admin)
    fill_date(admin, "End date (optional)", today + timedelta(days=70))
    admin.get_by_role("button", name="Create cohort").click()
    expect(main(admin)).to_contain_text("Cohort Ward leaders, spring created")
    admin.get_by_label("Email address", exact=True).fill("wren@example.org")
    admin.get_by_role("button", name="Add to cohort").click()
    expect(main(admin)).to_contain_text("Wren Weekly added as a learner")
    check(admin)

    # The learner sees each week's date on the course page and the to-do list.
    page = new_context(java_script_enabled=javascript).new_page()
    sign_in(page, live_server, "wren@example.org")
    page.goto(live_server("/"))
    expect(main(page)).to_contain_text(f"Week 1: opened on {long_date(today)}")
    expect(main(page)).to_contain_text(f"Week 2: opens on {week_2_opens}")
    check(page)
    page.goto(live_server("/todo"))
    expect(main(page)).to_contain_text(f"Week 2: opens on {week_2_opens}")
    expect(main(page).get_by_text(first_of_week_2.title, exact=True)).to_be_visible()
    expect(main(page).get_by_role("link", name=first_of_week_2.title, exact=True)).to_have_count(0)
    check(page)

    # The module page of week 2 says when it opens, and links to none of its steps.
    page.goto(live_server(f"/modules/{week_2.slug}"))
    expect(main(page)).to_contain_text(f"This module opens on {week_2_opens} for your cohort")
    expect(main(page).get_by_role("link", name=first_of_week_2.title, exact=True)).to_have_count(0)
    check(page)

    # From the last step of week 1, Next leads to a page that says when week 2 opens.
    page.goto(live_server(f"/steps/{last_of_week_1.module_slug}/{last_of_week_1.slug}"))
    page.get_by_role("link", name=f"Next : {first_of_week_2.number} {first_of_week_2.title}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(first_of_week_2.title)
    expect(main(page)).to_contain_text(f"This step opens on {week_2_opens}")
    expect(main(page).get_by_role("button")).to_have_count(0)  # no Mark as complete, no comment box
    expect(page.locator("#discussion")).to_have_count(0)
    check(page)
