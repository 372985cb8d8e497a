"""The learning record: the learner's course work as evidence for revalidation and appraisal.

It gathers what the learner did (dates, hours, modules, the test, self-assessments and how
they changed, the certificate) and the reflections they chose to include, through each
feature's own reads, and renders it as a page, as Markdown and as PDF. A fixed number of
queries, whatever the learner's history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext

from lms.accounts.models import User
from lms.assessment import reads as assessment
from lms.assessment.reads import SelfAssessmentChange
from lms.certificates import service as certificates
from lms.certificates.models import Certificate
from lms.certificates.rules import Standing
from lms.content.outline import CourseOutline, ModuleOutline
from lms.i18n import date as format_date
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
    return format_date(value) if value else _("not yet")


def _score(value: float | None) -> str:
    return _("not scored") if value is None else f"{value:.1f}"


def _change(value: float | None) -> str:
    if value is None:
        return ""
    return _("no change") if value == 0 else f"{value:+.1f}"


def describe_test(test: Standing) -> str:
    """One test's result in words, the same on the page, in the PDF and in Markdown."""
    if not test.taken:
        return _("not taken yet")
    if test.passed:
        return ngettext(
            "best score %(score)s%% (pass mark %(mark)s%%), passed; %(taken)s of %(num)d attempt used",
            "best score %(score)s%% (pass mark %(mark)s%%), passed; %(taken)s of %(num)d attempts used",
            test.attempts,
            score=test.best_score,
            mark=test.pass_mark,
            taken=test.taken,
        )
    return ngettext(
        "best score %(score)s%% (pass mark %(mark)s%%), not passed yet; %(taken)s of %(num)d attempt used",
        "best score %(score)s%% (pass mark %(mark)s%%), not passed yet; %(taken)s of %(num)d attempts used",
        test.attempts,
        score=test.best_score,
        mark=test.pass_mark,
        taken=test.taken,
    )


def _row(*cells) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def _self_assessment_lines(change: SelfAssessmentChange) -> list[str]:
    once = change.taken == 1
    when = (
        _("Taken once, on %(date)s.", date=_date(change.latest_taken))
        if once
        else ngettext(
            "Taken %(num)d time, first on %(first)s, latest on %(latest)s.",
            "Taken %(num)d times, first on %(first)s, latest on %(latest)s.",
            change.taken,
            first=_date(change.first_taken),
            latest=_date(change.latest_taken),
        )
    )
    lines = [f"### {change.step.number} {change.step.title}", "", when, ""]
    if once:
        lines += [_row(_("Dimension"), _("Score (1 to 5)"), _("Band")), "| --- | --- | --- |"]
        lines += [f"| {d.title} | {_score(d.latest)} | {d.band or ''} |" for d in change.dimensions]
    else:
        lines += [
            _row(_("Dimension"), _("First"), _("Latest"), _("Change"), _("Band now")),
            "| --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {d.title} | {_score(d.first)} | {_score(d.latest)} | {_change(d.change)} | {d.band or ''} |"
            for d in change.dimensions
        ]
    return lines + [""]


def as_markdown(record: LearningRecord, verify_url: str | None = None) -> str:
    """The record as Markdown, to keep or paste into a revalidation or appraisal portfolio."""
    certificate = record.certificate
    if certificate and verify_url:
        issued = _(
            "issued %(date)s, code %(code)s, check it at %(url)s",
            date=_date(certificate.issued_at),
            code=certificate.code,
            url=verify_url,
        )
    elif certificate:
        issued = _("issued %(date)s, code %(code)s", date=_date(certificate.issued_at), code=certificate.code)
    else:
        issued = _("not yet earned")
    lines = [
        "# " + _("Learning record: %(course)s", course=record.course_title),
        "",
        _("- Learner: %(name)s", name=record.name),
        _("- Joined: %(date)s", date=_date(record.joined)),
        _("- Last active: %(date)s", date=_date(record.last_active)),
        _(
            "- Learning completed: %(hours)s hours (%(completed)s of %(total)s steps)",
            hours=f"{record.hours_completed:g}",
            completed=record.steps_completed,
            total=record.steps_total,
        ),
        _(
            "- Modules completed: %(modules)s",
            modules=", ".join(m.title for m in record.modules_completed) or _("none yet"),
        ),
    ]
    lines += [f"- {t.title}: {describe_test(t)}" for t in record.tests]
    lines += [_("- Certificate: %(issued)s", issued=issued), ""]
    if record.self_assessments:
        lines += ["## " + _("Self-assessments"), "", _("Scores run from 1 to 5."), ""]
        for change in record.self_assessments:
            lines += _self_assessment_lines(change)
    if record.reflections:
        lines += ["## " + _("Reflections"), ""]
    for entry in record.reflections:
        lines += [f"### {entry.step.number} {entry.step.title}", "", reflection.as_text(entry.reflection), ""]
    return "\n".join(lines).rstrip() + "\n"


def as_pdf(html: str, stylesheet: str) -> bytes:
    """Render the printable record to PDF, with no network access for its resources."""
    return html_to_pdf(html, stylesheet)
