"""Facilitators follow their own cohorts' progress; nobody else's, and nothing private."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lms.accounts.models import User
from lms.cohorts import service as cohorts
from lms.cohorts.models import CohortMember, CohortRole
from lms.db import utcnow
from lms.extensions import db
from lms.learning import completion
from lms.learning import service as learning
from lms.learning.models import Enrolment, StepProgress
from lms.spreadsheets import spreadsheet_safe
from tests.factories import PASSWORD, make_user


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def cohort(course, facilitator):
    cohort = cohorts.create_cohort(course.course.id, "Ward leaders", date(2027, 1, 1), None)
    cohorts.add_member(cohort, facilitator.email, CohortRole.FACILITATOR)
    db.session.commit()
    return cohort


def add_learner(cohort, name: str, completed: int = 0, days_ago: int | None = None, course=None) -> User:
    user = make_user(display_name=name)
    cohorts.add_member(cohort, user.email, CohortRole.LEARNER)
    db.session.commit()
    for step in course.steps[:completed]:
        completion.set_step_complete(user.id, step.id)
    if days_ago is not None:
        step = course.steps[max(completed - 1, 0)]
        learning.record_visit(user.id, step.id)
        db.session.execute(
            sa.update(StepProgress)
            .where(StepProgress.user_id == user.id)
            .values(last_visited_at=utcnow() - timedelta(days=days_ago))
        )
        db.session.commit()
    return user


@pytest.fixture
def people(cohort, course):
    return {
        "new": add_learner(cohort, "Nia New", course=course),
        "busy": add_learner(cohort, "Bea Busy", completed=2, days_ago=1, course=course),
        "stalled": add_learner(cohort, "Sam Stalled", completed=1, days_ago=30, course=course),
        "done": add_learner(cohort, "Dee Done", completed=4, days_ago=2, course=course),
    }


def test_anonymous_and_learners_cannot_facilitate(client, login, cohort, learner):
    assert client.get("/facilitate/").location.startswith("/login")
    assert client.get(f"/facilitate/cohorts/{cohort.id}").location.startswith("/login")
    login(learner)
    for url in (
        "/facilitate/",
        f"/facilitate/cohorts/{cohort.id}",
        f"/facilitate/cohorts/{cohort.id}/steps",
        f"/facilitate/cohorts/{cohort.id}/export.csv",
        f"/facilitate/cohorts/{cohort.id}/learners/{learner.id}",
    ):
        assert client.get(url).status_code == 403, url


def test_a_facilitator_of_another_cohort_is_refused(client, login, cohort, course):
    other = make_user(role="facilitator")
    mine = cohorts.create_cohort(course.course.id, "Other", date(2027, 1, 1), None)
    cohorts.add_member(mine, other.email, CohortRole.FACILITATOR)
    db.session.commit()
    login(other)
    assert [c.name for c in cohorts.facilitated_by(other)] == ["Other"]
    assert "Ward leaders" not in client.get("/facilitate/").text
    for url in (
        f"/facilitate/cohorts/{cohort.id}",
        f"/facilitate/cohorts/{cohort.id}/export.csv",
        f"/facilitate/cohorts/{cohort.id}/steps",
    ):
        assert client.get(url).status_code == 403, url
    assert client.get("/facilitate/cohorts/99999").status_code == 404


def test_admins_see_every_cohort(client, login, admin, cohort):
    login(admin)
    assert "Ward leaders" in client.get("/facilitate/").text
    assert client.get(f"/facilitate/cohorts/{cohort.id}").status_code == 200


def test_dashboard_shows_each_learner(client, login, facilitator, cohort, people):
    login(facilitator)
    text = text_of(client.get(f"/facilitate/cohorts/{cohort.id}").text)
    assert "4 learners shown" in text
    assert "Bea Busy 2 of 4 (50%)" in text and "1.2 Watch this" in text
    assert "Dee Done 4 of 4 (100%)" in text
    assert "Nia New 0 of 4 (0%) Not started" in text
    assert "Fay Facilitator" not in text.split("Last step visited", 1)[1]  # facilitators are not rows


@pytest.mark.parametrize(
    "show, names",
    [
        ("not-started", ["Nia New"]),
        ("stalled", ["Sam Stalled"]),
        ("completed", ["Dee Done"]),
        ("all", ["Bea Busy", "Dee Done", "Nia New", "Sam Stalled"]),
    ],
)
def test_dashboard_filters(client, login, facilitator, cohort, people, show, names):
    login(facilitator)
    text = text_of(client.get(f"/facilitate/cohorts/{cohort.id}?show={show}").text)
    shown = [n for n in ("Bea Busy", "Dee Done", "Nia New", "Sam Stalled") if n in text]
    assert shown == names


def stalled_names(page: str) -> list[str]:
    """The learners whose row carries the Stalled mark."""
    rows = re.findall(r'<tr class="nhsuk-table__row">(.*?)</tr>', page, re.S)
    return [text_of(row).split(" ")[0] for row in rows if "nhsuk-tag" in row and ">Stalled<" in row]


@pytest.mark.parametrize("show", ["all", "stalled", "not-started", "completed"])
def test_stalled_learners_are_marked_in_every_view_and_each_filter_shows_its_count(
    client, login, facilitator, cohort, people, show
):
    login(facilitator)
    page = client.get(f"/facilitate/cohorts/{cohort.id}?show={show}").text
    assert stalled_names(page) == (["Sam"] if show in ("all", "stalled") else [])
    nav = page.split('aria-label="Show learners">', 1)[1].split("</nav>", 1)[0]
    assert text_of(nav) == "Everyone (4) Not started (1) Stalled: no activity for 14 days (1) Completed (1)"
    # The filter in use, and only it, is marked: for assistive technology and to the eye (app.css).
    [current] = re.findall(r'<a href="([^"]*)" aria-current="true"', nav)
    assert f"show={show}" in current and nav.count("aria-current") == 1
    with client.get("/static/css/app.css") as response:
        css = response.text
    assert '.lms-filters a[aria-current="true"] { font-weight: 700;' in css and "border-bottom" in css


def test_the_csv_says_who_has_stalled(client, login, facilitator, cohort, people):
    login(facilitator)
    rows = list(
        csv.reader(io.StringIO(client.get(f"/facilitate/cohorts/{cohort.id}/export.csv").text.lstrip("\ufeff")))
    )
    assert rows[0][-1] == "Stalled (no activity for 14 days)"
    assert {row[0]: row[-1] for row in rows[1:]} == {
        "Bea Busy": "",
        "Dee Done": "",
        "Nia New": "",
        "Sam Stalled": "Yes",
    }


def test_dashboard_sorts_by_any_column(client, login, facilitator, cohort, people):
    login(facilitator)

    def order(query):
        text = text_of(client.get(f"/facilitate/cohorts/{cohort.id}?{query}").text)
        return sorted(("Bea Busy", "Dee Done", "Nia New", "Sam Stalled"), key=text.index)

    assert order("sort=completed&dir=desc") == ["Dee Done", "Bea Busy", "Sam Stalled", "Nia New"]
    assert order("sort=last_active&dir=desc") == ["Bea Busy", "Dee Done", "Sam Stalled", "Nia New"]
    assert order("sort=last_active") == ["Sam Stalled", "Dee Done", "Bea Busy", "Nia New"]
    assert order("sort=name&dir=desc") == ["Sam Stalled", "Nia New", "Dee Done", "Bea Busy"]
    assert 'aria-sort="descending"' in client.get(f"/facilitate/cohorts/{cohort.id}?sort=name&dir=desc").text


def test_csv_export_is_complete_and_formula_safe(client, login, facilitator, cohort, course):
    add_learner(cohort, '=HYPERLINK("http://evil")', completed=1, days_ago=1, course=course)
    add_learner(cohort, "Zoë Ünïcode", course=course)
    login(facilitator)
    response = client.get(f"/facilitate/cohorts/{cohort.id}/export.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    body = response.data.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:2] == ["Learner", "Steps completed"]
    assert rows[1][0] == '\'=HYPERLINK("http://evil")' and rows[1][1] == "1"
    assert rows[2][0] == "Zoë Ünïcode"


@pytest.mark.parametrize(
    "value, safe",
    [
        ("=1+1", "'=1+1"),
        ("+44", "'+44"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Plain", "Plain"),
        (None, ""),
        (5, "5"),
    ],
)
def test_spreadsheet_safe(value, safe):
    assert spreadsheet_safe(value) == safe


def test_step_funnel_counts_reached_and_completed(client, login, facilitator, cohort, people):
    login(facilitator)
    page = client.get(f"/facilitate/cohorts/{cohort.id}/steps").text
    text = text_of(page)
    assert "1.1 Welcome 3 3" in text and "1.2 Watch this 2 2" in text and "2.1 Look back 1 1" in text
    assert "<svg" in page and 'role="img"' in page and "style=" not in page.split("<svg", 1)[1].split("</svg>")[0]


def test_drop_off_counts_a_step_completed_by_the_rule_progress_uses(app, client, login, facilitator, cohort, course):
    """Four learners open the discussion step and post (which completes it), one saves a
    reflection (which completes that): the chart and each learner's progress agree."""
    talk, look_back = course.steps[2], course.steps[3]
    names = ["Ann", "Ben", "Cat", "Dan"]
    learners = [add_learner(cohort, name, course=course) for name in names]
    for user in learners:
        own = app.test_client()
        assert own.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
        assert own.get(f"/steps/{talk.module_slug}/{talk.slug}").status_code == 200
        assert (
            own.post(f"/steps/{talk.module_slug}/{talk.slug}/comments", data={"body": "On my ward"}).status_code == 302
        )
    own.post(f"/steps/{look_back.module_slug}/{look_back.slug}/reflection", data={"body": "I listen more"})
    login(facilitator)
    text = text_of(client.get(f"/facilitate/cohorts/{cohort.id}/steps").text)
    assert f"{talk.number} {talk.title} 4 4" in text and f"{look_back.number} {look_back.title} 1 1" in text
    for user in learners:
        progress = learning.progress_for(user.id, course)
        assert talk.id in progress.completed_ids and (look_back.id in progress.completed_ids) == (
            user.display_name == "Dan"
        )


