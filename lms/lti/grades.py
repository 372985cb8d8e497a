"""Assignment and Grade Services: a person's best score on the final test, and whether they
have passed it (completed), go to the line item of each platform context they are in, when
either changes.

The change is written (lti_scores) in the transaction of the attempt, by a receiver of
assessment's `quiz_answered`; it is sent when the view has returned (a small step after the
commit, before the response goes) and, should the platform not take it, again by the hourly job with growing delays.
The mail outbox is not used: its delivery claims mail only, and its rows are mail-shaped.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import requests
import sqlalchemy as sa
from flask import after_this_request, has_request_context

from lms.accounts import external
from lms.accounts.models import IdentityKind
from lms.assessment import signals
from lms.cohorts import service as cohorts
from lms.db import utcnow
from lms.extensions import db
from lms.lti import platform_calls
from lms.lti.models import LtiContext, LtiPlatform, LtiScore
from lms.mail import service as mail

log = logging.getLogger(__name__)
RETRY_DELAYS = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=12))
_PENDING_SENDS = "lti_scores_to_send"


@signals.quiz_answered.connect
def queue_score(attempt, step, best: int, passed: bool, **_) -> None:
    """Note a changed final-test result for each context with a line item. Flushes."""
    if step.type != "test":
        return
    cohort_ids = [cohort.id for cohort, _role in cohorts.cohorts_of(attempt.user_id)]
    if not cohort_ids:
        return
    contexts = db.session.scalars(
        sa.select(LtiContext.id).where(LtiContext.cohort_id.in_(cohort_ids), LtiContext.lineitem_url.is_not(None))
    ).all()
    queued = False
    for context_id in contexts:
        row = db.session.scalar(
            sa.select(LtiScore).where(LtiScore.user_id == attempt.user_id, LtiScore.context_id == context_id)
        )
        if row is not None and (row.score, row.completed) == (best, passed):
            continue  # nothing the platform does not know already
        row = row or LtiScore(user_id=attempt.user_id, context_id=context_id)
        row.score, row.completed, row.pending, row.attempts, row.next_attempt_at = best, passed, True, 0, utcnow()
        db.session.add(row)
        queued = True
    db.session.flush()
    if queued and has_request_context():
        _send_after_response(attempt.user_id)


def _send_after_response(user_id: int) -> None:
    """Once the view has returned (the attempt committed), send this person's scores."""

    @after_this_request
    def send(response):
        send_due_scores(user_id=user_id)
        return response


def send_due_scores(user_id: int | None = None, now: datetime | None = None) -> int:
    """Send the scores waiting (one person's, or everyone's due); how many the platform took."""
    now = now or utcnow()
    query = sa.select(LtiScore).where(LtiScore.pending, LtiScore.next_attempt_at <= now)
    if user_id is not None:
        query = query.where(LtiScore.user_id == user_id)
    sent = 0
    for row in db.session.scalars(query.order_by(LtiScore.id).limit(200)).all():
        context = db.session.get(LtiContext, row.context_id)
        platform = db.session.get(LtiPlatform, context.platform_id)
        subject = external.subject_of(IdentityKind.LTI, platform.issuer, row.user_id)
        try:
            if subject is None:
                raise ValueError("the platform does not know this person")
            platform_calls.send_score(platform, context.lineitem_url, _score(row, subject, now))
        except (requests.RequestException, ValueError, KeyError) as error:
            row.attempts += 1
            row.last_error = f"{type(error).__name__}: {error}"[:500]
            if row.attempts > len(RETRY_DELAYS):
                row.pending = False  # given up; the next change queues it again
                log.warning("score %s for user %s not sent: %s", row.id, row.user_id, row.last_error)
            else:
                row.next_attempt_at = now + RETRY_DELAYS[row.attempts - 1]
        else:
            row.pending, row.sent_at, row.last_error = False, now, None
            sent += 1
        db.session.commit()
    return sent


def _score(row: LtiScore, subject: str, now: datetime) -> dict:
    return {
        "userId": subject,
        "scoreGiven": row.score,
        "scoreMaximum": 100,
        "activityProgress": "Completed" if row.completed else "InProgress",
        "gradingProgress": "FullyGraded",
        "timestamp": now.isoformat(),
    }


mail.every_hour("lti.send_scores", lambda now: send_due_scores(now=now))
