"""Step revisions: every save is kept; learners see the published one.

A step's row holds what learners see. Saving makes a new revision; on a step that is
not published it is applied at once, on a published one it waits for `publish`. Each
save names the revision it was based on, so two admins editing the same step cannot
overwrite each other: the later save is refused. Functions here flush; callers commit.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, fields

import sqlalchemy as sa
import sqlalchemy.orm as so
import yaml

from lms.accounts.models import User
from lms.content.markdown import render_course_markdown
from lms.content.models import Activity, Step, StepRevision, StepTranslation
from lms.content.stored_images import image_urls
from lms.errors import InvalidInput, NotFound
from lms.extensions import db

ENGLISH = "en"
CONTENT_FIELDS = ("title", "type", "activity_slug", "duration", "prompt", "video_url", "settings", "body_md")


@dataclass(frozen=True)
class StepDraft:
    """What an author writes: every field of a step, as plain values."""

    title: str
    type: str
    activity_slug: str
    duration: int
    prompt: str | None
    video_url: str | None
    settings: dict
    body_md: str


class EditConflict(InvalidInput):
    """Someone saved the step after this editor opened it."""


def draft_of(revision: StepRevision) -> StepDraft:
    return StepDraft(**{f.name: getattr(revision, f.name) for f in fields(StepDraft)})


def _activity_slug(step: Step) -> str:
    return db.session.scalar(sa.select(Activity.slug).where(Activity.id == step.activity_id))


def draft_of_step(step: Step, activity_slug: str | None = None) -> StepDraft:
    """The step row's content (what learners see) as a draft."""
    return StepDraft(
        step.title,
        step.type,
        activity_slug or _activity_slug(step),
        step.duration,
        step.prompt,
        step.video_url,
        dict(step.settings or {}),
        step.body_md,
    )


def get_translation(step: Step, language: str) -> StepTranslation | None:
    """The step's version in `language` (not English), or None when it has none."""
    return db.session.scalar(
        sa.select(StepTranslation).where(StepTranslation.step_id == step.id, StepTranslation.language == language)
    )


def _newest_number(step: Step, language: str) -> int | None:
    if language == ENGLISH:
        return step.revision
    translation = get_translation(step, language)
    return translation.revision if translation else None


def latest(step: Step, language: str = "en") -> StepRevision | None:
    """The newest revision in `language` (English by default)."""
    number = _newest_number(step, language)
    if number is None:
        return None
    return db.session.scalar(
        sa.select(StepRevision).where(
            StepRevision.step_id == step.id, StepRevision.language == language, StepRevision.number == number
        )
    )


def get_revision(step: Step, number: int, language: str = "en") -> StepRevision:
    revision = db.session.scalar(
        sa.select(StepRevision).where(
            StepRevision.step_id == step.id, StepRevision.language == language, StepRevision.number == number
        )
    )
    if revision is None:
        raise NotFound("No such revision")
    return revision


def history(step: Step, language: str = "en") -> list[tuple[StepRevision, str | None]]:
    """Every revision in `language`, newest first, with its author's name (None: from the files)."""
    return [
        tuple(row)
        for row in db.session.execute(
            sa.select(StepRevision, User.display_name)
            .outerjoin(User, User.id == StepRevision.author_id)
            .where(StepRevision.step_id == step.id, StepRevision.language == language)
            .order_by(StepRevision.number.desc())
        ).all()
    ]


STALE = (
    "Someone else saved this step after you opened it. Your text is below: copy what you "
    "need, then reload the page to see their version."
)


