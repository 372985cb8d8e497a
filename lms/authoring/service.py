"""Authoring: admins edit the course in the browser. Each action is validated by the same
rules as `content check`, audited, and committed once."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from lms.accounts.models import User
from lms.audit import service as audit
from lms.content import revisions, schema, stored_images, structure
from lms.content import service as content
from lms.content.files import Problem
from lms.content.markdown import render_course_markdown
from lms.content.models import Module, ModuleTranslation, Step, StepRevision
from lms.content.revisions import StepDraft
from lms.errors import InvalidInput
from lms.extensions import db


def _reason(reason: str | None) -> str:
    """An unpublish's reason, which the audit log keeps: it does not happen without one."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Enter a reason"), field="reason")
    return reason


def step_number(step_id: int) -> str:
    """The step's number ("1.2") as admins see the course now, drafts included."""
    outline = content.get_outline(include_drafts=True)
    return next((s.number for s in (outline.steps if outline else ()) if s.id == step_id), "")


def module_number(module_id: int) -> int | None:
    outline = content.get_outline(include_drafts=True)
    return next((m.number for m in (outline.modules if outline else ()) if m.id == module_id), None)


def step_details(step: Step, **more) -> dict:
    """What the audit log keeps of a step: its number and title at the time, and more."""
    return {"number": step_number(step.id), "title": step.title, **more}


def module_details(module: Module, **more) -> dict:
    return {"number": module_number(module.id), "title": module.title, **more}


class DraftInvalid(Exception):
    """The draft breaks the content rules; nothing was saved."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


def _meta(draft: StepDraft) -> dict:
    meta = {
        "title": draft.title,
        "type": draft.type,
        "activity": draft.activity_slug,
        "duration": draft.duration,
        **(draft.settings or {}),
    }
    if draft.prompt:
        meta["prompt"] = draft.prompt
    if draft.video_url:
        meta["video"] = draft.video_url
    return meta


def check_draft(draft: StepDraft, module_id: int, identity: str | None = None) -> None:
    """Refuse the draft if `content check` would (with the module's images and, for a step that
    exists, its identity, so it cannot name itself in see_also)."""
    problems = schema.check_step(
        _meta(draft), draft.body_md, _activity_slugs(module_id), stored_images.image_names(module_id), identity
    )
    targets = (draft.settings or {}).get("see_also") or []
    problems += [Problem("", 0, "see_also", f"there is no step {t} in the course") for t in _missing_steps(targets)]
    if problems:
        raise DraftInvalid(problems)


def preview(module_id: int, body: str) -> str:
    """The body as learners would see it, with the module's pictures."""
    return render_course_markdown(body, stored_images.image_urls(module_id))


def _missing_steps(targets: list) -> list:
    """The `module-slug/step-slug` names among `targets` that are no step of the course."""
    if not targets:
        return []
    known = {
        f"{m}/{s}"
        for m, s in db.session.execute(sa.select(Module.slug, Step.slug).join(Module, Module.id == Step.module_id))
    }
    return [t for t in targets if t not in known]


def _activity_slugs(module_id: int) -> list[str]:
    return [a.slug for a in structure.activities_of(module_id)]


def save_step(actor: User, step_id: int, draft: StepDraft, base_revision: int) -> StepRevision:
    """Save the draft as the step's next revision (published steps wait for publish)."""
    step = structure.get_step(step_id)
    check_draft(draft, step.module_id, f"{structure.get_module(step.module_id).slug}/{step.slug}")
    try:
        revision = revisions.record(step, draft, actor.id, "Edited in the browser", base=base_revision)
        audit.record(actor, "step.save", step, details=step_details(step, revision=revision.number))
        db.session.commit()
    except IntegrityError:  # a revision numbered meanwhile by another way in (an import): as stale
        db.session.rollback()
        raise revisions.EditConflict(revisions.STALE, field="base_revision") from None
    return revision


def english_draft(step: Step) -> StepDraft:
    """The English a translation is checked against and starts from: the newest revision."""
    newest = revisions.latest(step)
    return revisions.draft_of(newest) if newest else revisions.draft_of_step(step)


