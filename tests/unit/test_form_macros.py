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
    return SimpleNamespace(id=name, name=name, label=SimpleNamespace(text=label), data=data,
                           description=description, errors=list(errors))


def normal(html: str) -> str:
    return re.sub(r"\s*>\s*", ">", re.sub(r"\s*<", "<", re.sub(r"\s+", " ", html))).strip()


@pytest.mark.parametrize("f, rows, classes, spellcheck", [
    (field("body", "Your reflection"), 8, "", None),
    (field("what", "What happened?", data="x <b> & y", description="A hint & more"), 3, "", None),
    (field("code", "Code", errors=["Too long", "Really <"]), 5, "lms-wide", False),
    (field("a", "A", description="h", errors=["e"]), 5, "", True),
])
def test_textarea_matches_the_frontend_macro(app, f, rows, classes, spellcheck):
    with app.test_request_context():
        values = dict(f=f, rows=rows, classes=classes, spellcheck=spellcheck)
        assert normal(app.jinja_env.from_string(OURS).render(**values)) == \
            normal(app.jinja_env.from_string(NHSUK).render(**values))
