"""The answer sheet: a CSRF token, the step it was written for, its submission key (new on
every page, so a sheet sent twice is kept once), and one field per statement or question,
named by its id as templates/assessment/_form.html names them."""

from __future__ import annotations

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField

FIELD_PREFIXES = {"self-assessment": "statement-", "quiz": "question-", "test": "question-"}
SHEET_FIELDS = {"csrf_token", "step", "submission"}


class AnswerSheetForm(FlaskForm):
    """The sheet's own fields; the answers are radios and checkboxes read by read_sheet."""

    step = HiddenField()
    submission = HiddenField()


def read_sheet(formdata: MultiDict, step_type: str) -> dict[str, list[str]] | None:
    """The answers by statement or question id, or None if the sheet has fields no page sends."""
    prefix = FIELD_PREFIXES[step_type]
    sheet = {}
    for key in formdata:
        if key in SHEET_FIELDS:
            continue
        if not key.startswith(prefix):
            return None
        sheet[key.removeprefix(prefix)] = formdata.getlist(key)
    return sheet
