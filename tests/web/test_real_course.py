"""The course the platform ships with, imported in full, as a learner meets it."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from lms.content import service
from lms.learning import service as learning

COURSE = Path(__file__).resolve().parents[2] / "content"


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def whole_course(app, learner, login):
    service.import_content(COURSE)
    outline = service.get_outline()
    learning.join_course(learner.id, outline.course.id)
    login(learner)
    return outline


def test_the_course_page_shows_every_module_with_its_hours(client, whole_course):
    page = text_of(client.get("/").text)
    assert whole_course.course.title in page
    assert len(whole_course.modules) == 5
    for module in whole_course.modules:
        assert module.title in page


def test_the_todo_lists_every_step_by_number(client, whole_course):
    page = text_of(client.get("/todo").text)
    for step in whole_course.steps:
        assert f"{step.number} {step.title}" in page, step.number


def test_every_step_opens_with_its_number_title_and_what_it_asks(client, whole_course):
    """All 40-odd steps render: articles' text, prompts above comment boxes, and the forms
    of quizzes, the test and self-assessments."""
    asks = {
        "discussion": 'name="body"',
        "reflection": "Only you can read",
        "quiz": 'type="checkbox"',
        "test": 'type="radio"',
        "self-assessment": 'type="radio"',
    }
    for step in whole_course.steps:
        response = client.get(f"/steps/{step.module_slug}/{step.slug}")
        assert response.status_code == 200, step.number
        assert f"{step.number}" in response.text and unescape(step.title) in unescape(response.text), step.number
        if step.type in asks:
            assert asks[step.type] in response.text, (step.number, step.type)


def test_diagrams_see_also_and_the_glossary_show_on_the_real_course(client, whole_course):
    """Issue 20: 3.3 shows its engagement model as a figure with alt text, linked to its
    stored file; 2.8 points back to Judith's step; the glossary explains Schwartz Rounds and
    3.3 links its first use there."""
    page = client.get("/steps/cultures-and-collective-leadership/staff-engagement").text
    figure = re.search(r'<img[^>]*src="(/images/[0-9a-f]{64}/staff-engagement-model\.svg)"[^>]*alt="([^"]+)"', page)
    assert figure and "model of staff engagement" in figure[2]
    assert client.get(figure[1]).data.startswith(b"<svg")
    assert 'href="/glossary#schwartz-rounds"' in page

    judith = whole_course.steps[whole_course.index_of("what-compassionate-leadership-is", "judiths-dilemma")]
    after = text_of(client.get("/steps/what-compassionate-leadership-is/connection-is-compassion-in-action").text)
    assert "See also" in after and f"{judith.number} {judith.title}" in after

    glossary = text_of(client.get("/glossary").text)
    for term in ("Schwartz Rounds", "Reflexivity", "Co-acting group", "Psychological safety", "Systems leadership"):
        assert term in glossary
