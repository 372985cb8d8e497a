"""xAPI: queue a statement in the action's transaction, and send what the outbox holds.

Off unless LMS_XAPI_ENDPOINT is set: then nothing is queued and nothing is sent. On, each
learner action that matters (lms.xapi.hooks) adds one draft to the outbox (lms.mail.outbox,
kind "xapi") in the transaction of the action, so a rolled-back action tells nobody and a
committed one is never lost. The outbox's delivery loop hands this module up to a batch of
drafts; it reads the course outline and the learners once, builds the statements
(lms.xapi.statements) and POSTs them to the record store in one request (lms.xapi.lrs).
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from flask import current_app

from lms.accounts.models import User
from lms.content import service as content
from lms.content.outline import CourseOutline
from lms.db import utcnow
from lms.extensions import db
from lms.mail import outbox
from lms.mail.links import external_url
from lms.mail.models import OutboxMessage
from lms.xapi import lrs, statements
from lms.xapi.statements import Learner, Place

log = logging.getLogger(__name__)

KIND = "xapi"
BATCH = 50


def is_on(config=None) -> bool:
    return bool((config or current_app.config).get("LMS_XAPI_ENDPOINT"))


def iso(moment: datetime) -> str:
    """An ISO 8601 UTC timestamp, to the millisecond, as xAPI wants it."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def record(verb: str, user_id: int, about: dict, *, dedupe_key: str | None = None, **details) -> None:
    """Queue a statement that the learner did `verb` to `about` ({"step": id}, {"module": id}
    or {"course": id}), in the caller's transaction (flushes, does not commit). Nothing when
    xAPI is off. `details`: `result`, `dimension_scores`, `certificate`."""
    if not is_on():
        return
    draft = {"id": str(uuid.uuid4()), "verb": verb, "timestamp": iso(utcnow()), "object": about, **details}
    outbox.add(
        KIND, recipient="learning record store", subject=verb, payload=draft, user_id=user_id, dedupe_key=dedupe_key
    )


def _places(outline: CourseOutline) -> dict[tuple[str, int], Place]:
    """Every course, module and step as a statement names it, keyed ("step", id) and so on."""
    course = outline.course
    course_place = (external_url("learning.course"), course.title, "course")
    places = {("course", course.id): Place(*course_place)}
    for module in outline.modules:
        module_place = (external_url("learning.module", module_slug=module.slug), module.title, "module")
        places["module", module.id] = Place(*module_place, parents=(course_place,))
        for step in module.steps:
            url = external_url("steps.step", module_slug=module.slug, step_slug=step.slug)
            kind = statements.STEP_TYPES.get(step.type, "lesson")
            places["step", step.id] = Place(url, f"{step.number} {step.title}", kind, (module_place, course_place))
    return places


def _learners(user_ids: set[int]) -> dict[int, Learner]:
    rows = db.session.execute(
        sa.select(User.id, User.email, User.shares_assessment_scores).where(User.id.in_(user_ids))
    ).all()
    return {row.id: Learner(*row) for row in rows}


def build_statements(rows: list[OutboxMessage]) -> dict[int, dict]:
    """The statement each row stands for (by row id); rows whose learner or course part no
    longer exists are left out. Two queries whatever the batch's size (the outline, the learners)."""
    config = current_app.config
    outline = content.get_outline(include_drafts=True, language="en")  # activity names stay English
    places = _places(outline) if outline else {}
    learners = _learners({row.user_id for row in rows if row.user_id is not None})
    base = config["LMS_BASE_URL"]
    home_page = config.get("LMS_XAPI_HOMEPAGE") or base
    built = {}
    for row in rows:
        draft = row.payload
        (what, key), *_ = draft["object"].items()
        place, learner = places.get((what, key)), learners.get(row.user_id)
        if place is None or learner is None:
            continue
        who = statements.actor(
            learner, by=config.get("LMS_XAPI_ACTOR", "account"), home_page=home_page, secret=config["SECRET_KEY"]
        )
        built[row.id] = statements.build(
            draft,
            place,
            who,
            learner,
            platform=config["LMS_ORGANISATION_NAME"],
            extensions_base=base + statements.EXTENSIONS_PATH,
        )
    return built


def _send(rows: list[OutboxMessage]):
    """POST the batch in one request; when the store refuses it, each on its own, so one
    statement it will not take does not hold back the rest."""
    built = build_statements(rows)
    for row in rows:
        if row.id not in built:
            yield row, outbox.PermanentFailure("its learner, or the part of the course it was about, is no longer here")
    sendable = [row for row in rows if row.id in built]
    if not sendable:
        return
    client = lrs.client_for(current_app.config)
    try:
        client.post([built[row.id] for row in sendable])
    except outbox.PermanentFailure:
        if len(sendable) == 1:
            raise
        for row in sendable:
            try:
                client.post([built[row.id]])
            except Exception as failure:  # noqa: BLE001  (recorded against this statement alone)
                yield row, failure
            else:
                yield row, None
        return
    for row in sendable:
        yield row, None


outbox.deliver_by(KIND, _send, batch=BATCH, enabled=is_on)


def replay(since: date, until: date | None = None) -> int:
    """Send again every statement written from `since` (to before `until`), with the same ids:
    a record store that lost them gets them back, one that has them ignores them. Commits."""
    start = datetime.combine(since, time(), UTC)
    end = datetime.combine(until, time(), UTC) if until else None
    return outbox.requeue(KIND, start, end)
