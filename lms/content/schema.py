"""The front-matter contract: what each content file must say, turned into frozen dataclasses.

Guidelines for this module and those it gathers (reader.py reads fields, step_schema.py and
assessment_schema.py a step's, glossary.py the glossary, images.py pictures; specs.py holds
the dataclasses):
1. Pure: no Flask, no database, so `content check` and the tests run it on files alone.
2. Report every problem at once, each with file, line and field; never stop at the first.
3. A type the platform cannot render yet is refused here, not shown as a placeholder.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from lms.content.answer_rules import long_right_option
from lms.content.files import TRANSLATED, ContentInvalid, Document, ModuleFiles, Problem, Tree, read_tree
from lms.content.glossary import read_glossary
from lms.content.images import MEDIA_TYPES, ImageSpec, extension, image_problems
from lms.content.reader import Reader
from lms.content.specs import ActivitySpec, CourseSpec, Educator, ModuleSpec, ModuleTranslationSpec, StepSpec
from lms.content.step_schema import MAX_TITLE, STEP_TYPES, check_body_images, question_places, read_step
from lms.content.translations import compare_course, compare_module, compare_step

__all__ = ["STEP_TYPES", "CourseSpec", "ModuleSpec", "StepSpec", "read_tree", "validate", "load_course"]
MODULE_FIELDS = {"title", "summary", "hours", "activities"}


def _course(doc: Document, problems: list[Problem]) -> CourseSpec:
    r = Reader(doc, problems, {"title", "slug", "summary", "hours", "outcomes", "educators"})
    outcomes = doc.meta.get("outcomes")
    if not isinstance(outcomes, list) or not outcomes or not all(isinstance(o, str) and o.strip() for o in outcomes):
        r.fail("must be a list of sentences saying what learners will learn", "outcomes")
        outcomes = []
    about = r.body(required=True)
    check_body_images(r, about, set())  # pictures belong to a module's steps
    return CourseSpec(
        slug=r.slug(doc.meta.get("slug"), "slug"),
        title=r.text("title", limit=MAX_TITLE),
        summary=r.text("summary"),
        hours=r.number("hours", 0.5, 500),
        outcomes=tuple(o.strip() for o in outcomes),
        educators=tuple(
            Educator(e["name"].strip(), e["role"].strip()) for e in r.records("educators", ("name", "role"))
        ),
        about=about,
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


def _module_fields(r: Reader) -> dict:
    """A module's own fields (not its steps), as ModuleSpec arguments."""
    activities: dict[str, ActivitySpec] = {}
    for index, item in enumerate(r.records("activities", ("slug", "title"))):
        slug = r.slug(item["slug"], "activities", index, "slug")
        if slug in activities:
            r.fail("is used twice", "activities", index, "slug")
        activities[slug] = ActivitySpec(slug, item["title"].strip())
    introduction = r.body(required=True)
    check_body_images(r, introduction, set())
    return {
        "title": r.text("title", limit=MAX_TITLE),
        "summary": r.text("summary"),
        "hours": r.number("hours", 0.25, 100),
        "introduction": introduction,
        "activities": tuple(activities.values()),
    }


def _images(files: ModuleFiles, problems: list[Problem]) -> tuple[ImageSpec, ...]:
    """The module's pictures that can be shown; a problem for each that cannot."""
    good = []
    for name, data in files.images.items():
        found = image_problems(name, data)
        path = str(Path(files.folder.path.name) / "images" / name)
        problems.extend(Problem(f"modules/{path}", 1, "", message) for message in found)
        if not found:
            good.append(ImageSpec(name, MEDIA_TYPES[extension(name)], data))
    return tuple(good)


def _module_translation(english: Document, own: dict, doc: Document, language: str, problems) -> ModuleTranslationSpec:
    """module.LANG.md, checked on its own and against the English module.md."""
    fields = _module_fields(Reader(doc, problems, MODULE_FIELDS))
    spec = ModuleTranslationSpec(fields["title"], fields["summary"], fields["introduction"], fields["activities"])
    problems.extend(compare_module(english, doc, own, spec, language))
    return spec


def _step_translations(step: StepSpec, english: Document, tree: Tree | None, read, problems: list[Problem]) -> StepSpec:
    """The step with its versions in other languages (each read as a step, then compared)."""
    found = {}
    for language in TRANSLATED:
        doc = tree.translation(english, language) if tree else None
        if doc is not None:
            translated = read(doc)
            problems.extend(compare_step(english, doc, step, translated, language))
            found[language] = translated
    return replace(step, translations=found) if found else step


def _module(files: ModuleFiles, position: int, problems: list[Problem], tree: Tree | None = None) -> ModuleSpec | None:
    doc = files.module
    if doc is None:
        return None
    r = Reader(doc, problems, MODULE_FIELDS)
    own = _module_fields(r)
    activities = {a.slug: a for a in own["activities"]}
    image_specs = _images(files, problems)
    names = set(files.images)  # a faulty picture is reported once, against its file
    steps = []
    for index, (step_file, step_doc) in enumerate(files.steps, start=1):
        identity = f"{files.folder.slug}/{step_file.slug}"

        def read(d, slug=step_file.slug, index=index, identity=identity):
            return read_step(slug, d, index, activities, problems, names, identity)

        steps.append(_step_translations(read(step_doc), step_doc, tree, read, problems))
    if not steps:
        r.fail("the module has no steps")
    _check_activity_order(files, steps, activities, problems)
    translations = {
        language: _module_translation(doc, own, translated, language, problems)
        for language in TRANSLATED
        if (translated := tree.translation(doc, language) if tree else None) is not None
    }
    return ModuleSpec(
        slug=files.folder.slug,
        position=position,
        steps=tuple(steps),
        images=image_specs,
        translations=translations,
        **own,
    )