def test_learner_summary_shows_progress_but_nothing_private(client, login, facilitator, cohort, people, intruder):
    login(facilitator)
    text = text_of(client.get(f"/facilitate/cohorts/{cohort.id}/learners/{people['busy'].id}").text)
    assert "Bea Busy" in text and "2 of 4 steps complete (50%)" in text and "1. First steps 2 of 3" in text
    assert client.get(f"/facilitate/cohorts/{cohort.id}/learners/{intruder.id}").status_code == 404


def test_dashboard_for_a_large_cohort_uses_a_fixed_number_of_queries(
    client, login, facilitator, cohort, course, count_queries
):
    """5,000 learners with progress: the page is paginated and its query count does not grow."""
    hashed = db.session.get(User, facilitator.id).password_hash
    db.session.execute(
        sa.insert(User),
        [
            {
                "email": f"bulk{n}@example.org",
                "display_name": f"Bulk {n:04d}",
                "password_hash": hashed,
                "role": "learner",
                "active": True,
                "created_at": utcnow(),
            }
            for n in range(5000)
        ],
    )
    ids = db.session.scalars(sa.select(User.id).where(User.email.like("bulk%"))).all()
    db.session.execute(
        sa.insert(CohortMember),
        [{"cohort_id": cohort.id, "user_id": i, "role": "learner", "created_at": utcnow()} for i in ids],
    )
    db.session.execute(
        sa.insert(Enrolment), [{"user_id": i, "course_id": course.course.id, "joined_at": utcnow()} for i in ids]
    )
    now = utcnow()
    db.session.execute(
        sa.insert(StepProgress),
        [
            {
                "user_id": i,
                "step_id": course.steps[n % 4].id,
                "first_visited_at": now,
                "last_visited_at": now,
                "completed_at": now if n % 2 else None,
            }
            for n, i in enumerate(ids)
        ],
    )
    db.session.commit()
    login(facilitator)
    with count_queries() as statements:
        page = client.get(f"/facilitate/cohorts/{cohort.id}?sort=completed&dir=desc&page=3")
    assert page.status_code == 200 and "5000 learners shown" in text_of(page.text)
    assert "Page 4 of 100" in text_of(page.text)
    assert len(statements) <= 10, statements
    for show in ("all", "not-started", "stalled", "completed"):  # each with every filter's count
        with count_queries() as counted:
            assert "Everyone (5000)" in text_of(client.get(f"/facilitate/cohorts/{cohort.id}?show={show}").text)
        assert len(counted) == len(statements), show
    with count_queries() as statements:
        assert client.get(f"/facilitate/cohorts/{cohort.id}/steps").status_code == 200
    assert len(statements) <= 10
