"""What a risky admin action will do, in words, for its confirmation page. Pure functions."""

from __future__ import annotations

from lms.accounts.models import Role, User
from lms.cohorts.models import Cohort, CohortRole
from lms.templating import with_article

ORDER = [Role.LEARNER, Role.FACILITATOR, Role.ADMIN]
# What each role adds to the one below it.
ABILITIES = {
    Role.FACILITATOR: "moderate comments and follow the cohorts they facilitate",
    Role.ADMIN: "edit the course and manage people",
}


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def role_change(user: User, role: Role) -> list[str]:
    """'Priya Ward will be able to edit the course and manage people.'"""
    old, new = ORDER.index(user.role), ORDER.index(role)
    name = user.display_name
    if new > old:
        gained = [ABILITIES[r] for r in ORDER[old + 1 : new + 1]]
        sentences = [f"{name} will be able to {_join(gained)}."]
    else:
        lost = [ABILITIES[r] for r in ORDER[new + 1 : old + 1]]
        sentences = [f"{name} will no longer be able to {_join(lost)}."]
    if (old == 0) != (new == 0):
        badge = "show" if new else "no longer show"
        sentences.append(
            f"Comments they write from now on will {badge} an Educator badge. Comments they wrote before keep theirs."
        )
    sentences.append(f"They will be {with_article(role.value)}. You can change this again later.")
    return sentences


def deactivation(user: User) -> list[str]:
    return [
        f"{user.display_name} will not be able to sign in, and the sign-ins they have now will end.",
        "Their progress, answers, reflections and comments stay.",
        "You can reactivate the account later.",
    ]


def removal(user: User, role: CohortRole, cohort: Cohort) -> list[str]:
    if role == CohortRole.FACILITATOR:
        first = f"{user.display_name} will no longer facilitate {cohort.name}, or see its dashboard as its facilitator."
    else:
        first = (
            f"{user.display_name} will leave {cohort.name}: its facilitators will no longer see them on its dashboard."
        )
    return [first, "They stay on the course, with their progress, answers and comments."]


def deletion(cohort: Cohort, learners: int, facilitators: int) -> list[str]:
    people = _join(
        [
            f"{learners} learner{'s' if learners != 1 else ''}",
            f"{facilitators} facilitator{'s' if facilitators != 1 else ''}",
        ]
    )
    code = f" Its join code {cohort.join_code} will stop working." if cohort.join_code else ""
    return [
        f"The cohort {cohort.name} and its dashboard will be deleted.{code}",
        f"Its {people} will no longer be in it. They stay on the course, with their progress, answers and comments.",
        "This cannot be undone: you would have to create the cohort again and add its people.",
    ]


def new_code(cohort: Cohort) -> list[str]:
    if not cohort.join_code:
        return [
            f"People who have the new code, or its join link, will be able to join {cohort.name} as learners.",
        ]
    return [
        f"The code {cohort.join_code} and its join link will stop working: anyone you gave them to "
        "will need the new ones.",
        "People already in the cohort stay in it.",
    ]
