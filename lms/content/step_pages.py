"""A step's page: the step with its place in the course and its body ready to show."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from lms.content import cache, step_html
from lms.content.models import Step, StepTranslation
from lms.content.outline import CourseOutline, StepPage
from lms.errors import NotFound
from lms.extensions import db

GLOSSARY_PATH = "/glossary"  # lms.content.views serves it


def get_step_page(outline: CourseOutline, module_slug: str, step_slug: str) -> StepPage:
    """The step and its neighbours; NotFound if the outline (as this viewer sees it) lacks it."""
    index = outline.index_of(module_slug, step_slug)
    if index is None:
        raise NotFound("No such step")
    summary = outline.steps[index]
    module = outline.module(module_slug)
    activity = next(a for a in module.activities if summary in a.steps)
    body = _step_body(outline, summary.id)
    return StepPage(
        summary=summary,
        module=module,
        activity_title=activity.title,
        body_html=body.html,
        prompt=body.prompt,
        video_url=body.video_url,
        previous=outline.steps[index - 1] if index > 0 else None,
        next=outline.steps[index + 1] if index + 1 < len(outline.steps) else None,
        transcript_html=body.transcript_html,
        see_also=tuple(
            outline.steps[i] for i in (outline.index_of(*key.split("/")) for key in body.see_also) if i is not None
        ),
        printable=body.printable or summary.type == "self-assessment",
        lang=body.lang,
        activity_lang=activity.lang,
    )


def shown_translation(language: str) -> tuple:
    """The conditions for a step's version in `language` that its readers see: one with a
    revision applied (a first Welsh save on a published step waits for `publish`)."""
    return (StepTranslation.language == language, StepTranslation.live_revision > 0)


@dataclass(frozen=True)
class _Body:
    html: str
    transcript_html: str
    prompt: str | None
    video_url: str | None
    see_also: tuple[str, ...]
    printable: bool
    lang: str | None = None  # "en": no version in the outline's language, so the English


def _step_body(outline: CourseOutline, step_id: int) -> _Body:
    """The step's HTML ready to show (lms.content.step_html), prompt, video link and links to
    other steps, in the outline's language where the step has a version in it (else the
    English, marked); kept with the outline they belong to."""
    language = outline.course.language
    kept, bodies = cache.cache_for_app(), cache.bodies()
    keep = not cache.changing(db.session()) and any(o is outline for o in kept.outlines.values())
    key = (kept.key, step_id, language)
    body = bodies.get(key) if keep else None
    if body is None:
        columns = (Step.body_html, Step.prompt, Step.video_url, Step.settings)
        lang = None
        if language == "en":
            html, prompt, video_url, settings = db.session.execute(sa.select(*columns).where(Step.id == step_id)).one()
        else:
            row = db.session.execute(
                sa.select(*columns, StepTranslation.id, StepTranslation.body_html, StepTranslation.prompt)
                .add_columns(StepTranslation.video_url, StepTranslation.settings)
                .outerjoin(
                    StepTranslation,
                    sa.and_(StepTranslation.step_id == Step.id, *shown_translation(language)),
                )
                .where(Step.id == step_id)
            ).one()
            if row[4] is None:
                (html, prompt, video_url, settings), lang = row[:4], "en"
            else:
                html, prompt, video_url, settings = row[5:]
        html, transcript = step_html.split_transcript(html)
        terms = (outline.course.glossary or {}).get("terms", [])
        body = _Body(
            step_html.link_terms(html, terms, GLOSSARY_PATH),
            transcript,
            prompt,
            video_url,
            tuple((settings or {}).get("see_also", ())),
            bool((settings or {}).get("printable")),
            lang,
        )
        if keep:
            bodies.keep(key, body)
    return body
