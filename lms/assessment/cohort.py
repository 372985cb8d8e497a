"""What a group of learners' self-assessments add up to, read without saying whose is whose.

The facilitation feature asks; it owns the rule for when an aggregate may be shown and
when it is worked out again. Only each learner's newest response to a step counts, and
only its dimension scores and how many learners answered leave this module: never the
answers, never the user ids.
"""

from __future__ import annotations

import sqlalchemy as sa

from lms.assessment.models import SelfAssessmentResponse
from lms.extensions import db


def responder_counts(member_ids: sa.Select, step_ids: list[int]) -> dict[int, int]:
    """Per step, how many of these learners have answered it (each once, however often): one query."""
    if not step_ids:
        return {}
    rows = db.session.execute(
        sa.select(SelfAssessmentResponse.step_id, sa.func.count(sa.distinct(SelfAssessmentResponse.user_id)))
        .where(SelfAssessmentResponse.user_id.in_(member_ids), SelfAssessmentResponse.step_id.in_(step_ids))
        .group_by(SelfAssessmentResponse.step_id)
    ).all()
    return {step_id: count for step_id, count in rows}


def latest_scores(member_ids: sa.Select, step_ids: list[int]) -> dict[int, list[dict]]:
    """Per step, the dimension scores of each learner's newest response (one query)."""
    if not step_ids:
        return {}
    newest = (
        sa.select(sa.func.max(SelfAssessmentResponse.id).label("id"))
        .where(SelfAssessmentResponse.user_id.in_(member_ids), SelfAssessmentResponse.step_id.in_(step_ids))
        .group_by(SelfAssessmentResponse.user_id, SelfAssessmentResponse.step_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(SelfAssessmentResponse.step_id, SelfAssessmentResponse.scores).join(
            newest, newest.c.id == SelfAssessmentResponse.id
        )
    ).all()
    scores: dict[int, list[dict]] = {step_id: [] for step_id in step_ids}
    for step_id, row_scores in rows:
        scores[step_id].append(row_scores or {})
    return scores
