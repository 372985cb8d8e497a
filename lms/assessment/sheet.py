"""The answer sheet's HTML. A blank sheet (nothing given, nothing missing) is the same for
every learner, and writing out a self-assessment's radios through the NHS.UK macros costs
tens of milliseconds; so each process renders a blank sheet once per step and its settings
and keeps it, with the CSRF token as a slot filled in per page."""
from __future__ import annotations

import hashlib
import json

from flask import current_app
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from lms.kept import kept_by_app

CSRF_SLOT = "<lms:csrf>"
KEPT = 64  # sheets per process: the course has eight


def answer_sheet(panel) -> Markup:
    """The sheet for `panel` (an assessment service Panel), ready for the page."""
    if panel.given or panel.errors:
        return Markup(_render(panel).replace(CSRF_SLOT, generate_csrf()))
    key = (panel.step.id, panel.step.module_slug, panel.step.slug, panel.kind, _fingerprint(panel.settings))
    kept = kept_by_app("lms.assessment.sheets", KEPT)
    html = kept.get(key)
    if html is None:
        html = _render(panel)
        kept.keep(key, html)
    return Markup(html.replace(CSRF_SLOT, generate_csrf()))


def _render(panel) -> str:
    template = current_app.jinja_env.get_template("assessment/_form.html")
    return template.render(assessment=panel, csrf_value=Markup(CSRF_SLOT))


def _fingerprint(settings: dict) -> str:
    """The settings' contents, not their identity: an edit to the questions makes a new key."""
    return hashlib.blake2b(json.dumps(settings, sort_keys=True, default=str).encode(), digest_size=16).hexdigest()
