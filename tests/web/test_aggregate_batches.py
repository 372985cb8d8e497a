"""Self-assessment aggregates move only in whole batches of five, so nobody's answers can be
worked out by comparing what a page showed before and after one more person answered."""

from __future__ import annotations

import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
import sqlalchemy as sa

from lms.assessment import service as assessment
from lms.cohorts import service as cohorts
from lms.cohorts.models import CohortRole
from lms.content import service as content
from lms.extensions import db
from lms.facilitation import batches as aggregate_batches
from lms.facilitation.models import AggregateSnapshot
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


@pytest.fixture
def learners(app, cohort, team):
    """`learners(n, answered=k)`: n learners of the cohort, each signed in, the first k of whom
    have answered the team self-assessment with ANSWERS in turn."""

    def make(count: int, answered: int = 0) -> list[Person]:
        people = [Person(app, cohort, f"Learner {n}") for n in range(count)]
        for person, answers in zip(people[:answered], ANSWERS):
            person.answer(team, *answers)
        return people

    return make


def signed_in(app, user):
    client = app.test_client()
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return client


def page(client, url: str) -> str:
    """The page as its reader gets it, less what every response makes afresh: the script
    nonce, and the sign-out form's CSRF token (it carries the time it was signed)."""
    response = client.get(url)
    assert response.status_code == 200, url
    text = re.sub(r'nonce="[^"]*"', 'nonce=""', response.text)
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""', text)


def test_a_sixth_answer_moves_neither_the_facilitators_figures_nor_a_learners_mirror(
    app, facilitator, cohort, team, learners
):
    people = learners(6, answered=5)
    staff = signed_in(app, facilitator)
    figures = f"/facilitate/cohorts/{cohort.id}/self-assessments"
    mirror = f"/steps/{team.module_slug}/{team.slug}/results"
    before = page(staff, figures), page(people[0].client, mirror)
    assert "Speaking up 3.0 1.4" in text_of(before[0])  # shown from five

    people[5].answer(team, *ANSWERS[5])

    assert page(staff, figures) == before[0]
    assert page(people[0].client, mirror) == before[1]


def progress_rows(csv_text: str) -> dict[str, str]:
    """The progress CSV's rows by learner name."""
    return {line.split(",", 1)[0]: line for line in csv_text.strip().splitlines()[1:]}


def cohort_averages(results_page: str) -> list[str]:
    """The "Cohort average" column of the mirror on a learner's results page."""
    table = results_page.split("You and your cohort", 1)[1].split("</table>", 1)[0]
    return [text_of(row.split("</td>", 2)[1]) for row in table.split('<tr class="nhsuk-table__row">')[2:]]


class Views:
    """Everything each role is shown of the cohort's answers, read afresh each time."""

    def __init__(self, app, facilitator, cohort, team, first: Person):
        self.staff, self.first = signed_in(app, facilitator), first
        self.figures = f"/facilitate/cohorts/{cohort.id}/self-assessments"
        self.csv = f"/facilitate/cohorts/{cohort.id}/export.csv"
        self.mirror = f"/steps/{team.module_slug}/{team.slug}/results"

    def read(self) -> dict[str, str]:
        return {
            "facilitator's figures": page(self.staff, self.figures),
            "progress CSV": self.staff.get(self.csv).text,
            "a learner's results and mirror": page(self.first.client, self.mirror),
        }


