"""Cohorts: create them, add and remove people, join with a code, list who is where.

Writes flush and leave the commit to the caller when an admin makes them (the people
service records them in the audit log in the same unit of work); a learner joining with
a code commits here.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from lms.accounts import service as accounts
from lms.accounts.models import User
from lms.cohorts.addresses import MOST_LINES, read_addresses
from lms.cohorts.models import Cohort, CohortMember, CohortRole, Pace
from lms.db import dialect_insert, insert_once, one_of, utcnow
from lms.errors import InvalidInput, NotFound
from lms.extensions import db
from lms.learning import service as learning
from lms.learning.pacing import long_date, uk_today
from lms.mail import service as mail

CODE = re.compile(r"^[A-Z0-9-]{4,20}$")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_join_code() -> str:
    return "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(2))


def _clean_code(code: str | None) -> str | None:
    code = (code or "").strip().upper()
    if not code:
        return None
    if not CODE.match(code):
        raise InvalidInput("Join code must be 4 to 20 letters, numbers or dashes", field="join_code")
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
        raise NotFound("No such cohort")
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
        raise InvalidInput("Enter a name for the cohort", field="name")
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
        raise InvalidInput("The end date must be the same as or after the start date", field="ends_on")


def _free_code(code: str | None, cohort_id: int | None) -> str | None:
    """The cleaned code, if no other cohort uses it (the unique index backs this up)."""
    code = _clean_code(code)
    if code and db.session.scalar(sa.select(Cohort.id).where(Cohort.join_code == code, Cohort.id != cohort_id)):
        raise InvalidInput("Another cohort already uses this join code", field="join_code")
    return code


def add_member(cohort: Cohort, email: str, role: CohortRole) -> User:
    """Add (or re-role) a person by email; learners are enrolled in the course too. Flushes."""
    user = accounts.find_by_email(email)
    if user is None:
        raise InvalidInput("There is no account with that email address", field="email")
    member = db.session.scalar(
        sa.select(CohortMember).where(CohortMember.cohort_id == cohort.id, CohortMember.user_id == user.id)
    )
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
    member = db.session.scalar(
        sa.select(CohortMember).where(CohortMember.cohort_id == cohort.id, CohortMember.user_id == user_id)
    )
    if member is None:
        raise NotFound("That person is not in this cohort")
    db.session.delete(member)
    db.session.flush()
    return accounts.get_user(user_id)


def delete_cohort(cohort: Cohort) -> None:
    """Delete the cohort and its memberships; members stay on the course with their progress,
    answers and comments, which belong to them, not to the cohort. Flushes."""
    db.session.execute(sa.delete(CohortMember).where(CohortMember.cohort_id == cohort.id))
    db.session.delete(cohort)
    db.session.flush()


def cohort_for_code(code: str | None) -> Cohort | None:
    """The cohort a join code opens, or None (mistyped, or changed since it was shared)."""
    code = (code or "").strip().upper()
    if not CODE.match(code):
        return None
    return db.session.scalar(sa.select(Cohort).where(Cohort.join_code == code))


def ended_on(cohort: Cohort, today: date | None = None) -> date | None:
    """The cohort's end date once it has passed: nobody new may join it then."""
    if cohort.ends_on is not None and cohort.ends_on < (today or uk_today()):
        return cohort.ends_on
    return None


def why_closed(cohort: Cohort) -> str | None:
    """Why nobody new may join the cohort, in words, or None when they may."""
    ended = ended_on(cohort)
    if ended is None:
        return None
    return f"{cohort.name} ended on {long_date(ended)}. Ask your facilitator for a link to a current cohort."


def role_in(cohort_id: int, user_id: int) -> CohortRole | None:
    return db.session.scalar(
        sa.select(CohortMember.role).where(CohortMember.cohort_id == cohort_id, CohortMember.user_id == user_id)
    )


