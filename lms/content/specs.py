"""The course as the files describe it, once checked: frozen dataclasses (schema.py builds them).

Pure: no Flask, no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lms.content.images import ImageSpec


@dataclass(frozen=True)
class Educator:
    name: str
    role: str


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    slug: str  # the term's anchor on the glossary page: /glossary#slug
    also: tuple[str, ...]  # other forms that link to it (plurals and the like)
    definition: str  # Markdown


@dataclass(frozen=True)
class GlossarySpec:
    title: str
    introduction: str  # Markdown before the first term (may be empty)
    terms: tuple[GlossaryTerm, ...]


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
    glossary: GlossarySpec | None = None
    translations: dict = field(default_factory=dict)  # language -> CourseSpec of course.LANG.md (no modules)


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
    translations: dict = field(default_factory=dict)  # language -> StepSpec of NN-slug.LANG.md


@dataclass(frozen=True)
class ModuleTranslationSpec:
    """module.LANG.md: a module's words in another language (its structure is the English's)."""

    title: str
    summary: str
    introduction: str
    activities: tuple[ActivitySpec, ...]


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
    images: tuple[ImageSpec, ...] = ()
    translations: dict = field(default_factory=dict)  # language -> ModuleTranslationSpec
