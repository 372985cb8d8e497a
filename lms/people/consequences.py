"""What a risky admin action will do, in words, for its confirmation page. Pure functions.

Each sentence is whole in the catalogue (one per role, or per change of role), so every
language can write it in its own grammar."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from lms.accounts.models import Role, User
from lms.cohorts.models import Cohort, CohortRole

ORDER = [Role.LEARNER, Role.FACILITATOR, Role.ADMIN]


def _abilities(name: str, old: Role, new: Role) -> str:
    """What the person gains or loses: each role adds to the one below it."""
    sentences = {
        (Role.LEARNER, Role.FACILITATOR): lambda: _(
            "%(name)s will be able to moderate comments and follow the cohorts they facilitate.", name=name
        ),
        (Role.LEARNER, Role.ADMIN): lambda: _(
            "%(name)s will be able to moderate comments and follow the cohorts they facilitate and edit the "
            "course and manage people.",
            name=name,
        ),
        (Role.FACILITATOR, Role.ADMIN): lambda: _(
            "%(name)s will be able to edit the course and manage people.", name=name
        ),
        (Role.FACILITATOR, Role.LEARNER): lambda: _(
            "%(name)s will no longer be able to moderate comments and follow the cohorts they facilitate.",
            name=name,
        ),
        (Role.ADMIN, Role.LEARNER): lambda: _(
            "%(name)s will no longer be able to moderate comments and follow the cohorts they facilitate and "
            "edit the course and manage people.",
            name=name,
        ),
        (Role.ADMIN, Role.FACILITATOR): lambda: _(
            "%(name)s will no longer be able to edit the course and manage people.", name=name
        ),
    }
    return sentences[(old, new)]()


def will_be(role: Role) -> str:
    """'They will be an admin. You can change this again later.'"""
    return {
        Role.LEARNER: lambda: _("They will be a learner. You can change this again later."),
        Role.FACILITATOR: lambda: _("They will be a facilitator. You can change this again later."),
        Role.ADMIN: lambda: _("They will be an admin. You can change this again later."),
    }[role]()


def role_change(user: User, role: Role) -> list[str]:
    """'Priya Ward will be able to edit the course and manage people.'"""
    old, new = ORDER.index(user.role), ORDER.index(role)
    sentences = [_abilities(user.display_name, user.role, role)]
    if (old == 0) != (new == 0):
        sentences.append(
            _("Comments they write from now on will show an Educator badge. Comments they wrote before keep theirs.")
            if new
            else _(
                "Comments they write from now on will no longer show an Educator badge. "
                "Comments they wrote before keep theirs."
            )
        )
    sentences.append(will_be(role))
    return sentences


def deactivation(user: User) -> list[str]:
    return [
        _(
            "%(name)s will not be able to sign in, and the sign-ins they have now will end.",
            name=user.display_name,
        ),
        _("Their progress, answers, reflections and comments stay."),
        _("You can reactivate the account later."),
    ]


def removal(user: User, role: CohortRole, cohort: Cohort) -> list[str]:
    if role == CohortRole.FACILITATOR:
        first = _(
            "%(name)s will no longer facilitate %(cohort)s, or see its dashboard as its facilitator.",
            name=user.display_name,
            cohort=cohort.name,
        )
    else:
        first = _(
            "%(name)s will leave %(cohort)s: its facilitators will no longer see them on its dashboard.",
            name=user.display_name,
            cohort=cohort.name,
        )
    return [first, _("They stay on the course, with their progress, answers and comments.")]


def deletion(cohort: Cohort, learners: int, facilitators: int) -> list[str]:
    first = _("The cohort %(name)s and its dashboard will be deleted.", name=cohort.name)
    if cohort.join_code:
        first += " " + _("Its join code %(code)s will stop working.", code=cohort.join_code)
    return [
        first,
        _(
            "Its %(learners)s and %(facilitators)s will no longer be in it. They stay on the course, with their "
            "progress, answers and comments.",
            learners=ngettext("%(num)d learner", "%(num)d learners", learners),
            facilitators=ngettext("%(num)d facilitator", "%(num)d facilitators", facilitators),
        ),
        _("This cannot be undone: you would have to create the cohort again and add its people."),
    ]


def new_code(cohort: Cohort) -> list[str]:
    if not cohort.join_code:
        return [
            _(
                "People who have the new code, or its join link, will be able to join %(cohort)s as learners.",
                cohort=cohort.name,
            ),
        ]
    return [
        _(
            "The code %(code)s and its join link will stop working: anyone you gave them to will need the new ones.",
            code=cohort.join_code,
        ),
        _("People already in the cohort stay in it."),
    ]
