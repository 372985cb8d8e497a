"""Private reflections: write, autosave, list, search, edit, delete.

Every read and write takes the author's id and filters by it, so no other person can
reach a reflection through any page: a wrong id is simply "not found".
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.content.learner_markdown import normalise, render_learner_markdown
from lms.content.outline import CourseOutline, StepSummary
from lms.db import insert_once, utcnow
from lms.errors import InvalidInput, NotFound
from lms.extensions import db
from lms.learning import completion
from lms.reflection.models import Reflection

MAX_LENGTH = 10_000
SECTIONS = (
    ("what", _l("What was the learning?"), _l("The step, event or experience, briefly.")),
    ("learned", _l("What did you learn from it?"), ""),
    ("practice", _l("How have you changed, or how will you change, your practice?"), ""),
    (
        "code",
        _l("How does this relate to your professional code?"),
        _l("For example the NMC Code or GMC Good medical practice."),
    ),
)
SECTION_KEYS = tuple(key for key, _label, _hint in SECTIONS)


@dataclass(frozen=True)
class Entry:
    """A reflection with the step it belongs to, for lists and the learning record."""

    reflection: Reflection
    step: StepSummary


def _clean(body: str, sections: dict[str, str]) -> tuple[str, dict[str, str]]:
    body = normalise(body or "")
    sections = {k: normalise(sections.get(k) or "") for k in SECTION_KEYS}
    sections = {k: text for k, text in sections.items() if text}
    if not body and not sections:
        raise InvalidInput(_("Write something before saving your reflection"), field="body")
    for key, text in [("body", body), *sections.items()]:
        if len(text) > MAX_LENGTH:
            raise InvalidInput(
                _(
                    "Keep each part to %(most)s characters or fewer (this one has %(length)s)",
                    most=f"{MAX_LENGTH:,}",
                    length=f"{len(text):,}",
                ),
                field=key,
            )
    return body, sections


# Built once (read on every step page, where building it cost more than running it).
_FOR_STEP = sa.select(Reflection).where(
    Reflection.user_id == sa.bindparam("user_id"), Reflection.step_id == sa.bindparam("step_id")
)


def id_column():
    """The learner's reflection on a step (its id, or null) as a column on :user_id and :step_id."""
    return (
        sa.select(Reflection.id)
        .where(Reflection.user_id == sa.bindparam("user_id"), Reflection.step_id == sa.bindparam("step_id"))
        .scalar_subquery()
    )


def for_step(user_id: int, step_id: int) -> Reflection | None:
    return db.session.scalar(_FOR_STEP, {"user_id": user_id, "step_id": step_id})


def save(
    user_id: int, step_id: int, body: str, sections: dict[str, str], in_record: bool, autosave: bool = False
) -> Reflection:
    """Create or update the learner's reflection on the step (render once, here). The first
    save creates it once, however many are sent at the same moment; a resend saves the same."""
    body, sections = _clean(body, sections)
    now = utcnow()
    written = dict(
        body_md=body,
        body_html=render_learner_markdown(body) if body else "",
        sections_md=sections,
        sections_html={k: render_learner_markdown(v) for k, v in sections.items()},
        in_record=in_record,
        updated_at=now,
    )
    if not autosave:  # saving a reflection step's reflection completes it (learning's rule); a draft does not
        completion.complete_step_of_type(user_id, step_id, completion.COMPLETED_BY_SAVING)
    reflection = for_step(user_id, step_id)
    if reflection is None:
        new = dict(user_id=user_id, step_id=step_id, saved=not autosave, created_at=now, **written)
        reflection = insert_once(db.session, Reflection, new)
        if reflection is not None:
            db.session.commit()
            return reflection
        reflection = for_step(user_id, step_id)  # another save of it came first: this one updates it
    for name, value in written.items():
        setattr(reflection, name, value)
    reflection.saved = reflection.saved or not autosave
    db.session.commit()
    return reflection


def get_own(user_id: int, reflection_id: int) -> Reflection:
    reflection = db.session.scalar(
        sa.select(Reflection).where(Reflection.id == reflection_id, Reflection.user_id == user_id)
    )
    if reflection is None:
        raise NotFound(_("No such reflection"))
    return reflection


def delete(user_id: int, reflection_id: int) -> None:
    db.session.delete(get_own(user_id, reflection_id))
    db.session.commit()


def list_own(user_id: int, outline: CourseOutline, query: str = "", only_in_record: bool = False) -> list[Entry]:
    """The learner's reflections in course order, optionally only those matching the words."""
    select = sa.select(Reflection).where(Reflection.user_id == user_id)
    for word in query.lower().split()[:10]:
        like = f"%{word}%"
        select = select.where(
            sa.or_(
                sa.func.lower(Reflection.body_md).like(like),
                sa.func.lower(sa.cast(Reflection.sections_md, sa.Text)).like(like),
            )
        )
    if only_in_record:
        select = select.where(Reflection.in_record)
    by_step = {r.step_id: r for r in db.session.scalars(select)}
    return [Entry(by_step[s.id], s) for s in outline.steps if s.id in by_step]


def as_text(reflection: Reflection) -> str:
    """The reflection as one piece of Markdown: the free text, then each prompt answered under
    its question in bold. For the learning record and for a copy to share in the comments."""
    parts = [reflection.body_md] if reflection.body_md else []
    for key, label, _hint in SECTIONS:
        if (reflection.sections_md or {}).get(key):
            parts += [f"**{label}**", reflection.sections_md[key]]
    return "\n\n".join(parts)
