"""Parts of pages that are the same for every learner who sees them, rendered once per
process under a key that names everything they show, and kept.

Such a part may carry the session's CSRF token, the one value in it that differs between
learners: it is kept with a slot in its place, filled with this page's token when served.
"""
from __future__ import annotations

from typing import Callable, Hashable

from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from lms.kept import kept_by_app

CSRF_SLOT = "<lms:csrf>"  # a tag no escaped text can contain


def kept_fragment(store: str, key: Hashable, render: Callable[[], str], most: int = 256) -> Markup:
    """The HTML `render()` gives for `key`, rendered the first time and kept in `store` after."""
    kept = kept_by_app(f"lms.fragments.{store}", most)
    html = kept.get(key)
    if html is None:
        html = str(render()).replace(generate_csrf(), CSRF_SLOT)
        kept.keep(key, html)
    return Markup(html.replace(CSRF_SLOT, generate_csrf()))
