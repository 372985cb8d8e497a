"""The learning record: the learner's course work as evidence for revalidation and appraisal.

It gathers what the learner did (dates, hours, modules, results) and the reflections
they chose to include, and renders it as a page, as Markdown and as PDF.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lms.accounts.models import User
from lms.content.outline import CourseOutline, ModuleOutline
from lms.learning import service as learning
from lms.reflection import service as reflection
from lms.reflection.service import SECTIONS, Entry


@dataclass(frozen=True)
class LearningRecord:
    name: str
    course_title: str
    joined: datetime | None
    last_active: datetime | None
    minutes_completed: int
    steps_completed: int
    steps_total: int
    modules_completed: tuple[ModuleOutline, ...]
    reflections: tuple[Entry, ...]

    @property
    def hours_completed(self) -> float:
        return round(self.minutes_completed / 60, 1)


def learning_record(user: User, outline: CourseOutline) -> LearningRecord:
    progress = learning.progress_for(user.id, outline)
    joined, last_active = learning.activity_dates(user.id, outline.course.id)
    minutes = sum(s.duration for s in outline.steps if s.id in progress.completed_ids)
    done = tuple(mp.module for mp in progress.modules if mp.total and mp.completed == mp.total)
    return LearningRecord(
        name=user.display_name, course_title=outline.course.title, joined=joined, last_active=last_active,
        minutes_completed=minutes, steps_completed=progress.completed, steps_total=progress.total,
        modules_completed=done,
        reflections=tuple(reflection.list_own(user.id, outline, only_in_record=True)),
    )


def _date(value: datetime | None) -> str:
    return value.strftime("%-d %B %Y") if value else "not yet"


def as_markdown(record: LearningRecord) -> str:
    """The record as Markdown, to keep or paste into a revalidation or appraisal portfolio."""
    lines = [
        f"# Learning record: {record.course_title}", "",
        f"- Learner: {record.name}",
        f"- Joined: {_date(record.joined)}",
        f"- Last active: {_date(record.last_active)}",
        f"- Learning completed: {record.hours_completed:g} hours ({record.steps_completed} of {record.steps_total} steps)",
        f"- Modules completed: {', '.join(m.title for m in record.modules_completed) or 'none yet'}",
        "",
    ]
    if record.reflections:
        lines += ["## Reflections", ""]
    for entry in record.reflections:
        lines += [f"### {entry.step.number} {entry.step.title}", "", reflection.as_text(entry.reflection), ""]
    return "\n".join(lines).rstrip() + "\n"


def as_pdf(html: str, stylesheet: str) -> bytes:
    """Render the printable record to PDF, with no network access for its resources."""
    from weasyprint import CSS, HTML  # imported here: only this download needs it

    def no_fetching(url: str, *args, **kwargs):
        raise ValueError(f"the learning record PDF loads nothing from outside ({url})")

    return HTML(string=html, url_fetcher=no_fetching).write_pdf(stylesheets=[CSS(string=stylesheet)])
