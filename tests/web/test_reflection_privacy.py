"""Reflections are never visible to anyone but their author: every page in the URL map,
fetched as another learner, the learner's own facilitator, another facilitator and an admin,
never shows a word of a learner's reflection, whether it is in their record or not."""

from __future__ import annotations

import pytest

from lms.reflection import service as reflection
from tests.web.test_permissions import GET_RULES, client_as, url_for_rule, world  # noqa: F401  (world: fixture)

BODY = "Zebracorn: the morning I cried in the sluice room"
SECTION = "Quillfeather: I will ask my team how they are before the huddle"


@pytest.mark.parametrize("persona", ["other_learner", "facilitator", "other_facilitator", "admin"])
def test_no_page_shows_a_learners_reflection_to_anyone_else(make_app, world, assessed_course, persona):
    people, values = world
    learner = people["learner"]
    for step, in_record in ((assessed_course.steps[1], True), (assessed_course.steps[2], False)):
        reflection.save(learner.id, step.id, BODY, {"practice": SECTION}, in_record)
    mine = client_as(make_app, "learner", people)
    assert BODY in mine.get("/reflections").text and SECTION in mine.get("/record/learning-record.md").text

    client = client_as(make_app, persona, people)
    leaks = []
    for rule in GET_RULES:
        url = url_for_rule(rule, values)
        body = client.get(url).data  # bytes: some answers are PDFs
        if b"Zebracorn" in body or b"Quillfeather" in body:
            leaks.append(url)
    assert not leaks, f"a reflection shows to {persona} on {leaks}"
