"""Self-assessments through the test client: answer, results, retakes, refusals."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from lms.assessment.models import QuizAttempt, SelfAssessmentResponse
from lms.content.models import Step
from lms.extensions import db
from lms.learning.models import StepProgress

STEP = "/steps/check-your-learning/how-you-lead"


def text_of(page: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


def squashed(page: str) -> str:
    return re.sub(r"\s+", " ", page)


def step_id(outline, slug: str = "how-you-lead") -> int:
    return next(s.id for s in outline.steps if s.slug == slug)


def sheet(outline, **answers) -> dict:
    return {"step": str(step_id(outline)), **{f"statement-{k}": str(v) for k, v in answers.items()}}


def responses() -> list[SelfAssessmentResponse]:
    return list(db.session.scalars(sa.select(SelfAssessmentResponse).order_by(SelfAssessmentResponse.id)))


def is_complete(user_id: int, sid: int) -> bool:
    return (
        db.session.scalar(
            sa.select(StepProgress.completed_at).where(StepProgress.user_id == user_id, StepProgress.step_id == sid)
        )
        is not None
    )


def test_the_step_shows_each_statement_as_a_fieldset_of_radios_grouped_by_dimension(client, assessed, assessed_course):
    page = squashed(client.get(STEP).text)
    assert (
        page.index(">Attending</h3>") < page.index("1. I give people my full attention") < page.index(">Helping</h3>")
    )
    assert page.count('class="nhsuk-fieldset"') == 3
    assert page.count('<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s" > 2. I interrupt') == 1
    for label in ("Never", "Rarely", "Sometimes", "Often", "Always"):
        assert page.count(f"> {label} </label>") == 3
    assert page.count('type="radio" value="5"') == 3 and 'name="statement-interrupt"' in page
    assert "Listening with fascination." in page  # the dimension's description
    assert "Mark as complete" not in page and "marked complete when you send your answers" in page
    assert "only you can see them" in text_of(page)


def test_a_full_sheet_is_scored_on_the_server_kept_and_completes_the_step(client, assessed, assessed_course):
    response = client.post(f"{STEP}/answers", data=sheet(assessed_course, listen=4, interrupt=2, obstacles=5))
    assert response.status_code == 302 and response.location == f"{STEP}/results"
    [row] = responses()
    assert row.user_id == assessed.id and row.audience == "self"
    assert row.answers == {"listen": 4, "interrupt": 2, "obstacles": 5}
    assert row.scores == {"attending": 4.0, "helping": 5.0}  # interrupt is reversed: 6 - 2 = 4
    assert is_complete(assessed.id, step_id(assessed_course))

    text = text_of(client.get(response.location).text)
    assert "Your results: How you lead" in text
    assert "Attending 4.0 out of 5: Strong" in text and "Listening is a strength." in text
    assert "Helping 5.0 out of 5: Strong" in text and "You act on what you hear." in text
    assert "Your overall score is 4.5 out of 5" in text
    assert "Your strongest area is Helping (5.0); the one with most room to grow is Attending (4.0)" in text
    assert "Since last time" not in text  # the first time: nothing to compare with


def test_the_results_page_has_an_svg_chart_sized_by_attributes_and_a_table_of_the_same_numbers(
    client, assessed, assessed_course
):
    client.post(f"{STEP}/answers", data=sheet(assessed_course, listen=4, interrupt=2, obstacles=5))
    page = client.get(f"{STEP}/results").text
    svg = page[page.index('<svg class="lms-chart__svg"') : page.index("</svg>")]
    assert 'role="img"' in svg and 'aria-labelledby="chart-title chart-desc"' in svg
    assert 'width="140.8" height="20"' in svg and 'width="176.0" height="20"' in svg  # 4.0 and 5.0 of 176
    assert "4.0 now" in svg and "5.0 now" in svg
    assert "style=" not in page and "<style" not in page
    table = text_of(page[page.index("<table") : page.index("</table>")])
    assert "Attending 4.0 Strong" in table and "Helping 5.0 Strong" in table and "Overall 4.5" in table


def test_retakes_are_all_kept_and_show_the_change_since_last_and_first_time(client, assessed, assessed_course):
    client.post(f"{STEP}/answers", data=sheet(assessed_course, listen=2, interrupt=4, obstacles=2))
    client.post(f"{STEP}/answers", data=sheet(assessed_course, listen=3, interrupt=3, obstacles=3))
    text = text_of(client.get(f"{STEP}/results").text)
    assert "your 2 times in all" in text
    assert "Attending 3.0 out of 5: Developing" in text and "Since last time: up 1.0" in text
    assert "Since your first time" not in text  # with two, the last time is the first
    assert "3.0 now" in text and "2.0 last time" in text

    client.post(f"{STEP}/answers", data=sheet(assessed_course, listen=5, interrupt=1, obstacles=2))
    text = text_of(client.get(f"{STEP}/results").text)
    assert len(responses()) == 3
    assert "Since last time: up 2.0. Since your first time: up 3.0" in text  # attending 5.0 vs 3.0 vs 2.0
    assert "Since last time: down 1.0. Since your first time: no change" in text  # helping 2.0 vs 3.0 vs 2.0
    assert "5.0 now" in text and "3.0 last time" in text and "2.0 first time" in text
    history = text_of(client.get(f"{STEP}/results").text.split("Every time you have taken it")[1])
    assert history.count("(time ") == 3


def test_the_step_page_lists_when_it_was_last_taken_and_offers_it_again(client, assessed, assessed_course):
    client.post(f"{STEP}/answers", data=sheet(assessed_course, listen=3, interrupt=3, obstacles=3))
    text = text_of(client.get(STEP).text)
    assert "You last took this on" in text and "(1 time in all)" in text
    assert "See your results and how they have changed" in text and "Take it again" in text
    assert "You have completed this step." in text


def test_a_partial_sheet_is_refused_with_each_missing_statement_marked_and_answers_kept(
    client, assessed, assessed_course
):
    response = client.post(f"{STEP}/answers", data=sheet(assessed_course, interrupt=2))
    assert response.status_code == 400
    assert responses() == [] and not is_complete(assessed.id, step_id(assessed_course))
    page = squashed(response.text)
    summary = page[page.index("nhsuk-error-summary") : page.index("</ul>", page.index("nhsuk-error-summary"))]
    assert 'href="#statement-listen"' in summary and 'href="#statement-obstacles"' in summary
    assert "statement-interrupt" not in summary
    assert text_of(summary).count("Choose an answer for statement") == 2
    assert page.count("Error: </span>Choose an answer for this statement") == 2
    assert 'id="statement-interrupt-2" name="statement-interrupt" type="radio" value="2" checked' in page
    assert page.count(" checked") == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"statement-nope": "3"},  # a statement the step does not have
        {"statement-listen": "6"},  # off the scale
        {"statement-listen": "0"},
        {"statement-listen": "three"},
        {"question-colour": "1"},  # a quiz's field on a self-assessment
        {"colour": "blue"},
    ],
)
def test_tampered_sheets_are_refused_and_nothing_is_stored(client, assessed, assessed_course, fields):
    data = {**sheet(assessed_course, listen=3, interrupt=3, obstacles=3), **fields}
    assert client.post(f"{STEP}/answers", data=data).status_code == 400
    assert responses() == [] and not is_complete(assessed.id, step_id(assessed_course))


def test_two_values_for_one_statement_are_refused(client, assessed, assessed_course):
    data = sheet(assessed_course, interrupt=3, obstacles=3)
    data["statement-listen"] = ["2", "4"]
    assert client.post(f"{STEP}/answers", data=data).status_code == 400
    assert responses() == []


def test_answers_written_for_another_step_are_refused(client, assessed, assessed_course):
    data = {
        **sheet(assessed_course, listen=3, interrupt=3, obstacles=3),
        "step": str(step_id(assessed_course, "quick-quiz")),
    }
    assert client.post(f"{STEP}/answers", data=data).status_code == 400
    assert client.post("/steps/first-steps/welcome/answers", data=sheet(assessed_course, listen=3)).status_code == 404
    assert responses() == [] and db.session.scalar(sa.select(sa.func.count()).select_from(QuizAttempt)) == 0


def test_the_button_cannot_complete_a_self_assessment(client, assessed, assessed_course):
    assert client.post(f"{STEP}/complete", data={"complete": "1"}).status_code == 409
    assert not is_complete(assessed.id, step_id(assessed_course))


def test_a_team_assessment_is_stored_the_same_way_and_says_whom_it_is_about(client, assessed, assessed_course):
    step = db.session.get(Step, step_id(assessed_course))
    step.settings = {**step.settings, "audience": "team"}
    db.session.commit()
    assert "These statements are about your team or organisation" in client.get(STEP).text
    client.post(f"{STEP}/answers", data=sheet(assessed_course, listen=3, interrupt=3, obstacles=3))
    assert [r.audience for r in responses()] == ["team"]


def test_results_before_answering_send_the_learner_to_the_step(client, assessed, assessed_course):
    response = client.get(f"{STEP}/results")
    assert response.status_code == 302 and response.location == STEP
    assert client.get("/steps/first-steps/welcome/results").status_code == 404


def test_nobody_sees_another_learners_results(client, assessed, assessed_course, intruder, login):
    client.post(f"{STEP}/answers", data=sheet(assessed_course, listen=1, interrupt=1, obstacles=1))
    from lms.learning import service as learning

    learning.join_course(intruder.id, assessed_course.course.id)
    client.post("/logout")
    login(intruder)
    assert client.get(f"{STEP}/results").location == STEP
    assert "You last took this" not in client.get(STEP).text


def test_pages_make_the_same_number_of_queries_however_long_the_history(
    client, assessed, assessed_course, count_queries
):
    def counts() -> tuple[int, int, int]:
        found = []
        for url in (STEP, f"{STEP}/results", "/progress"):
            with count_queries() as statements:
                assert client.get(url).status_code == 200
            found.append(len(statements))
        return tuple(found)

    client.post(f"{STEP}/answers", data=sheet(assessed_course, listen=3, interrupt=3, obstacles=3))
    counts()  # the first visit fills this process's outline and step cache (lms.content.cache)
    once = counts()
    for _ in range(5):
        client.post(f"{STEP}/answers", data=sheet(assessed_course, listen=4, interrupt=2, obstacles=5))
    assert counts() == once
    assert once[1] <= 10, once


def test_an_expired_session_keeps_the_answers(make_app, assessed_course, learner):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    from lms.learning import service as learning

    learning.join_course(learner.id, assessed_course.course.id)
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    client.post(
        "/login", data={"email": learner.email, "password": "correct horse battery staple", "csrf_token": token}
    )
    response = client.post(f"{STEP}/answers", data={**sheet(assessed_course, listen=5), "csrf_token": "stale"})
    assert response.status_code == 400 and "Your session expired" in response.text
    assert 'id="statement-listen-5" name="statement-listen" type="radio" value="5" checked' in squashed(response.text)
    assert responses() == []


def test_export_writes_assessment_steps_that_check_and_import_unchanged(app, assessed_course, tmp_path):
    from lms.content import service

    assessed_steps = [s.id for s in assessed_course.steps if s.type in ("quiz", "test", "self-assessment")]
    before = service.get_settings_of(assessed_steps)
    service.export_content(tmp_path / "exported")
    assert service.check_content(tmp_path / "exported") == []
    report = service.import_content(tmp_path / "exported")
    assert report.updated == 0 and service.get_settings_of(assessed_steps) == before
    assert before[assessed_steps[1]]["statements"][1] == {
        "id": "interrupt",
        "dimension": "attending",
        "text": "I interrupt people before they have finished.",
        "reverse": True,
    }
