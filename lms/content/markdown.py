"""Course Markdown (step bodies, module introductions, the course's about text) to safe HTML.
Pure functions: no Flask, no database.

The same guarantees as what learners write (learner_markdown.py): a size limit, and a parser
that cannot go quadratic. markdown-it-py parses CommonMark with GitHub's tables, and its link
rule is replaced by the flat-label one (lms.content.linear_markdown), so 12,000 `[` render in
milliseconds where Python-Markdown took 30 seconds; the worst inputs found, at the limit,
take about a tenth of a second (tests/unit/test_markdown.py). Raw HTML is parsed too, and
the output always passes through nh3 with an allowlist, even for text only admins write.
Images are a step's own module's stored pictures only (lms.content.figures): nh3 drops any
`<img>` whose address is not one of them.
"""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt

from lms.content.figures import IMAGE_PREFIX, use_figures
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
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
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
COURSE_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"scope"},
    "td": set(),
    "img": {"src", "alt"},
}
URL_SCHEMES = {"http", "https", "mailto"}
SOURCELESS_IMAGE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")  # what nh3 leaves of a refused picture


PARSER = MarkdownIt("commonmark", {"html": True, "maxNesting": 20}).enable("table")
use_flat_links(PARSER, images=True)
use_figures(PARSER)


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


def _only_stored_images(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if value.startswith(IMAGE_PREFIX) and "//" not in value else None
    return value


def render_course_markdown(text: str, images: dict[str, str] | None = None) -> str:
    """Render course Markdown (written by authors) to sanitised HTML; `images` maps what a step
    writes (`images/NAME.svg`) to where the stored copy is served (others show their alt text)."""
    if problem := too_long(text):
        raise TooLong(problem)
    html = nh3.clean(
        PARSER.render(text, {"images": images or {}}),
        tags=COURSE_TAGS,
        attributes=COURSE_ATTRIBUTES,
        attribute_filter=_only_stored_images,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return SOURCELESS_IMAGE.sub("", html).strip()


def parse(text: str):
    """The course parser's tokens for the text (for checks that read its structure)."""
    return PARSER.parse(text, {})