def check_translation(step: Step, draft: StepDraft, language: str) -> None:
    """Refuse the step's version in `language` if `content check` would: read as a step, and
    against the English (the same fields, quiz question ids and option counts, the same
    self-assessment structure, so answers and scores are shared across languages)."""
    english = english_draft(step)
    problems = schema.check_step_translation(
        _meta(english),
        english.body_md,
        _meta(draft),
        draft.body_md,
        _activity_slugs(step.module_id),
        stored_images.image_names(step.module_id),
        f"{structure.get_module(step.module_id).slug}/{step.slug}",
        language,
        english_name="the English version",
    )
    if problems:
        raise DraftInvalid(problems)


def save_translation(actor: User, step_id: int, language: str, draft: StepDraft, base_revision: int) -> StepRevision:
    """Save the draft as the next revision of the step's version in `language`, creating that
    version on its first save. Type, activity and duration are the English step's."""
    step = structure.get_step(step_id)
    english = english_draft(step)
    draft = StepDraft(**{**draft.__dict__, "type": english.type, "duration": english.duration})
    check_translation(step, draft, language)
    created = revisions.get_translation(step, language) is None
    note = "Created in the browser" if created else "Edited in the browser"
    try:
        revision = revisions.record_translation(step, language, draft, actor.id, note, base=base_revision)
        details = step_details(step, revision=revision.number, language=language)
        audit.record(actor, "step.save", step, details=details)
        db.session.commit()
    except IntegrityError:  # a revision numbered meanwhile by another way in (an import): as stale
        db.session.rollback()
        raise revisions.EditConflict(revisions.STALE, field="base_revision") from None
    return revision


def publish_translation(actor: User, step_id: int, language: str) -> Step:
    """Show readers of `language` the newest revision of the step's version in it (the English
    is left as it is: it has its own Publish)."""
    step = structure.get_step(step_id)
    translation = revisions.get_translation(step, language)
    newest = revisions.latest(step, language)
    if translation is None or newest is None:
        raise InvalidInput(_("This step has no Welsh version to publish."))
    if newest.number != translation.live_revision:
        revisions.apply_translation(translation, step, newest)
    details = step_details(step, revision=translation.live_revision, language=language)
    audit.record(actor, "step.publish", step, details=details)
    db.session.commit()
    return step


def create_step(actor: User, module_id: int, slug: str, draft: StepDraft) -> Step:
    module = structure.get_module(module_id)
    check_draft(draft, module_id)
    step = structure.new_step(module, structure.slugify(slug or draft.title), draft.activity_slug)
    revisions.record(step, draft, actor.id, "Created in the browser")
    audit.record(actor, "step.create", step, details=step_details(step))
    db.session.commit()
    return step


def publish_step(actor: User, step_id: int) -> Step:
    step = structure.get_step(step_id)
    revisions.publish(step)
    audit.record(actor, "step.publish", step, details=step_details(step, revision=step.live_revision))
    db.session.commit()
    return step


def unpublish_step(actor: User, step_id: int, reason: str) -> Step:
    step = structure.get_step(step_id)
    reason = _reason(reason)
    details = step_details(step, revision=step.live_revision)
    revisions.unpublish(step)
    audit.record(actor, "step.unpublish", step, reason=reason, details=details)
    db.session.commit()
    return step


def restore_revision(actor: User, step_id: int, number: int, language: str = revisions.ENGLISH) -> StepRevision:
    """Save an earlier revision (in `language`) again as the newest (history is never rewritten)."""
    step = structure.get_step(step_id)
    old = revisions.get_revision(step, number, language)
    draft = revisions.draft_of(old)
    draft = StepDraft(**{**draft.__dict__, "activity_slug": revisions.draft_of_step(step).activity_slug})
    note = f"Restored revision {number}"
    if language == revisions.ENGLISH:
        revision = revisions.record(step, draft, actor.id, note)
        details = step_details(step, **{"from": number, "revision": revision.number})
    else:
        check_translation(step, draft, language)  # the English may have changed its questions since
        revision = revisions.record_translation(step, language, draft, actor.id, note)
        details = step_details(step, **{"from": number, "revision": revision.number, "language": language})
    audit.record(actor, "step.restore", step, details=details)
    db.session.commit()
    return revision


