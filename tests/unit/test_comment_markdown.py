"""Comment Markdown: the subset renders, hostile input comes out inert, and no input is slow."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from lms.comments.markdown import MAX_LENGTH, normalise, render_comment
from tests.growth import growth

ALLOWED_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "rel"}, "ol": {"start"}}
SAFE_HREF = re.compile(r"^(https?://|mailto:)", re.I)


class Elements(HTMLParser):
    """The real elements and attributes in some HTML (escaped text is not an element)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    parser = Elements()
    parser.feed(html)
    return parser.found


def assert_safe(html: str) -> None:
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS, (tag, html)
        assert set(attrs) <= ALLOWED_ATTRIBUTES.get(tag, set()), (tag, attrs, html)
        if tag == "a":
            assert SAFE_HREF.match(attrs.get("href", "")), (attrs, html)
            assert attrs["rel"] == "nofollow ugc noopener"


def test_the_subset_renders():
    html = render_comment(
        "Hello *you* and **all**\nnew line\n\n> a quote\n\n- one\n- two\n\n3. three\n4. four\n\n"
        "[NHS](https://www.nhs.uk) and <https://example.org/x>"
    )
    assert "<em>you</em>" in html and "<strong>all</strong>" in html and "<br>" in html
    assert "<blockquote>\n<p>a quote</p>\n</blockquote>" in html
    assert "<ul>\n<li>one</li>" in html and '<ol start="3">' in html
    assert '<a href="https://www.nhs.uk" rel="nofollow ugc noopener">NHS</a>' in html
    assert '<a href="https://example.org/x" rel="nofollow ugc noopener">https://example.org/x</a>' in html
    assert_safe(html)


@pytest.mark.parametrize(
    "text, shown",
    [
        ("# Not a heading", "<p># Not a heading</p>"),
        ("![a picture](https://example.org/p.png)", '!<a href="https://example.org/p.png"'),
        ("```\ncode\n```", "<p>```<br>"),
        ("---", "<p>---</p>"),
        ("| a | b |\n|---|---|", "<p>| a | b |"),
    ],
)
def test_what_is_outside_the_subset_stays_text(text, shown):
    html = render_comment(text)
    assert shown in html
    assert not {"h1", "img", "pre", "code", "hr", "table"} & {tag for tag, _ in elements(html)}


HOSTILE = [
    # Script and markup
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    '<a href="javascript:alert(1)">click</a>',
    "<style>body{display:none}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<object data=x></object><embed src=x>",
    "<form action=https://evil.example><input name=p></form>",
    "<!-- <script>alert(1)</script> -->",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    # Unsafe URL schemes through Markdown
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](  javascript:alert(1)  )",
    "[x](java\tscript:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](%6Aavascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "[x](file:///etc/passwd)",
    "[x](//evil.example/path)",
    "[x](/account)",
    "<javascript:alert(1)>",
    '[x](https://ok.example "title" onmouseover="alert(1)")',
    "[x]: javascript:alert(1)\n\n[x]",
    # Entities and Unicode tricks
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "\u202eevil.exe\u202c and \u2066hidden\u2069",
    "null\x00byte and bell\x07",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "[x](https://ex\u0430mple.org)",
    # Nesting and length
    "> " * 200 + "deep",
    "- " * 400 + "deep",
    "*" * 3000 + "a" + "*" * 1000,
    "[" * 2500 + "x](https://example.org)",
    "a" * MAX_LENGTH,
    "https://example.org/" + "a" * 4900,
    "*[x](javascript:alert(1))*" * 100,
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_renders_inert(text):
    html = render_comment(normalise(text))
    assert_safe(html)  # only allowed elements and attributes, links only to the web and email
    lowered = html.lower()
    # Markup that was typed comes out as text: a raw "<" only ever opens an allowed tag.
    for bad in ("<script", "<iframe", "<img", "<svg", "<style", "<math", "<object", "<form", "<!--"):
        assert bad not in lowered, (bad, html[:200])
    assert "\u202e" not in html and "\x00" not in html


def test_there_are_at_least_thirty_hostile_inputs():
    assert len(HOSTILE) >= 30


def test_links_only_to_the_web_and_email():
    html = render_comment("[a](https://a.example) [b](http://b.example) [c](mailto:c@example.org) [d](ftp://d.example)")
    hrefs = [attrs["href"] for tag, attrs in elements(html) if tag == "a"]
    assert hrefs == ["https://a.example", "http://b.example", "mailto:c@example.org"]
    assert "[d](ftp://d.example)" in html


def test_normalise_counts_what_is_stored():
    assert normalise("  a\r\nb\rc  ") == "a\nb\nc"
    assert normalise("\u202eabc\u0000") == "abc"
    assert normalise("e\u0301") == "\u00e9"  # one character, as the limit counts it


# The slowest inputs found, as functions of their length. Python-Markdown took seconds over
# the first at the 5,000-character limit (4.6 s for 5,000 `[`): its work grew with the square.
WORST = {
    "brackets": lambda n: "[" * n,
    "image brackets": lambda n: "![" * (n // 2),
    "empty links": lambda n: "[](" * (n // 3),
    "nested link openers": lambda n: "[[](" * (n // 4),
    "bracket emphasis": lambda n: "[*" * (n // 2),
    "emphasis runs": lambda n: "*_" * (n // 2),
    "bracket lines": lambda n: "[\n" * (n // 2),
    "unclosed links": lambda n: "[a](" * (n // 4),
    "openers then a link": lambda n: "[" * (n - 20) + "](https://x.org)",
    "entities": lambda n: "&#1234;" * (n // 7),
    "quotes and lists": lambda n: "> - " * (n // 4),
}


@pytest.mark.parametrize("name", WORST)
def test_the_work_of_every_worst_input_grows_in_step_with_its_length(name):
    assert growth(render_comment, WORST[name], MAX_LENGTH) < 6
    assert render_comment(WORST[name](MAX_LENGTH))
