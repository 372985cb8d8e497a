"""The answer sheet: a blank one is rendered once per step and kept (lms.assessment.sheet),
yet every page gets its own CSRF token and a sheet sent back incomplete keeps its answers."""
from __future__ import annotations

import re

from lms.assessment import sheet
from lms.kept import kept_by_app

SURVEY = "/steps/check-your-learning/how-you-lead"


def _token(page: str) -> str:
    return re.search(r'id="answers".*?name="csrf_token" value="([^"]+)"', page, re.S)[1]


def test_a_blank_sheet_is_kept_once_and_given_each_pages_token(app, client, assessed):
    first = client.get(SURVEY).text
    assert len(kept_by_app("lms.assessment.sheets", sheet.KEPT)) == 1
    with client.session_transaction() as session:
        session.pop("csrf_token")  # a new session token: the kept sheet must not carry the old one
    second = client.get(SURVEY).text
    assert len(kept_by_app("lms.assessment.sheets", sheet.KEPT)) == 1
    assert sheet.CSRF_SLOT not in second and _token(first) != _token(second)
    assert first.count('type="radio"') == second.count('type="radio"') > 0


def test_a_sheet_with_answers_missing_is_not_the_kept_blank_one(app, client, assessed, assessed_course):
    step_id = next(s.id for s in assessed_course.steps if s.slug == "how-you-lead")
    client.get(SURVEY)
    again = client.post(f"{SURVEY}/answers", data={"step": str(step_id), "statement-listen": "4"})
    assert again.status_code == 400
    assert re.search(r'name="statement-listen" type="radio" value="4"\s*checked', again.text)
    assert "nhsuk-form-group--error" in again.text and sheet.CSRF_SLOT not in again.text
