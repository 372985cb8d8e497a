"""A step's printable copy (PDF): a self-assessment as a form to fill in on paper and score by
hand, or a `printable: true` article or reflection with room to write. Made from the content,
so the paper copy says what the page says."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app, render_template
from flask_babel import gettext as _

from lms import pdf
from lms.content import service as content
from lms.content.assessment_schema import SCALE_POINTS, scale_labels
from lms.content.outline import StepPage

WRITING_LINES = 14  # ruled lines under a printable step's prompt: room for a plan or a reflection


@dataclass(frozen=True)
class Band:
    scores: str  # "1.0 to 2.5", "1.0 i 2.5"
    label: str
    feedback: str


@dataclass(frozen=True)
class Dimension:
    title: str
    description: str
    numbers: tuple[int, ...]  # of its statements, as numbered on the form
    reversed: tuple[int, ...]
    bands: tuple[Band, ...]


@dataclass(frozen=True)
class SelfAssessmentForm:
    labels: tuple[str, ...]  # the scale, lowest first
    statements: tuple[tuple[int, str], ...]  # (number, text)
    dimensions: tuple[Dimension, ...]


def _bands(bands: list[dict]) -> tuple[Band, ...]:
    found, low = [], 1.0
    for band in bands:
        high = min(float(band["up_to"]), float(SCALE_POINTS))
        found.append(
            Band(_("%(low)s to %(high)s", low=f"{low:.1f}", high=f"{high:.1f}"), band["label"], band["feedback"])
        )
        low = high + 0.1
    return tuple(found)


def self_assessment_form(settings: dict) -> SelfAssessmentForm:
    """The statements to tick, numbered, and how each dimension is scored and banded."""
    statements = settings.get("statements", [])
    numbered = list(enumerate(statements, start=1))
    return SelfAssessmentForm(
        labels=scale_labels(settings.get("scale", "frequency")),
        statements=tuple((number, s["text"]) for number, s in numbered),
        dimensions=tuple(
            Dimension(
                title=d["title"],
                description=d.get("description", ""),
                numbers=tuple(n for n, s in numbered if s["dimension"] == d["id"]),
                reversed=tuple(n for n, s in numbered if s["dimension"] == d["id"] and s.get("reverse")),
                bands=_bands(d.get("bands", [])),
            )
            for d in settings.get("dimensions", [])
        ),
    )


def printable_pdf(page: StepPage, course_title: str) -> bytes:
    """The step's printable copy as PDF (the page must offer one: `page.printable`)."""
    form = (
        self_assessment_form(content.get_step_settings(page.summary.id))
        if page.summary.type == "self-assessment"
        else None
    )
    html = render_template(
        "steps/printable.html", page=page, form=form, course_title=course_title, lines=range(WRITING_LINES)
    )
    stylesheet = Path(current_app.static_folder, "css", "print.css").read_text(encoding="utf-8")
    return pdf.html_to_pdf(html, stylesheet, pictures=content.find_image_at)
