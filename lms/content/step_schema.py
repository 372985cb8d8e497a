"""A step file: its front matter and what its body may hold. Pure: no Flask, no database.

Type-specific fields are read by a reader per type (quizzes' questions, a discussion's
`reveal`, a printable step's `printable`) and stored on `Step.settings` under their own
names, so `content export` writes back what this accepts; `see_also` is accepted on every type.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lms.content import answer_rules, assessment_schema, figures, images, markdown
from lms.content.files import Document, Problem
from lms.content.reader import SLUG, Reader
from lms.content.specs import StepSpec

STEP_TYPES = ("article", "video", "discussion", "reflection", "quiz", "test", "self-assessment")
PLANNED_TYPES: tuple[str, ...] = ()  # types written in the format but not rendered yet
PROMPTED_TYPES = ("discussion", "reflection")
PRINTABLE_TYPES = ("article", "reflection")  # self-assessments always have a printable copy
URL = re.compile(r"^https?://\S+$")
MAX_TITLE = 200
BASE_STEP_FIELDS = {"title", "type", "activity", "duration", "prompt", "video", "see_also"}
TRANSCRIPT = re.compile(r"^##[ \t]+(?:Transcript|Trawsgrifiad)[ \t]*#*[ \t]*$", re.M | re.I)
DATA_IMAGE = re.compile(r"!\[[^\]\n]*\]\(\s*<?\s*data:", re.I)
REVEAL_CHOICES = ("always", "after-posting")

# Type-specific front matter: the extra fields a step type accepts, and a reader that
# validates them (noting problems on the reader) and returns them as the step's settings.
SETTINGS_FIELDS: dict[str, set[str]] = {}
SETTINGS_READERS: dict[str, Callable[[Reader], dict]] = {}
SETTINGS_FIELDS.update(assessment_schema.FIELDS)
SETTINGS_READERS.update(assessment_schema.READERS)


def _read_reveal(r: Reader) -> dict:
    """`reveal: after-posting`: learners post before they see others' comments (stored only when set)."""
    value = r.doc.meta.get("reveal")
    if value is None or value == "always":
        return {}
    if value not in REVEAL_CHOICES:
        r.fail(f"must be one of: {', '.join(REVEAL_CHOICES)}", "reveal")
        return {}
    return {"reveal": value}


def _read_printable(r: Reader) -> dict:
    """`printable: true`: the step offers a PDF to print and write on (stored only when set)."""
    value = r.doc.meta.get("printable")
    if value is None or value is False:
        return {}
    if value is not True:
        r.fail("must be true or false", "printable")
        return {}
    return {"printable": True}


def _both(*readers: Callable[[Reader], dict]) -> Callable[[Reader], dict]:
    return lambda r: {key: value for read in readers for key, value in read(r).items()}


for _kind in PROMPTED_TYPES:
    SETTINGS_FIELDS.setdefault(_kind, set()).add("reveal")
    SETTINGS_READERS[_kind] = _read_reveal
for _kind in PRINTABLE_TYPES:
    SETTINGS_FIELDS.setdefault(_kind, set()).add("printable")
    SETTINGS_READERS[_kind] = (
        _both(SETTINGS_READERS[_kind], _read_printable) if _kind in SETTINGS_READERS else _read_printable
    )


def read_see_also(r: Reader, own: str | None) -> list[str]:
    """`see_also`: identities `module-slug/step-slug` of other steps (whether they exist is
    checked across the course, in schema.validate)."""
    value = r.doc.meta.get("see_also")
    if value is None:
        return []
    if not isinstance(value, list) or not value:
        r.fail("must be a list of steps, each written module-slug/step-slug", "see_also")
        return []
    good: list[str] = []
    for index, item in enumerate(value):
        parts = item.split("/") if isinstance(item, str) else []
        if len(parts) != 2 or not all(SLUG.match(part) for part in parts):
            r.fail("must be a step written module-slug/step-slug (the names without their numbers)", "see_also", index)
        elif item in good:
            r.fail(f"names {item} twice", "see_also", index)
        elif item == own:
            r.fail("names this step itself", "see_also", index)
        else:
            good.append(item)
    return good


