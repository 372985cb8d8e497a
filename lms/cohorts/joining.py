"""Joining a cohort: a learner with its join code or link, and an admin adding a pasted list
of people at once (inviting those without an account). Ended cohorts take nobody new.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from lms.accounts import service as accounts
from lms.accounts.models import User
from lms.cohorts.addresses import MOST_LINES, read_addresses
from lms.cohorts.models import Cohort, CohortMember, CohortRole
from lms.cohorts.service import CODE, membership
from lms.db import dialect_insert, insert_once, one_of, utcnow
from lms.errors import InvalidInput
from lms.extensions import db
from lms.i18n import LANGUAGES
from lms.learning import service as learning
from lms.learning.pacing import uk_today
from lms.mail import service as mail


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
    return _(
        "%(cohort)s ended on %(date)s. Ask your facilitator for a link to a current cohort.",
        cohort=cohort.name,
        date=format_date(ended, "EEEE d MMMM y"),
    )


def role_in(cohort_id: int, user_id: int) -> CohortRole | None:
    member = membership(cohort_id, user_id)
    return member.role if member else None


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
        raise InvalidInput(_("That join code is not recognised. Check it with your facilitator."), field="code")
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
        return _("Facilitators need an account first: ask them to create one, then add them.")
    if ended_on(cohort):
        return _("This cohort has ended, so nobody new can join it.")
    if not cohort.join_code:
        return _("This cohort has no join code, so there is no link to send: set one in the cohort details.")
    return None


def _invitation_subject(cohort: str, course: str) -> str:
    return _("Join %(cohort)s on the course %(course)s", cohort=cohort, course=course)


def add_many(cohort: Cohort, text: str, role: CohortRole, inviter: User, course_title: str) -> ManyAdded:
    """Add everyone in a pasted list who has an account (learners join the course too); email
    the others the cohort's join link, when there is one. People already in the cohort keep
    their role. Flushes, does not commit.

    A few statements whatever the list's length (and one outbox row per invitation). The same
    list sent again adds nobody twice, and invites nobody invited here in the last day.
    """
    pasted = read_addresses(text)
    if not pasted.lines:
        raise InvalidInput(_("Enter at least one email address"), field="emails")
    if pasted.lines > MOST_LINES:
        raise InvalidInput(
            _(
                "Enter at most %(most)d email addresses at a time (this list has %(lines)d)",
                most=MOST_LINES,
                lines=pasted.lines,
            ),
            field="emails",
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
        subject = _invitation_subject(cohort.name, course_title)
        sent = set()
        for language in LANGUAGES:  # invited in either language: not again
            with force_locale(language):
                sent |= mail.sent_recently(
                    strangers, _invitation_subject(cohort.name, course_title), INVITE_AGAIN_AFTER
                )
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
