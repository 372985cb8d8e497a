"""Put the demo's rows at believable moments in the past.

The services stamp everything "now"; a living course has people who joined weeks ago,
finished last week or stopped coming a month ago. So once the world is built with the
services, this moves its timestamps back: each learner's steps spread evenly between the
day they joined and the day they were last active, their answers and comments at the
moments they reached those steps, replies a few hours after what they answer. Only rows
belonging to demo people are touched.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from lms.accounts.models import User
from lms.assessment.models import QuizAttempt, SelfAssessmentResponse
from lms.certificates.models import Certificate
from lms.cohorts.models import CohortMember
from lms.comments.models import Comment, CommentLike, Report
from lms.content.outline import StepSummary
from lms.db import utcnow
from lms.demo.people import Journey
from lms.extensions import db
from lms.learning.models import Enrolment, StepProgress
from lms.notifications.models import Notification
from lms.reflection.models import Reflection

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
LATEST = timedelta(minutes=5)  # nothing is dated later than this before the demo was made


class Timeline:
    """When each demo event happened, worked out as the world is built, then written at once."""

    def __init__(self, now: datetime | None = None):
        self.now = now or utcnow()
        self.visits: dict[tuple[int, int], datetime] = {}  # (user id, step id) -> when
        self.learners: list[tuple[Journey, int, list[StepSummary]]] = []
        self.comments: dict[int, datetime] = {}
        self.likes: dict[int, list[tuple[int, int]]] = {}  # comment id -> (who liked it, its step), in order
        self.marks: list[tuple[int, datetime]] = []  # (comment id, when a facilitator highlighted it)
        self.reported: list[tuple[int, datetime]] = []

    def days_ago(self, days: float) -> datetime:
        return self.now - timedelta(days=days)

    def learner(self, journey: Journey, user_id: int, visited: list[StepSummary]) -> None:
        """Spread the learner's visits evenly from joining to last active, in course order."""
        start, end = self.days_ago(journey.joined_days), self.days_ago(journey.last_days)
        gaps = max(len(visited) - 1, 1)
        for index, step in enumerate(visited):
            self.visits[(user_id, step.id)] = start + (end - start) * (index / gaps)
        self.learners.append((journey, user_id, visited))

    def visit(self, user_id: int, step_id: int) -> datetime | None:
        return self.visits.get((user_id, step_id))

    def thread(self, moments: list[datetime]) -> list[datetime]:
        """A thread's moments, moved back together if its last would be in the future."""
        late = max(moments) - (self.now - LATEST)
        return [m - late for m in moments] if late > timedelta(0) else moments

    def later(self, moment: datetime, hours: float) -> datetime:
        return min(moment + hours * HOUR, self.now - LATEST)

    def write(self) -> None:
        """Move every demo row to its moment (a few statements per learner and per comment)."""
        for journey, user_id, visited in self.learners:
            self._write_learner(journey, user_id, visited)
        for comment_id, when in self.comments.items():
            self._write_comment(comment_id, when)
        for comment_id, when in self.marks:
            db.session.execute(sa.update(Comment).where(Comment.id == comment_id).values(highlighted_at=when))
            _notified(comment_id, ("highlighted",), when)
        for comment_id, when in self.reported:
            db.session.execute(sa.update(Comment).where(Comment.id == comment_id).values(flagged_at=when))
            db.session.execute(sa.update(Report).where(Report.comment_id == comment_id).values(created_at=when))
        db.session.commit()

    def _write_learner(self, journey: Journey, user_id: int, visited: list[StepSummary]) -> None:
        joined, last = self.days_ago(journey.joined_days), self.days_ago(journey.last_days)
        db.session.execute(sa.update(User).where(User.id == user_id).values(created_at=joined - HOUR))
        db.session.execute(sa.update(Enrolment).where(Enrolment.user_id == user_id).values(joined_at=joined))
        db.session.execute(sa.update(CohortMember).where(CohortMember.user_id == user_id).values(created_at=joined))
        when = {step.id: self.visits[(user_id, step.id)] for step in visited}
        db.session.execute(_MOVE_VISIT, [{"user": user_id, "step": s, "when": w} for s, w in when.items()])
        attempts = db.session.scalars(sa.select(QuizAttempt).where(QuizAttempt.user_id == user_id)).all()
        tries = {a.step_id: max(b.number for b in attempts if b.step_id == a.step_id) for a in attempts}
        for attempt in attempts:  # earlier attempts a day apart, before the last
            attempt.submitted_at = when[attempt.step_id] - (tries[attempt.step_id] - attempt.number) * DAY
        responses = db.session.scalars(
            sa.select(SelfAssessmentResponse)
            .where(SelfAssessmentResponse.user_id == user_id)
            .order_by(SelfAssessmentResponse.id)
        ).all()
        seen: set[int] = set()
        for response in responses:  # a retake: on their last day
            response.submitted_at = last if response.step_id in seen else when[response.step_id]
            seen.add(response.step_id)
        db.session.execute(sa.update(Certificate).where(Certificate.user_id == user_id).values(issued_at=last))
        for written in db.session.scalars(sa.select(Reflection).where(Reflection.user_id == user_id)):
            written.created_at = written.updated_at = when.get(written.step_id, last)

    def _write_comment(self, comment_id: int, when: datetime) -> None:
        db.session.execute(sa.update(Comment).where(Comment.id == comment_id).values(created_at=when))
        _notified(comment_id, ("reply", "followed"), when)
        for index, (user_id, step_id) in enumerate(self.likes.get(comment_id, ())):
            # Once both the comment and the liker had got there, the likes a few hours apart.
            liked = self.later(max(when, self.visit(user_id, step_id) or when), 2 + 3 * index)
            db.session.execute(
                sa.update(CommentLike)
                .where(CommentLike.comment_id == comment_id, CommentLike.user_id == user_id)
                .values(created_at=liked)
            )
            _notified(comment_id, ("like",), liked, Notification.actor_id == user_id)


_PROGRESS = StepProgress.__table__
# One statement for all of a learner's steps (executemany): a completed step was completed on its visit.
_MOVE_VISIT = (
    _PROGRESS.update()
    .where(_PROGRESS.c.user_id == sa.bindparam("user"), _PROGRESS.c.step_id == sa.bindparam("step"))
    .values(
        first_visited_at=sa.bindparam("when"),
        last_visited_at=sa.bindparam("when"),
        completed_at=sa.case((_PROGRESS.c.completed_at.is_(None), None), else_=sa.bindparam("when")),
    )
)


def _notified(comment_id: int, kinds: tuple[str, ...], when: datetime, *where) -> None:
    db.session.execute(
        sa.update(Notification)
        .where(Notification.comment_id == comment_id, Notification.kind.in_(kinds), *where)
        .values(created_at=when)
    )
