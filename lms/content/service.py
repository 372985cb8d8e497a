"""The course: the content feature's door. Reads for pages live here (the outline, kept per
process under the course's version, and step pages); checking, importing and exporting
content/ live in lms.content.sync and are reached through here.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import has_request_context

from lms import i18n
from lms.accounts import sign_ins
from lms.content import cache
from lms.content.files import ContentInvalid
from lms.content.models import Activity, Course, CourseTranslation, Module, ModuleTranslation, Step, StepTranslation
from lms.content.outline import ActivityOutline, CourseInfo, CourseOutline, ModuleOutline, StepSummary
from lms.content.step_pages import GLOSSARY_PATH, get_step_page, shown_translation
from lms.content.stored_images import find_image, find_image_at
from lms.content.sync import ImportReport, check_content, content_warnings, export_outline, import_content
from lms.db import one_of
from lms.errors import NotFound
from lms.extensions import db

log = logging.getLogger(__name__)

__all__ = [
    "ContentInvalid",
    "check_content",
    "content_warnings",
    "import_content",
    "export_content",
    "get_outline",
    "get_outline_and",
    "get_step_page",
    "get_glossary",
    "find_image",
    "find_image_at",
    "GLOSSARY_PATH",
    "get_module_introduction",
    "get_step_settings",
    "get_settings_of",
    "adjust_comment_count",
    "comment_counts",
    "renew_versions",
    "ImportReport",
    "reading_language",
    "ENGLISH",
]
ENGLISH = "en"


def reading_language() -> str:
    """The language the course is read in: this request's (lms.i18n), English outside a request.

    Every read below takes `language`, defaulting to this: a Welsh reader gets the Welsh
    version of whatever has one, and the English of the rest, marked (`lang` on the outline's
    parts and on StepPage says "en" where the English stands in)."""
    return i18n.language() if has_request_context() else ENGLISH


def export_content(dest: Path) -> int:
    """Write the published course to dest in the format import reads; return files written."""
    outline = get_outline(language=ENGLISH)
    if outline is None:
        raise NotFound("There is no course to export: import one first")
    return export_outline(outline, dest)


def get_outline(include_drafts: bool = False, language: str | None = None) -> CourseOutline | None:
    """The course with its modules, activities and steps in order: one query when this process
    already holds the current version (lms.content.cache), four more to build it when not
    (three more again in a language other than English). Titles in `language` (by default
    the reader's, `reading_language`) where there is a version in it, else the English."""
    return get_outline_and(None, include_drafts, language=language)[0]


def get_outline_and(
    also,
    include_drafts: bool = False,
    params: dict | None = None,
    read: tuple | None = None,
    language: str | None = None,
) -> tuple[CourseOutline | None, object]:
    """The outline, and the value of `also` (a column expression about the course, such as a
    feature's EXISTS on its own table) read in the same query as the version check.

    `also` is built once by its owner, with bound parameters (given in `params`), so the
    query around it is built once too: on every course page, building it cost more than
    running it. `read` is the version and the value of `also` when the caller has read
    them already (with the sign-in: `version_with_user`)."""
    language = language or reading_language()
    row = read or db.session.execute(_version_query(also), params or {}).first()
    if row is None or row[0] is None:
        return None, None
    kept = cache.usable(db.session(), tuple(row[:3]))
    outline = kept.outlines.get((include_drafts, language)) if kept else None
    if outline is None:
        outline = _build_outline(row[0], include_drafts, language)
        if kept:
            kept.outlines[(include_drafts, language)] = outline
    return outline, (row[3] if also is not None else None)


VERSION_WITH_USER = ("course_id", "course_created_at", "course_version")


def version_with_user() -> None:
    """Have the sign-in query read the course's version too (accounts.read_with_user), so a
    course page need not ask for it again."""
    for name, column in zip(VERSION_WITH_USER, cache.version_columns()):
        sign_ins.read_with_user(
            name, lambda user_id, column=column: sa.select(column).order_by(Course.id).limit(1).scalar_subquery()
        )


@lru_cache(maxsize=8)
def _version_query(also):
    return sa.select(*cache.version_columns(), *([also] if also is not None else [])).order_by(Course.id).limit(1)


def _build_outline(course_id: int, include_drafts: bool, language: str = ENGLISH) -> CourseOutline:
    course = db.session.get(Course, course_id)
    module_query = sa.select(Module).where(Module.course_id == course.id).order_by(Module.position)
    step_query = (
        sa.select(
            Step.id, Step.module_id, Step.activity_id, Step.slug, Step.title, Step.type, Step.duration, Step.published
        )
        .join(Module)
        .where(Module.course_id == course.id)
        .order_by(Step.position, Step.id)
    )
    if not include_drafts:
        module_query = module_query.where(Module.published)
        step_query = step_query.where(Step.published)
    modules = db.session.scalars(
        module_query.options(
            so.load_only(Module.id, Module.slug, Module.title, Module.summary, Module.hours, Module.published)
        )
    ).all()
    activities = db.session.execute(
        sa.select(Activity.id, Activity.module_id, Activity.slug, Activity.title)
        .where(Activity.module_id.in_([m.id for m in modules]))
        .order_by(Activity.position)
    ).all()
    steps = db.session.execute(step_query).all()
    words = _Translated.read(course.id, [m.id for m in modules], [s.id for s in steps], language)
    return CourseOutline(
        _course_info(course, words.course, language),
        tuple(
            _module_outline(module, number, activities, steps, words) for number, module in enumerate(modules, start=1)
        ),
    )


class _Translated:
    """The outline's words in a language other than English: the course's translation row,
    each module's (title, summary, activity titles) and each step's title."""

    def __init__(self, course=None, modules=None, steps=None, fallback: str | None = None):
        self.course: CourseTranslation | None = course
        self.modules: dict[int, tuple] = modules or {}
        self.steps: dict[int, str] = steps or {}
        self.fallback = fallback  # "en" when an outline in another language shows English

    @classmethod
    def read(cls, course_id: int, module_ids: list[int], step_ids: list[int], language: str) -> _Translated:
        if language == ENGLISH:
            return cls()
        course = db.session.scalar(
            sa.select(CourseTranslation).where(
                CourseTranslation.course_id == course_id, CourseTranslation.language == language
            )
        )
        modules = db.session.execute(
            sa.select(
                ModuleTranslation.module_id,
                ModuleTranslation.title,
                ModuleTranslation.summary,
                ModuleTranslation.activities,
            ).where(ModuleTranslation.module_id.in_(module_ids), ModuleTranslation.language == language)
        ).all()
        steps = (
            db.session.execute(
                sa.select(StepTranslation.step_id, StepTranslation.title).where(
                    one_of(StepTranslation.step_id, step_ids), *shown_translation(language)
                )
            ).all()
            if step_ids
            else []
        )
        return cls(course, {m[0]: tuple(m[1:]) for m in modules}, dict(steps), ENGLISH)


def _course_info(course: Course, translated: CourseTranslation | None = None, language: str = ENGLISH) -> CourseInfo:
    words = translated or course
    return CourseInfo(
        course.id,
        course.slug,
        words.title,
        words.summary,
        course.hours,
        tuple(words.outcomes),
        tuple(words.educators),
        words.about_html,
        _glossary(course, translated, language),
        lang=ENGLISH if translated is None and language != ENGLISH else None,
        language=language,
    )


def _glossary(course: Course, translated: CourseTranslation | None, language: str) -> dict | None:
    """The glossary in the outline's language, else the English one marked `"lang": "en"`."""
    if translated is not None and translated.glossary:
        return translated.glossary
    if course.glossary and language != ENGLISH:
        return {**course.glossary, "lang": ENGLISH}
    return course.glossary


def _module_outline(module: Module, number: int, activities, steps, words: _Translated | None = None) -> ModuleOutline:
    """Number the module's visible steps 1..n in order, grouped under their activities."""
    words = words or _Translated()
    own = [s for s in steps if s.module_id == module.id]
    translated = words.modules.get(module.id)
    module_lang = words.fallback if translated is None else None
    activity_titles = {a["slug"]: a["title"] for a in translated[2]} if translated else {}
    grouped = []
    counter = 0
    for activity in (a for a in activities if a.module_id == module.id):
        members = []
        for step in (s for s in own if s.activity_id == activity.id):
            counter += 1
            title = words.steps.get(step.id)
            members.append(
                StepSummary(
                    step.id,
                    module.slug,
                    step.slug,
                    f"{number}.{counter}",
                    title or step.title,
                    step.type,
                    step.duration,
                    step.published,
                    lang=words.fallback if title is None else None,
                )
            )
        if members:
            title = activity_titles.get(activity.slug)
            grouped.append(
                ActivityOutline(
                    activity.slug,
                    title or activity.title,
                    tuple(members),
                    lang=words.fallback if title is None else None,
                )
            )
    return ModuleOutline(
        module.id,
        module.slug,
        number,
        translated[0] if translated else module.title,
        translated[1] if translated else module.summary,
        module.hours,
        module.published,
        tuple(grouped),
        lang=module_lang,
    )


def adjust_comment_count(step_id: int, change: int) -> None:
    """Add change to the step's comment count, in the caller's transaction (flushes, does not commit).

    One UPDATE adding to the stored value, so concurrent posts never lose a count. It goes
    to the table, not the model: a count is not course content, so it must not move the
    content version (lms.content.cache) and make every worker rebuild its outline after
    each post; the pages that show counts read them (`comment_counts`).
    """
    db.session.execute(_ADJUST_COUNT, {"step_id": step_id, "change": change})
    db.session.flush()


_STEPS = Step.__table__
_ADJUST_COUNT = (
    _STEPS.update()
    .where(_STEPS.c.id == sa.bindparam("step_id"))
    .values(comment_count=_STEPS.c.comment_count + sa.bindparam("change"))
)


def renew_versions() -> None:
    """Move every version that processes keep pages under (the course's content version, each
    step's thread version) to a value never used before. After a restore has put old versions
    back, the next writes would otherwise make versions a running process already used, and
    it would serve the pages it kept under them: comments the restore erased, and not new ones.
    """
    db.session.execute(sa.update(Course).values(content_version=cache.fresh_content_version()))
    if db.engine.dialect.name == "postgresql":  # past every value the sequence gave before
        db.session.execute(
            sa.text("SELECT setval('thread_versions', nextval('thread_versions') + :jump)"),
            {"jump": cache.fresh_sequence_jump()},
        )
        db.session.execute(sa.text("UPDATE steps SET thread_version = nextval('thread_versions')"))
    else:
        db.session.execute(sa.text("UPDATE steps SET thread_version = random()"))
    db.session.commit()


def comment_counts(outline: CourseOutline) -> dict[int, int]:
    """Each step's number of comments (steps with none left out), in one query."""
    ids = [s.id for s in outline.steps]
    return (
        dict(
            db.session.execute(
                sa.select(Step.id, Step.comment_count).where(one_of(Step.id, ids), Step.comment_count > 0)
            ).all()
        )
        if ids
        else {}
    )


def get_module_introduction(module_id: int, language: str | None = None) -> str:
    """The module's rendered introduction, in `language` (the reader's) when it has a version
    in it, else the English (the module outline's `lang` says which)."""
    language = language or reading_language()
    if language == ENGLISH:
        return db.session.scalar(sa.select(Module.introduction_html).where(Module.id == module_id)) or ""
    english, translated = db.session.execute(
        sa.select(Module.introduction_html, ModuleTranslation.introduction_html)
        .outerjoin(
            ModuleTranslation,
            sa.and_(ModuleTranslation.module_id == Module.id, ModuleTranslation.language == language),
        )
        .where(Module.id == module_id)
    ).first() or ("", None)
    return translated if translated is not None else english or ""


def _settings_query(language: str):
    if language == ENGLISH:
        return sa.select(Step.id, Step.settings)
    return sa.select(Step.id, sa.func.coalesce(StepTranslation.settings, Step.settings)).outerjoin(
        StepTranslation, sa.and_(StepTranslation.step_id == Step.id, *shown_translation(language))
    )


def get_step_settings(step_id: int, language: str | None = None) -> dict:
    """The step's type-specific settings (a quiz's questions, a self-assessment's statements),
    worded in `language` (the reader's) where the step has a version in it. Every version has
    the same questions, options, right answers and scoring (lms.content.translations), so
    answers (kept by option position) and scores are the same in each."""
    return get_settings_of([step_id], language).get(step_id, {})


def get_settings_of(step_ids: list[int], language: str | None = None) -> dict[int, dict]:
    """Several steps' settings, by step id, in one query (worded as get_step_settings)."""
    if not step_ids:
        return {}
    query = _settings_query(language or reading_language())
    rows = db.session.execute(query.where(Step.id.in_(step_ids)))
    return {step_id: dict(settings or {}) for step_id, settings in rows}


def get_glossary() -> dict | None:
    """The course's glossary as the glossary page shows it (None: the course has none)."""
    outline = get_outline()
    return outline.course.glossary if outline else None
