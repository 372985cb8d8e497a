"""Images in course Markdown, as markdown-it-py rules. Pure: no Flask, no database.

An image alone in its paragraph becomes a `<figure>`; a paragraph right after it that is all
in italics becomes its caption. A step's `images/NAME.svg` is rendered with the address the
module's stored copy is served at (given in the render's `env["images"]`); an image without
one (from elsewhere, or missing) is shown as its alt text, so nothing is fetched from
another site and no information is lost.
"""

from __future__ import annotations

from html import escape

from markdown_it.token import Token

IMAGE_PREFIX = "/images/"  # where lms.content.views serves stored images; nh3 keeps no other


def image_url(sha256: str, name: str) -> str:
    """The address of a stored image: its content hash in the path, so it can be cached forever."""
    return f"{IMAGE_PREFIX}{sha256}/{name}"


def render_image(renderer, tokens: list[Token], index: int, options, env) -> str:
    token = tokens[index]
    alt = renderer.renderInlineAsText(token.children or [], options, env)
    url = (env.get("images") or {}).get(str(token.attrGet("src") or ""))
    if url is None:
        return escape(alt)
    return f'<img src="{escape(url)}" alt="{escape(alt)}">'


def _lone_image(inline: Token) -> bool:
    children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
    return len(children) == 1 and children[0].type == "image"


def _all_italic(inline: Token) -> bool:
    children = inline.children or []
    return (
        len(children) >= 3
        and children[0].type == "em_open"
        and children[-1].type == "em_close"
        and not any(c.type in ("em_open", "em_close") for c in children[1:-1])
    )


def make_figures(state) -> None:
    """Core rule: paragraphs holding one image become figures, with an italic caption if one follows."""
    tokens = state.tokens
    index = 0
    while index + 2 < len(tokens):
        opening, inline, closing = tokens[index : index + 3]
        if opening.type == "paragraph_open" and inline.type == "inline" and _lone_image(inline):
            opening.tag = closing.tag = "figure"
            after = tokens[index + 3 : index + 6]
            if (
                len(after) == 3
                and after[0].type == "paragraph_open"
                and after[1].type == "inline"
                and _all_italic(after[1])
            ):
                after[0].tag = after[2].tag = "figcaption"
                after[1].children = after[1].children[1:-1]
                tokens[index + 2 : index + 6] = [*after, closing]
                index += 3
        index += 1


def use_figures(parser) -> None:
    parser.add_render_rule("image", render_image)
    parser.core.ruler.push("figures", make_figures)


def images_in(tokens: list[Token], first_line: int) -> list[tuple[str, str, int]]:
    """Every Markdown image as (source, alt text, line), and every raw `<img>` as ("<img>", "", line)."""
    found = []
    for token in tokens:
        line = first_line + (token.map[0] if token.map else 0)
        if token.type in ("html_block", "html_inline") and "<img" in token.content.lower():
            found.append(("<img>", "", line))
        for child in token.children or []:
            if child.type == "image":
                alt = "".join(c.content for c in child.children or [] if c.type in ("text", "code_inline"))
                found.append((str(child.attrGet("src") or ""), alt, line))
            elif child.type == "html_inline" and "<img" in child.content.lower():
                found.append(("<img>", "", line))
    return found
