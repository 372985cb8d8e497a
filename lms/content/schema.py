"""The front-matter contract: what each content file must say, as frozen dataclasses.

Guidelines for this module:
1. Pure: no Flask, no database, so `content check` and the tests run it on files alone.
2. Report every problem at once, each with file, line and field; never stop at the first.
3. A type the platform cannot render yet is refused here, not shown as a placeholder.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lms.content import assessment_schema, markdown
from lms.content.files import ContentInvalid, Document, ModuleFiles, Problem, Tree, read_tree

STEP_TYPES = ("article", "video", "discussion", "reflection", "quiz", "test", "self-assessment")
PLANNED_TYPES: tuple[str, ...] = ()  # types written in the format but not rendered yet
PROMPTED_TYPES = ("discussion", "reflection")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
H1 = re.compile(r"^#(?!#)\s", re.M)
URL = re.compile(r"^https?://\S+$")
MAX_TITLE = 200
BASE_STEP_FIELDS = {"title", "type", "activity", "duration", "prompt", "video"}

# Type-specific front matter: the extra fields a step type accepts, and a reader that
# validates them (noting problems on the reader) and returns them as the step's settings.
SETTINGS_FIELDS: dict[str, set[str]] = {}
SETTINGS_READERS: dict[str, Callable[[_Reader], dict]] = {}
SETTINGS_FIELDS.update(assessment_schema.FIELDS)
SETTINGS_READERS.update(assessment_schema.READERS)


@dataclass(frozen=True)
class Educator:
    name: str
    role: str


@dataclass(frozen=True)
class CourseSpec:
    slug: str
    title: str
    summary: str
    hours: float
    outcomes: tuple[str, ...]
    educators: tuple[Educator, ...]
    about: str
    modules: tuple[ModuleSpec, ...] = ()


@dataclass(frozen=True)
class ActivitySpec:
    slug: str
    title: str


@dataclass(frozen=True)
class StepSpec:
    slug: str
    position: int
    title: str
    type: str
    activity: str
    duration: int
    body: str
    prompt: str | None = None
    video: str | None = None
    settings: dict = field(default_factory=dict)  # type-specific fields, e.g. a quiz's questions


@dataclass(frozen=True)
class ModuleSpec:
    slug: str
    position: int
    title: str
    summary: str
    hours: float
    introduction: str
    activities: tuple[ActivitySpec, ...]
    steps: tuple[StepSpec, ...]


class _Reader:
    """Pull typed fields out of one document, noting problems as it goes."""

    def __init__(self, doc: Document, problems: list[Problem], allowed: set[str]):
        self.doc, self.problems = doc, problems
        for key in doc.meta:
            if key not in allowed:
                self.fail(f"unknown field (expected one of: {', '.join(sorted(allowed))})", key)

    def fail(self, message: str, *path) -> None:
        self.problems.append(self.doc.problem(message, *path))

    def text(self, key: str, required: bool = True, limit: int = 2000) -> str:
        value = self.doc.meta.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail("is required", key)
            return ""
        if not isinstance(value, str):
            self.fail("must be text", key)
            return ""
        if len(value) > limit:
            self.fail(f"must be {limit} characters or fewer", key)
        return value.strip()

    def number(self, key: str, low: float, high: float, integer: bool = False) -> float:
        value = self.doc.meta.get(key)
        kinds = (int,) if integer else (int, float)
        if value is None:
            self.fail("is required", key)
            return 0
        if isinstance(value, bool) or not isinstance(value, kinds) or not low <= value <= high:
            kind = "a whole number" if integer else "a number"
            self.fail(f"must be {kind} from {low:g} to {high:g}", key)
            return 0
        return value

    def slug(self, value, *path) -> str:
        if not isinstance(value, str) or not SLUG.match(value):
            self.fail("must be lower-case words joined by dashes, like the-evidence", *path)
            return ""
        return value

    def records(self, key: str, fields: tuple[str, ...]) -> list[dict]:
        """A list of mappings that each have these text fields."""
        value = self.doc.meta.get(key)
        if not isinstance(value, list) or not value:
            self.fail("must be a list with at least one entry", key)
            return []
        good = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self.fail(f"each entry must have {' and '.join(fields)}", key, index)
                continue
            for name in fields:
                if not isinstance(item.get(name), str) or not item[name].strip():
                    self.fail("is required", key, index, name)
            if all(isinstance(item.get(n), str) and item[n].strip() for n in fields):
                good.append(item)
        return good

    def body(self, required: bool) -> str:
        body = self.doc.body
        if required and not body.strip():
            self.problems.append(Problem(self.doc.path, self.doc.body_line, "body", "is empty"))
        if too_long := markdown.too_long(body):
            self.problems.append(Problem(self.doc.path, self.doc.body_line, "body", too_long))
        match = H1.search(body)
        if match:
            line = self.doc.body_line + body.count("\n", 0, match.start())
            self.problems.append(
                Problem(
                    self.doc.path, line, "body", "use '##' for headings: the page already has the title as its heading"
                )
            )
        return body


REVEAL_CHOICES = ("always", "after-posting")


def _read_reveal(r: _Reader) -> dict:
    """`reveal: after-posting`: learners post before they see others' comments (stored only when set)."""
    value = r.doc.meta.get("reveal")
    if value is None or value == "always":
        return {}
    if value not in REVEAL_CHOICES:
        r.fail(f"must be one of: {', '.join(REVEAL_CHOICES)}", "reveal")
        return {}
    return {"reveal": value}


