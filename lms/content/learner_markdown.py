"""What learners write, in Markdown, to safe HTML: comments and private reflections alike.
Rendered once, when saved. Pure: no Flask, no database.

The subset is paragraphs, line breaks, emphasis, lists, quotes and links: no images, no
headings, no raw HTML. markdown-it-py (CommonMark) parses it; Python-Markdown takes seconds
over a few thousand `[`. Its link rule still rescans nested brackets, so links here use a
flat label (`[text](url)`, the text without brackets) found in one pass
(lms.content.linear_markdown, shared with course Markdown): every comment of up to 5,000
characters renders in a few tens of milliseconds (tests/unit/test_comment_markdown.py
measures the worst inputs). The HTML is then cleaned by nh3 with a small allowlist, so a
parser bug cannot become XSS.

One renderer for both, so a reflection shared to the comments reads as it did in private,
and a long reflection (up to 10,000 characters, autosaved as it is typed) is never slow.
"""

from __future__ import annotations

import re
import unicodedata

import nh3
from markdown_it import MarkdownIt

from lms.content.linear_markdown import use_flat_links

TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "a"}
ATTRIBUTES = {"a": {"href"}, "ol": {"start"}, "*": set()}
LINK_REL = "nofollow ugc noopener"
SAFE_URL = re.compile(r"^(https?://|mailto:)[^\s]+$", re.IGNORECASE)
# Control characters, and the bidirectional overrides that make text read backwards.
INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")

_parser = MarkdownIt("zero", {"breaks": True, "html": False, "maxNesting": 20}).enable(
    ["blockquote", "list", "newline", "escape", "emphasis", "link", "autolink", "entity"]
)
_parser.validateLink = lambda url: bool(SAFE_URL.match(url.strip()))
use_flat_links(_parser)


def normalise(text: str) -> str:
    """The text as stored and counted: NFC, Unix line ends, no invisible controls, trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return INVISIBLE.sub("", unicodedata.normalize("NFC", text)).strip()


def _keep_safe_links(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return value if SAFE_URL.match(value) else None
    if tag == "ol" and attribute == "start":
        return value if value.isdigit() and len(value) < 10 else None
    return value


def render_learner_markdown(text: str) -> str:
    """Render a learner's Markdown to sanitised HTML (links open nothing but http, https, mail)."""
    return nh3.clean(
        _parser.render(text),
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_keep_safe_links,
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()
