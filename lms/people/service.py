"""Admin actions on people and cohorts: each one unit of work, audited, committed once."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from lms.accounts import links
from lms.accounts import service as accounts
from lms.accounts.models import Role, User
from lms.audit import service as audit
from lms.cohorts import joining
from lms.cohorts import service as cohorts
from lms.cohorts.models import Cohort, CohortRole, Pace
from lms.errors import InvalidInput
from lms.extensions import db
from lms.mail import service as mail


def _reason(reason: str | None) -> str:
    """A risky action's reason, which the audit log keeps: it does not happen without one."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Enter a reason"), field="reason")
    return reason


def already(name: str, role: Role) -> str:
    """'Priya Ward is already an admin': one sentence per role."""
    return {
        Role.LEARNER: lambda: _("%(name)s is already a learner", name=name),
        Role.FACILITATOR: lambda: _("%(name)s is already a facilitator", name=name),
        Role.ADMIN: lambda: _("%(name)s is already an admin", name=name),
    }[role]()


def check_role_change(actor: User, user: User, role: Role) -> None:
    """Refuse a change that cannot be made, before anyone is asked to confirm it."""
    if user.id == actor.id and role != Role.ADMIN:
        raise InvalidInput(_("You cannot remove your own admin role: ask another admin"), field="role")
    if user.role == role:
        raise InvalidInput(already(user.display_name, role), field="role")


def change_role(actor: User, user_id: int, role: Role, reason: str) -> User:
    user = accounts.get_user(user_id)
    check_role_change(actor, user, role)
    reason = _reason(reason)
    before = user.role
    accounts.apply_role(user, role)
    audit.record(actor, "user.role", user, reason=reason, details={"from": before.value, "to": role.value})
    db.session.commit()
    return user


def check_deactivate(actor: User, user: User) -> None:
    if user.id == actor.id:
        raise InvalidInput(_("You cannot deactivate your own account"))
    if not user.active:
        raise InvalidInput(_("%(name)s's account is already deactivated", name=user.display_name))


def deactivate(actor: User, user_id: int, reason: str) -> User:
    user = accounts.get_user(user_id)
    check_deactivate(actor, user)
    reason = _reason(reason)
    accounts.apply_active(user, False)
    audit.record(actor, "user.deactivate", user, reason=reason)
    db.session.commit()
    return user


def reactivate(actor: User, user_id: int) -> User:
    """Undo a deactivation: safe, so it needs no confirmation."""
    user = accounts.get_user(user_id)
    accounts.apply_active(user, True)
    audit.record(actor, "user.reactivate", user)
    db.session.commit()
    return user


def send_reset_link(actor: User, user_id: int) -> User:
    """Email the person a link to set a new password (for when they are stuck)."""
    user = accounts.get_user(user_id)
    if not user.active:
        raise InvalidInput(_("This account is deactivated: reactivate it first"))
    links.send_reset_link(user)
    audit.record(actor, "user.reset_link", user)
    db.session.commit()
    return user


def create_cohort(
    actor: User,
    course_id: int,
    name: str,
    starts_on: date,
    join_code: str | None,
    pace: Pace = Pace.SELF_PACED,
    ends_on: date | None = None,
) -> Cohort:
    join_code = (join_code or "").strip() or cohorts.new_join_code()  # every new cohort has one
    cohort = cohorts.create_cohort(course_id, name, starts_on, join_code, pace, ends_on)
    audit.record(actor, "cohort.create", cohort, details=_details(cohort))
    db.session.commit()
    return cohort


def update_cohort(
    actor: User,
    cohort_id: int,
    name: str,
    starts_on: date,
    pace: Pace | None = None,
    ends_on: date | None = None,
) -> Cohort:
    """Change a cohort's details; its join code changes only by `change_join_code`."""
    cohort = cohorts.get_cohort(cohort_id)
    cohorts.update_cohort(cohort, name, starts_on, cohort.join_code, pace, ends_on)
    audit.record(actor, "cohort.update", cohort, details=_details(cohort))
    db.session.commit()
    return cohort


def change_join_code(actor: User, cohort_id: int, join_code: str | None) -> Cohort:
    """Give the cohort the admin's new code, or a made one: the old code and link stop working."""
    cohort = cohorts.get_cohort(cohort_id)
    old = cohort.join_code
    cohorts.set_join_code(cohort, (join_code or "").strip() or cohorts.new_join_code())
    audit.record(actor, "cohort.code", cohort, details={"from": old, "to": cohort.join_code})
    db.session.commit()
    return cohort


def _details(cohort: Cohort) -> dict:
    """What the audit log keeps of a cohort's settings."""
    return {
        "name": cohort.name,
        "starts_on": cohort.starts_on.isoformat(),
        "pace": cohort.pace.value,
        "ends_on": cohort.ends_on.isoformat() if cohort.ends_on else None,
    }


def add_cohort_member(actor: User, cohort_id: int, email: str, role: CohortRole) -> User:
    cohort = cohorts.get_cohort(cohort_id)
    user = cohorts.add_member(cohort, email, role)
    audit.record(
        actor, "cohort.add_member", cohort, details={"user_id": user.id, "name": user.display_name, "role": role.value}
    )
    db.session.commit()
    return user


def add_many_to_cohort(
    actor: User, cohort_id: int, text: str, role: CohortRole, course_title: str
) -> tuple[Cohort, joining.ManyAdded]:
    """Add a pasted list of people (and invite those without an account); audited."""
    cohort = cohorts.get_cohort(cohort_id)
    result = joining.add_many(cohort, text, role, actor, course_title)
    audit.record(
        actor,
        "cohort.add_many",
        cohort,
        details={
            "role": role.value,
            "added": [u.id for u in result.added],
            "already": len(result.already),
            "invited": len(result.invited),
            "not_addresses": len(result.bad),
        },
    )
    db.session.commit()
    return cohort, result


def remove_cohort_member(actor: User, cohort_id: int, user_id: int, reason: str) -> User:
    cohort = cohorts.get_cohort(cohort_id)
    reason = _reason(reason)
    user = cohorts.remove_member(cohort, user_id)
    audit.record(
        actor, "cohort.remove_member", cohort, reason=reason, details={"user_id": user.id, "name": user.display_name}
    )
    db.session.commit()
    return user


def delete_cohort(actor: User, cohort_id: int, reason: str) -> str:
    """Delete a cohort (its members keep their progress); returns its name."""
    cohort = cohorts.get_cohort(cohort_id)
    reason = _reason(reason)
    members = cohorts.members_of(cohort_id)
    audit.record(
        actor,
        "cohort.delete",
        cohort,
        reason=reason,
        details={
            "name": cohort.name,
            "learners": sum(role == CohortRole.LEARNER for _, role in members),
            "facilitators": sum(role == CohortRole.FACILITATOR for _, role in members),
        },
    )
    name = cohort.name
    cohorts.delete_cohort(cohort)
    db.session.commit()
    return name


def send_test_mail(actor: User) -> None:
    """Send the admin a message, to check that mail leaves the platform and arrives."""
    mail.queue(
        to=actor.email,
        name=actor.display_name,
        user_id=actor.id,
        template="test_message",
        subject=_("A test message from the learning platform"),
    )
    audit.record(actor, "mail.test", actor)
    db.session.commit()


def retry_failed_mail(actor: User, message_ids: list[int]) -> int:
    """Queue failed messages again; returns how many."""
    count = mail.retry(message_ids)
    if count:
        audit.record(actor, "mail.retry", actor, details={"messages": message_ids[:100], "count": count})
        db.session.commit()
    return count
