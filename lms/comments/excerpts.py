"""The start of a comment, for lists that show many (the care queue): cut by words in its
Markdown, then rendered by the comments' own renderer, so it reads as it does in its thread
and nothing is ever cut inside HTML. Pure: no Flask, no database.

A comment short enough is shown from the HTML kept when it was saved. Only a cut one is
rendered as the page is made: a few hundred characters each, for a list of a few dozen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lms.comments.markdown import render_comment

WORDS = 60
CHARACTERS = 400
MORE = "…"
_WORD = re.compile(r"\S+")
# A link still open where the text is cut: `[label` or `[label](http://exam`.
_OPEN_LINK = re.compile(r"\[[^\]\n]*(?:\]\([^)\s]*)?$")


@dataclass(frozen=True)
class Excerpt:
    html: str  # sanitised, as in the thread
    cut: bool  # whether the comment goes on (the page links to the whole of it)


def cut_text(text: str, words: int = WORDS, characters: int = CHARACTERS) -> str | None:
    """The text up to the end of its last whole word within both limits (line breaks kept, so
    lists and paragraphs stay as written), or None when the whole text is within them."""
    ends = [m.end() for m in _WORD.finditer(text)]
    if len(ends) <= words and (not ends or ends[-1] <= characters):
        return None
    within = [end for end in ends[:words] if end <= characters]
    cut = text[: within[-1]] if within else text[:characters]  # one word longer than the limit: cut it
    link = _OPEN_LINK.search(cut)
    if link and link.start() > 0:  # never half a link: end before it
        cut = cut[: link.start()]
    for mark in ("**", "__"):  # strong text cut before its end: drop the opening mark, not show it
        if cut.count(mark) % 2:
            at = cut.rfind(mark)
            cut = cut[:at] + cut[at + len(mark) :]
    return cut.rstrip()


def excerpt(body_md: str, body_html: str) -> Excerpt:
    """The comment's start as sanitised HTML, ending in "…" when it was cut."""
    cut = cut_text(body_md)
    if cut is None:
        return Excerpt(body_html, False)
    return Excerpt(render_comment(f"{cut} {MORE}"), True)
