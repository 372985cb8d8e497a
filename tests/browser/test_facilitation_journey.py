"""A facilitator follows a cohort in a real browser: signs in, opens the cohort from "My
cohorts", filters the stalled learners, downloads the CSV, opens the care queue and a
first-time poster's comment, and reads the team self-assessment aggregate (shown because
six learners answered: the batch of the first five); a learner sees their own scores beside the cohort's averages.
axe-core checks each page on the way."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from playwright.sync_api import expect

from lms.assessment import service as assessment
from lms.cohorts import service as cohorts
from lms.cohorts.models import CohortRole
from lms.db import utcnow
from lms.extensions import db
from lms.learning import service as learning
from lms.learning.models import StepProgress
from tests.browser.pages import sign_in
from tests.factories import make_comment, make_user

FIRST_COMMENT = "I am not sure my team would say I listen. Has anyone else felt this?"


def a_cohort(live_server) -> dict:
    """A cohort of six learners who answered the team self-assessment, one of whom has stalled
    and one of whom has posted once and had no reply."""
    with live_server.app.app_context():
        from lms.content import service as content

        outline = content.get_outline()
        facilitator = make_user(email="fola@example.org", display_name="Fola Facilitator", role="facilitator")
        cohort = cohorts.create_cohort(outline.course.id, "Ward managers spring", date(2027, 3, 1), None)
        cohorts.add_member(cohort, facilitator.email, CohortRole.FACILITATOR)
        learning.join_course(facilitator.id, outline.course.id)
        db.session.commit()
        team = next(
            s
            for s in outline.steps
            if s.type == "self-assessment" and content.get_step_settings(s.id)["audience"] == "team"
        )
        statements = assessment.settings_for(team, (assessment.SELF_ASSESSMENT,))["statements"]
        names = ["Ama Owusu", "Bryn Evans", "Cal Singh", "Dana Kowalski", "Eli Murphy", "Sal Stalled"]
        learners = []
        for n, name in enumerate(names):
            person = make_user(display_name=name)
            cohorts.add_member(cohort, person.email, CohortRole.LEARNER)
            db.session.commit()
            assessment.take_self_assessment(
                person.id, team, str(team.id), {s["id"]: [str(1 + (n + i) % 5)] for i, s in enumerate(statements)}
            )
            learners.append(person)
        stalled = learners[-1]
        db.session.execute(
            sa.update(StepProgress)
            .where(StepProgress.user_id == stalled.id)
            .values(last_visited_at=utcnow() - timedelta(days=30))
        )
        discussion = next(s for s in outline.steps if s.type == "discussion")
        make_comment(learners[0], discussion.id, FIRST_COMMENT)
        db.session.commit()
        db.session.remove()
        return {
            "cohort_id": cohort.id,
            "team_title": team.title,
            "learner_email": learners[0].email,
            "results": f"/steps/{team.module_slug}/{team.slug}/results",
        }


def test_facilitator_journey(page, live_server, axe_check):
    found = a_cohort(live_server)
    sign_in(page, live_server, "fola@example.org")

    # Signing in leads to My cohorts -> the cohort's dashboard: every learner, with progress.
    expect(page).to_have_url(live_server("/facilitate/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your cohorts")
    axe_check(page)
    page.get_by_role("link", name="Ward managers spring").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ward managers spring")
    expect(page.locator("main")).to_contain_text("6 learners shown")
    # The stalled learner is marked among everyone, and each filter says how many it shows.
    expect(page.get_by_role("row").filter(has_text="Sal Stalled")).to_contain_text("Stalled")
    expect(page.get_by_role("row").filter(has_text="Ama Owusu")).not_to_contain_text("Stalled")
    filters = page.get_by_role("navigation", name="Show learners")
    expect(filters.get_by_role("link", name="Everyone (6)")).to_have_attribute("aria-current", "true")
    axe_check(page)

    # Only the stalled learner is left when filtering; the CSV has the same people.
    filters.get_by_role("link", name="Stalled: no activity for 14 days (1)").click()
    expect(filters.get_by_role("link", name="Stalled: no activity for 14 days (1)")).to_have_attribute(
        "aria-current", "true"
    )
    expect(page.locator("main")).to_contain_text("1 learner shown")
    expect(page.get_by_role("table")).to_contain_text("Sal Stalled")
    expect(page.get_by_role("table")).not_to_contain_text("Ama Owusu")
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert [row[0] for row in rows] == ["Learner", "Sal Stalled"]

    # The care queue names the first-time poster and the stalled learner, and leads to the comment.
    page.get_by_role("navigation", name="This cohort").get_by_role("link", name="Care queue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Care queue")
    expect(page.locator("main")).to_contain_text("First comments nobody has answered (1)")
    expect(page.locator("main")).to_contain_text(FIRST_COMMENT)
    expect(page.get_by_role("table")).to_contain_text("Sal Stalled")
    axe_check(page)
    page.get_by_role("link", name="Read and reply to Ama Owusu").click()
    expect(page.locator("main")).to_contain_text(FIRST_COMMENT)

    # The team self-assessment, in aggregate: six answered, so the first five's batch is shown; no names.
    page.go_back()
    page.get_by_role("navigation", name="This cohort").get_by_role("link", name="Self-assessments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Self-assessments in Ward managers spring")
    team = page.locator("section").filter(has=page.get_by_role("heading", name=found["team_title"]))
    expect(team).to_contain_text(
        "About their team From the answers of 5 learners. Updated each time five more people have answered."
    )
    expect(team.get_by_role("columnheader", name="Average")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Ama Owusu")
    axe_check(page)

    # The discussion page counts the one comment.
    page.get_by_role("navigation", name="This cohort").get_by_role("link", name="Discussion").click()
    expect(page.locator("main")).to_contain_text("1 comment in the last 7 days, 1 in total")
    axe_check(page)


def test_a_learner_sees_their_scores_beside_the_cohorts(page, live_server, axe_check):
    found = a_cohort(live_server)
    sign_in(page, live_server, found["learner_email"])
    page.goto(live_server(found["results"]))
    mirror = page.get_by_role("table", name="Your latest scores beside the average in Ward managers spring")
    expect(mirror).to_contain_text("Cohort average")
    expect(page.locator("main")).not_to_contain_text("Bryn Evans")
    axe_check(page)
