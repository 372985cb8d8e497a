"""A bilingual course as its readers meet it: the Welsh version where there is one, else the
English marked lang="en" under a short Welsh note; English readers never see Welsh."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from lms.assessment.models import QuizAttempt
from lms.content import service
from lms.extensions import db
from lms.learning import service as learning
from tests.conftest import ASSESSMENT_MODULES

COURSE = Path(__file__).resolve().parents[2] / "content"
WELSH = Path(__file__).resolve().parents[1] / "fixtures" / "welsh"
NOTE = "Mae'r cam hwn ar gael yn Saesneg yn unig."


def text_of(page: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


def page_language(page: str) -> str:
    return re.search(r'<html lang="([^"]+)"', page)[1]


def main(page: str) -> str:
    """The page's main content, without the header (whose language switch says lang="en")."""
    return page.split("<main", 1)[1].split("</main>", 1)[0]


def reading_in(user, language: str) -> None:
    user.language = language
    db.session.commit()


@pytest.fixture
def whole_course(app, learner, login):
    service.import_content(COURSE)
    outline = service.get_outline()
    learning.join_course(learner.id, outline.course.id)
    login(learner)
    return outline


@pytest.fixture
def bilingual(app, content_copy, learner, login):
    """The fixture course with the quizzes, and Welsh versions of the course, the first module,
    its welcome step and the quick quiz."""
    shutil.copytree(ASSESSMENT_MODULES, content_copy / "modules", dirs_exist_ok=True)
    shutil.copy(WELSH / "course.cy.md", content_copy / "course.cy.md")
    shutil.copy(WELSH / "module.cy.md", content_copy / "modules/01-first-steps/module.cy.md")
    shutil.copy(WELSH / "01-welcome.cy.md", content_copy / "modules/01-first-steps/01-welcome.cy.md")
    shutil.copy(WELSH / "01-quick-quiz.cy.md", content_copy / "modules/03-check-your-learning/01-quick-quiz.cy.md")
    service.import_content(content_copy)
    outline = service.get_outline()
    learning.join_course(learner.id, outline.course.id)
    login(learner)
    return outline


def test_a_welsh_reader_sees_module_1s_welsh_module_page(client, whole_course, learner):
    reading_in(learner, "cy")
    page = client.get("/modules/why-compassion-matters").text
    assert page_language(page) == "cy"
    body = main(page)
    assert "<h1>Pam mae tosturi&#39;n bwysig" in body
    assert "Croeso i'r modiwl cyntaf." in body and "Welcome to the first module" not in body
    assert 'class="lms-prose">' in body and "cyflwyniad y modiwl hwn ar gael yn Saesneg" not in body
    assert '<h3 class="lms-activity-title">Y dystiolaeth</h3>' in body
    # Its steps have no Welsh versions yet: their English titles say so.
    assert f'<span lang="en">{html.escape(whole_course.steps[0].title)}</span></a>' in body


def test_the_welsh_course_page_and_module_list(client, whole_course, learner):
    reading_in(learner, "cy")
    body = main(client.get("/").text)
    assert "<h1>Arweinyddiaeth Dosturiol a Chyfunol ym maes Iechyd a Gofal</h1>" in body
    assert "Mae'r cwrs hwn i chi os ydych chi'n arwain pobl" in body
    assert "Pam mae tosturi&#39;n bwysig" in body and 'lang="en"' not in body  # every module has its Welsh


def test_a_step_with_no_welsh_version_is_english_marked_and_noted(client, whole_course, learner):
    reading_in(learner, "cy")
    step = whole_course.steps[0]
    page = client.get(f"/steps/{step.module_slug}/{step.slug}").text
    body = main(page)
    assert page_language(page) == "cy"
    assert NOTE in body
    assert body.index(NOTE) < body.index('<div class="lms-prose" lang="en">')
    assert f'<span lang="en">{html.escape(step.title)}</span></h1>' in body