def join(user_id: int, cohort: Cohort) -> bool:
    """Join the cohort as a learner, and the course with it; False if already in the cohort
    (in any role: then nothing changes). An ended cohort takes nobody new. Commits."""
    closed = why_closed(cohort)
    if closed and role_in(cohort.id, user_id) is None:
        raise InvalidInput(closed, field="code")
    # Once, however often it is sent: the unique (cohort, user) has the final word.
    added = insert_once(db.session, CohortMember, dict(cohort_id=cohort.id, user_id=user_id, role=CohortRole.LEARNER))
    learning.enrol(user_id, cohort.course_id)
    db.session.commit()
    return added is not None


def join_with_code(user_id: int, code: str) -> Cohort:
    """A learner joins the cohort with this code, and the course with it."""
    cohort = cohort_for_code(code)
    if cohort is None:
        raise InvalidInput("That join code is not recognised. Check it with your facilitator.", field="code")
    join(user_id, cohort)
    return cohort


# -- Many people at once ------------------------------------------------------------------


@dataclass(frozen=True)
class ManyAdded:
    """What adding a pasted list did, for the admin's report."""

    added: tuple[User, ...]
    already: tuple[tuple[User, CohortRole], ...]  # in the cohort before: left as they were
    invited: tuple[str, ...]  # no account: sent the join link now
    invited_before: tuple[str, ...]  # no account, sent the link in the last day: not sent again
    not_invited: tuple[str, ...]  # no account, and no link to send them, because of:
    why_not_invited: str | None
    bad: tuple[tuple[int, str], ...]  # (line number, line) that are not one email address


INVITE_AGAIN_AFTER = timedelta(hours=24)


def invite_why_not(cohort: Cohort, role: CohortRole) -> str | None:
    """Why people without an account cannot be invited to this cohort in this role, if not."""
    if role != CohortRole.LEARNER:
        return "Facilitators need an account first: ask them to create one, then add them."
    if ended_on(cohort):
        return "This cohort has ended, so nobody new can join it."
    if not cohort.join_code:
        return "This cohort has no join code, so there is no link to send: set one in the cohort details."
    return None


def add_many(cohort: Cohort, text: str, role: CohortRole, inviter: User, course_title: str) -> ManyAdded:
    """Add everyone in a pasted list who has an account (learners join the course too); email
    the others the cohort's join link, when there is one. People already in the cohort keep
    their role. Flushes, does not commit.

    A few statements whatever the list's length (and one outbox row per invitation). The same
    list sent again adds nobody twice, and invites nobody invited here in the last day.
    """
    pasted = read_addresses(text)
    if not pasted.lines:
        raise InvalidInput("Enter at least one email address", field="emails")
    if pasted.lines > MOST_LINES:
        raise InvalidInput(
            f"Enter at most {MOST_LINES} email addresses at a time (this list has {pasted.lines})", field="emails"
        )
    users = accounts.find_by_emails(pasted.emails)
    roles = dict(
        db.session.execute(
            sa.select(CohortMember.user_id, CohortMember.role).where(
                CohortMember.cohort_id == cohort.id, one_of(CohortMember.user_id, [u.id for u in users.values()])
            )
        ).all()
    )
    found = [users[email] for email in pasted.emails if email in users]  # in the order pasted
    added = tuple(u for u in found if u.id not in roles)
    if added:
        # Two admins sending the same list at once: the unique (cohort, user) keeps one row.
        db.session.execute(
            dialect_insert(db.session)(CohortMember).on_conflict_do_nothing(),
            [dict(cohort_id=cohort.id, user_id=u.id, role=role, created_at=utcnow()) for u in added],
        )
        if role == CohortRole.LEARNER:
            learning.enrol_many([u.id for u in added], cohort.course_id)
    strangers = [email for email in pasted.emails if email not in users]
    invited, before, why_not = [], [], invite_why_not(cohort, role)
    if strangers and why_not is None:
        subject = f"Join {cohort.name} on the course {course_title}"
        sent = mail.sent_recently(strangers, subject, INVITE_AGAIN_AFTER)
        before = [email for email in strangers if email in sent]
        invited = [email for email in strangers if email not in sent]
        link = mail.external_url("cohorts.join_link", join_code=cohort.join_code)
        for email in invited:
            mail.queue(
                to=email,
                name=None,
                template="cohort_invitation",
                subject=subject,
                reply_to=(inviter.email, inviter.display_name),
                link=link,
                cohort=cohort.name,
                course=course_title,
                inviter=inviter.display_name,
            )
    db.session.flush()
    return ManyAdded(
        added=added,
        already=tuple((u, roles[u.id]) for u in found if u.id in roles),
        invited=tuple(invited),
        invited_before=tuple(before),
        not_invited=tuple(strangers) if why_not else (),
        why_not_invited=why_not,
        bad=pasted.bad,
    )


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


