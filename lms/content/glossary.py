"""The glossary: `content/glossary.md`, read into terms and checked. Pure: no Flask, no database.

    ---
    title: Glossary
    ---
    ## Reflexivity
    Also: reflexive
    Looking at how your own position and habits shape what you see...

Each `## Term` heading starts a term; an optional first line `Also: one, two` lists other
forms (plurals and the like) that link to it too; the rest, up to the next term, is its
definition in Markdown. Text before the first term introduces the page.
"""

from __future__ import annotations

import re

from lms.content.files import Document, Problem
from lms.content.reader import Reader
from lms.content.specs import GlossarySpec, GlossaryTerm

TERM_HEADING = re.compile(r"^##(?!#)[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
ALSO = re.compile(r"^Also:[ \t]*(.*)$", re.I)
NOT_SLUG = re.compile(r"[^a-z0-9]+")
MAX_TERM = 100


def term_slug(term: str) -> str:
    """The term's anchor on the glossary page ("Schwartz Rounds" -> "schwartz-rounds")."""
    return NOT_SLUG.sub("-", term.lower()).strip("-") or "term"


def _sections(body: str) -> tuple[str, list[tuple[str, str, int]]]:
    """The introduction, and each term's (heading, text, offset of its heading in the body)."""
    headings = list(TERM_HEADING.finditer(body))
    introduction = body[: headings[0].start()] if headings else body
    sections = []
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(body)
        sections.append((heading[1].strip(), body[heading.end() : end].strip(), heading.start()))
    return introduction.strip(), sections


def _term(r: Reader, name: str, text: str, line: int) -> GlossaryTerm | None:
    also: tuple[str, ...] = ()
    first, _, rest = text.partition("\n")
    if match := ALSO.match(first.strip()):
        also = tuple(form.strip() for form in match[1].split(",") if form.strip())
        text = rest.strip()
    if len(name) > MAX_TERM or any(len(form) > MAX_TERM for form in also):
        r.fail_in_body(f"a term and its other forms can be at most {MAX_TERM} characters", line)
    if not text:
        r.fail_in_body(f"'{name}' has no definition", line)
        return None
    return GlossaryTerm(name, term_slug(name), also, text + "\n")


def read_glossary(doc: Document, problems: list[Problem]) -> GlossarySpec:
    """The glossary's terms in order, noting duplicates and terms without a definition."""
    r = Reader(doc, problems, {"title"})
    body = r.body(required=True)
    introduction, sections = _sections(body)
    if not sections:
        r.fail_in_body("the glossary has no terms: give each a '## Term' heading")
    terms: list[GlossaryTerm] = []
    seen: dict[str, str] = {}
    for name, text, offset in sections:
        line = doc.body_line + body.count("\n", 0, offset)
        term = _term(r, name, text, line)
        if term is None:
            continue
        for form in (term.term, *term.also):
            key = form.lower()
            if key in seen:
                r.fail_in_body(f"'{form}' is already a form of '{seen[key]}': each term once", line)
            seen[key] = term.term
        if term.slug in {t.slug for t in terms}:
            r.fail_in_body(f"'{name}' has the same anchor as another term ({term.slug})", line)
        terms.append(term)
    return GlossarySpec(r.text("title", limit=200), introduction, tuple(terms))
