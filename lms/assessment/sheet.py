"""The answer sheet's HTML. A blank sheet (nothing given, nothing missing) is the same for
every learner, and writing out a self-assessment's radios through the NHS.UK macros costs
tens of milliseconds; so each process renders a blank sheet once per step and its settings
and keeps it (lms.fragments)."""

from __future__ import annotations

import hashlib
import json

from flask import current_app
from markupsafe import Markup

from lms.fragments import kept_fragment
from lms.kept import MB

KEPT = MB // 2  # sheets per process, in bytes: the course has eight of some 20 KB


def answer_sheet(panel) -> Markup:
    """The sheet for `panel` (an assessment service Panel), ready for the page."""
    if panel.given or panel.errors:
        return Markup(_render(panel))
    key = (panel.step.id, panel.step.module_slug, panel.step.slug, panel.kind, _fingerprint(panel.settings))
    return kept_fragment("answer_sheets", key, lambda: _render(panel), most=KEPT)


def _render(panel) -> str:
    return current_app.jinja_env.get_template("assessment/_form.html").render(assessment=panel)


def _fingerprint(settings: dict) -> str:
    """The settings' contents, not their identity: an edit to the questions makes a new key."""
    return hashlib.blake2b(json.dumps(settings, sort_keys=True, default=str).encode(), digest_size=16).hexdigest()
