"""A step's stored HTML made ready to show: glossary terms linked where first used, and a video
step's transcript taken out to sit after the video. Pure: no Flask, no database.

Done when the page is shown (the glossary can change without the steps), and kept with the
course's version by lms.content.service, so each step is worked on once per version.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

# Text inside these is never linked: it is a heading, already a link, or code.
SKIPPED = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "summary", "figcaption", "script", "style"}
VOID = {"br", "hr", "img", "input", "meta", "link", "wbr"}
TRANSCRIPT = re.compile(r"<h2>\s*(?:Transcript|Trawsgrifiad)\s*</h2>(.*?)(?=<h2[\s>]|\Z)", re.S | re.I)


def split_transcript(html: str) -> tuple[str, str]:
    """The body without its `## Transcript` section, and that section's HTML ("" if none)."""
    match = TRANSCRIPT.search(html)
    if not match:
        return html, ""
    return (html[: match.start()] + html[match.end() :]).strip(), match[1].strip()


def _pattern(forms: dict[str, str]) -> re.Pattern | None:
    """One pattern for every form, longest first, matched as whole words whatever their case."""
    if not forms:
        return None
    alternatives = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.I)


class _Linker(HTMLParser):
    def __init__(self, forms: dict[str, str], href: str):
        super().__init__(convert_charrefs=True)
        self.forms, self.href, self.pattern = forms, href, _pattern(forms)
        self.out: list[str] = []
        self.skipping: list[str] = []
        self.linked: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text() or "")
        if tag in SKIPPED and tag not in VOID:
            self.skipping.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag):
        if tag in self.skipping:
            del self.skipping[len(self.skipping) - 1 - self.skipping[::-1].index(tag) :]
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if self.skipping or self.pattern is None:
            self.out.append(escape(data, quote=False))
            return
        position = 0
        for match in self.pattern.finditer(data):
            slug = self.forms[match[0].lower()]
            if slug in self.linked:
                continue
            self.linked.add(slug)
            self.out.append(escape(data[position : match.start()], quote=False))
            self.out.append(
                f'<a class="lms-glossary-link" href="{escape(self.href)}#{escape(slug)}">'
                f"{escape(match[0], quote=False)}</a>"
            )
            position = match.end()
        self.out.append(escape(data[position:], quote=False))

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")


def link_terms(html: str, terms: list[dict], href: str) -> str:
    """The HTML with the first use of each term (or one of its other forms) linked to its entry
    on the glossary page at `href`; never inside headings, links or code."""
    forms = {form.lower(): term["slug"] for term in terms for form in (term["term"], *term.get("also", ()))}
    if not forms or not html:
        return html
    linker = _Linker(forms, href)
    linker.feed(html)
    linker.close()
    return "".join(linker.out)
