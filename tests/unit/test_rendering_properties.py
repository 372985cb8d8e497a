"""Property-based: whatever text arrives, rendered HTML never carries something executable."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from lms.content.learner_markdown import render_learner_markdown
from lms.content.markdown import render_course_markdown

# Pieces attackers combine: tags, handlers, schemes, entities, Markdown syntax, odd Unicode.
FRAGMENTS = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<iframe src=//x>",
        '<a href="javascript:alert(1)">x</a>',
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox)",
        "![x](javascript:alert(1))",
        "&#106;avascript:alert(1)",
        "<style>*{}</style>",
        "<object data=x>",
        "<embed src=x>",
        "<form action=x>",
        "<math><mi xlink:href=javascript:1>",
        "<body onload=x>",
        '<p style="x:expression(1)">',
        "`code`",
        "**bold**",
        "> quote",
        "- item",
        "1. item",
        "[ref]: javascript:alert(1)",
        "\u202e",
        "\u200b",
        "\x00",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "\n\n",
        "<",
        ">",
        '"',
        "'",
        "=",
        "[[[[",
        "((((",
        "____",
        "<a href=x onclick=y>z</a>",
    ]
)
HOSTILE = st.lists(st.one_of(FRAGMENTS, st.text(max_size=20)), max_size=12).map("".join)

EXECUTABLE_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "style",
    "form",
    "svg",
    "math",
    "img",
    "body",
    "meta",
    "link",
    "base",
    "input",
    "button",
    "textarea",
    "frame",
    "frameset",
    "applet",
}
UNSAFE_SCHEME = re.compile(r"^\s*(javascript|data|vbscript|file):", re.I)


class Tags(HTMLParser):
    """The real elements and attributes in some HTML (escaped text is not an element)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag


def assert_safe(html: str) -> None:
    for tag, attrs in Tags(html).found:
        assert tag not in EXECUTABLE_TAGS, html
        for name, value in attrs:
            assert not name.startswith("on") and name != "style", html
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                assert not UNSAFE_SCHEME.match(value or ""), html


@settings(max_examples=300, deadline=None)
@given(HOSTILE)
def test_course_markdown_output_is_never_executable(text):
    assert_safe(render_course_markdown(text))


@settings(max_examples=300, deadline=None)
@given(HOSTILE)
def test_reflection_markdown_output_is_never_executable(text):
    assert_safe(render_learner_markdown(text))
