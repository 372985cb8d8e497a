"""The learning record: what the learner did and the reflections they chose, to keep."""

from __future__ import annotations

import re

import sqlalchemy as sa

from lms.certificates.models import Certificate
from lms.extensions import db
from lms.learning import completion
from lms.learning import service as learning
from tests.factories import PASSWORD


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_record_shows_dates_hours_modules_and_chosen_reflections(client, enrolled, course):
    for step in course.steps[:3]:  # module 1: 5 + 10 + 15 minutes
        completion.set_step_complete(enrolled.id, step.id)
    client.get("/steps/first-steps/welcome")
    client.post("/steps/next-steps/look-back/reflection", data={"body": "Kept for revalidation", "in_record": "y"})
    client.post("/steps/first-steps/welcome/reflection", data={"body": "Not for the record"})
    text = text_of(client.get("/record/").text)
    assert "Learner Lee Learner" in text and "Joined" in text and "Last active" in text
    # Module 1 marked, and 2.1 (10 minutes) completed by saving its reflection: 40 minutes.
    assert "Learning completed 0.7 hours (4 of 4 steps)" in text
    assert "Modules completed 1. First steps" in text
    assert "2.1 Look back Kept for revalidation" in text and "Not for the record" not in text


def test_record_as_markdown(client, enrolled, course):
    client.post(
        "/steps/next-steps/look-back/reflection",
        data={"what": "The reflection step", "practice": "Ask before advising", "in_record": "y"},
    )
    response = client.get("/record/learning-record.md")
    assert response.mimetype == "text/markdown" and "attachment" in response.headers["Content-Disposition"]
    body = response.data.decode()
    assert body.startswith("# Learning record: Test Course\n")
    assert "- Learner: Lee Learner" in body and "### 2.1 Look back" in body
    assert "**How have you changed, or how will you change, your practice?**\n\nAsk before advising" in body


def test_record_as_pdf(client, enrolled):
    client.post("/steps/next-steps/look-back/reflection", data={"body": "In the PDF", "in_record": "y"})
    response = client.get("/record/learning-record.pdf")
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF-")
    assert len(response.data) > 1000


def test_record_is_the_learners_own(client, course, learner, intruder, login):
    learning.join_course(learner.id, course.course.id)
    learning.join_course(intruder.id, course.course.id)
    login(learner)
    client.post("/steps/next-steps/look-back/reflection", data={"body": "Mine alone", "in_record": "y"})
    client.post("/logout")
    login(intruder)
    for url in ("/record/", "/record/learning-record.md"):
        assert "Mine alone" not in client.get(url).data.decode()
    assert client.get("/record/").status_code == 200


def test_record_needs_sign_in(client, course):
    assert client.get("/record/").location.startswith("/login")


# With the assessed course: the final test, a self-assessment taken three times, the certificate.

HOW_YOU_LEAD = "/steps/check-your-learning/how-you-lead"
FINAL_TEST = "/steps/check-your-learning/final-test"


def _step_id(outline, slug: str) -> int:
    return next(s.id for s in outline.steps if s.slug == slug)


def _self_assess(client, outline, listen: int, interrupt: int, obstacles: int) -> None:
    data = {
        "step": str(_step_id(outline, "how-you-lead")),
        "statement-listen": str(listen),
        "statement-interrupt": str(interrupt),
        "statement-obstacles": str(obstacles),
    }
    assert client.post(f"{HOW_YOU_LEAD}/answers", data=data).status_code == 302


def _take_test(client, outline, right: bool) -> None:
    answers = (
        {"question-capital": "1", "question-nations": ["1", "2"]}
        if right
        else {"question-capital": "2", "question-nations": "3"}
    )
    data = {"step": str(_step_id(outline, "final-test")), **answers}
    assert client.post(f"{FINAL_TEST}/answers", data=data).status_code == 302