def test_an_english_reader_never_sees_welsh_content(client, whole_course, learner):
    for language in ("cy", "en"):  # the Welsh pages first, so anything kept for them is there
        reading_in(learner, language)
        pages = [client.get(url).text for url in ("/", "/modules/why-compassion-matters", "/todo", "/progress")]
        step = whole_course.steps[0]
        pages.append(client.get(f"/steps/{step.module_slug}/{step.slug}").text)
    for page in pages:
        body = main(page)
        assert page_language(page) == "en-GB"
        assert "Pam mae tosturi" not in body and "Arweinyddiaeth Dosturiol" not in body
        assert "Saesneg yn unig" not in body and 'lang="en"' not in body
    assert "Welcome to the first module." in text_of(pages[1])


def test_a_welsh_step_and_its_title_everywhere(client, bilingual, learner):
    reading_in(learner, "cy")
    step_page = main(client.get("/steps/first-steps/welcome").text)
    assert '<span class="lms-step__number">1.1</span> Croeso</h1>' in step_page
    assert "<h2>Helo</h2>" in step_page and NOTE not in step_page and 'lms-prose" lang="en"' not in step_page
    assert "Dechrau arni" in step_page  # the activity, from module.cy.md
    todo = main(client.get("/todo").text)
    assert ">Croeso</a>" in todo and '<span lang="en">Watch this</span>' in todo
    # The second module has no Welsh version: its introduction is the English, noted.
    module = main(client.get("/modules/next-steps").text)
    assert "Mae cyflwyniad y modiwl hwn ar gael yn Saesneg yn unig." in module
    assert '<div class="lms-prose" lang="en">' in module
    reading_in(learner, "en")
    english = main(client.get("/steps/first-steps/welcome").text)
    assert "Croeso" not in english and "<h2>Hello</h2>" in english and "Saesneg" not in english


def test_a_welsh_quiz_shares_its_answers_and_scores_with_the_english(client, bilingual, learner):
    reading_in(learner, "cy")
    quiz = "/steps/check-your-learning/quick-quiz"
    page = text_of(client.get(quiz).text)
    assert "Pa liw yw logo'r GIG?" in page and "What colour is the NHS logo?" not in page
    step_id = next(s.id for s in bilingual.steps if s.slug == "quick-quiz")
    sheet = {"step": str(step_id), "question-colour": ["1"], "question-values": ["1", "2"]}
    answered = client.post(f"{quiz}/answers", data=sheet, follow_redirects=True)
    assert answered.status_code == 200 and "Ie, glas y GIG yw e." in text_of(answered.text)
    attempt = db.session.scalar(sa.select(QuizAttempt))
    assert attempt.score == 100
    reading_in(learner, "en")
    results = text_of(client.get(f"{quiz}/results").text)
    assert "Yes, it is NHS blue." in results and "glas" not in results


def test_welsh_pages_cost_no_more_statements_than_english_ones(client, bilingual, learner, count_queries):
    """The Welsh outline and bodies are kept like the English (under the language too), so
    once built a Welsh page asks the database no more than the English one."""
    pages = ("/", "/todo", "/modules/first-steps", "/steps/first-steps/welcome", "/steps/first-steps/watch-this")

    def cost(url: str) -> int:
        client.get(url)  # warm
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    english = {url: cost(url) for url in pages}
    reading_in(learner, "cy")
    welsh = {url: cost(url) for url in pages}
    assert welsh == english


def test_the_glossary_without_a_welsh_version_is_english_marked(client, bilingual, learner):
    reading_in(learner, "cy")
    welsh = main(client.get("/glossary").text)
    assert "Mae'r eirfa hon ar gael yn Saesneg yn unig." in welsh and '<h1 lang="en">' in welsh
    reading_in(learner, "en")
    english = main(client.get("/glossary").text)
    assert "Saesneg" not in english and 'lang="en"' not in english and "Also written:" in english
