"""Quizzes and the test through the test client: feedback, attempts, answers revealed, refusals."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from lms.assessment.models import QuizAttempt
from lms.extensions import db
from lms.learning.models import StepProgress

QUIZ = "/steps/check-your-learning/quick-quiz"
TEST = "/steps/check-your-learning/final-test"
# quick-quiz: colour (one: 1 is right), values (many: 1 and 2 are right)
# final-test: capital (one: 1 is right), nations (many: 1 and 2 are right); pass mark 50, 2 attempts
RIGHT = {"colour": ["1"], "values": ["1", "2"]}
WRONG = {"colour": ["2"], "values": ["1", "3"]}
TEST_RIGHT = {"capital": ["1"], "nations": ["1", "2"]}
TEST_HALF = {"capital": ["1"], "nations": ["1"]}
TEST_WRONG = {"capital": ["2"], "nations": ["3"]}


def text_of(page: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


def step_id(outline, slug: str) -> int:
    return next(s.id for s in outline.steps if s.slug == slug)


def sheet(outline, slug: str, answers: dict) -> dict:
    return {"step": str(step_id(outline, slug)), **{f"question-{k}": v for k, v in answers.items()}}


def answer(client, outline, url: str, answers: dict):
    return client.post(f"{url}/answers", data=sheet(outline, url.rsplit("/", 1)[1], answers))


def attempts() -> list[QuizAttempt]:
    return list(db.session.scalars(sa.select(QuizAttempt).order_by(QuizAttempt.id)))


def is_complete(user_id: int, sid: int) -> bool:
    return (
        db.session.scalar(
            sa.select(StepProgress.completed_at).where(StepProgress.user_id == user_id, StepProgress.step_id == sid)
        )
        is not None
    )


def test_the_quiz_shows_radios_for_one_answer_and_checkboxes_for_several_and_no_answers(
    client, assessed, assessed_course
):
    page = client.get(QUIZ).text
    text = text_of(page)
    assert "Question 1: What colour is the NHS logo?" in text and "Question 2: Which of these are behaviours" in text
    assert page.count('name="question-colour" type="radio"') == 2
    assert page.count('name="question-values" type="checkbox"') == 3 and "Select all that apply." in text
    assert "Yes, it is NHS blue." not in page and "correct" not in page.lower().replace("correct answers", "")
    assert "Mark as complete" not in page and "Check my answers" in text


def test_answering_a_quiz_shows_what_was_right_with_the_feedback_of_each_choice(client, assessed, assessed_course):
    response = answer(client, assessed_course, QUIZ, WRONG)
    assert response.status_code == 302 and response.location == f"{QUIZ}/results"
    [attempt] = attempts()
    assert (attempt.number, attempt.correct, attempt.total, attempt.score) == (1, 0, 2, 0)
    assert attempt.answers == {"colour": ["2"], "values": ["1", "3"]} and attempt.results == {
        "colour": False,
        "values": False,
    }
    assert is_complete(assessed.id, step_id(assessed_course, "quick-quiz"))  # a quiz completes on answering

    page = client.get(response.location).text
    text = text_of(page)
    assert "Your score You got 0 of 2 right (0%)." in text  # below the pass mark: no green "Success"
    assert "Attempt 1" in text and "0 of 2 right (0%)" in text
    assert "Not right" in text and "Partly right You chose 1 of the 2 right answers, and 1 that is not right." in text
    assert "No, red is not used for the logo." in text
    assert "Yes, listening with fascination." in text and "No, blame undermines compassion." in text
    assert "Yes, taking intelligent action." not in text  # feedback only for the options chosen
    assert text.count("Show the right answer") == 2 and "The right answers are: Attending; Helping." in text


def test_a_quiz_can_be_taken_again_and_again_and_every_attempt_is_listed(client, assessed, assessed_course):
    for answers in (WRONG, WRONG, RIGHT, WRONG, RIGHT):
        assert answer(client, assessed_course, QUIZ, answers).status_code == 302
    assert [a.number for a in attempts()] == [1, 2, 3, 4, 5]
    text = text_of(client.get(f"{QUIZ}/results").text)
    assert "You got every question right 2 of 2 right (100%)." in text and "Show the right answer" not in text
    assert "Your attempts" in text and text.count("% ") >= 5
    assert "Your best so far: 100% (5 attempts)" in text_of(client.get(QUIZ).text)


def test_a_partial_quiz_is_refused_with_the_missing_question_marked(client, assessed, assessed_course):
    response = answer(client, assessed_course, QUIZ, {"values": ["1"]})
    assert response.status_code == 400 and attempts() == []
    text = text_of(response.text)
    assert "Answer question 1: What colour is the NHS logo?" in text and "Answer this question" in text
    assert re.search(r'name="question-values" type="checkbox" value="1"\s+checked', response.text)


@pytest.mark.parametrize(
    "answers",
    [
        {**RIGHT, "nope": ["1"]},  # a question the step does not have
        {"colour": ["3"], "values": ["1"]},  # an option it does not have
        {"colour": ["1", "2"], "values": ["1"]},  # two answers to a choose-one question
        {"colour": ["1"], "values": ["1", "1"]},
        {"colour": ["x"], "values": ["1"]},
    ],
)
def test_tampered_quiz_sheets_are_refused_and_nothing_is_stored(client, assessed, assessed_course, answers):
    assert answer(client, assessed_course, QUIZ, answers).status_code == 400
    assert attempts() == [] and not is_complete(assessed.id, step_id(assessed_course, "quick-quiz"))


def test_quiz_answers_for_another_step_or_with_foreign_fields_are_refused(client, assessed, assessed_course):
    data = sheet(assessed_course, "quick-quiz", RIGHT)
    assert client.post(f"{TEST}/answers", data=data).status_code == 400  # the quiz's sheet sent to the test
    assert client.post(f"{QUIZ}/answers", data={**data, "statement-listen": "3"}).status_code == 400
    assert attempts() == []


def test_a_failed_test_shows_the_score_and_feedback_but_not_the_answers(client, assessed, assessed_course):
    answer(client, assessed_course, TEST, TEST_WRONG)
    [attempt] = attempts()
    assert (attempt.score, attempt.passed) == (0, False)
    text = text_of(client.get(f"{TEST}/results").text)
    assert "0 of 2 right (0%)" in text and "Not a pass this time" in text and "You have 1 attempt left" in text
    assert "Swansea is a city, but not the capital." in text
    assert "The right answer" not in text and "Cardiff" not in text
    step_text = text_of(client.get(TEST).text)
    assert "Your best so far: 0%. You have 1 attempt left." in step_text and "Attempt 2 of 2" in step_text


def test_passing_the_test_reveals_the_answers_and_closes_it(client, assessed, assessed_course):
    response = answer(client, assessed_course, TEST, TEST_HALF)
    assert response.status_code == 302
    assert attempts()[0].score == 50 and attempts()[0].passed  # the pass mark is inclusive
    text = text_of(client.get(f"{TEST}/results").text)
    assert "You passed Your best score is 50% and the pass mark is 50%." in text
    assert "The right answers are: Scotland; Wales." in text  # shown outright for a test
    assert "Your certificate" in text
    step_page = client.get(TEST).text
    assert "You passed, with a best score of 50%" in text_of(step_page) and 'id="answers"' not in step_page

    refused = answer(client, assessed_course, TEST, TEST_RIGHT)
    assert refused.status_code == 409 and "You have already passed this test" in text_of(refused.text)
    assert len(attempts()) == 1


def test_using_every_attempt_reveals_the_answers_and_refuses_another(client, assessed, assessed_course):
    answer(client, assessed_course, TEST, TEST_WRONG)
    answer(client, assessed_course, TEST, {"capital": ["2"], "nations": ["1", "2"]})
    assert [(a.number, a.score) for a in attempts()] == [(1, 0), (2, 50)]
    # 50 is the pass mark: the second attempt passed
    assert attempts()[1].passed
    db.session.query(QuizAttempt).delete()
    db.session.commit()
    answer(client, assessed_course, TEST, TEST_WRONG)
    answer(client, assessed_course, TEST, TEST_WRONG)
    text = text_of(client.get(f"{TEST}/results").text)
    assert "You have used all 2 attempts" in text and "The right answer is: Cardiff." in text
    refused = answer(client, assessed_course, TEST, TEST_RIGHT)
    assert refused.status_code == 409 and "You have used all 2 attempts" in text_of(refused.text)
    assert len(attempts()) == 2
    assert "You have used all 2 attempts" in text_of(client.get(TEST).text)


def test_the_best_test_score_counts_on_the_progress_page(client, assessed, assessed_course):
    answer(client, assessed_course, QUIZ, WRONG)
    answer(client, assessed_course, QUIZ, RIGHT)
    answer(client, assessed_course, TEST, TEST_WRONG)
    client.post(
        "/steps/check-your-learning/how-you-lead/answers",
        data={
            "step": str(step_id(assessed_course, "how-you-lead")),
            "statement-listen": "5",
            "statement-interrupt": "1",
            "statement-obstacles": "2",
        },
    )
    text = text_of(client.get("/progress").text)
    assert "Module 3: Check your learning" in text
    assert "3.1 Quick quiz (Quiz) Best score 100% (2 attempts)." in text
    assert (
        "3.2 How you lead (Self-assessment) Last taken" in text
        and "Attending 5.0 (Strong), Helping 2.0 (Starting out)" in text
    )
    assert "3.3 Final test (Test) Best score 0% (pass mark 50%): not passed yet" in text
    assert "1 of 2 attempts used." in text
    assert "You have completed 2 of 7 steps" in text  # the quiz and the self-assessment: a failed test is not complete


def test_the_button_cannot_complete_a_quiz_or_test(client, assessed, assessed_course):
    for url in (QUIZ, TEST):
        assert client.post(f"{url}/complete", data={"complete": "1"}).status_code == 409
    assert db.session.scalar(sa.select(sa.func.count(StepProgress.completed_at))) == 0


def test_results_pages_make_the_same_number_of_queries_however_many_attempts(
    client, assessed, assessed_course, count_queries
):
    def counted() -> list[int]:
        found = []
        for url in (QUIZ, f"{QUIZ}/results"):
            with count_queries() as statements:
                assert client.get(url).status_code == 200
            found.append(len(statements))
        return found

    answer(client, assessed_course, QUIZ, WRONG)
    counted()  # the first visit fills this process's outline and step cache (lms.content.cache)
    once = counted()
    for _ in range(6):
        answer(client, assessed_course, QUIZ, RIGHT)
    assert counted() == once


def test_a_sheet_that_does_not_say_its_step_is_refused(client, assessed, assessed_course):
    data = sheet(assessed_course, "quick-quiz", RIGHT)
    del data["step"]
    assert client.post(f"{QUIZ}/answers", data=data).status_code == 400
    assert attempts() == []
