"""The glossary in the database (on the course row, so it moves the content version and is
read with the outline) and back to `content/glossary.md`. Flushes only; callers commit."""

from __future__ import annotations

import yaml

from lms.content.markdown import render_course_markdown
from lms.content.specs import GlossarySpec


def stored_glossary(spec: GlossarySpec | None, current: dict | None) -> dict | None:
    """The glossary as the course row keeps it, rendering only definitions that changed."""
    if spec is None:
        return None
    before = {t["term"]: t for t in (current or {}).get("terms", [])}

    def html(markdown: str, old: dict | None, key: str) -> str:
        if old and old.get(key.replace("_html", "_md")) == markdown:
            return old[key]
        return render_course_markdown(markdown)

    return {
        "title": spec.title,
        "introduction_md": spec.introduction,
        "introduction_html": html(spec.introduction, current, "introduction_html") if spec.introduction else "",
        "terms": [
            {
                "term": term.term,
                "slug": term.slug,
                "also": list(term.also),
                "definition_md": term.definition,
                "definition_html": html(term.definition, before.get(term.term), "definition_html"),
            }
            for term in spec.terms
        ],
    }


def glossary_file(glossary: dict) -> str:
    """The stored glossary as `content/glossary.md` text, which import reads back the same."""
    front = yaml.safe_dump({"title": glossary["title"]}, allow_unicode=True, width=100)
    parts = [f"---\n{front}---\n"]
    if glossary.get("introduction_md", "").strip():
        parts.append(glossary["introduction_md"].strip() + "\n")
    for term in glossary["terms"]:
        also = f"Also: {', '.join(term['also'])}\n" if term["also"] else ""
        parts.append(f"## {term['term']}\n{also}{term['definition_md'].strip()}\n")
    return "\n".join(parts)