def _check_see_also(tree: Tree, modules: list[ModuleSpec | None], problems: list[Problem]) -> None:
    """Every step a `see_also` names exists in the course."""
    known = {f"{m.slug}/{s.slug}" for m in modules if m for s in m.steps}
    for files, module in zip(tree.modules, modules):
        for (_, doc), step in zip(files.steps, module.steps if module else ()):
            for target in step.settings.get("see_also", ()):
                if target not in known:
                    index = doc.meta["see_also"].index(target)
                    problems.append(doc.problem(f"there is no step {target} in the course", "see_also", index))


def warnings(tree: Tree) -> list[Problem]:
    """What `content check` reports without refusing: questions whose right option stands out
    by its length (lms.content.answer_rules)."""
    found: list[Problem] = []
    modules = [_module(files, position, []) for position, files in enumerate(tree.modules, start=1)]
    for files, module in zip(tree.modules, modules):
        for (_, doc), step in zip(files.steps, module.steps if module else ()):
            for index, question in question_places(doc, step.settings):
                if message := long_right_option(question):
                    found.append(doc.problem(message, "questions", index, "options"))
    return found


def check_step(
    meta: dict, body: str, activities: list[str], images: set[str] | None = None, identity: str | None = None
) -> list[Problem]:
    """The problems `content check` would find in one step, from values instead of a file
    (`images`: its module's image names, when known)."""
    problems: list[Problem] = []
    read_step("step", Document("step", meta, {}, body, 1), 1, dict.fromkeys(activities), problems, images, identity)
    return problems


def check_module(meta: dict, body: str) -> list[Problem]:
    """The problems `content check` would find in a module's own fields."""
    problems: list[Problem] = []
    _module_fields(Reader(Document("module", meta, {}, body, 1), problems, MODULE_FIELDS))
    return problems


def check_step_translation(
    english_meta: dict,
    english_body: str,
    meta: dict,
    body: str,
    activities: list[str],
    images: set[str] | None = None,
    identity: str | None = None,
    language: str = "cy",
    english_name: str = "step",
) -> list[Problem]:
    """The problems `content check` would find in a step's version in `language` (read as a
    step, and against its English), from values instead of files. The problems name the
    English as `english_name` ("the English version", in the browser's editor)."""
    problems: list[Problem] = []
    english, translated = Document(english_name, english_meta, {}, english_body, 1), Document("step", meta, {}, body, 1)
    known = dict.fromkeys(activities)
    en = read_step("step", english, 1, known, [], images, identity)
    other = read_step("step", translated, 1, known, problems, images, identity)
    return problems + compare_step(english, translated, en, other, language)


def check_module_translation(english_meta: dict, english_body: str, meta: dict, body: str, language: str = "cy"):
    """The problems `content check` would find in a module's own fields in `language`."""
    problems: list[Problem] = []
    english = Document("module", english_meta, {}, english_body, 1)
    own = _module_fields(Reader(english, [], MODULE_FIELDS))
    _module_translation(english, own, Document("module", meta, {}, body, 1), language, problems)
    return problems


def _course_translations(tree: Tree, course: CourseSpec, problems: list[Problem]) -> dict[str, CourseSpec]:
    found = {}
    for language in TRANSLATED:
        doc = tree.translation(tree.course, language)
        if doc is not None:
            spec = _course(doc, problems)
            problems.extend(compare_course(tree.course, doc, course, spec, language))
            glossary_doc = tree.translation(tree.glossary, language)
            found[language] = replace(spec, glossary=read_glossary(glossary_doc, problems) if glossary_doc else None)
    for language in TRANSLATED:
        if (doc := tree.translation(tree.glossary, language)) is not None and language not in found:
            problems.append(doc.problem(f"a glossary in this language needs course.{language}.md beside course.md"))
    return found


def validate(tree: Tree) -> tuple[CourseSpec | None, list[Problem]]:
    """Turn documents into a CourseSpec, with every problem found on the way."""
    problems = list(tree.problems)
    course = _course(tree.course, problems) if tree.course else None
    modules = [_module(files, position, problems, tree) for position, files in enumerate(tree.modules, start=1)]
    _check_see_also(tree, modules, problems)
    glossary = read_glossary(tree.glossary, problems) if tree.glossary else None
    if course is None:
        return None, problems
    translations = _course_translations(tree, course, problems)
    return CourseSpec(
        **{
            **course.__dict__,
            "modules": tuple(m for m in modules if m),
            "glossary": glossary,
            "translations": translations,
        }
    ), problems


def load_course(root: Path) -> CourseSpec:
    """Read and validate the content folder; raise ContentInvalid listing every problem."""
    course, problems = validate(read_tree(root))
    if problems or course is None:
        raise ContentInvalid(problems)
    return course
