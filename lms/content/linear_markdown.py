"""The markdown-it-py link rule both Markdown renderers use (course text and what learners
write), so that no input makes either of them slow. Pure: no Flask, no database.

markdown-it-py's own link rule looks for a label's closing `]` through nested brackets, and
starts again at every `[`: a few thousand `[` take seconds. Here a label is flat (the text
without brackets; escaped ones allowed), found in one pass that stops at the next bracket,
so the scans from all the `[` together cover the text about once. The rest of CommonMark
(emphasis, code spans, HTML, entities, tables) is linear in markdown-it-py; nesting is capped
by `maxNesting`.
"""

from __future__ import annotations

import re

from markdown_it.common.utils import normalizeReference

# A link's text: anything but brackets (escaped ones allowed), up to the closing `]`.
FLAT_LABEL = re.compile(r"(?:[^\[\]\\]|\\.)*\]", re.DOTALL)


def _skip_spaces(src: str, pos: int, end: int) -> int:
    while pos < end and src[pos] in " \t\n":
        pos += 1
    return pos


def _inline_target(state, pos: int, end: int) -> tuple[str, str | None, int] | None:
    """`(url "title")` from just after the `(`: the href, the title and the position after `)`."""
    pos = _skip_spaces(state.src, pos, end)
    destination = state.md.helpers.parseLinkDestination(state.src, pos, end)
    if not destination.ok:
        return None
    href = state.md.normalizeLink(destination.str)
    if not state.md.validateLink(href):
        return None
    pos = _skip_spaces(state.src, destination.pos, end)
    title = state.md.helpers.parseLinkTitle(state.src, pos, end)
    text = None
    if title.ok and pos != destination.pos:
        text = title.str
        pos = _skip_spaces(state.src, title.pos, end)
    if pos >= end or state.src[pos] != ")":
        return None
    return href, text, pos + 1


def _reference_target(state, label_start: int, label_end: int, after: int, end: int):
    """`[text][ref]`, `[text][]` or `[text]` naming a `[ref]: url` definition, if there is one."""
    references = state.env.get("references")
    if not references:
        return None
    src = state.src
    name = text = src[label_start:label_end]
    if after < end and src[after] == "[":
        second = FLAT_LABEL.match(src, after + 1, end)
        if second is not None:
            name = src[after + 1 : second.end() - 1] or text
            after = second.end()
    found = references.get(normalizeReference(name))
    if found is None:
        return None
    return found["href"], found.get("title") or None, after


def _label_and_target(state, label_start: int):
    """From the first character of a label: where the label ends, and the href, title and the
    position after a link's target; None if it is not a link."""
    src, end = state.src, state.posMax
    label = FLAT_LABEL.match(src, label_start, end)
    if label is None:
        return None
    label_end = label.end() - 1
    if label.end() < end and src[label.end()] == "(":
        target = _inline_target(state, label.end() + 1, end)
    else:
        target = _reference_target(state, label_start, label_end, label.end(), end)
    return None if target is None else (label_end, *target)


def flat_link(state, silent: bool) -> bool:
    """A link with a flat label: linear time however many brackets there are."""
    start, end = state.pos, state.posMax
    if state.src[start] != "[" or (found := _label_and_target(state, start + 1)) is None:
        return False
    label_end, href, title, after = found
    if not silent:
        state.pos, state.posMax = start + 1, label_end
        attrs = {"href": href}
        if title:
            attrs["title"] = title
        state.push("link_open", "a", 1).attrs = attrs
        state.linkLevel += 1
        state.md.inline.tokenize(state)
        state.linkLevel -= 1
        state.push("link_close", "a", -1)
    state.pos, state.posMax = after, end
    return True


def flat_image(state, silent: bool) -> bool:
    """`![alt](src)` with a flat alt text, in linear time like links (course Markdown only)."""
    start, end = state.pos, state.posMax
    if not state.src.startswith("![", start) or (found := _label_and_target(state, start + 2)) is None:
        return False
    label_end, href, title, after = found
    if not silent:
        alt = state.src[start + 2 : label_end]
        children: list = []
        state.md.inline.parse(alt, state.md, state.env, children)
        token = state.push("image", "img", 0)
        token.attrs = {"src": href, "alt": ""}
        if title:
            token.attrs["title"] = title
        token.children, token.content = children, alt
    state.pos, state.posMax = after, end
    return True


def use_flat_links(parser, images: bool = False) -> None:
    """Put the flat link rule in place of markdown-it-py's own; images are dropped unless
    asked for, and then parsed by the flat rule too."""
    parser.inline.ruler.at("link", flat_link)
    if "image" in parser.get_active_rules()["inline"]:
        if images:
            parser.inline.ruler.at("image", flat_image)
        else:
            parser.disable("image")
