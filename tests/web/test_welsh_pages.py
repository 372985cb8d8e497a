"""Every page of the URL map, opened in Welsh by each kind of person, has no English words
from the interface's catalogue on it: a string someone forgot to mark, or marked and left
untranslated, fails here with the page and the words.

What is meant to be English is left out: passages that say so with their own `lang` (course
text that has no Welsh version yet, comments written in English), and what people typed."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po

from lms.extensions import db
from tests.factories import PASSWORD
from tests.unit.test_catalogue import WELSH
from tests.web.test_route_walk import FILES, ROLES, real_url, walks, world  # noqa: F401  (world: a fixture)

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
HIDDEN = {"script", "style", "template", "textarea"}
READ_ALOUD = ("aria-label", "title", "alt", "placeholder", "aria-description")
NOT_PAGES = {"lti.login", "lti.launch", "lti.jwks", "lti.configuration", "accounts.logout", "i18n.switch"}


class WelshText(HTMLParser):
    """The words a Welsh page shows or reads aloud, leaving out what is marked as another
    language and what is not shown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # for each open element: is its text left out?
        self.words: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = (attrs.get("lang") or "").lower()
        left_out = bool(self.stack and self.stack[-1]) or tag in HIDDEN or (bool(lang) and not lang.startswith("cy"))
        if not left_out:
            self.words.extend(attrs[a] for a in READ_ALOUD if attrs.get(a))
        if tag not in VOID:
            self.stack.append(left_out)

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.words.append(data)


def shown_text(html: str) -> str:
    parser = WelshText()
    parser.feed(html)
    return " ".join(" ".join(parser.words).split())


def english_phrases() -> set[str]:
    """The English of every translated message, cut at its values and markup into phrases
    long enough (two words or more) not to be Welsh by chance."""
    with WELSH.open("rb") as f:
        catalogue = read_po(f)
    phrases = set()
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            if english in strings:
                continue
            for part in re.split(r"%\(\w+\)[sdif]|%[sdif]|<[^>]+>|&\w+;", english):
                part = " ".join(part.split()).strip(" .,:;()")
                if len(part.split()) >= 2 and len(part) >= 10:
                    phrases.add(part)
    return phrases


def english_on(text: str, phrases: set[str]) -> list[str]:
    return sorted(p for p in phrases if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text))


@pytest.mark.parametrize("role", ROLES)
def test_every_page_in_welsh_has_no_english_interface_words(app, world, role):
    people, reflections, slugs, values = world
    client = app.test_client()
    client.set_cookie("lms_language", "cy")
    if role != "anonymous":
        people[role].language = "cy"
        db.session.commit()
        assert client.post("/login", data={"email": people[role].email, "password": PASSWORD}).status_code == 302
    values = {**values, "reflection_id": reflections.get(role, reflections["learner"])}
    phrases = english_phrases()
    checked, found = 0, {}
    pages = sorted(
        {rule for endpoint, rule, method in walks() if method == "GET" and endpoint not in FILES | NOT_PAGES}
    )
    for rule in pages:
        for module_slug, step_slug in slugs if "<step_slug>" in rule else slugs[:1]:
            url = real_url(rule, {**values, "module_slug": module_slug, "step_slug": step_slug})
            response = client.get(url)
            if response.mimetype == "text/html" and not 300 <= response.status_code < 400:
                checked += 1
                assert '<html lang="cy">' in response.text, url
                if english := english_on(shown_text(response.text), phrases):
                    found[url] = english
            response.close()
    db.session.rollback()
    assert checked >= (15 if role == "anonymous" else 40), checked
    assert not found, "\n".join(f"{url}: {words[:6]}" for url, words in found.items())
