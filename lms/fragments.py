"""Parts of pages that are the same for every learner who sees them, rendered once per
process under a key that names everything they show, and kept.

Such a part may carry the values that differ on every page, the session's CSRF token and
the page's nonce (which its forms' one-time keys begin with, lms.responses): it is kept with
slots in their place, filled with this page's values when served. A part that has a
one-time key must name it (`one_time_key("comment-box")`), so that it stays distinct.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from flask import g
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from lms.i18n import language
from lms.kept import MB, kept_by_app
from lms.responses import page_nonce

CSRF_SLOT = "<lms:csrf>"  # tags no escaped text can contain
NONCE_SLOT = "<lms:nonce>"


def kept_fragment(store: str, key: Hashable, render: Callable[[], str], most: int = MB) -> Markup:
    """The HTML `render()` gives for `key`, rendered the first time and kept in `store` (at
    most `most` bytes, keys included) after. The key names what the part shows, never the
    request's query string."""
    kept = kept_by_app(f"lms.fragments.{store}", most)
    key = (language(), key)  # the same part in Welsh is another part
    html = kept.get(key)
    if html is None:
        html = str(render()).replace(generate_csrf(), CSRF_SLOT)
        if "page_nonce" in g:
            html = html.replace(g.page_nonce, NONCE_SLOT)
        kept.keep(key, html)
    return fill_slots(html)


def fill_slots(html: str) -> Markup:
    """Kept HTML with this page's CSRF token and nonce in its slots."""
    if CSRF_SLOT in html:
        html = html.replace(CSRF_SLOT, generate_csrf())
    if NONCE_SLOT in html:
        html = html.replace(NONCE_SLOT, page_nonce())
    return Markup(html)
