"""The demo world: `flask --app lms demo` makes a course that looks lived in.

A cohort of made-up NHS and social care staff at every stage (finished with certificates,
part-way, stalled, just started), their conversations on the discussion steps with likes,
replies from the facilitator, highlights and a report waiting, and enough self-assessments
for the cohort's figures to show. Everything goes through the services real use goes
through; only the timestamps are moved back afterwards (lms.demo.timeline).

It refuses a database with people the demo did not make, unless forced, and it builds its
world once: run again, it adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from lms.accounts import service as accounts
from lms.accounts.models import Role, User
from lms.certificates import service as certificates
from lms.cohorts import service as cohorts
from lms.cohorts.models import Cohort, CohortRole, Pace
from lms.content import service as content
from lms.content.outline import CourseOutline
from lms.demo import journeys, posting
from lms.demo.conversations import FACILITATOR
from lms.demo.people import (
    ADMIN_BIO,
    COHORT_DAYS,
    COHORT_NAME,
    CROWD,
    FACILITATOR_BIO,
    LEARNERS,
    PASSWORD,
    PEOPLE,
    DemoPerson,
    demo_emails,
)
from lms.demo.timeline import Timeline
from lms.errors import DomainError, NotFound
from lms.extensions import db
from lms.learning import service as learning
from lms.notifications import mailing, preferences

__all__ = ["PASSWORD", "PEOPLE", "DemoPerson", "DemoWorld", "RealUsersFound", "create_demo"]


class RealUsersFound(DomainError):
    """The database has accounts the demo did not make: demo people would mix with them."""


@dataclass(frozen=True)
class DemoWorld:
    people: tuple[DemoPerson, ...]  # the accounts whose sign-ins are printed
    cohort: str
    learners: int
    built: bool  # False: it was there already, and nothing was added


def create_demo(force: bool = False) -> DemoWorld:
    """Make the demo people and their cohort's story, once."""
    outline = content.get_outline()
    if outline is None:
        raise NotFound("Import the course first: flask --app lms content import")
    others = db.session.scalar(
        sa.select(sa.func.count()).select_from(User).where(User.email.not_in(sorted(demo_emails())))
    )
    if others and not force:
        raise RealUsersFound(
            f"This database has {others} account(s) the demo did not make, so demo people and their "
            "comments would appear beside real ones. Run `flask --app lms demo --force` to add them anyway."
        )
    built = _demo_cohort() is None
    if built:
        _build(outline)
    return DemoWorld(PEOPLE, COHORT_NAME, len(LEARNERS), built)


def _demo_cohort() -> Cohort | None:
    return db.session.scalar(sa.select(Cohort).where(Cohort.name == COHORT_NAME))


def _build(outline: CourseOutline) -> None:
    """People, then the cohort (so answers count towards its figures as they are given), each
    learner's journey, the conversations, certificates, and last the dates. The services commit
    as they go: a build stopped part-way leaves the cohort, and the next run adds nothing, so
    start again from an empty database."""
    timeline = Timeline()
    people = _people(outline)
    cohort = cohorts.create_cohort(
        outline.course.id, COHORT_NAME, (timeline.now - timedelta(days=COHORT_DAYS)).date(), None, Pace.SELF_PACED
    )
    cohorts.add_member(cohort, people[FACILITATOR].email, CohortRole.FACILITATOR)
    for journey in LEARNERS:
        cohorts.add_member(cohort, journey.email, CohortRole.LEARNER)
    db.session.commit()
    posts = posting.posters(outline)
    for journey in LEARNERS:
        user = people[journey.key]
        timeline.learner(journey, user.id, journeys.walk(journey, user, outline, posts.get(journey.key, set())))
    posting.post_all(outline, people, timeline)
    for journey in LEARNERS:
        if journey.finished:
            certificates.claim(people[journey.key], outline)
    timeline.write()


def _people(outline: CourseOutline) -> dict[str, User]:
    """Every demo account (made if missing), joined to the course, keyed as the story names them."""
    hashed = accounts.hash_of(PASSWORD)  # once: every demo person has the same password

    def account(email: str, name: str, role: Role) -> User:
        return accounts.find_by_email(email) or accounts.create_user(
            email=email, display_name=name, password=PASSWORD, role=role, password_hash=hashed
        )

    made = {person.role: account(person.email, person.name, Role(person.role)) for person in PEOPLE}
    people = {FACILITATOR: made["facilitator"], "sam": made["learner"], "admin": made["admin"]}
    for journey in CROWD:
        people[journey.key] = account(journey.email, journey.name, Role.LEARNER)
    bios = {FACILITATOR: FACILITATOR_BIO, "admin": ADMIN_BIO, **{j.key: j.bio for j in LEARNERS}}
    for key, user in people.items():
        accounts.set_bio(user, bios[key])
        _not_mailed(user)
    for user in made.values():
        learning.join_course(user.id, outline.course.id)
    return people


def _not_mailed(user: User) -> None:
    """Demo addresses go nowhere: nothing the demo does is put in the outbox for them."""
    kinds = {kind.key: preferences.OFF for kind in preferences.kinds_for(user.is_staff)}
    mailing.save_choices(
        user,
        kinds,
        time_zone=preferences.LONDON,
        digest_hour=preferences.DEFAULT_DIGEST_HOUR,
        quiet_from=None,
        quiet_until=None,
    )
