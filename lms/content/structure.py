"""Change the course's shape from the browser: modules, activities, step order.

Steps are ordered by their activity, then their position; every change here renumbers
the module's steps 1..n in that order, so numbers stay contiguous. Identities (slugs)
never change, so progress, comments and answers stay attached. Functions flush only.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.content.markdown import render_course_markdown
from lms.content.models import Activity, Module, Step
from lms.errors import InvalidInput, NotFound
from lms.extensions import db

SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    return SLUG.sub("-", text.lower()).strip("-")[:80] or "untitled"


def get_module(module_id: int) -> Module:
    module = db.session.get(Module, module_id)
    if module is None:
        raise NotFound("No such module")
    return module


def get_step(step_id: int) -> Step:
    step = db.session.get(Step, step_id)
    if step is None:
        raise NotFound("No such step")
    return step


def activities_of(module_id: int) -> list[Activity]:
    return db.session.scalars(
        sa.select(Activity).where(Activity.module_id == module_id).order_by(Activity.position)
    ).all()


def ordered_steps(module_id: int) -> list[Step]:
    """The module's steps, drafts included, in the order learners meet them."""
    return db.session.scalars(
        sa.select(Step)
        .join(Activity, Activity.id == Step.activity_id)
        .where(Step.module_id == module_id)
        .order_by(Activity.position, Step.position, Step.id)
    ).all()


def _renumber(steps: list[Step]) -> None:
    for position, step in enumerate(steps, start=1):
        step.position = position
    db.session.flush()


def set_module(
    module: Module, title: str, summary: str, hours: float, introduction: str, activities: list[tuple[str, str]]
) -> None:
    """Update a module's fields and its activities (slug, title) in order."""
    module.title, module.summary, module.hours = title, summary, float(hours)
    if module.introduction_md != introduction or not module.introduction_html:
        module.introduction_md, module.introduction_html = introduction, render_course_markdown(introduction)
    existing = {a.slug: a for a in activities_of(module.id)} if module.id else {}
    wanted = [slug for slug, _title in activities]
    for slug, activity in existing.items():
        if slug not in wanted and db.session.scalar(sa.select(Step.id).where(Step.activity_id == activity.id).limit(1)):
            raise InvalidInput(_("Activity '%(slug)s' still has steps: move them first", slug=slug), field="activities")
    db.session.add(module)
    db.session.flush()
    for slug, activity in existing.items():
        if slug not in wanted:
            db.session.delete(activity)
    for position, (slug, title) in enumerate(activities, start=1):
        activity = existing.get(slug) or Activity(module_id=module.id, slug=slug)
        activity.title, activity.position = title, position
        db.session.add(activity)
    db.session.flush()
    _renumber(ordered_steps(module.id))


def new_module(course_id: int, slug: str) -> Module:
    if db.session.scalar(sa.select(Module.id).where(Module.course_id == course_id, Module.slug == slug)):
        raise InvalidInput(_("Another module already has this web address name"), field="slug")
    position = (
        db.session.scalar(sa.select(sa.func.max(Module.position)).where(Module.course_id == course_id)) or 0
    ) + 1
    return Module(
        course_id=course_id, slug=slug, position=position, published=False, introduction_md="", introduction_html=""
    )


def new_step(module: Module, slug: str, activity_slug: str) -> Step:
    """An empty, unpublished step at the end of its activity; its content comes from a revision."""
    if db.session.scalar(sa.select(Step.id).where(Step.module_id == module.id, Step.slug == slug)):
        raise InvalidInput(_("Another step in this module already has this web address name"), field="slug")
    activity = _activity(module.id, activity_slug)
    step = Step(
        module_id=module.id,
        activity_id=activity.id,
        slug=slug,
        position=10_000,
        title="",
        type="article",
        duration=1,
        body_md="",
        body_html="",
        settings={},
        published=False,
        revision=0,
        live_revision=0,
    )
    db.session.add(step)
    db.session.flush()
    _renumber(ordered_steps(module.id))
    return step


def _activity(module_id: int, slug: str) -> Activity:
    activity = db.session.scalar(sa.select(Activity).where(Activity.module_id == module_id, Activity.slug == slug))
    if activity is None:
        raise InvalidInput(_("Choose one of this module's activities"), field="activity")
    return activity


def move_step(step: Step, direction: int) -> None:
    """Move a step one place up (-1) or down (+1); across an activity's edge it changes activity."""
    steps = ordered_steps(step.module_id)
    index = steps.index(step)
    other = index + direction
    if not 0 <= other < len(steps):
        return
    neighbour = steps[other]
    if neighbour.activity_id == step.activity_id:
        steps[index], steps[other] = neighbour, step
    else:
        step.activity_id = neighbour.activity_id
    db.session.flush()
    _renumber(sorted(steps, key=lambda s: (_activity_position(s), steps.index(s))))


def _activity_position(step: Step) -> int:
    return db.session.get(Activity, step.activity_id).position


def move_to_activity(step: Step, activity_slug: str) -> None:
    """Put the step at the end of another activity of its module."""
    step.activity_id = _activity(step.module_id, activity_slug).id
    step.position = 10_000
    db.session.flush()
    _renumber(ordered_steps(step.module_id))


def step_states(step_ids: list[int]) -> dict[int, str]:
    """Each step's state for authors: published, draft, or changed since publish."""
    rows = (
        db.session.execute(
            sa.select(Step.id, Step.published, Step.revision, Step.live_revision).where(Step.id.in_(step_ids))
        ).all()
        if step_ids
        else []
    )
    return {
        row.id: "draft" if not row.published else "changed" if row.revision != row.live_revision else "published"
        for row in rows
    }
