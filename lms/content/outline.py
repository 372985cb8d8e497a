"""What pages show of the course: frozen views built by the content service."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape


class _Language:
    """What is shown in another language than the page's: `lang` is that language ("en" for
    an English title on a Welsh page), None when it is in the page's own."""

    lang: str | None

    @property
    def lang_attr(self) -> Markup:
        """` lang="en"` for an element showing it, or nothing: `<h1{{ step.lang_attr }}>`."""
        return Markup(' lang="{}"').format(self.lang) if self.lang else Markup("")

    @property
    def title_html(self) -> Markup:
        """The title for the page's body: `<span lang="en">` around it when it is in another
        language than the page, else just the title (escaped)."""
        return self.marked(getattr(self, "title", ""))

    def marked(self, text: str) -> Markup:
        """Any of its words (a quiz's question, say) marked as its title is."""
        return Markup('<span lang="{}">{}</span>').format(self.lang, text) if self.lang else escape(text)


@dataclass(frozen=True)
class CourseInfo(_Language):
    id: int
    slug: str
    title: str
    summary: str
    hours: float
    outcomes: tuple[str, ...]
    educators: tuple[dict, ...]
    about_html: str
    glossary: dict | None = None  # as lms.content.stored_glossary keeps it
    lang: str | None = None
    language: str = "en"  # the language the outline was built for


@dataclass(frozen=True)
class StepSummary(_Language):
    id: int
    module_slug: str
    slug: str
    number: str  # "1.2": module number, then the step's place in the module
    title: str
    type: str
    duration: int
    published: bool
    lang: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.module_slug, self.slug)

    @property
    def number_order(self) -> tuple[int, ...]:
        """The number as numbers, to sort by: 2.5 before 3.5 before 10.1."""
        return tuple(int(part) for part in self.number.split(".") if part.isdigit())


@dataclass(frozen=True)
class ActivityOutline(_Language):
    slug: str
    title: str
    steps: tuple[StepSummary, ...]
    lang: str | None = None


@dataclass(frozen=True)
class ModuleOutline(_Language):
    id: int
    slug: str
    number: int
    title: str
    summary: str
    hours: float
    published: bool
    activities: tuple[ActivityOutline, ...]
    lang: str | None = None

    @property
    def steps(self) -> tuple[StepSummary, ...]:
        return tuple(step for activity in self.activities for step in activity.steps)


@dataclass(frozen=True)
class CourseOutline:
    course: CourseInfo
    modules: tuple[ModuleOutline, ...]
    steps: tuple[StepSummary, ...] = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "steps", tuple(s for m in self.modules for s in m.steps))

    def module(self, slug: str) -> ModuleOutline | None:
        return next((m for m in self.modules if m.slug == slug), None)

    def index_of(self, module_slug: str, step_slug: str) -> int | None:
        return next((i for i, s in enumerate(self.steps) if s.key == (module_slug, step_slug)), None)


@dataclass(frozen=True)
class StepPage(_Language):
    """One step with its place in the course, ready to render (no Markdown work left)."""

    summary: StepSummary
    module: ModuleOutline
    activity_title: str
    body_html: str  # glossary terms linked, the transcript taken out
    prompt: str | None
    video_url: str | None
    previous: StepSummary | None
    next: StepSummary | None
    transcript_html: str = ""
    see_also: tuple[StepSummary, ...] = ()
    printable: bool = False  # a PDF copy is offered (self-assessments, `printable: true` steps)
    # The language of the body, prompt and settings when not the page's ("en": this step has no
    # version in the reader's language, so it is shown in English and says so), else None.
    lang: str | None = None
    activity_lang: str | None = None  # the same, for the activity's title

    @property
    def activity_lang_attr(self) -> Markup:
        return Markup(' lang="{}"').format(self.activity_lang) if self.activity_lang else Markup("")