def test_record_before_any_results_says_so(client, assessed, assessed_course):
    text = text_of(client.get("/record/").text)
    assert "Final test Not taken yet" in text and "Certificate Not yet earned" in text
    assert "Self-assessments" not in text
    body = client.get("/record/learning-record.md").data.decode()
    assert "- Final test: not taken yet" in body and "- Certificate: not yet earned" in body


def test_record_shows_the_test_self_assessment_changes_and_certificate(client, assessed, assessed_course):
    _self_assess(client, assessed_course, listen=2, interrupt=4, obstacles=2)  # attending 2.0, helping 2.0
    _self_assess(client, assessed_course, listen=3, interrupt=3, obstacles=3)  # the middle one is not shown
    _self_assess(client, assessed_course, listen=4, interrupt=2, obstacles=5)  # attending 4.0, helping 5.0
    _take_test(client, assessed_course, right=False)
    _take_test(client, assessed_course, right=True)
    for step in assessed_course.steps:
        completion.complete_step(assessed.id, step.id)
    db.session.commit()
    assert client.post("/certificate").status_code == 302
    code = db.session.scalar(sa.select(Certificate.code))

    text = text_of(client.get("/record/").text)
    assert "Final test Best score 100% (pass mark 50%), passed; 2 of 2 attempts used" in text
    assert "3.2 How you lead Taken 3 times, first on" in text
    assert "Attending 2.0 4.0 +2.0 Strong" in text and "Helping 2.0 5.0 +3.0 Strong" in text
    assert "Certificate Issued" in text and f"code {code}" in text
    assert f'href="http://localhost/certificates/{code}"' in client.get("/record/").text

    body = client.get("/record/learning-record.md").data.decode()
    assert "- Final test: best score 100% (pass mark 50%), passed; 2 of 2 attempts used" in body
    assert f"code {code}, check it at http://localhost/certificates/{code}" in body
    assert "## Self-assessments" in body and "### 3.2 How you lead" in body
    assert "| Attending | 2.0 | 4.0 | +2.0 | Strong |" in body and "| Helping | 2.0 | 5.0 | +3.0 | Strong |" in body
    pdf = client.get("/record/learning-record.pdf")
    assert pdf.data.startswith(b"%PDF-")


def test_a_self_assessment_taken_once_shows_its_scores_without_a_change(client, assessed, assessed_course):
    _self_assess(client, assessed_course, listen=4, interrupt=2, obstacles=5)
    text = text_of(client.get("/record/").text)
    assert "Taken once, on" in text and "Attending 4.0 Strong" in text and "Change" not in text
    assert "| Attending | 4.0 | Strong |" in client.get("/record/learning-record.md").data.decode()


def test_record_reads_a_fixed_number_of_queries(client, assessed, assessed_course, count_queries):
    def queries() -> int:
        with count_queries() as counted:
            assert client.get("/record/").status_code == 200
        return len(counted)

    _self_assess(client, assessed_course, listen=4, interrupt=2, obstacles=5)
    _take_test(client, assessed_course, right=False)
    client.post("/steps/next-steps/look-back/reflection", data={"body": "One", "in_record": "y"})
    few = queries()
    for _ in range(3):
        _self_assess(client, assessed_course, listen=3, interrupt=3, obstacles=3)
    _take_test(client, assessed_course, right=False)
    client.post("/steps/first-steps/welcome/reflection", data={"body": "Two", "in_record": "y"})
    assert queries() == few


def test_another_learners_results_never_reach_my_record(client, make_app, assessed, assessed_course, intruder):
    learning.join_course(intruder.id, assessed_course.course.id)
    other = make_app().test_client()
    other.post("/login", data={"email": intruder.email, "password": PASSWORD})
    _self_assess(other, assessed_course, listen=1, interrupt=5, obstacles=1)
    _take_test(other, assessed_course, right=True)
    text = text_of(client.get("/record/").text)
    assert "Final test Not taken yet" in text and "Self-assessments" not in text
