"""Who looks after whom: the facilitators of a learner's cohorts, and the learners in a
facilitator's, as subqueries other features filter by (whom to tell, whose comments to show).
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as so

from lms.cohorts.models import CohortMember, CohortRole


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
