"""Cohorts: create them, add and remove people, list who is where. Joining (with a code, or
many people at once) is in lms.cohorts.joining; who looks after whom in lms.cohorts.looking_after.

Writes flush and leave the commit to the caller (the people service records them in the
audit log in the same unit of work).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts import service as accounts
from lms.accounts.models import User
from lms.cohorts import pace_columns
from lms.cohorts.models import Cohort, CohortMember, CohortRole, Pace
from lms.errors import InvalidInput, NotFound
from lms.extensions import db
from lms.learning import service as learning

CODE = re.compile(r"^[A-Z0-9-]{4,20}$")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_join_code() -> str:
    return "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(2))


def _clean_code(code: str | None) -> str | None:
    code = (code or "").strip().upper()
    if not code:
        return None
    if not CODE.match(code):
        raise InvalidInput(_("Join code must be 4 to 20 letters, numbers or dashes"), field="join_code")
    return code


@dataclass(frozen=True)
class CohortSummary:
    id: int
    name: str
    starts_on: date
    join_code: str | None
    learners: int
    facilitators: int


def list_cohorts() -> list[CohortSummary]:
    """Every cohort with its head counts, newest first, in one query."""
    counts = (
        sa.select(
            CohortMember.cohort_id,
            sa.func.count().filter(CohortMember.role == CohortRole.LEARNER).label("learners"),
            sa.func.count().filter(CohortMember.role == CohortRole.FACILITATOR).label("facilitators"),
        )
        .group_by(CohortMember.cohort_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Cohort, sa.func.coalesce(counts.c.learners, 0), sa.func.coalesce(counts.c.facilitators, 0))
        .outerjoin(counts, counts.c.cohort_id == Cohort.id)
        .order_by(Cohort.starts_on.desc(), Cohort.id.desc())
    ).all()
    return [
        CohortSummary(c.id, c.name, c.starts_on, c.join_code, learners, facilitators)
        for c, learners, facilitators in rows
    ]


def get_cohort(cohort_id: int) -> Cohort:
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFound(_("No such cohort"))
    return cohort


def members_of(cohort_id: int) -> list[tuple[User, CohortRole]]:
    return [
        (user, role)
        for user, role in db.session.execute(
            sa.select(User, CohortMember.role)
            .join(CohortMember, CohortMember.user_id == User.id)
            .where(CohortMember.cohort_id == cohort_id)
            .order_by(CohortMember.role, sa.func.lower(User.display_name))
        ).all()
    ]


def create_cohort(
    course_id: int,
    name: str,
    starts_on: date,
    join_code: str | None,
    pace: Pace = Pace.SELF_PACED,
    ends_on: date | None = None,
) -> Cohort:
    """Flushes, does not commit."""
    name = " ".join(name.split())
    if not name:
        raise InvalidInput(_("Enter a name for the cohort"), field="name")
    _check_dates(starts_on, ends_on)
    cohort = Cohort(
        course_id=course_id,
        name=name,
        starts_on=starts_on,
        join_code=_free_code(join_code, None),
        pace=pace,
        ends_on=ends_on,
    )
    db.session.add(cohort)
    db.session.flush()
    return cohort


def update_cohort(
    cohort: Cohort,
    name: str,
    starts_on: date,
    join_code: str | None,
    pace: Pace | None = None,
    ends_on: date | None = None,
) -> None:
    """Flushes, does not commit. (`pace` None keeps the cohort's pace.)"""
    _check_dates(starts_on, ends_on)
    cohort.name = " ".join(name.split()) or cohort.name
    cohort.starts_on = starts_on
    cohort.join_code = _free_code(join_code, cohort.id)
    cohort.pace = pace or cohort.pace
    cohort.ends_on = ends_on
    db.session.flush()


def set_join_code(cohort: Cohort, code: str) -> None:
    """Flushes, does not commit."""
    cohort.join_code = _free_code(code, cohort.id)
    db.session.flush()


def _check_dates(starts_on: date, ends_on: date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput(_("The end date must be the same as or after the start date"), field="ends_on")


def _free_code(code: str | None, cohort_id: int | None) -> str | None:
    """The cleaned code, if no other cohort uses it (the unique index backs this up)."""
    code = _clean_code(code)
    if code and db.session.scalar(sa.select(Cohort.id).where(Cohort.join_code == code, Cohort.id != cohort_id)):
        raise InvalidInput(_("Another cohort already uses this join code"), field="join_code")
    return code


def membership(cohort_id: int, user_id: int) -> CohortMember | None:
    """The person's membership of the cohort, if they are in it."""
    return db.session.scalar(
        sa.select(CohortMember).where(CohortMember.cohort_id == cohort_id, CohortMember.user_id == user_id)
    )


def add_member(cohort: Cohort, email: str, role: CohortRole) -> User:
    """Add (or re-role) a person by email; learners are enrolled in the course too. Flushes."""
    user = accounts.find_by_email(email)
    if user is None:
        raise InvalidInput(_("There is no account with that email address"), field="email")
    member = membership(cohort.id, user.id)
    if member is None:
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=user.id, role=role))
    else:
        member.role = role
    if role == CohortRole.LEARNER:
        learning.enrol(user.id, cohort.course_id)
    db.session.flush()
    return user


