"""Demo people, so a new installation shows a living course."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lms.accounts import service as accounts
from lms.accounts.models import Role
from lms.cohorts import service as cohorts
from lms.cohorts.models import CohortRole
from lms.comments import service as comments
from lms.content import service as content
from lms.errors import NotFound
from lms.extensions import db
from lms.learning import service as learning

PASSWORD = "demo password 2026"  # shown on screen: for a local demo only
DEMO_OPENING = (
    "Welcome to the discussion. There are no wrong answers here: share what you have *seen*, and be kind to each other."
)
DEMO_COHORT = "Demo cohort"
DEMO_REPLY = "Thank you. On our unit the best example is the nurse in charge who asks every new starter how they are."


@dataclass(frozen=True)
class DemoPerson:
    role: str
    email: str
    password: str
    name: str


PEOPLE = (
    DemoPerson("learner", "learner@example.org", PASSWORD, "Sam Learner"),
    DemoPerson("facilitator", "facilitator@example.org", PASSWORD, "Alex Facilitator"),
    DemoPerson("admin", "admin@example.org", PASSWORD, "Jo Admin"),
)


def create_demo() -> tuple[DemoPerson, ...]:
    """Create the demo accounts (once) and enrol them; safe to run again."""
    outline = content.get_outline()
    if outline is None:
        raise NotFound("Import the course first: flask --app lms content import")
    users = {}
    for person in PEOPLE:
        user = accounts.find_by_email(person.email) or accounts.create_user(
            email=person.email, display_name=person.name, password=person.password, role=Role(person.role)
        )
        learning.join_course(user.id, outline.course.id)
        users[person.role] = user
    _demo_conversation(outline, users["facilitator"], users["learner"])
    _demo_cohort(outline, users["facilitator"], users["learner"])
    return PEOPLE


def _demo_conversation(outline, facilitator, learner) -> None:
    """A facilitator's comment and a learner's reply on the first discussion step, once."""
    step = next((s for s in outline.steps if s.type == "discussion"), None)
    if step is None or comments.has_posted(facilitator.id, step.id):
        return
    opening = comments.post_comment(facilitator, step.id, DEMO_OPENING)
    comments.post_comment(learner, step.id, DEMO_REPLY, parent=opening)


def _demo_cohort(outline, facilitator, learner) -> None:
    """A cohort the demo facilitator runs, with the demo learner in it, once."""
    if cohorts.facilitated_by(facilitator):
        return
    cohort = cohorts.create_cohort(outline.course.id, DEMO_COHORT, date.today(), None)
    cohorts.add_member(cohort, facilitator.email, CohortRole.FACILITATOR)
    cohorts.add_member(cohort, learner.email, CohortRole.LEARNER)
    db.session.commit()