def check_body_images(r: Reader, body: str, available: set[str] | None) -> None:
    """Each image the body shows is one of its module's, with alt text (`available`: None when
    the module's images are not known)."""
    if match := DATA_IMAGE.search(body):
        r.fail_in_body(
            "data: images are not allowed: keep the image in the module's images folder", _line(r, body, match.start())
        )
    for source, alt, line in figures.images_in(markdown.parse(body), r.doc.body_line):
        if source == "<img>":
            r.fail_in_body("write images in Markdown, ![Alt text](images/NAME.svg), not as <img>", line)
            continue
        for message in images.reference_problems(source, alt, available):
            r.fail_in_body(message, line)


def _line(r: Reader, body: str, offset: int) -> int:
    return r.doc.body_line + body.count("\n", 0, offset)


def _check_transcript(r: Reader, body: str, video) -> None:
    """A video step with a recording has its transcript, under `## Transcript`."""
    match = TRANSCRIPT.search(body)
    if match and not re.sub(r"^##.*$", "", body[match.end() :].split("\n## ", 1)[0], flags=re.M).strip():
        r.fail_in_body("the Transcript section is empty", _line(r, body, match.start()))
    elif video and not match:
        r.fail_in_body("a video step with a video link needs its transcript, under a '## Transcript' heading")


def question_places(doc: Document, settings: dict) -> list[tuple[int, dict]]:
    """Each read question with its index in the file (found by its id), for problems' lines."""
    written = doc.meta.get("questions")
    ids = [q.get("id") if isinstance(q, dict) else None for q in written] if isinstance(written, list) else []
    return [(ids.index(q["id"]) if q.get("id") in ids else 0, q) for q in settings.get("questions", [])]


def read_step(
    slug: str,
    doc: Document,
    position: int,
    activities: dict,
    problems: list[Problem],
    images: set[str] | None = None,
    identity: str | None = None,
) -> StepSpec:
    """One step file as a StepSpec, noting its problems (`images`: its module's image names)."""
    kind = doc.meta.get("type")
    r = Reader(doc, problems, BASE_STEP_FIELDS | SETTINGS_FIELDS.get(kind, set()))
    if kind in PLANNED_TYPES:
        r.fail(f"'{kind}' steps cannot be shown yet; this platform renders: {', '.join(STEP_TYPES)}", "type")
    elif kind not in STEP_TYPES:
        r.fail(f"must be one of: {', '.join(STEP_TYPES)}", "type")
    activity = doc.meta.get("activity")
    if activity not in activities:
        r.fail(f"must be one of this module's activities: {', '.join(activities) or '(none declared)'}", "activity")
    prompt = r.text("prompt", required=kind in PROMPTED_TYPES)
    if prompt and kind not in PROMPTED_TYPES:
        r.fail(f"is only used on {' and '.join(PROMPTED_TYPES)} steps", "prompt")
    video = doc.meta.get("video")
    if video is not None and (kind != "video" or not isinstance(video, str) or not URL.match(video)):
        r.fail("must be an http or https link, on video steps only", "video")
    body = r.body(required=kind in ("article", "video"))
    check_body_images(r, body, images)
    if kind == "video":
        _check_transcript(r, body, video)
    settings = SETTINGS_READERS[kind](r) if kind in SETTINGS_READERS else {}
    for index, question in question_places(doc, settings):
        for option, message in answer_rules.giveaways(question):
            r.fail(message, "questions", index, "options", option, "feedback")
    if see_also := read_see_also(r, identity):
        settings = {**settings, "see_also": see_also}
    return StepSpec(
        slug=slug,
        position=position,
        title=r.text("title", limit=MAX_TITLE),
        type=kind if isinstance(kind, str) else "",
        activity=activity if isinstance(activity, str) else "",
        duration=int(r.number("duration", 1, 600, integer=True)),
        body=body,
        prompt=prompt or None,
        video=video if isinstance(video, str) else None,
        settings=settings,
    )
