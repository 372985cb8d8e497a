"""Which learner actions become statements: receivers of the learner features' signals, each
queuing its statement in the action's own transaction (one INSERT; none when xAPI is off)."""

from __future__ import annotations

from lms.accounts.models import User
from lms.assessment.signals import quiz_answered, self_assessment_taken
from lms.certificates.signals import certificate_issued
from lms.comments.signals import comment_posted
from lms.db import utcnow
from lms.extensions import db
from lms.learning.signals import course_joined, step_completed, step_opened
from lms.mail.links import external_url
from lms.xapi import service
from lms.xapi.statements import quiz_result


@course_joined.connect
def _registered(course_id, user_ids):
    for user_id in user_ids:
        service.record("registered", user_id, {"course": course_id})


@step_opened.connect
def _experienced(step_id, user_id):
    # At most once a day per learner and step: the outbox's unique key says so in the INSERT.
    day = utcnow().date().isoformat()
    service.record("experienced", user_id, {"step": step_id}, dedupe_key=f"xapi:experienced:{user_id}:{step_id}:{day}")


@step_completed.connect
def _completed(step_id, user_id):
    service.record("completed", user_id, {"step": step_id}, result={"completion": True})


@quiz_answered.connect
def _answered(attempt, step, completed, **_):
    is_test = step.type == "test"
    result = quiz_result(attempt.correct, attempt.total, attempt.passed)
    service.record("answered", attempt.user_id, {"step": step.id}, result=result)
    if is_test:
        service.record("passed" if attempt.passed else "failed", attempt.user_id, {"step": step.id}, result=result)
    if completed:
        service.record("completed", attempt.user_id, {"step": step.id}, result={"completion": True})


@self_assessment_taken.connect
def _self_assessed(response):
    # The scores go only if the learner shares them now, and still does when it is sent.
    learner = db.session.get(User, response.user_id)  # the signed-in user: in the session already
    scores = {key: float(value) for key, value in response.scores.items()}
    shared = {"dimension_scores": scores} if learner is not None and learner.shares_assessment_scores else {}
    service.record("completed", response.user_id, {"step": response.step_id}, result={"completion": True}, **shared)


@comment_posted.connect
def _commented(comment, parent):
    service.record("commented", comment.author_id, {"step": comment.step_id})  # never the text


@certificate_issued.connect
def _earned(certificate):
    verify = external_url("certificates.verify", code=certificate.code) if service.is_on() else None
    service.record(
        "earned",
        certificate.user_id,
        {"course": certificate.course_id},
        result={"completion": True},
        certificate=verify,
    )
