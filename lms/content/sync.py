"""Check content/, import it into the database and export it back (reached through
lms.content.service, the content feature's door).

Import renders Markdown once and stores the HTML, so no page renders Markdown. It never
deletes: a module or step gone from the files is unpublished, and learners' progress,
comments and answers stay attached to it (identity is module slug + step slug).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
import yaml

from lms.content import revisions, schema
from lms.content.files import Problem, translation_suffix
from lms.content.markdown import render_course_markdown
from lms.content.models import Activity, Course, CourseTranslation, Module, ModuleTranslation, Step, StepTranslation
from lms.content.outline import CourseOutline
from lms.content.stored_glossary import glossary_file, stored_glossary
from lms.content.stored_images import export_images, image_urls, sync_images
from lms.extensions import db

log = logging.getLogger(__name__)


def check_content(root: Path) -> list[Problem]:
    """Every problem in the content folder; an empty list means it would import."""
    return schema.validate(schema.read_tree(root))[1]


def content_warnings(root: Path) -> list[Problem]:
    """What is worth a second look in the content folder, though it would import."""
    return schema.warnings(schema.read_tree(root))


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unpublished: int = 0

    def __str__(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.unpublished} unpublished"
        )


def _apply(row, values: dict, report: ImportReport, is_new: bool) -> bool:
    """Set the values on the row, count what happened, and say whether anything changed."""
    changed = {k: v for k, v in values.items() if getattr(row, k, None) != v}
    for key, value in changed.items():
        setattr(row, key, value)
    if is_new:
        report.created += 1
    elif changed:
        report.updated += 1
    else:
        report.unchanged += 1
    return is_new or bool(changed)


def _rendered(row, md_field: str, text: str, images: dict[str, str] | None = None) -> dict:
    """The Markdown and its HTML, re-rendering only when the Markdown changed or it shows
    pictures (whose addresses change with them)."""
    html_field = md_field.replace("_md", "_html")
    if row is not None and getattr(row, md_field) == text and not (images and "images/" in text):
        return {md_field: text, html_field: getattr(row, html_field)}
    return {md_field: text, html_field: render_course_markdown(text, images)}


def import_content(root: Path) -> ImportReport:
    """Sync the content folder into the database in one transaction; idempotent."""
    spec = schema.load_course(root)  # raises ContentInvalid before anything is written
    report = ImportReport()
    course = db.session.scalar(sa.select(Course).where(Course.slug == spec.slug))
    is_new = course is None
    course = course or Course()
    _apply(
        course,
        {
            "slug": spec.slug,
            "title": spec.title,
            "summary": spec.summary,
            "hours": float(spec.hours),
            "outcomes": list(spec.outcomes),
            "educators": [e.__dict__ for e in spec.educators],
            **_rendered(None if is_new else course, "about_md", spec.about),
            "glossary": stored_glossary(spec.glossary, None if is_new else course.glossary),
        },
        report,
        is_new,
    )
    db.session.add(course)
    db.session.flush()
    _import_course_translations(course, spec, report)
    modules = {m.slug: m for m in db.session.scalars(sa.select(Module).where(Module.course_id == course.id))}
    for module_spec in spec.modules:
        _import_module(course, modules.pop(module_spec.slug, None), module_spec, report)
    for gone in modules.values():
        if gone.published:
            gone.published = False
            report.unpublished += 1
    db.session.commit()
    log.info("content imported: %s", report)
    return report


def _translations_of(model, column, owner_id: int) -> dict[str, object]:
    return {row.language: row for row in db.session.scalars(sa.select(model).where(column == owner_id))}


def _import_course_translations(course: Course, spec: schema.CourseSpec, report: ImportReport) -> None:
    """course.LANG.md (and glossary.LANG.md) onto course_translations; a version whose file is
    gone is removed (it is words, not learner data: its readers see the English again)."""
    rows = _translations_of(CourseTranslation, CourseTranslation.course_id, course.id)
    for language, other in spec.translations.items():
        row = rows.pop(language, None)
        is_new = row is None
        row = row or CourseTranslation(course_id=course.id, language=language)
        _apply(
            row,
            {
                "title": other.title,
                "summary": other.summary,
                "outcomes": list(other.outcomes),
                "educators": [e.__dict__ for e in other.educators],
                **_rendered(None if is_new else row, "about_md", other.about),
                "glossary": stored_glossary(other.glossary, None if is_new else row.glossary),
            },
            report,
            is_new,
        )
        db.session.add(row)
    for gone in rows.values():
        db.session.delete(gone)


def _import_module_translations(module: Module, spec: schema.ModuleSpec, report: ImportReport) -> None:
    rows = _translations_of(ModuleTranslation, ModuleTranslation.module_id, module.id)
    for language, other in spec.translations.items():
        row = rows.pop(language, None)
        is_new = row is None
        row = row or ModuleTranslation(module_id=module.id, language=language)
        _apply(
            row,
            {
                "title": other.title,
                "summary": other.summary,
                "activities": [{"slug": a.slug, "title": a.title} for a in other.activities],
                **_rendered(None if is_new else row, "introduction_md", other.introduction),
            },
            report,
            is_new,
        )
        db.session.add(row)
    for gone in rows.values():
        db.session.delete(gone)


def _import_step_translations(
    step: Step, spec: schema.StepSpec, urls: dict[str, str], report: ImportReport, rows: dict
) -> None:
    """NN-slug.LANG.md onto step_translations, each change kept as a revision in its language."""
    for language, other in spec.translations.items():
        row = rows.pop(language, None)
        is_new = row is None
        row = row or StepTranslation(step_id=step.id, language=language, revision=0)
        changed = _apply(
            row,
            {
                "title": other.title,
                "prompt": other.prompt,
                "video_url": other.video,
                "settings": other.settings,
                **_rendered(None if is_new else row, "body_md", other.body, urls),
            },
            report,
            is_new,
        )
        db.session.add(row)
        if changed:
            db.session.flush()
            revisions.record_translation_import(row, step, spec.activity)
    for gone in rows.values():
        db.session.delete(gone)


def _import_module(course: Course, module: Module | None, spec: schema.ModuleSpec, report: ImportReport) -> None:
    is_new = module is None
    module = module or Module(course_id=course.id)
    _apply(
        module,
        {
            "slug": spec.slug,
            "position": spec.position,
            "title": spec.title,
            "summary": spec.summary,
            "hours": float(spec.hours),
            "published": True,
            **_rendered(None if is_new else module, "introduction_md", spec.introduction),
        },
        report,
        is_new,
    )
    db.session.add(module)
    db.session.flush()
    _import_module_translations(module, spec, report)
    sync_images(module.id, spec.images)
    urls = image_urls(module.id)
    activities = {a.slug: a for a in db.session.scalars(sa.select(Activity).where(Activity.module_id == module.id))}
    for position, activity_spec in enumerate(spec.activities, start=1):
        activity = activities.get(activity_spec.slug) or Activity(module_id=module.id, slug=activity_spec.slug)
        activity.title, activity.position = activity_spec.title, position
        activities[activity_spec.slug] = activity
        db.session.add(activity)
    db.session.flush()
    steps = {s.slug: s for s in db.session.scalars(sa.select(Step).where(Step.module_id == module.id))}
    translated: dict[int, dict] = {}
    for row in db.session.scalars(
        sa.select(StepTranslation).where(StepTranslation.step_id.in_([s.id for s in steps.values()]))
    ):
        translated.setdefault(row.step_id, {})[row.language] = row
    for step_spec in spec.steps:
        step = steps.pop(step_spec.slug, None)
        is_new = step is None
        step = step or Step(module_id=module.id, revision=0)
        changed = _apply(
            step,
            {
                "slug": step_spec.slug,
                "position": step_spec.position,
                "title": step_spec.title,
                "type": step_spec.type,
                "duration": step_spec.duration,
                "prompt": step_spec.prompt,
                "video_url": step_spec.video,
                "settings": step_spec.settings,
                "activity_id": activities[step_spec.activity].id,
                "published": True,
                **_rendered(None if is_new else step, "body_md", step_spec.body, urls),
            },
            report,
            is_new,
        )
        db.session.add(step)
        if changed:  # the files are a save too: keep the version they brought
            db.session.flush()
            revisions.record_import(step, step_spec.activity)
        if step_spec.translations or step.id in translated:
            db.session.flush()
            _import_step_translations(step, step_spec, urls, report, translated.get(step.id, {}))
    for gone in steps.values():
        if gone.published:
            gone.published = False
            report.unpublished += 1


def _front_matter(meta: dict, body: str) -> str:
    meta = {k: v for k, v in meta.items() if v not in (None, "")}
    dumped = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{dumped}---\n\n{body.strip()}\n"


def export_outline(outline: CourseOutline, dest: Path) -> int:
    """Write the course in `outline` to dest in the format import reads; return files written."""
    course = db.session.get(Course, outline.course.id)
    written = [
        _write(
            dest / "course.md",
            _front_matter(
                {
                    "title": course.title,
                    "slug": course.slug,
                    "summary": course.summary,
                    "hours": course.hours,
                    "outcomes": list(course.outcomes),
                    "educators": list(course.educators),
                },
                course.about_md,
            ),
        )
    ]
    if course.glossary:
        written.append(_write(dest / "glossary.md", glossary_file(course.glossary)))
    for other in db.session.scalars(sa.select(CourseTranslation).where(CourseTranslation.course_id == course.id)):
        suffix = translation_suffix(other.language)
        written.append(
            _write(
                dest / f"course{suffix}",
                _front_matter(
                    {
                        "title": other.title,
                        "slug": course.slug,
                        "summary": other.summary,
                        "hours": course.hours,
                        "outcomes": list(other.outcomes),
                        "educators": list(other.educators),
                    },
                    other.about_md,
                ),
            )
        )
        if other.glossary:
            written.append(_write(dest / f"glossary{suffix}", glossary_file(other.glossary)))
    steps = {s.id: s for s in db.session.scalars(sa.select(Step).where(Step.id.in_([s.id for s in outline.steps])))}
    step_translations: dict[int, list[StepTranslation]] = {}
    for row in db.session.scalars(
        sa.select(StepTranslation)
        .where(StepTranslation.step_id.in_(list(steps)), StepTranslation.live_revision > 0)
        .order_by(StepTranslation.language)
    ):
        step_translations.setdefault(row.step_id, []).append(row)
    for module_outline in outline.modules:
        module = db.session.get(Module, module_outline.id)
        folder = dest / "modules" / f"{module_outline.number:02d}-{module.slug}"
        written.append(
            _write(
                folder / "module.md",
                _front_matter(
                    {
                        "title": module.title,
                        "summary": module.summary,
                        "hours": module.hours,
                        "activities": [{"slug": a.slug, "title": a.title} for a in module_outline.activities],
                    },
                    module.introduction_md,
                ),
            )
        )
        for other in db.session.scalars(sa.select(ModuleTranslation).where(ModuleTranslation.module_id == module.id)):
            titles = {a["slug"]: a["title"] for a in other.activities}
            written.append(
                _write(
                    folder / f"module{translation_suffix(other.language)}",
                    _front_matter(
                        {
                            "title": other.title,
                            "summary": other.summary,
                            "hours": module.hours,
                            "activities": [
                                {"slug": a.slug, "title": titles.get(a.slug, a.title)}
                                for a in module_outline.activities
                            ],
                        },
                        other.introduction_md,
                    ),
                )
            )
        written += export_images(module.id, folder)
        for activity in module_outline.activities:
            for summary in activity.steps:
                step = steps[summary.id]
                position = int(summary.number.split(".")[1])
                versions = [
                    (step, ".md"),
                    *((t, translation_suffix(t.language)) for t in step_translations.get(step.id, [])),
                ]
                for text, suffix in versions:
                    written.append(
                        _write(
                            folder / f"{position:02d}-{step.slug}{suffix}",
                            _front_matter(
                                {
                                    "title": text.title,
                                    "type": step.type,
                                    "activity": activity.slug,
                                    "duration": step.duration,
                                    "prompt": text.prompt,
                                    "video": text.video_url,
                                    **text.settings,
                                },
                                text.body_md,
                            ),
                        )
                    )
    return len(written)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
