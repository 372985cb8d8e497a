"""Certificates: whether a learner has earned one, claiming it, and checking a code.

Eligibility reads learning's progress and assessment's test records through their
services; a certificate, once claimed, is never taken back by later content changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from lms.accounts.models import User
from lms.assessment import service as assessments
from lms.certificates import signals
from lms.certificates.codes import new_code, read_code
from lms.certificates.models import Certificate
from lms.certificates.rules import Eligibility, Standing, StepToDo
from lms.content import service as content
from lms.content.outline import CourseOutline
from lms.errors import NotAllowed, NotFound
from lms.extensions import db
from lms.learning import service as learning
from lms.learning.service import Progress


@dataclass(frozen=True)
class Status:
    eligibility: Eligibility
    certificate: Certificate | None


@dataclass(frozen=True)
class Verified:
    """What the public check shows: nothing about the learner beyond the certificate's words."""

    code: str
    learner_name: str
    course_title: str
    hours: float
    issued_at: datetime


def eligibility_for(user_id: int, outline: CourseOutline, progress: Progress | None = None) -> Eligibility:
    """Steps completed of the published ones (naming those not), and the learner's standing on each test."""
    published = [s for s in outline.steps if s.published]
    progress = progress or learning.progress_for(user_id, outline)
    tests = [s for s in published if s.type == "test"]
    settings = content.get_settings_of([t.id for t in tests])
    records = assessments.quiz_records(user_id, [t.id for t in tests])
    standings = []
    for test in tests:
        record = records.get(test.id)
        standings.append(
            Standing(
                test.number,
                test.title,
                test.module_slug,
                test.slug,
                settings[test.id]["pass_mark"],
                settings[test.id]["attempts"],
                record.taken if record else 0,
                record.best_score if record else None,
                bool(record and record.passed),
            )
        )
    completed = sum(s.id in progress.completed_ids for s in published)
    not_complete = tuple(
        StepToDo(s.number, s.title, s.module_slug, s.slug)
        for s in published
        if s.id not in progress.completed_ids and s.type != "test"
    )
    return Eligibility(completed, len(published), tuple(standings), not_complete)


def _certificate(user_id: int, course_id: int) -> Certificate | None:
    return db.session.scalar(
        sa.select(Certificate).where(Certificate.user_id == user_id, Certificate.course_id == course_id)
    )


def status_for(user_id: int, outline: CourseOutline, progress: Progress | None = None) -> Status:
    """The learner's certificate if claimed, and how far they are from earning it."""
    return Status(eligibility_for(user_id, outline, progress), _certificate(user_id, outline.course.id))


def claim(user: User, outline: CourseOutline) -> Certificate:
    """Issue the learner's certificate, once; claiming again returns the same one."""
    existing = _certificate(user.id, outline.course.id)
    if existing:
        return existing
    if not eligibility_for(user.id, outline).eligible:
        raise NotAllowed(_("You have not earned the certificate yet"))
    for _try in range(3):  # a code already taken (80 random bits: never in practice) or a double click
        certificate = Certificate(
            user_id=user.id,
            course_id=outline.course.id,
            code=new_code(),
            learner_name=user.display_name,
            course_title=outline.course.title,
            hours=outline.course.hours,
        )
        db.session.add(certificate)
        try:
            db.session.flush()
            signals.certificate_issued.send(certificate)
            db.session.commit()
            return certificate
        except IntegrityError:
            db.session.rollback()
            existing = _certificate(user.id, outline.course.id)
            if existing:
                return existing
    raise RuntimeError("could not issue a certificate")


def verify(typed_code: str) -> Verified:
    """The certificate with this code, for anyone to check; NotFound if there is none."""
    code = read_code(typed_code)
    row = (
        db.session.execute(
            sa.select(
                Certificate.code,
                Certificate.learner_name,
                Certificate.course_title,
                Certificate.hours,
                Certificate.issued_at,
            ).where(Certificate.code == code)
        ).first()
        if code
        else None
    )
    if row is None:
        raise NotFound(_("No certificate has this code"))
    return Verified(*row)
