"""The learning record: what the learner did and the reflections they chose, to keep."""
from __future__ import annotations

import re

from lms.learning import service as learning


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_record_shows_dates_hours_modules_and_chosen_reflections(client, enrolled, course):
    for step in course.steps[:3]:  # module 1: 5 + 10 + 15 minutes
        learning.set_step_complete(enrolled.id, step.id)
    client.get("/steps/first-steps/welcome")
    client.post("/steps/next-steps/look-back/reflection", data={"body": "Kept for revalidation", "in_record": "y"})
    client.post("/steps/first-steps/welcome/reflection", data={"body": "Not for the record"})
    text = text_of(client.get("/record/").text)
    assert "Learner Lee Learner" in text and "Joined" in text and "Last active" in text
    assert "Learning completed 0.5 hours (3 of 4 steps)" in text
    assert "Modules completed 1. First steps" in text
    assert "2.1 Look back Kept for revalidation" in text and "Not for the record" not in text


def test_record_as_markdown(client, enrolled, course):
    client.post("/steps/next-steps/look-back/reflection", data={
        "what": "The reflection step", "practice": "Ask before advising", "in_record": "y"})
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