def test_learners_six_to_nine_cannot_be_recovered_from_anything_anyone_sees(app, facilitator, cohort, team, learners):
    people = learners(10, answered=5)
    views = Views(app, facilitator, cohort, team, people[0])
    first_batch = views.read()
    figures = text_of(first_batch["facilitator's figures"])
    assert "From the answers of 5 learners. Updated each time five more people have answered" in figures
    assert "Speaking up 3.0 1.4 A priority to build: 2 (40%) A strength: 3 (60%)" in figures
    assert "Support 3.8 1.2 Partly there: 2 (40%) Strong: 3 (60%)" in figures
    assert cohort_averages(first_batch["a learner's results and mirror"]) == ["3.0", "3.8"]
    header = first_batch["progress CSV"].splitlines()[0]
    assert "Speaking up" not in first_batch["progress CSV"] and "Average" not in header  # progress only

    for person, answers in zip(people[5:9], ANSWERS[5:9]):
        before = views.read()
        person.answer(team, *answers)
        after = views.read()
        for view in ("facilitator's figures", "a learner's results and mirror"):
            assert after[view] == before[view] == first_batch[view], (person.user.display_name, view)
        # The CSV shows progress, never answers: only the answering learner's own row moves.
        rows_before, rows_after = progress_rows(before["progress CSV"]), progress_rows(after["progress CSV"])
        name = person.user.display_name
        assert {k: v for k, v in rows_after.items() if k != name} == {k: v for k, v in rows_before.items() if k != name}
        # The learner who answered sees the same figures as everyone else: the first batch.
        assert cohort_averages(page(person.client, views.mirror)) == ["3.0", "3.8"]

    people[9].answer(team, *ANSWERS[9])
    second_batch = views.read()
    figures = text_of(second_batch["facilitator's figures"])
    assert second_batch["facilitator's figures"] != first_batch["facilitator's figures"]
    assert "From the answers of 10 learners" in figures
    # Speaking up per learner: 1, 2, 4, 5, 3, 5, 1, 3, 3, 3 -> 3.0, SD 1.3; Support: 2, 3, 4,
    # 5, 5, 1, 5, 2, 4, 3 -> 3.4, SD 1.4.
    assert "Speaking up 3.0 1.3 A priority to build: 3 (30%) A strength: 7 (70%)" in figures
    assert "Support 3.4 1.4 Partly there: 5 (50%) Strong: 5 (50%)" in figures
    assert cohort_averages(second_batch["a learner's results and mirror"]) == ["3.0", "3.4"]
    assert not any(p.user.display_name in figures for p in people)


def test_a_retake_moves_nothing_until_the_next_batch_and_counts_once(app, facilitator, cohort, team, learners):
    people = learners(10, answered=5)
    views = Views(app, facilitator, cohort, team, people[1])
    first_batch = views.read()
    people[0].answer(team, 5, 1, 5)  # was 1, 5, 2: Speaking up 1.0 -> 5.0, Support 2 -> 5
    for person, answers in zip(people[5:9], ANSWERS[5:9]):
        person.answer(team, *answers)
    people[0].answer(team, 5, 1, 5)  # taking it again is still one learner: nine, not ten
    now = views.read()
    for view in ("facilitator's figures", "a learner's results and mirror"):
        assert now[view] == first_batch[view], view
    people[9].answer(team, *ANSWERS[9])
    figures = text_of(views.read()["facilitator's figures"])
    # The tenth learner's batch has learner 0's newest answers: Speaking up 5, 2, 4, 5, 3, 5,
    # 1, 3, 3, 3 -> 3.4; Support 5, 3, 4, 5, 5, 1, 5, 2, 4, 3 -> 3.7.
    assert "From the answers of 10 learners" in figures
    assert "Speaking up 3.4 1.3 A priority to build: 2 (20%) A strength: 8 (80%)" in figures
    assert "Support 3.7 1.3" in figures


def test_a_deleted_account_leaves_the_figures_and_the_next_batch_needs_five_more(
    app, facilitator, cohort, team, learners
):
    people = learners(11, answered=5)
    views = Views(app, facilitator, cohort, team, people[0])
    first_batch = views.read()
    leaving = people[2].client.post("/record/delete-account", data={"password": PASSWORD})
    assert leaving.status_code == 302
    after = views.read()
    for view in ("facilitator's figures", "a learner's results and mirror"):
        assert after[view] == first_batch[view], view  # taking them out would show their answers
    for person, answers in zip(people[5:10], ANSWERS[5:]):
        person.answer(team, *answers)  # nine answering now: five more than the batch's five is ten
        assert views.read()["facilitator's figures"] == first_batch["facilitator's figures"]
    people[10].answer(team, 3, 3, 3)
    figures = text_of(views.read()["facilitator's figures"])
    # Without learner 2 (4, 2, 4): Speaking up 1, 2, 5, 3, 5, 1, 3, 3, 3, 3 -> 2.9.
    assert "From the answers of 10 learners" in figures and "Speaking up 2.9" in figures


