"""The private reflection box on a step page. Until a learner writes on a step, the box is
the same for every learner who opens it, so each process renders it once per step and
keeps it (lms.fragments); a box with the learner's own words is rendered for them."""

from __future__ import annotations

from flask import current_app
from markupsafe import Markup

from lms.fragments import kept_fragment
from lms.kept import MB


def reflection_panel(step, entry, form) -> Markup:
    """The box for `step`, with the learner's reflection `entry` (or None) in `form`."""
    if entry is not None or form.errors or any(field.data for field in form if field.name != "csrf_token"):
        return Markup(_render(step, entry, form))
    key = (step.id, step.module_slug, step.slug, step.type)
    return kept_fragment("reflection_panels", key, lambda: _render(step, entry, form), most=MB // 2)


def _render(step, entry, form) -> str:
    return current_app.jinja_env.get_template("reflection/_step_panel.html").render(
        step=step, reflection_entry=entry, reflection_form=form
    )
