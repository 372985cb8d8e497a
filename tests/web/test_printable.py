"""Printable copies (PDF): a self-assessment to fill in and score on paper, and steps marked
`printable: true` with room to write; offered to whoever may open the step, and no one else."""

from __future__ import annotations

import io

import pypdf

from lms.content import service as content
from lms.learning import service as learning
from tests.factories import make_user
from tests.web.test_pacing import TODAY, cohort_of

LOOK_BACK = "/steps/next-steps/look-back"  # a reflection with printable: true
HOW_YOU_LEAD = "/steps/check-your-learning/how-you-lead"  # a self-assessment
LINK = "Download a printable copy (PDF)"


def text_of_pdf(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages).split())


def download(client, step: str):
    response = client.get(f"{step}/printable.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return response


def test_a_self_assessment_prints_its_statements_with_tick_boxes_and_how_to_score(client, assessed):
    assert LINK in client.get(HOW_YOU_LEAD).text
    response = download(client, HOW_YOU_LEAD)
    assert response.headers["Content-Disposition"] == 'attachment; filename="3.2-how-you-lead.pdf"'
    text = text_of_pdf(response.data)
    for statement in (
        "I give people my full attention when they talk to me.",
        "I interrupt people before they have finished.",
        "I remove obstacles that get in my team's way.",
    ):
        assert statement in text
    for label in ("Never", "Rarely", "Sometimes", "Often", "Always"):
        assert label in text
    assert "Answer honestly: only you can see your answers." in text
    assert "Attending" in text and "Listening with fascination." in text
    assert "Statements 1, 2 (reversed: 2)" in text and "Statement 3." in text
    assert "score 6 minus that number" in text
    assert "1.0 to 2.5 Starting out Try giving someone your full attention this week." in text
    assert "2.6 to 3.9 Developing" in text and "4.0 to 5.0 Strong" in text


def test_a_printable_reflection_prints_its_prompt_and_body_with_room_to_write(client, enrolled):
    assert LINK in client.get(LOOK_BACK).text
    text = text_of_pdf(download(client, LOOK_BACK).data)
    assert "2.1 Look back" in text and "Module 2: Next steps" in text
    assert "Take a moment to reflect." in text and "What will you do differently?" in text
    assert "Your notes" in text


def test_a_printable_article_prints_its_pictures_from_the_database(client, learner, login, content_copy):
    path = content_copy / "modules/01-first-steps/01-welcome.md"
    path.write_text(path.read_text().replace("duration: 5\n", "duration: 5\nprintable: true\n"))
    content.import_content(content_copy)
    learning.join_course(learner.id, content.get_outline().course.id)
    login(learner)
    data = download(client, "/steps/first-steps/welcome").data
    text = text_of_pdf(data)
    assert "This is the welcome article." in text
    assert "Look back" in text and "How the course goes: read, talk, look back." in text  # the SVG's own words


def test_steps_without_a_printable_copy_offer_none(client, enrolled):
    page = client.get("/steps/first-steps/welcome").text
    assert LINK not in page
    response = client.get("/steps/first-steps/welcome/printable.pdf")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert client.get("/steps/first-steps/no-such-step/printable.pdf").status_code == 404


def test_no_copy_for_anyone_who_may_not_open_the_step(app, client, course, login):
    response = client.get(f"{LOOK_BACK}/printable.pdf")
    assert response.status_code == 302 and response.location.startswith("/login")
    login(make_user(display_name="Not Joined"))
    response = client.get(f"{LOOK_BACK}/printable.pdf")
    assert response.status_code == 302 and response.location == "/"  # to the course page, to join


def test_no_copy_of_a_step_whose_week_has_not_opened(client, enrolled, course):
    cohort_of(course, TODAY, enrolled)  # module 2 opens next week
    response = client.get(f"{LOOK_BACK}/printable.pdf")
    assert response.status_code == 403 and response.mimetype == "text/html"
    assert "opens on" in response.text.lower()


def test_the_step_page_prints_without_the_course_around_it(client, enrolled):
    page = client.get(LOOK_BACK).text
    assert 'rel="stylesheet" media="print" href="/static/css/print.css' in page
    assert '<div class="nhsuk-grid-column-one-third lms-no-print">' in page
    assert '<nav class="nhsuk-pagination lms-no-print"' in page
    assert '<div class="lms-no-print">' in page.split("lms-reflection")[0][-300:]
