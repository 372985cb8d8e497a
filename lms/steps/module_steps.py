"""The list of a module's steps beside a step: numbered, ticked, the current one marked.

The ticks are the learner's own, so the HTML is kept under a key naming everything it
shows (the module's steps, the current one, which are ticked): learners at the same place
with the same ticks share it, and no learner's ticks reach another's page.
"""

from __future__ import annotations

from flask import current_app
from markupsafe import Markup

from lms.fragments import kept_fragment
from lms.kept import MB
from lms.steps.service import ModulePlace

KEPT = MB  # bytes: a list is a few KB, and a cohort is mostly at a few places and tick patterns


def module_steps_list(place: ModulePlace) -> Markup:
    return kept_fragment("module_step_lists", place.key, lambda: _render(place), most=KEPT)


def _render(place: ModulePlace) -> str:
    return current_app.jinja_env.get_template("steps/_module_steps.html").render(place=place)
