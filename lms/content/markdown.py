"""Course Markdown (step bodies, module introductions, the course's about text) to safe HTML.
Pure functions: no Flask, no database.

The same guarantees as what learners write (learner_markdown.py): a size limit, and a parser
that cannot go quadratic. markdown-it-py parses CommonMark with GitHub's tables, and its link
rule is replaced by the flat-label one (lms.content.linear_markdown), so 12,000 `[` render in
milliseconds where Python-Markdown took 30 seconds; the worst inputs found, at the limit,
take about a tenth of a second (tests/unit/test_markdown.py). Raw HTML is parsed too, and
the output always passes through nh3 with an allowlist, even for text only admins write.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

from lms.content.linear_markdown import use_flat_links

# Over twice the longest step of the course (8,200 characters): a step is a page, not a book.
MAX_LENGTH = 20_000
# Each line can open a block (a table row, a list item) of several tokens; the longest step
# has 81 lines. Without this, 10,000 one-character table rows were the slowest input found.
MAX_LINES = 1_000

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


PARSER = MarkdownIt("commonmark", {"html": True, "maxNesting": 20}).enable("table")
use_flat_links(PARSER)


class TooLong(ValueError):
    """Course text over MAX_LENGTH: refused before it is parsed."""


def too_long(text: str) -> str | None:
    """Why the text is too long to render, or None when it is within the limits."""
    if len(text) > MAX_LENGTH:
        return f"is {len(text):,} characters long; it can be at most {MAX_LENGTH:,}"
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        return f"is {lines:,} lines long; it can be at most {MAX_LINES:,}"
    return None


def render_course_markdown(text: str) -> str:
    """Render course Markdown (written by authors) to sanitised HTML."""
    if problem := too_long(text):
        raise TooLong(problem)
    return nh3.clean(
        PARSER.render(text),
        tags=COURSE_TAGS,
        attributes=COURSE_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    ).strip()
