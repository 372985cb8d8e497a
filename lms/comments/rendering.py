"""Lists of comments as HTML, each comment's own part rendered once and kept.

A comment's HTML is a pure function of its CommentView (text, its language, marks and the
actions the viewer may take), the page to come back to, the step named beside it and the
page's language (the interface words around the text). So those are the cache key: an edit, a like or another viewer's rights make a different key, never a stale
entry, and nothing has to be invalidated. Rendering the comment macros was over half of a
step page's time; a kept comment costs a dictionary lookup.

The two values that differ on every page, the CSRF token and the page's nonce (the reply
forms' submission keys are `<nonce>-<comment id>`), are written into the kept HTML as
lms.fragments' slots and filled in once per list.
"""

from __future__ import annotations

from flask import current_app
from markupsafe import Markup

from lms.comments.display import CommentView
from lms.fragments import fill_slots, kept_fragment
from lms.i18n import language
from lms.kept import MB, kept_by_app

KEPT = 4 * MB  # comments' parts per worker, keys included: far more than the pages in use at once


def render_comments(comments, back: str, show_context: bool = False, steps: dict | None = None) -> Markup:
    """The `<li>` items of a list of comments, with their replies, ready for the page."""
    parts: list[str] = []
    for c in comments:
        step = steps.get(c.step_id) if steps else None
        _add(parts, c, back, show_context, (step.number, step.title) if step else None)
    return fill_slots("".join(parts))


def _add(parts: list[str], c: CommentView, back: str, show_context: bool, step) -> None:
    key = (c, back, show_context, step, bool(c.replies))
    kept = kept_by_app("lms.comments.parts", KEPT)
    parts_of_c = kept.get((language(), key))  # the same comment on a Welsh page is another part
    if parts_of_c is None:
        parts_of_c = _parts(*key)
        kept.keep((language(), key), parts_of_c)
    head, tail = parts_of_c
    parts.append(head)
    for reply in c.replies:
        _add(parts, reply, back, show_context, None)
    parts.append(tail)


def _parts(c: CommentView, back: str, show_context: bool, step, has_replies: bool) -> tuple[str, str]:
    macros = current_app.jinja_env.get_template("comments/_comment.html").module
    return (
        str(macros.comment_head(c, back, show_context, step, has_replies)),
        str(macros.comment_tail(c, has_replies)),
    )


def thread_head(thread, page, step, back: str) -> Markup:
    """The top of a step's comment area, the same for everyone who sees the thread as it is
    (its count, lock and gate) with the same filters and the same rights, so kept."""
    key = (
        step.id,
        step.module_slug,
        step.slug,
        page.prompt,
        thread.comment_count,
        thread.locked,
        thread.ended_on,  # shown in the notice: part of the key, so never another learner's date
        thread.gated,
        thread.can_moderate,
        thread.query.show,
        thread.query.sort,
        back if thread.can_moderate else None,
    )
    template = current_app.jinja_env.get_template("comments/_thread_head.html")
    return kept_fragment(
        "thread_heads", key, lambda: template.render(thread=thread, page=page, step=step, back=back), most=MB // 2
    )
