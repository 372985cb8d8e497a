"""Reading one content file's fields: typed values out, every problem noted with its line.

Pure: no Flask, no database.
"""

from __future__ import annotations

import re

from lms.content import markdown
from lms.content.files import Document, Problem

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
H1 = re.compile(r"^#(?!#)\s", re.M)


class Reader:
    """Pull typed fields out of one document, noting problems as it goes."""

    def __init__(self, doc: Document, problems: list[Problem], allowed: set[str]):
        self.doc, self.problems = doc, problems
        for key in doc.meta:
            if key not in allowed:
                self.fail(f"unknown field (expected one of: {', '.join(sorted(allowed))})", key)

    def fail(self, message: str, *path) -> None:
        self.problems.append(self.doc.problem(message, *path))

    def fail_in_body(self, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.doc.path, line or self.doc.body_line, "body", message))

    def text(self, key: str, required: bool = True, limit: int = 2000) -> str:
        value = self.doc.meta.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail("is required", key)
            return ""
        if not isinstance(value, str):
            self.fail("must be text", key)
            return ""
        if len(value) > limit:
            self.fail(f"must be {limit} characters or fewer", key)
        return value.strip()

    def number(self, key: str, low: float, high: float, integer: bool = False) -> float:
        value = self.doc.meta.get(key)
        kinds = (int,) if integer else (int, float)
        if value is None:
            self.fail("is required", key)
            return 0
        if isinstance(value, bool) or not isinstance(value, kinds) or not low <= value <= high:
            kind = "a whole number" if integer else "a number"
            self.fail(f"must be {kind} from {low:g} to {high:g}", key)
            return 0
        return value

    def slug(self, value, *path) -> str:
        if not isinstance(value, str) or not SLUG.match(value):
            self.fail("must be lower-case words joined by dashes, like the-evidence", *path)
            return ""
        return value

    def records(self, key: str, fields: tuple[str, ...]) -> list[dict]:
        """A list of mappings that each have these text fields."""
        value = self.doc.meta.get(key)
        if not isinstance(value, list) or not value:
            self.fail("must be a list with at least one entry", key)
            return []
        good = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self.fail(f"each entry must have {' and '.join(fields)}", key, index)
                continue
            for name in fields:
                if not isinstance(item.get(name), str) or not item[name].strip():
                    self.fail("is required", key, index, name)
            if all(isinstance(item.get(n), str) and item[n].strip() for n in fields):
                good.append(item)
        return good

    def body(self, required: bool) -> str:
        body = self.doc.body
        if required and not body.strip():
            self.fail_in_body("is empty")
        if too_long := markdown.too_long(body):
            self.fail_in_body(too_long)
        match = H1.search(body)
        if match:
            line = self.doc.body_line + body.count("\n", 0, match.start())
            self.fail_in_body("use '##' for headings: the page already has the title as its heading", line)
        return body
