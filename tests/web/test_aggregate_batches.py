"""Self-assessment aggregates move only in whole batches of five, so nobody's answers can be
worked out by comparing what a page showed before and after one more person answered."""

from __future__ import annotations

import re
import shutil
from datetime import date

import pytest

from lms.cohorts import service as cohorts
from lms.cohorts.models import CohortRole
from lms.content import service as content
from lms.extensions import db
from tests.conftest import ASSESSMENT_MODULES
from tests.factories import PASSWORD, make_user
from tests.web.test_facilitation_support import TEAM_MODULE, text_of

# Speaking up (speak, blame reversed) and Support (help), per learner in turn: the
# ten learners' answers differ, so any single answer would move a mean or a band count.
ANSWERS = [(1, 5, 2), (2, 4, 3), (4, 2, 4), (5, 1, 5), (3, 3, 5), (5, 1, 1), (1, 5, 5), (2, 2, 2), (4, 4, 4), (5, 5, 3)]


@pytest.fixture
def outline(app, content_copy):
    shutil.copytree(ASSESSMENT_MODULES, content_copy / "modules", dirs_exist_ok=True)
    shutil.copytree(TEAM_MODULE, content_copy / "modules", dirs_exist_ok=True)
    content.import_content(content_copy)
    return content.get_outline()


@pytest.fixture
def team(outline):
    return next(s for s in outline.steps if s.slug == "our-culture")


@pytest.fixture
def cohort(outline, facilitator):
    cohort = cohorts.create_cohort(outline.course.id, "Ward leaders", date(2027, 1, 1), None)
    cohorts.add_member(cohort, facilitator.email, CohortRole.FACILITATOR)
    db.session.commit()
    return cohort


class Person:
    """A learner in the cohort with a browser of their own."""

    def __init__(self, app, cohort, name: str):
        self.user = make_user(display_name=name)
        cohorts.add_member(cohort, self.user.email, CohortRole.LEARNER)
        db.session.commit()
        self.client = app.test_client()
        signed_in = self.client.post("/login", data={"email": self.user.email, "password": PASSWORD})
        assert signed_in.status_code == 302

    def answer(self, step, speak: int, blame: int, help_: int) -> None:
        sheet = {"step": str(step.id), "statement-speak": speak, "statement-blame": blame, "statement-help": help_}
        response = self.client.post(f"/steps/{step.module_slug}/{step.slug}/answers", data=sheet)
        assert response.status_code == 302, response.text
        assert self.client.get(response.location).status_code == 200  # as a browser follows it (the flash)


def signed_in(app, user):
    client = app.test_client()
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return client


def page(client, url: str) -> str:
    """The page as its reader gets it, less the per-response nonce (a fresh one each time)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return re.sub(r'nonce="[^"]*"', 'nonce=""', response.text)


def test_a_sixth_answer_moves_neither_the_facilitators_figures_nor_a_learners_mirror(
    app, facilitator, cohort, team
):
    people = [Person(app, cohort, f"Learner {n}") for n in range(6)]
    for person, answers in zip(people[:5], ANSWERS):
        person.answer(team, *answers)
    staff = signed_in(app, facilitator)
    figures = f"/facilitate/cohorts/{cohort.id}/self-assessments"
    mirror = f"/steps/{team.module_slug}/{team.slug}/results"
    before = page(staff, figures), page(people[0].client, mirror)
    assert "Speaking up 3.0 1.4" in text_of(before[0])  # shown from five

    people[5].answer(team, *ANSWERS[5])

    assert page(staff, figures) == before[0]
    assert page(people[0].client, mirror) == before[1]
