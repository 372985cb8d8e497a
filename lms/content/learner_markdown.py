"""What learners write, in Markdown, to safe HTML: comments and private reflections alike.
Rendered once, when saved. Pure: no Flask, no database.

The subset is paragraphs, line breaks, emphasis, lists, quotes and links: no images, no
headings, no raw HTML. markdown-it-py (CommonMark) parses it; Python-Markdown takes seconds
over a few thousand `[`. Its link rule still rescans nested brackets, so links here use a
flat label (`[text](url)`, the text without brackets) found in one pass: every comment of
up to 5,000 characters renders in a few tens of milliseconds (tests/unit/test_comment_markdown.py
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

TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "a"}
ATTRIBUTES = {"a": {"href"}, "ol": {"start"}, "*": set()}
LINK_REL = "nofollow ugc noopener"
SAFE_URL = re.compile(r"^(https?://|mailto:)[^\s]+$", re.IGNORECASE)
# Control characters, and the bidirectional overrides that make text read backwards.
INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")

# A link's text: anything but brackets (escaped ones allowed), up to the closing `]`.
FLAT_LABEL = re.compile(r"(?:[^\[\]\\]|\\.)*\]", re.DOTALL)

_parser = MarkdownIt("zero", {"breaks": True, "html": False, "maxNesting": 20}).enable(
    ["blockquote", "list", "newline", "escape", "emphasis", "link", "autolink", "entity"]
)
_parser.validateLink = lambda url: bool(SAFE_URL.match(url.strip()))


def _skip_spaces(src: str, pos: int, end: int) -> int:
    while pos < end and src[pos] in " \t\n":
        pos += 1
    return pos


def _inline_link(state, silent: bool) -> bool:
    """`[text](url "title")` with a flat label: linear time however many brackets there are."""
    src, start, end = state.src, state.pos, state.posMax
    if src[start] != "[":
        return False
    label = FLAT_LABEL.match(src, start + 1, end)
    if label is None or label.end() >= end or src[label.end()] != "(":
        return False
    label_end = label.end() - 1
    pos = _skip_spaces(src, label.end() + 1, end)
    destination = state.md.helpers.parseLinkDestination(src, pos, end)
    if not destination.ok:
        return False
    href = state.md.normalizeLink(destination.str)
    if not state.md.validateLink(href):
        return False
    pos = _skip_spaces(src, destination.pos, end)
    title = state.md.helpers.parseLinkTitle(src, pos, end)
    if title.ok and pos != destination.pos:
        pos = _skip_spaces(src, title.pos, end)
    if pos >= end or src[pos] != ")":
        return False
    if not silent:
        state.pos, state.posMax = start + 1, label_end
        state.push("link_open", "a", 1).attrs = {"href": href}
        state.linkLevel += 1
        state.md.inline.tokenize(state)
        state.linkLevel -= 1
        state.push("link_close", "a", -1)
    state.pos, state.posMax = pos + 1, end
    return True


_parser.inline.ruler.at("link", _inline_link)


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
