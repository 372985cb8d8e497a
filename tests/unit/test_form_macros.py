"""The hand-written textarea macro gives the NHS.UK frontend's markup (it is written out for speed)."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

NHSUK = """{% from "nhsuk/components/textarea/macro.jinja" import textarea as t %}{{ t({
    "id": f.id, "name": f.name, "rows": rows, "label": {"text": f.label.text},
    "hint": {"text": f.description} if f.description else none, "value": f.data or "",
    "errorMessage": {"text": f.errors | join(" ")} if f.errors else none, "classes": classes,
    "spellcheck": spellcheck}) }}"""
OURS = """{% from "macros/forms.html" import textarea %}{{ textarea(f, rows=rows, classes=classes, spellcheck=spellcheck) }}"""


def field(name, label, data="", description="", errors=()):
    return SimpleNamespace(
        id=name, name=name, label=SimpleNamespace(text=label), data=data, description=description, errors=list(errors)
    )


def normal(html: str) -> str:
    return re.sub(r"\s*>\s*", ">", re.sub(r"\s*<", "<", re.sub(r"\s+", " ", html))).strip()


@pytest.mark.parametrize(
    "f, rows, classes, spellcheck",
    [
        (field("body", "Your reflection"), 8, "", None),
        (field("what", "What happened?", data="x <b> & y", description="A hint & more"), 3, "", None),
        (field("code", "Code", errors=["Too long", "Really <"]), 5, "lms-wide", False),
        (field("a", "A", description="h", errors=["e"]), 5, "", True),
    ],
)
def test_textarea_matches_the_frontend_macro(app, f, rows, classes, spellcheck):
    with app.test_request_context():
        values = dict(f=f, rows=rows, classes=classes, spellcheck=spellcheck)
        assert normal(app.jinja_env.from_string(OURS).render(**values)) == normal(
            app.jinja_env.from_string(NHSUK).render(**values)
        )


NHSUK_COUNT = """{% from "nhsuk/components/character-count/macro.jinja" import characterCount as c %}{{ c({
    "id": id, "name": name, "rows": rows, "maxlength": maxlength, "value": value or "",
    "label": {"text": label, "size": "s"}, "hint": {"text": hint} if hint else none,
    "errorMessage": {"text": error} if error else none,
    "attributes": {"data-draft-key": draft_key} if draft_key else {}}) }}"""
OURS_COUNT = """{% from "macros/forms.html" import character_count %}{{ character_count(id, name, label,
    rows=rows, maxlength=maxlength, value=value, hint=hint, error=error, draft_key=draft_key) }}"""


@pytest.mark.parametrize(
    "values",
    [
        dict(
            id="comment-body",
            name="body",
            label="Your comment",
            rows=5,
            maxlength=5000,
            value="",
            hint="Over to you: why?",
            error=None,
            draft_key="comment-4",
        ),
        dict(
            id="body",
            name="body",
            label="Your reply to <Ann>",
            rows=8,
            maxlength=5000,
            value="x <b> & y",
            hint=None,
            error="Enter your comment",
            draft_key=None,
        ),
        dict(
            id="body",
            name="body",
            label="Edit",
            rows=8,
            maxlength=300,
            value=None,
            hint="A & B",
            error="Too <long>",
            draft_key="edit-1",
        ),
    ],
)
def test_character_count_matches_the_frontend_macro(app, values):
    with app.test_request_context():
        assert normal(app.jinja_env.from_string(OURS_COUNT).render(**values)) == normal(
            app.jinja_env.from_string(NHSUK_COUNT).render(**values)
        )


NHSUK_CHECKBOX = """{% from "nhsuk/components/checkboxes/macro.jinja" import checkboxes as c %}{{ c({
    "idPrefix": f.id, "name": f.name, "items": [{"value": "y", "text": f.label.text, "checked": f.data, "id": f.id}]}) }}"""
OURS_CHECKBOX = """{% from "macros/forms.html" import checkbox %}{{ checkbox(f) }}"""


@pytest.mark.parametrize(
    "f", [field("remember", "Keep me signed in"), field("in_record", "In my <record> & more", data=True)]
)
def test_checkbox_matches_the_frontend_macro(app, f):
    with app.test_request_context():
        assert normal(app.jinja_env.from_string(OURS_CHECKBOX).render(f=f)) == normal(
            app.jinja_env.from_string(NHSUK_CHECKBOX).render(f=f)
        )


NHSUK_BANNER = """{% from "nhsuk/components/notification-banner/macro.jinja" import notificationBanner %}{{
    notificationBanner({"text": message, "variant": "success" if category == "success" else none,
    "titleId": "flash-title-" ~ index, "disableAutoFocus": true,
    "title": "Success" if category == "success" else ("There is a problem" if category == "error" else "Important")}) }}"""
OURS_BANNER = """{% from "macros/ui.html" import banner %}{{ banner(category, message, index) }}"""


@pytest.mark.parametrize(
    "category, message, index",
    [("success", "Step 1.2 marked complete", 1), ("error", "Something <went> wrong & more", 2), ("info", "Sign in", 1)],
)
def test_the_flash_banner_matches_the_frontend_macro(app, category, message, index):
    with app.test_request_context():
        values = dict(category=category, message=message, index=index)
        assert normal(app.jinja_env.from_string(OURS_BANNER).render(**values)) == normal(
            app.jinja_env.from_string(NHSUK_BANNER).render(**values)
        )
