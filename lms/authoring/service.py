"""Authoring: admins edit the course in the browser. Each action is validated by the same
rules as `content check`, audited, and committed once."""

from __future__ import annotations

from dataclasses import dataclass

from lms.accounts.models import User
from lms.audit import service as audit
from lms.content import revisions, schema, structure
from lms.content.files import Problem
from lms.content.models import Module, Step, StepRevision
from lms.content.revisions import StepDraft
from lms.extensions import db


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


def check_draft(draft: StepDraft, activities: list[str]) -> None:
    problems = schema.check_step(_meta(draft), draft.body_md, activities)
    if problems:
        raise DraftInvalid(problems)


def _activity_slugs(module_id: int) -> list[str]:
    return [a.slug for a in structure.activities_of(module_id)]


def save_step(actor: User, step_id: int, draft: StepDraft, base_revision: int) -> StepRevision:
    """Save the draft as the step's next revision (published steps wait for publish)."""
    step = structure.get_step(step_id)
    check_draft(draft, _activity_slugs(step.module_id))
    revision = revisions.record(step, draft, actor.id, "Edited in the browser", base=base_revision)
    audit.record(actor, "step.save", step, details={"revision": revision.number})
    db.session.commit()
    return revision


def create_step(actor: User, module_id: int, slug: str, draft: StepDraft) -> Step:
    module = structure.get_module(module_id)
    check_draft(draft, _activity_slugs(module_id))
    step = structure.new_step(module, structure.slugify(slug or draft.title), draft.activity_slug)
    revisions.record(step, draft, actor.id, "Created in the browser")
    audit.record(actor, "step.create", step)
    db.session.commit()
    return step


def publish_step(actor: User, step_id: int) -> Step:
    step = structure.get_step(step_id)
    revisions.publish(step)
    audit.record(actor, "step.publish", step, details={"revision": step.live_revision})
    db.session.commit()
    return step


def unpublish_step(actor: User, step_id: int) -> Step:
    step = structure.get_step(step_id)
    revisions.unpublish(step)
    audit.record(actor, "step.unpublish", step)
    db.session.commit()
    return step


def restore_revision(actor: User, step_id: int, number: int) -> StepRevision:
    """Save an earlier revision again as the newest (history is never rewritten)."""
    step = structure.get_step(step_id)
    old = revisions.get_revision(step, number)
    draft = revisions.draft_of(old)
    draft = StepDraft(**{**draft.__dict__, "activity_slug": revisions.draft_of_step(step).activity_slug})
    revision = revisions.record(step, draft, actor.id, f"Restored revision {number}")
    audit.record(actor, "step.restore", step, details={"from": number, "revision": revision.number})
    db.session.commit()
    return revision


def move_step(actor: User, step_id: int, direction: int) -> Step:
    step = structure.get_step(step_id)
    structure.move_step(step, direction)
    audit.record(actor, "step.move", step, details={"direction": "up" if direction < 0 else "down"})
    db.session.commit()
    return step


def move_to_activity(actor: User, step_id: int, activity_slug: str) -> Step:
    step = structure.get_step(step_id)
    structure.move_to_activity(step, activity_slug)
    audit.record(actor, "step.move", step, details={"activity": activity_slug})
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
    meta = {
        "title": fields.title,
        "summary": fields.summary,
        "hours": fields.hours,
        "activities": [{"slug": s, "title": t} for s, t in fields.activities],
    }
    problems = schema.check_module(meta, fields.introduction)
    if problems:
        raise DraftInvalid(problems)


def save_module(actor: User, module_id: int, fields: ModuleFields) -> Module:
    _check_module(fields)
    module = structure.get_module(module_id)
    structure.set_module(module, fields.title, fields.summary, fields.hours, fields.introduction, fields.activities)
    audit.record(actor, "module.save", module)
    db.session.commit()
    return module


def create_module(actor: User, course_id: int, slug: str, fields: ModuleFields) -> Module:
    _check_module(fields)
    module = structure.new_module(course_id, structure.slugify(slug or fields.title))
    structure.set_module(module, fields.title, fields.summary, fields.hours, fields.introduction, fields.activities)
    audit.record(actor, "module.create", module)
    db.session.commit()
    return module


def set_module_published(actor: User, module_id: int, published: bool) -> Module:
    module = structure.get_module(module_id)
    module.published = published
    audit.record(actor, "module.publish" if published else "module.unpublish", module)
    db.session.commit()
    return module
