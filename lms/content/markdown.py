"""Markdown to safe HTML. Pure functions: no Flask, no database.

Python-Markdown sanitises nothing, so its output always passes through nh3 with an
allowlist, even for course text that only admins write. What learners write (comments,
reflections) has its own smaller subset and a linear-time parser: learner_markdown.py.
"""

from __future__ import annotations

import markdown as md
import nh3

COURSE_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
COURSE_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "td": set()}
URL_SCHEMES = {"http", "https", "mailto"}


def _to_html(text: str) -> str:
    return md.markdown(text, extensions=["tables", "fenced_code", "sane_lists"], output_format="html")


def render_course_markdown(text: str) -> str:
    """Render course Markdown (written by authors) to sanitised HTML."""
    return nh3.clean(
        _to_html(text),
        tags=COURSE_TAGS,
        attributes=COURSE_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    ).strip()