def _claim_next_number(step: Step, base: int) -> None:
    """Move the step's revision number on from `base`, in one UPDATE that matches only while
    `base` is still the newest: of two saves sent at the same moment exactly one matches (the
    other waits for its row lock, then finds the number moved), so it is refused as stale."""
    moved = db.session.execute(
        sa.update(Step)
        .where(Step.id == step.id, Step.revision == base)
        .values(revision=Step.revision + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        raise EditConflict(STALE, field="base_revision")
    so.attributes.set_committed_value(step, "revision", base + 1)


def record(step: Step, draft: StepDraft, author_id: int | None, note: str, base: int | None = None) -> StepRevision:
    """Save a new revision of the step; refuse it if `base` (the revision the editor started
    from; by default the one read here) is no longer the newest."""
    _claim_next_number(step, step.revision if base is None else base)
    revision = StepRevision(step_id=step.id, number=step.revision, author_id=author_id, note=note, **draft.__dict__)
    db.session.add(revision)
    if not step.published:
        apply(step, revision)
    db.session.flush()
    return revision


def record_import(step: Step, activity_slug: str) -> StepRevision:
    """Keep what an import just wrote to the row as a revision that learners see."""
    step.revision += 1
    revision = StepRevision(
        step_id=step.id,
        number=step.revision,
        author_id=None,
        note="Imported from files",
        **draft_of_step(step, activity_slug).__dict__,
    )
    step.live_revision = step.revision
    db.session.add(revision)
    return revision


def record_translation_import(translation: StepTranslation, step: Step, activity_slug: str) -> StepRevision:
    """Keep what an import just wrote to a step's translation as a revision in its language
    (numbered on the translation; type and duration are the English step's)."""
    translation.revision += 1
    revision = StepRevision(
        step_id=step.id,
        language=translation.language,
        number=translation.revision,
        author_id=None,
        note="Imported from files",
        **draft_of_translation(translation, step, activity_slug).__dict__,
    )
    translation.live_revision = translation.revision
    db.session.add(revision)
    return revision


def draft_of_translation(translation: StepTranslation, step: Step, activity_slug: str | None = None) -> StepDraft:
    """A translation row's content (what its readers see) as a draft; what is not words
    (type, activity, duration) is the English step's."""
    return StepDraft(
        translation.title,
        step.type,
        activity_slug or _activity_slug(step),
        step.duration,
        translation.prompt,
        translation.video_url,
        dict(translation.settings or {}),
        translation.body_md,
    )


def apply(step: Step, revision: StepRevision) -> None:
    """Make the revision what learners see (rendering its Markdown once, here).

    Where the step sits (activity, position) is structure, changed by moving it, not by
    revisions: `activity_slug` on a revision only records where it was when saved.
    """
    if step.body_md != revision.body_md or not step.body_html or "images/" in revision.body_md:
        step.body_html = render_course_markdown(revision.body_md, image_urls(step.module_id))
    step.title, step.type, step.duration = revision.title, revision.type, revision.duration
    step.prompt, step.video_url, step.settings = revision.prompt, revision.video_url, dict(revision.settings or {})
    step.body_md = revision.body_md
    step.live_revision = revision.number
    db.session.flush()


def publish(step: Step) -> None:
    """Show learners the newest revision, in every language."""
    newest = latest(step)
    if newest is not None and newest.number != step.live_revision:
        apply(step, newest)
    for translation in db.session.scalars(sa.select(StepTranslation).where(StepTranslation.step_id == step.id)):
        newest = latest(step, translation.language)
        if newest is not None and newest.number != translation.live_revision:
            apply_translation(translation, step, newest)
    step.published = True
    db.session.flush()


def record_translation(
    step: Step, language: str, draft: StepDraft, author_id: int | None, note: str, base: int | None = None
) -> StepRevision:
    """Save a new revision of the step's version in `language` (creating that version on its
    first save; on a published step readers see it once published, like the English); refused
    as stale like `record` if `base` is no longer its newest. Type,
    activity and duration are the English step's whatever the draft says. The caller checks
    the draft against the English first (lms.content.schema.check_step_translation)."""
    translation = get_translation(step, language)
    if translation is None:
        if base not in (None, 0):
            raise EditConflict(STALE, field="base_revision")
        translation = StepTranslation(
            step_id=step.id,
            language=language,
            title=draft.title,
            prompt=draft.prompt,
            video_url=draft.video_url,
            settings=dict(draft.settings or {}),
            body_md="",
            body_html="",
            revision=0,
            live_revision=0,
        )
        db.session.add(translation)
        db.session.flush()
    current = translation.revision if base is None else base
    moved = db.session.execute(
        sa.update(StepTranslation)
        .where(StepTranslation.id == translation.id, StepTranslation.revision == current)
        .values(revision=StepTranslation.revision + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        raise EditConflict(STALE, field="base_revision")
    so.attributes.set_committed_value(translation, "revision", current + 1)
    words = {**draft.__dict__, "type": step.type, "duration": step.duration}
    revision = StepRevision(
        step_id=step.id, language=language, number=translation.revision, author_id=author_id, note=note, **words
    )
    db.session.add(revision)
    if not step.published:
        apply_translation(translation, step, revision)
    db.session.flush()
    return revision


def apply_translation(translation: StepTranslation, step: Step, revision: StepRevision) -> None:
    """Make a revision in the translation's language what its readers see."""
    if translation.body_md != revision.body_md or not translation.body_html or "images/" in revision.body_md:
        translation.body_html = render_course_markdown(revision.body_md, image_urls(step.module_id))
    translation.title, translation.prompt = revision.title, revision.prompt
    translation.video_url, translation.settings = revision.video_url, dict(revision.settings or {})
    translation.body_md = revision.body_md
    translation.live_revision = revision.number
    db.session.flush()


def remove_translation(step: Step, language: str) -> None:
    """Stop showing the step in `language` (its revisions stay, for the history)."""
    translation = get_translation(step, language)
    if translation is not None:
        db.session.delete(translation)
        db.session.flush()


def unpublish(step: Step) -> None:
    step.published = False
    db.session.flush()


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed"
    text: str


def diff(old: StepRevision, new: StepRevision) -> dict[str, list[DiffLine]]:
    """What changed between two revisions, field by field, line by line."""
    changes: dict[str, list[DiffLine]] = {}
    for name in CONTENT_FIELDS:
        before, after = _lines(getattr(old, name)), _lines(getattr(new, name))
        if before == after:
            continue
        lines = []
        for line in difflib.ndiff(before, after):
            tag, text = line[:2], line[2:]
            if tag in ("  ", "- ", "+ "):
                lines.append(DiffLine({"  ": "same", "- ": "removed", "+ ": "added"}[tag], text))
        changes[name] = lines
    return changes


def _lines(value) -> list[str]:
    if isinstance(value, dict):
        return yaml.safe_dump(value, sort_keys=False, allow_unicode=True).splitlines() if value else []
    return str(value if value is not None else "").splitlines()