def _looked_after():
    """A learner's and a facilitator's memberships of one cohort: the two aliases, and the
    condition that joins them."""
    learner, facilitator = so.aliased(CohortMember), so.aliased(CohortMember)
    same_cohort = sa.and_(
        learner.cohort_id == facilitator.cohort_id,
        learner.role == CohortRole.LEARNER,
        facilitator.role == CohortRole.FACILITATOR,
    )
    return learner, facilitator, same_cohort


def facilitator_ids_of(learner_id) -> sa.Select:
    """The ids of the facilitators of every cohort the person (an id, or a column) is a learner
    in, as a subquery: whom to tell when their comment needs a facilitator."""
    learner, facilitator, same_cohort = _looked_after()
    return sa.select(facilitator.user_id).join(learner, same_cohort).where(learner.user_id == learner_id)


def learners_facilitated_by(staff_id) -> sa.Select:
    """The ids of the learners in every cohort the person (an id, or a column) facilitates."""
    learner, facilitator, same_cohort = _looked_after()
    return sa.select(learner.user_id).join(facilitator, same_cohort).where(facilitator.user_id == staff_id)


def learner_facilitator_pairs(learner_ids) -> sa.Select:
    """(learner id, facilitator id) for learners in `learner_ids` (a subquery or list): who looks
    after whom, for work done for many people at once (the digests)."""
    learner, facilitator, same_cohort = _looked_after()
    return (
        sa.select(learner.user_id, facilitator.user_id)
        .join(facilitator, same_cohort)
        .where(learner.user_id.in_(learner_ids))
    )


def _learner_memberships(user_id, *where):
    """EXISTS: the user is a learner in a cohort matching `where` (a fresh alias each time)."""
    cohort, member = so.aliased(Cohort), so.aliased(CohortMember)
    return (
        sa.exists()
        .where(member.cohort_id == cohort.id, member.user_id == user_id, member.role == CohortRole.LEARNER)
        .where(*(condition(cohort) for condition in where))
    )


def _paced_from(user_id):
    """The earliest start among the learner's weekly cohorts; NULL (everything open) when they
    are in no cohort or in any self-paced one. The rule is in lms.learning.pacing."""
    return (
        sa.select(sa.func.min(Cohort.starts_on))
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.user_id == user_id, CohortMember.role == CohortRole.LEARNER, Cohort.pace == Pace.WEEKLY)
        .where(~_learner_memberships(user_id, lambda c: c.pace == Pace.SELF_PACED))
        .scalar_subquery()
    )


def _discussions_until(user_id):
    """The latest end among the learner's cohorts; NULL (no end) when any of them has none."""
    return (
        sa.select(sa.func.max(Cohort.ends_on))
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.user_id == user_id, CohortMember.role == CohortRole.LEARNER)
        .where(~_learner_memberships(user_id, lambda c: c.ends_on.is_(None)))
        .scalar_subquery()
    )


# Read with the sign-in (no query of their own): the step and course pages know the pace.
learning.read_pace_with_user(_paced_from, _discussions_until)
