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