for _kind in PROMPTED_TYPES:
    SETTINGS_FIELDS.setdefault(_kind, set()).add("reveal")
    SETTINGS_READERS[_kind] = _read_reveal


def _course(doc: Document, problems: list[Problem]) -> CourseSpec:
    r = _Reader(doc, problems, {"title", "slug", "summary", "hours", "outcomes", "educators"})
    outcomes = doc.meta.get("outcomes")
    if not isinstance(outcomes, list) or not outcomes or not all(isinstance(o, str) and o.strip() for o in outcomes):
        r.fail("must be a list of sentences saying what learners will learn", "outcomes")
        outcomes = []
    return CourseSpec(
        slug=r.slug(doc.meta.get("slug"), "slug"),
        title=r.text("title", limit=MAX_TITLE),
        summary=r.text("summary"),
        hours=r.number("hours", 0.5, 500),
        outcomes=tuple(o.strip() for o in outcomes),
        educators=tuple(
            Educator(e["name"].strip(), e["role"].strip()) for e in r.records("educators", ("name", "role"))
        ),
        about=r.body(required=True),
    )


def _step(slug: str, doc: Document, position: int, activities: dict, problems) -> StepSpec:
    kind = doc.meta.get("type")
    r = _Reader(doc, problems, BASE_STEP_FIELDS | SETTINGS_FIELDS.get(kind, set()))
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
    return StepSpec(
        slug=slug,
        position=position,
        title=r.text("title", limit=MAX_TITLE),
        type=kind if isinstance(kind, str) else "",
        activity=activity if isinstance(activity, str) else "",
        duration=int(r.number("duration", 1, 600, integer=True)),
        body=r.body(required=kind in ("article", "video")),
        prompt=prompt or None,
        video=video if isinstance(video, str) else None,
        settings=SETTINGS_READERS[kind](r) if kind in SETTINGS_READERS else {},
    )


def _check_activity_order(files: ModuleFiles, steps: list[StepSpec], activities: dict, problems) -> None:
    """Steps of one activity sit together, in the order the activities are declared."""
    order = list(activities)
    seen: list[str] = []
    for (_, doc), step in zip(files.steps, steps):
        if step.activity not in activities:
            continue
        if (
            seen
            and step.activity != seen[-1]
            and (step.activity in seen or order.index(step.activity) < order.index(seen[-1]))
        ):
            problems.append(
                doc.problem(
                    "steps must follow the order of the module's activities, each activity's steps together", "activity"
                )
            )
        if not seen or seen[-1] != step.activity:
            seen.append(step.activity)
    if files.module is not None:
        for slug in activities:
            if slug not in seen:
                problems.append(files.module.problem(f"activity '{slug}' has no steps", "activities"))


def _module_fields(r: _Reader) -> dict:
    """A module's own fields (not its steps), as ModuleSpec arguments."""
    activities: dict[str, ActivitySpec] = {}
    for index, item in enumerate(r.records("activities", ("slug", "title"))):
        slug = r.slug(item["slug"], "activities", index, "slug")
        if slug in activities:
            r.fail("is used twice", "activities", index, "slug")
        activities[slug] = ActivitySpec(slug, item["title"].strip())
    return {
        "title": r.text("title", limit=MAX_TITLE),
        "summary": r.text("summary"),
        "hours": r.number("hours", 0.25, 100),
        "introduction": r.body(required=True),
        "activities": tuple(activities.values()),
    }


def _module(files: ModuleFiles, position: int, problems: list[Problem]) -> ModuleSpec | None:
    doc = files.module
    if doc is None:
        return None
    r = _Reader(doc, problems, {"title", "summary", "hours", "activities"})
    own = _module_fields(r)
    activities = {a.slug: a for a in own["activities"]}
    steps = [
        _step(step_file.slug, step_doc, index, activities, problems)
        for index, (step_file, step_doc) in enumerate(files.steps, start=1)
    ]
    if not steps:
        r.fail("the module has no steps")
    _check_activity_order(files, steps, activities, problems)
    return ModuleSpec(slug=files.folder.slug, position=position, steps=tuple(steps), **own)


def check_step(meta: dict, body: str, activities: list[str]) -> list[Problem]:
    """The problems `content check` would find in one step, from values instead of a file."""
    problems: list[Problem] = []
    _step("step", Document("step", meta, {}, body, 1), 1, dict.fromkeys(activities), problems)
    return problems


def check_module(meta: dict, body: str) -> list[Problem]:
    """The problems `content check` would find in a module's own fields."""
    problems: list[Problem] = []
    _module_fields(
        _Reader(Document("module", meta, {}, body, 1), problems, {"title", "summary", "hours", "activities"})
    )
    return problems


def validate(tree: Tree) -> tuple[CourseSpec | None, list[Problem]]:
    """Turn documents into a CourseSpec, with every problem found on the way."""
    problems = list(tree.problems)
    course = _course(tree.course, problems) if tree.course else None
    modules = [_module(files, position, problems) for position, files in enumerate(tree.modules, start=1)]
    if course is None:
        return None, problems
    return CourseSpec(**{**course.__dict__, "modules": tuple(m for m in modules if m)}), problems


def load_course(root: Path) -> CourseSpec:
    """Read and validate the content folder; raise ContentInvalid listing every problem."""
    course, problems = validate(read_tree(root))
    if problems or course is None:
        raise ContentInvalid(problems)
    return course
