"""The pace a learner's cohorts set, as correlated columns on users.id that the sign-in reads
(lms.cohorts.service registers them with lms.learning); lms.learning.pacing says what they mean.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as so

from lms.cohorts.models import Cohort, CohortMember, CohortRole, Pace


def _learner_memberships(user_id, *where):
    """EXISTS: the user is a learner in a cohort matching `where` (a fresh alias each time)."""
    cohort, member = so.aliased(Cohort), so.aliased(CohortMember)
    return (
        sa.exists()
        .where(member.cohort_id == cohort.id, member.user_id == user_id, member.role == CohortRole.LEARNER)
        .where(*(condition(cohort) for condition in where))
    )


def paced_from(user_id):
    """The earliest start among the learner's weekly cohorts; NULL (everything open) when they
    are in no cohort or in any self-paced one. The rule is in lms.learning.pacing."""
    return (
        sa.select(sa.func.min(Cohort.starts_on))
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.user_id == user_id, CohortMember.role == CohortRole.LEARNER, Cohort.pace == Pace.WEEKLY)
        .where(~_learner_memberships(user_id, lambda c: c.pace == Pace.SELF_PACED))
        .scalar_subquery()
    )


def discussions_until(user_id):
    """The latest end among the learner's cohorts; NULL (no end) when any of them has none."""
    return (
        sa.select(sa.func.max(Cohort.ends_on))
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.user_id == user_id, CohortMember.role == CohortRole.LEARNER)
        .where(~_learner_memberships(user_id, lambda c: c.ends_on.is_(None)))
        .scalar_subquery()
    )
