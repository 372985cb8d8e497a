"""The front matter of quiz, test and self-assessment steps (design.md section 3).

Pure: no Flask, no database. Each reader takes the step's reader (anything with
`.doc.meta` and `.fail(message, *field_path)`), notes every problem with its field path,
and returns the settings stored on `Step.settings`. The settings keep the front matter's
own field names, so `content export` writes back a file this module accepts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Protocol

SCALES: dict[str, tuple[str, ...]] = {
    "frequency": ("Never", "Rarely", "Sometimes", "Often", "Always"),
    "agreement": ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"),
}
SCALE_POINTS = 5  # scores are on 1..5 and a reversed statement scores 6 - answer
AUDIENCES = ("self", "team")
CHOICES = ("one", "many")
IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
LIMIT = 2000


class StepReader(Protocol):
    doc: Any

    def fail(self, message: str, *path) -> None: ...


def scale_labels(scale: str | list) -> tuple[str, ...]:
    """The five answer labels of a scale (a named scale or the author's own list)."""
    return SCALES[scale] if isinstance(scale, str) else tuple(scale)


def _text(r: StepReader, value, *path, required: bool = True) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            r.fail("is required", *path)
        return ""
    if not isinstance(value, str):
        r.fail("must be text", *path)
        return ""
    if len(value) > LIMIT:
        r.fail(f"must be {LIMIT} characters or fewer", *path)
    return value.strip()


def _list(r: StepReader, value, *path) -> list:
    if not isinstance(value, list) or not value:
        r.fail("must be a list with at least one entry", *path)
        return []
    return value


def _entries(r: StepReader, key: str, allowed: set[str]) -> list[tuple[int, dict]]:
    """The mappings in a list field, each with its index; unknown keys are noted."""
    entries = []
    for index, item in enumerate(_list(r, r.doc.meta.get(key), key)):
        mapping = _mapping(r, item, allowed, key, index)
        if mapping is not None:
            entries.append((index, mapping))
    return entries


def _mapping(r: StepReader, item, allowed: set[str], *path) -> dict | None:
    if not isinstance(item, dict):
        r.fail(f"each entry must be a set of fields: {', '.join(sorted(allowed))}", *path)
        return None
    for key in item:
        if key not in allowed:
            r.fail(f"unknown field (expected one of: {', '.join(sorted(allowed))})", *path, key)
    return item


def _identifiers(r: StepReader, key: str, entries: list[tuple[int, dict]]) -> dict[str, int]:
    """Each entry's `id`, checked for shape and uniqueness: id -> index."""
    seen: dict[str, int] = {}
    for index, item in entries:
        value = item.get("id")
        if value is None:
            r.fail("is required", key, index, "id")
        elif not isinstance(value, str) or not IDENTIFIER.match(value):
            r.fail("must be letters, digits, '-' or '_' (up to 40), like q1", key, index, "id")
        elif value in seen:
            r.fail(f"is used twice (also entry {seen[value] + 1})", key, index, "id")
        else:
            seen[value] = index
    return seen


def _whole(r: StepReader, key: str, low: int, high: int) -> int:
    value = r.doc.meta.get(key)
    if value is None:
        r.fail("is required", key)
    elif isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        r.fail(f"must be a whole number from {low} to {high}", key)
    else:
        return value
    return low


# Quizzes and tests -------------------------------------------------------------------

QUESTION_FIELDS = {"id", "prompt", "choose", "options"}
OPTION_FIELDS = {"text", "correct", "feedback"}


def _options(r: StepReader, question: dict, *path) -> list[dict]:
    options = []
    for index, item in enumerate(_list(r, question.get("options"), *path, "options")):
        here = (*path, "options", index)
        option = _mapping(r, item, OPTION_FIELDS, *here)
        if option is None:
            continue
        correct = option.get("correct")
        if not isinstance(correct, bool):
            r.fail("must be true or false", *here, "correct")
        options.append(
            {
                "text": _text(r, option.get("text"), *here, "text"),
                "correct": correct is True,
                "feedback": _text(r, option.get("feedback"), *here, "feedback"),
            }
        )
    if len(options) == 1:
        r.fail("must offer at least two options", *path, "options")
    return options


def _question(r: StepReader, index: int, item: dict) -> dict:
    path = ("questions", index)
    choose = item.get("choose")
    if choose not in CHOICES:
        r.fail("must be 'one' or 'many'", *path, "choose")
    options = _options(r, item, *path)
    right = sum(option["correct"] for option in options)
    if options and choose == "one" and right != 1:
        r.fail(f"must have exactly one correct option for choose: one (has {right})", *path, "options")
    if options and choose == "many" and right < 1:
        r.fail("must have at least one correct option", *path, "options")
    return {
        "id": item.get("id"),
        "prompt": _text(r, item.get("prompt"), *path, "prompt"),
        "choose": choose,
        "options": options,
    }


def read_quiz(r: StepReader) -> dict:
    """A quiz's questions: each with an id, a prompt, `choose` and options."""
    entries = _entries(r, "questions", QUESTION_FIELDS)
    _identifiers(r, "questions", entries)
    return {"questions": [_question(r, index, item) for index, item in entries]}


def read_test(r: StepReader) -> dict:
    """A test: a quiz's questions plus its pass mark (percent) and number of attempts."""
    return {**read_quiz(r), "pass_mark": _whole(r, "pass_mark", 1, 100), "attempts": _whole(r, "attempts", 1, 100)}


# Self-assessments --------------------------------------------------------------------

DIMENSION_FIELDS = {"id", "title", "description", "bands"}
BAND_FIELDS = {"up_to", "label", "feedback"}
STATEMENT_FIELDS = {"id", "dimension", "text", "reverse"}


def _scale(r: StepReader) -> str | list:
    scale = r.doc.meta.get("scale")
    if isinstance(scale, str) and scale in SCALES:
        return scale
    if isinstance(scale, list):
        labels = [_text(r, label, "scale", index) for index, label in enumerate(scale)]
        if len(labels) != SCALE_POINTS or len(set(labels)) != len(labels):
            r.fail(f"a list of labels must have {SCALE_POINTS} different labels, lowest first", "scale")
        return labels
    r.fail(f"must be {' or '.join(SCALES)}, or a list of {SCALE_POINTS} labels", "scale")
    return "frequency"


def _bands(r: StepReader, dimension: dict, *path) -> list[dict]:
    bands, previous = [], None
    for index, item in enumerate(_list(r, dimension.get("bands"), *path, "bands")):
        here = (*path, "bands", index)
        band = _mapping(r, item, BAND_FIELDS, *here)
        if band is None:
            continue
        up_to = band.get("up_to")
        if isinstance(up_to, bool) or not isinstance(up_to, (int, float)) or up_to < 1:
            r.fail("must be a number from 1 (scores run from 1 to 5)", *here, "up_to")
            up_to = None
        elif previous is not None and up_to <= previous:
            r.fail("must be higher than the band before it (bands go lowest first)", *here, "up_to")
        previous = up_to if up_to is not None else previous
        bands.append(
            {
                "up_to": up_to,
                "label": _text(r, band.get("label"), *here, "label"),
                "feedback": _text(r, band.get("feedback"), *here, "feedback"),
            }
        )
    if bands and bands[-1]["up_to"] is not None and bands[-1]["up_to"] < SCALE_POINTS:
        r.fail(f"the last band's up_to must be at least {SCALE_POINTS}, so every score has a band", *path, "bands")
    return bands


def _dimension(r: StepReader, index: int, item: dict) -> dict:
    path = ("dimensions", index)
    dimension = {"id": item.get("id"), "title": _text(r, item.get("title"), *path, "title")}
    description = _text(r, item.get("description"), *path, "description", required=False)
    if description:
        dimension["description"] = description
    return {**dimension, "bands": _bands(r, item, *path)}


def _statement(r: StepReader, index: int, item: dict, dimensions: dict[str, int]) -> dict:
    path = ("statements", index)
    dimension = item.get("dimension")
    if not isinstance(dimension, str) or dimension not in dimensions:
        r.fail(f"must be one of the dimension ids: {', '.join(dimensions) or '(none)'}", *path, "dimension")
    statement = {"id": item.get("id"), "dimension": dimension, "text": _text(r, item.get("text"), *path, "text")}
    reverse = item.get("reverse", False)
    if not isinstance(reverse, bool):
        r.fail("must be true or false", *path, "reverse")
    if reverse is True:
        statement["reverse"] = True
    return statement


def read_self_assessment(r: StepReader) -> dict:
    """A self-assessment: scale, audience, dimensions with bands, and statements."""
    audience = r.doc.meta.get("audience")
    if audience not in AUDIENCES:
        r.fail("must be 'self' (about the learner) or 'team' (about their team or organisation)", "audience")
    scale = _scale(r)
    dimension_entries = _entries(r, "dimensions", DIMENSION_FIELDS)
    dimension_ids = _identifiers(r, "dimensions", dimension_entries)
    statement_entries = _entries(r, "statements", STATEMENT_FIELDS)
    _identifiers(r, "statements", statement_entries)
    statements = [_statement(r, index, item, dimension_ids) for index, item in statement_entries]
    used = {statement["dimension"] for statement in statements}
    for dimension_id, index in dimension_ids.items():
        if statement_entries and dimension_id not in used:
            r.fail("has no statements: every dimension needs at least one", "dimensions", index, "id")
    return {
        "scale": scale,
        "audience": audience,
        "dimensions": [_dimension(r, index, item) for index, item in dimension_entries],
        "statements": statements,
    }


FIELDS: dict[str, set[str]] = {
    "quiz": {"questions"},
    "test": {"questions", "pass_mark", "attempts"},
    "self-assessment": {"scale", "audience", "dimensions", "statements"},
}
READERS: dict[str, Callable[[StepReader], dict]] = {
    "quiz": read_quiz,
    "test": read_test,
    "self-assessment": read_self_assessment,
}