def test_learners_who_answered_before_joining_make_the_first_batch_when_the_page_is_read(
    app, facilitator, cohort, team, outline
):
    from lms.learning import service as learning

    early = [make_user(display_name=f"Early {n}") for n in range(6)]
    for user, answers in zip(early, ANSWERS):
        learning.join_course(user.id, outline.course.id)
        sheet = {"speak": [str(answers[0])], "blame": [str(answers[1])], "help": [str(answers[2])]}
        assessment.take_self_assessment(user.id, team, str(team.id), sheet)
    for user in early[:5]:
        cohorts.add_member(cohort, user.email, CohortRole.LEARNER)
    db.session.commit()
    staff = signed_in(app, facilitator)
    url = f"/facilitate/cohorts/{cohort.id}/self-assessments"
    first = page(staff, url)
    assert "From the answers of 5 learners" in text_of(first) and "Support 3.8 1.2" in text_of(first)
    cohorts.add_member(cohort, early[5].email, CohortRole.LEARNER)  # the sixth, with answers given
    db.session.commit()
    assert page(staff, url) == first


def test_two_answers_racing_for_one_batch_leave_the_first_figures_standing(app, cohort, team, learners):
    learners(5, answered=5)
    [first] = batches(cohort)
    settings = content.get_step_settings(team.id)
    scores = [{"safety": 1.0, "support": 1.0}] * 10
    # Both saw the first batch as the newest; the second to insert the next one is turned away.
    taken = aggregate_batches._take_batch(cohort.id, team.id, settings, scores, first)
    assert aggregate_batches._take_batch(cohort.id, team.id, settings, scores[:9] + [{"safety": 5.0}], first) is None
    db.session.commit()
    assert [(b.batch, b.responses) for b in batches(cohort)] == [(1, 5), (2, 10)]
    assert batches(cohort)[1].summary == taken.summary


def batches(cohort) -> list[AggregateSnapshot]:
    return list(
        db.session.scalars(
            sa.select(AggregateSnapshot).where(AggregateSnapshot.cohort_id == cohort.id).order_by(AggregateSnapshot.id)
        )
    )


def test_a_batch_is_taken_in_the_answers_transaction(app, cohort, team, learners):
    people = learners(5, answered=4)
    assert batches(cohort) == []
    people[4].answer(team, *ANSWERS[4])  # nobody has read a page since
    [batch] = batches(cohort)
    assert (batch.batch, batch.responses, batch.summary["responses"]) == (1, 5, 5)
    # Counts, means and spreads only: no one's id, answers or scores.
    assert set(batch.summary) == {"responses", "dimensions"}
    assert {key for d in batch.summary["dimensions"] for key in d} == {
        "id",
        "title",
        "responses",
        "mean",
        "spread",
        "bands",
    }


def test_the_mirror_and_the_answer_cost_the_same_number_of_queries_however_many_answered(
    app, facilitator, cohort, team, count_queries, learners
):
    people = learners(12, answered=6)
    mirror = f"/steps/{team.module_slug}/{team.slug}/results"

    def cost() -> tuple[int, int]:
        with count_queries() as reading:
            page(people[0].client, mirror)
        with count_queries() as answering:
            people[0].answer(team, 3, 3, 3)  # a retake: no batch is due
        return len(reading), len(answering)

    cost()  # the first visit fills this process's outline and step cache
    small = cost()
    for person, answers in zip(people[6:], ANSWERS[6:] + [(1, 1, 1), (2, 2, 2)]):
        person.answer(team, *answers)
    assert cost() == small and small[0] <= 12 and small[1] <= 16, small


def test_ten_learners_answering_at_once_make_whole_batches_only(app, facilitator, cohort, team, learners):
    people = learners(12)

    def answer(pair):
        person, answers = pair
        sheet = {"step": str(team.id), **{f"statement-{k}": v for k, v in zip(("speak", "blame", "help"), answers)}}
        return person.client.post(f"/steps/{team.module_slug}/{team.slug}/answers", data=sheet).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(answer, zip(people, ANSWERS + [(3, 3, 3), (4, 4, 4)])))
    assert set(statuses) == {302}
    text = text_of(page(signed_in(app, facilitator), f"/facilitate/cohorts/{cohort.id}/self-assessments"))
    db.session.expire_all()
    # However the answers crossed (two counting six at once may take the first batch at seven,
    # and then the page reading twelve takes the next), each batch counts at least five more
    # learners than the last, and the page shows the newest.
    counted = [b.responses for b in batches(cohort)]
    assert counted and counted[0] >= 5 and all(b >= a + 5 for a, b in zip(counted, counted[1:])), counted
    assert [b.batch for b in batches(cohort)] == list(range(1, len(counted) + 1))
    assert f"From the answers of {counted[-1]} learners" in text