def move_step(actor: User, step_id: int, direction: int) -> Step:
    step = structure.get_step(step_id)
    structure.move_step(step, direction)
    audit.record(actor, "step.move", step, details=step_details(step, direction="up" if direction < 0 else "down"))
    db.session.commit()
    return step


def move_to_activity(actor: User, step_id: int, activity_slug: str) -> Step:
    step = structure.get_step(step_id)
    structure.move_to_activity(step, activity_slug)
    audit.record(actor, "step.move", step, details=step_details(step, activity=activity_slug))
    db.session.commit()
    return step


@dataclass(frozen=True)
class ModuleFields:
    title: str
    summary: str
    hours: float
    introduction: str
    activities: list[tuple[str, str]]  # (slug, title), in order


def _check_module(fields: ModuleFields) -> None:
    problems = schema.check_module(_module_meta(fields), fields.introduction)
    if problems:
        raise DraftInvalid(problems)


def module_translation(module_id: int, language: str) -> ModuleTranslation | None:
    return db.session.scalar(
        sa.select(ModuleTranslation).where(
            ModuleTranslation.module_id == module_id, ModuleTranslation.language == language
        )
    )


def _module_meta(fields: ModuleFields) -> dict:
    return {
        "title": fields.title,
        "summary": fields.summary,
        "hours": fields.hours,
        "activities": [{"slug": s, "title": t} for s, t in fields.activities],
    }


def english_module_fields(module: Module) -> ModuleFields:
    activities = [(a.slug, a.title) for a in structure.activities_of(module.id)]
    return ModuleFields(module.title, module.summary, module.hours, module.introduction_md, activities)


def save_module_translation(actor: User, module_id: int, language: str, fields: ModuleFields) -> ModuleTranslation:
    """Save the module's words in `language` (shown to its readers at once, as the English
    module's are), refused if `content check` would refuse them as module.LANG.md."""
    module = structure.get_module(module_id)
    english = english_module_fields(module)
    fields = ModuleFields(fields.title, fields.summary, english.hours, fields.introduction, fields.activities)
    problems = schema.check_module_translation(
        _module_meta(english), english.introduction, _module_meta(fields), fields.introduction, language
    )
    if problems:
        raise DraftInvalid(problems)
    row = module_translation(module.id, language) or ModuleTranslation(module_id=module.id, language=language)
    row.title, row.summary = fields.title, fields.summary
    row.activities = [{"slug": s, "title": t} for s, t in fields.activities]
    if row.introduction_md != fields.introduction or not row.introduction_html:
        row.introduction_md = fields.introduction
        row.introduction_html = render_course_markdown(fields.introduction)
    db.session.add(row)
    audit.record(actor, "module.save", module, details=module_details(module, language=language))
    db.session.commit()
    return row


def save_module(actor: User, module_id: int, fields: ModuleFields) -> Module:
    _check_module(fields)
    module = structure.get_module(module_id)
    structure.set_module(module, fields.title, fields.summary, fields.hours, fields.introduction, fields.activities)
    audit.record(actor, "module.save", module, details=module_details(module))
    db.session.commit()
    return module


def create_module(actor: User, course_id: int, slug: str, fields: ModuleFields) -> Module:
    _check_module(fields)
    module = structure.new_module(course_id, structure.slugify(slug or fields.title))
    structure.set_module(module, fields.title, fields.summary, fields.hours, fields.introduction, fields.activities)
    audit.record(actor, "module.create", module, details=module_details(module))
    db.session.commit()
    return module


def publish_module(actor: User, module_id: int) -> Module:
    module = structure.get_module(module_id)
    module.published = True
    audit.record(actor, "module.publish", module, details=module_details(module))
    db.session.commit()
    return module


def unpublish_module(actor: User, module_id: int, reason: str) -> Module:
    module = structure.get_module(module_id)
    reason = _reason(reason)
    details = module_details(module)
    module.published = False
    audit.record(actor, "module.unpublish", module, reason=reason, details=details)
    db.session.commit()
    return module
