"""Answer sheets, kept as history: every self-assessment response and every quiz or test
attempt is its own row, with the answers and the scores as data (style.md: progress at
two grains; the step's completion lives in learning's StepProgress)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from lms.db import UTCDateTime, utcnow
from lms.extensions import db


class SelfAssessmentResponse(db.Model):
    """One time a learner took a self-assessment: their answers and dimension scores."""

    __tablename__ = "self_assessment_responses"
    __table_args__ = (
        sa.Index("ix_self_assessment_responses_history", "user_id", "step_id", "submitted_at"),
        # One response per sheet sent: a double click or a resend keeps one (lms.db.submission_of).
        sa.UniqueConstraint("user_id", "submission_key", name="uq_self_assessment_responses_user_submission"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    step_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("steps.id"), index=True)
    # "self" or "team": team answers describe the learner's team, for cohort aggregates.
    audience: so.Mapped[str] = so.mapped_column(sa.String(10), index=True)
    answers: so.Mapped[dict] = so.mapped_column(sa.JSON)  # statement id -> 1..5 as answered
    scores: so.Mapped[dict] = so.mapped_column(sa.JSON)  # dimension id -> score, rounded to 0.1
    submission_key: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    submitted_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow, index=True)


class QuizAttempt(db.Model):
    """One submitted quiz or test: the options chosen, which questions were right, the score."""

    __tablename__ = "quiz_attempts"
    # The number is unique per learner and step, so two tabs racing for a test's last
    # attempt cannot both be stored.
    __table_args__ = (
        sa.UniqueConstraint("user_id", "step_id", "number"),
        # One attempt per sheet sent: six sends of one form use one attempt (lms.db.submission_of).
        sa.UniqueConstraint("user_id", "submission_key", name="uq_quiz_attempts_user_submission"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    step_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("steps.id"), index=True)
    number: so.Mapped[int]  # 1 for the learner's first attempt at this step
    answers: so.Mapped[dict] = so.mapped_column(sa.JSON)  # question id -> option keys chosen
    results: so.Mapped[dict] = so.mapped_column(sa.JSON)  # question id -> answered right
    correct: so.Mapped[int]
    total: so.Mapped[int]
    score: so.Mapped[int]  # percent of questions right
    passed: so.Mapped[bool]  # reached the pass mark in force when it was submitted
    submission_key: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    submitted_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow, index=True)