def remove_member(cohort: Cohort, user_id: int) -> User:
    """Take a person out of the cohort (their course progress stays). Flushes."""
    member = membership(cohort.id, user_id)
    if member is None:
        raise NotFound(_("That person is not in this cohort"))
    db.session.delete(member)
    db.session.flush()
    return accounts.get_user(user_id)


def delete_cohort(cohort: Cohort) -> None:
    """Delete the cohort and its memberships; members stay on the course with their progress,
    answers and comments, which belong to them, not to the cohort. Flushes."""
    db.session.execute(sa.delete(CohortMember).where(CohortMember.cohort_id == cohort.id))
    db.session.delete(cohort)
    db.session.flush()


def cohorts_of(user_id: int) -> list[tuple[Cohort, CohortRole]]:
    return [
        (c, r)
        for c, r in db.session.execute(
            sa.select(Cohort, CohortMember.role)
            .join(CohortMember)
            .where(CohortMember.user_id == user_id)
            .order_by(Cohort.starts_on.desc())
        ).all()
    ]


def learner_ids(cohort_id: int) -> sa.Select:
    """The cohort's learners' ids, as a subquery other features can filter by."""
    return sa.select(CohortMember.user_id).where(
        CohortMember.cohort_id == cohort_id, CohortMember.role == CohortRole.LEARNER
    )


def can_facilitate(user: User, cohort_id: int) -> bool:
    """Admins see every cohort; a facilitator only the cohorts they facilitate."""
    if user.role.value == "admin":
        return True
    return (
        db.session.scalar(
            sa.select(
                sa.exists().where(
                    CohortMember.cohort_id == cohort_id,
                    CohortMember.user_id == user.id,
                    CohortMember.role == CohortRole.FACILITATOR,
                )
            )
        )
        or False
    )


def facilitated_by(user: User) -> list[CohortSummary]:
    """The cohorts this person may follow: all of them for admins."""
    if user.role.value == "admin":
        return list_cohorts()
    mine = set(
        db.session.scalars(
            sa.select(CohortMember.cohort_id).where(
                CohortMember.user_id == user.id, CohortMember.role == CohortRole.FACILITATOR
            )
        )
    )
    return [c for c in list_cohorts() if c.id in mine]


def is_learner_in(cohort_id: int, user_id: int) -> bool:
    return (
        db.session.scalar(
            sa.select(
                sa.exists().where(
                    CohortMember.cohort_id == cohort_id,
                    CohortMember.user_id == user_id,
                    CohortMember.role == CohortRole.LEARNER,
                )
            )
        )
        or False
    )


# Read with the sign-in (no query of their own): the step and course pages know the pace.
learning.read_pace_with_user(pace_columns.paced_from, pace_columns.discussions_until)
