"""A content file's version in another language (NAME.cy.md) against its English twin.

Pure: no Flask, no database. The translation may change every word, and nothing else: the
same front matter keys, the same type and activity, a quiz's or test's questions with the
same ids in the same order, each with as many options and the same right ones (answers are
stored by option position), a self-assessment's same scale, dimensions, bands and statements
(so scores are shared). Each refusal names the translated file and the field.
"""

from __future__ import annotations

from lms.content.files import LANGUAGE_NAMES, Document, Problem
from lms.content.specs import CourseSpec, ModuleSpec, ModuleTranslationSpec, StepSpec

SHARED = "so that answers and scores are shared across languages"


class _Comparison:
    def __init__(self, english: Document, translated: Document, language: str):
        self.english, self.translated = english, translated
        self.language = LANGUAGE_NAMES.get(language, language)
        self.twin = english.path.rsplit("/", 1)[-1]
        self.problems: list[Problem] = []

    def fail(self, message: str, *path) -> None:
        self.problems.append(self.translated.problem(message, *path))

    def keys(self) -> None:
        """The same front matter keys as the English."""
        english, translated = set(self.english.meta), set(self.translated.meta)
        for key in sorted(english - translated, key=str):
            self.fail(f"is missing: the {self.language} version must have the same fields as {self.twin}", key)
        for key in sorted(translated - english, key=str):
            self.fail(f"is not in {self.twin}: the {self.language} version must have the same fields", key)

    def same(self, name: str, english, translated, *path, why: str = "") -> bool:
        if english != translated:
            said = f" ({why})" if why else ""
            self.fail(f"must be the same as in {self.twin}: {english!r}, not {translated!r}{said}", *(path or (name,)))
            return False
        return True


def compare_course(english: Document, translated: Document, en: CourseSpec, other: CourseSpec, language: str):
    c = _Comparison(english, translated, language)
    c.keys()
    c.same("slug", en.slug, other.slug)
    c.same("hours", en.hours, other.hours)
    if len(en.outcomes) != len(other.outcomes):
        c.fail(f"has {len(other.outcomes)} outcomes; {c.twin} has {len(en.outcomes)}", "outcomes")
    if len(en.educators) != len(other.educators):
        c.fail(f"has {len(other.educators)} educators; {c.twin} has {len(en.educators)}", "educators")
    return c.problems


def compare_module(
    english: Document, translated: Document, en: ModuleSpec | dict, other: ModuleTranslationSpec, language: str
) -> list[Problem]:
    c = _Comparison(english, translated, language)
    c.keys()
    hours, activities = (en["hours"], en["activities"]) if isinstance(en, dict) else (en.hours, en.activities)
    c.same("hours", hours, translated.meta.get("hours"))
    c.same(
        "activities",
        [a.slug for a in activities],
        [a.slug for a in other.activities],
        why="the same activity slugs in the same order; only their titles change",
    )
    return c.problems


def compare_step(english: Document, translated: Document, en: StepSpec, other: StepSpec, language: str):
    c = _Comparison(english, translated, language)
    c.keys()
    c.same("type", en.type, other.type)
    c.same("activity", en.activity, other.activity)
    for key in ("reveal", "printable", "see_also", "pass_mark", "attempts", "audience"):
        if key in en.settings or key in other.settings:
            c.same(key, en.settings.get(key), other.settings.get(key))
    if en.type in ("quiz", "test"):
        _questions(c, en.settings.get("questions", []), other.settings.get("questions", []))
    if en.type == "self-assessment":
        _self_assessment(c, en.settings, other.settings)
    return c.problems


def _ids(entries: list[dict]) -> list:
    return [entry.get("id") for entry in entries]


def _same_ids(c: _Comparison, key: str, english: list[dict], translated: list[dict], noun: str) -> bool:
    en_ids, other_ids = _ids(english), _ids(translated)
    if en_ids == other_ids:
        return True
    missing = [str(i) for i in en_ids if i not in other_ids]
    extra = [str(i) for i in other_ids if i not in en_ids]
    if missing:
        c.fail(f"has no {noun} {', '.join(missing)}, which {c.twin} has ({SHARED})", key)
    for index, ident in enumerate(other_ids):
        if ident not in en_ids:
            c.fail(f"{noun} {ident} is not in {c.twin}: keep the English ids ({SHARED})", key, index, "id")
    if not missing and not extra:
        c.fail(f"the {noun}s must come in the same order as in {c.twin}: {', '.join(map(str, en_ids))}", key)
    return False


def _questions(c: _Comparison, english: list[dict], translated: list[dict]) -> None:
    if not _same_ids(c, "questions", english, translated, "question"):
        return
    for index, (en, other) in enumerate(zip(english, translated)):
        c.same("choose", en.get("choose"), other.get("choose"), "questions", index, "choose")
        en_options, options = en.get("options", []), other.get("options", [])
        if len(en_options) != len(options):
            c.fail(
                f"question {other.get('id')} has {len(options)} options; in {c.twin} it has {len(en_options)}: "
                f"a translation offers the same options in the same order ({SHARED})",
                "questions",
                index,
                "options",
            )
            continue
        right, en_right = [o.get("correct") for o in options], [o.get("correct") for o in en_options]
        if right != en_right:
            numbers = ", ".join(str(i) for i, ok in enumerate(en_right, start=1) if ok)
            c.fail(
                f"question {other.get('id')}: the correct options must be the same as in {c.twin} "
                f"(option {numbers}, counting from 1), as the options come in the same order",
                "questions",
                index,
                "options",
            )


def _self_assessment(c: _Comparison, english: dict, translated: dict) -> None:
    en_scale, scale = english.get("scale"), translated.get("scale")
    if isinstance(en_scale, list) and isinstance(scale, list):
        if len(en_scale) != len(scale):
            c.fail(f"has {len(scale)} labels; {c.twin} has {len(en_scale)}", "scale")
    else:
        c.same("scale", en_scale, scale, why="a named scale, or a list of labels in both")
    en_dims, dims = english.get("dimensions", []), translated.get("dimensions", [])
    if _same_ids(c, "dimensions", en_dims, dims, "dimension"):
        for index, (en, other) in enumerate(zip(en_dims, dims)):
            en_bands, bands = (
                [b.get("up_to") for b in en.get("bands", [])],
                [b.get("up_to") for b in other.get("bands", [])],
            )
            if en_bands != bands:
                c.fail(
                    f"dimension {other.get('id')}: the bands must have the same up_to values as in {c.twin}: "
                    f"{en_bands}, not {bands}",
                    "dimensions",
                    index,
                    "bands",
                )
    en_statements, statements = english.get("statements", []), translated.get("statements", [])
    if _same_ids(c, "statements", en_statements, statements, "statement"):
        for index, (en, other) in enumerate(zip(en_statements, statements)):
            c.same("dimension", en.get("dimension"), other.get("dimension"), "statements", index, "dimension")
            c.same("reverse", bool(en.get("reverse")), bool(other.get("reverse")), "statements", index, "reverse")
