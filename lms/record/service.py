"""The learning record: the learner's course work as evidence for revalidation and appraisal.

It gathers what the learner did (dates, hours, modules, the test, self-assessments and how
they changed, the certificate) and the reflections they chose to include, through each
feature's own reads, and renders it as a page, as Markdown and as PDF. A fixed number of
queries, whatever the learner's history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lms.accounts.models import User
from lms.assessment import reads as assessment
from lms.assessment.reads import SelfAssessmentChange
from lms.certificates import service as certificates
from lms.certificates.models import Certificate
from lms.certificates.rules import Standing
from lms.content.outline import CourseOutline, ModuleOutline
from lms.learning import service as learning
from lms.pdf import html_to_pdf
from lms.reflection import service as reflection
from lms.reflection.service import Entry


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
    tests: tuple[Standing, ...]
    self_assessments: tuple[SelfAssessmentChange, ...]
    certificate: Certificate | None
    reflections: tuple[Entry, ...]

    @property
    def hours_completed(self) -> float:
        return round(self.minutes_completed / 60, 1)


def learning_record(user: User, outline: CourseOutline) -> LearningRecord:
    progress = learning.progress_for(user.id, outline)
    joined, last_active = learning.activity_dates(user.id, outline.course.id)
    minutes = sum(s.duration for s in outline.steps if s.id in progress.completed_ids)
    done = tuple(mp.module for mp in progress.modules if mp.total and mp.completed == mp.total)
    status = certificates.status_for(user.id, outline, progress)
    return LearningRecord(
        name=user.display_name,
        course_title=outline.course.title,
        joined=joined,
        last_active=last_active,
        minutes_completed=minutes,
        steps_completed=progress.completed,
        steps_total=progress.total,
        modules_completed=done,
        tests=status.eligibility.tests,
        self_assessments=tuple(assessment.self_assessment_changes(user.id, outline)),
        certificate=status.certificate,
        reflections=tuple(reflection.list_own(user.id, outline, only_in_record=True)),
    )


def _date(value: datetime | None) -> str:
    return value.strftime("%-d %B %Y") if value else "not yet"


def _score(value: float | None) -> str:
    return "not scored" if value is None else f"{value:.1f}"


def _change(value: float | None) -> str:
    if value is None:
        return ""
    return "no change" if value == 0 else f"{value:+.1f}"


def describe_test(test: Standing) -> str:
    """One test's result in words, the same on the page, in the PDF and in Markdown."""
    if not test.taken:
        return "not taken yet"
    verdict = "passed" if test.passed else "not passed yet"
    return (
        f"best score {test.best_score}% (pass mark {test.pass_mark}%), {verdict}; "
        f"{test.taken} of {test.attempts} attempts used"
    )


def _self_assessment_lines(change: SelfAssessmentChange) -> list[str]:
    once = change.taken == 1
    when = (
        f"taken once, on {_date(change.latest_taken)}"
        if once
        else f"taken {change.taken} times, first on {_date(change.first_taken)}, latest on {_date(change.latest_taken)}"
    )
    lines = [f"### {change.step.number} {change.step.title}", "", f"{when[0].upper()}{when[1:]}.", ""]
    if once:
        lines += ["| Dimension | Score (1 to 5) | Band |", "| --- | --- | --- |"]
        lines += [f"| {d.title} | {_score(d.latest)} | {d.band or ''} |" for d in change.dimensions]
    else:
        lines += ["| Dimension | First | Latest | Change | Band now |", "| --- | --- | --- | --- | --- |"]
        lines += [
            f"| {d.title} | {_score(d.first)} | {_score(d.latest)} | {_change(d.change)} | {d.band or ''} |"
            for d in change.dimensions
        ]
    return lines + [""]


def as_markdown(record: LearningRecord, verify_url: str | None = None) -> str:
    """The record as Markdown, to keep or paste into a revalidation or appraisal portfolio."""
    lines = [
        f"# Learning record: {record.course_title}",
        "",
        f"- Learner: {record.name}",
        f"- Joined: {_date(record.joined)}",
        f"- Last active: {_date(record.last_active)}",
        f"- Learning completed: {record.hours_completed:g} hours ({record.steps_completed} of {record.steps_total} steps)",
        f"- Modules completed: {', '.join(m.title for m in record.modules_completed) or 'none yet'}",
    ]
    lines += [f"- {t.title}: {describe_test(t)}" for t in record.tests]
    if record.certificate:
        lines.append(
            f"- Certificate: issued {_date(record.certificate.issued_at)}, code {record.certificate.code}"
            + (f", check it at {verify_url}" if verify_url else "")
        )
    else:
        lines.append("- Certificate: not yet earned")
    lines.append("")
    if record.self_assessments:
        lines += ["## Self-assessments", "", "Scores run from 1 to 5.", ""]
        for change in record.self_assessments:
            lines += _self_assessment_lines(change)
    if record.reflections:
        lines += ["## Reflections", ""]
    for entry in record.reflections:
        lines += [f"### {entry.step.number} {entry.step.title}", "", reflection.as_text(entry.reflection), ""]
    return "\n".join(lines).rstrip() + "\n"


def as_pdf(html: str, stylesheet: str) -> bytes:
    """Render the printable record to PDF, with no network access for its resources."""
    return html_to_pdf(html, stylesheet)
