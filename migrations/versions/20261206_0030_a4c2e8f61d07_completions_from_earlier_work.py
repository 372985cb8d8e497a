"""complete the steps that earlier posts and answers complete under today's rule

Posting on a discussion step, and sending a quiz's or self-assessment's answers, complete the
step (lms.learning.service COMPLETED_BY_POSTING and COMPLETED_BY_SUBMISSION). Work done before
that rule left those steps open, so progress and the cohort's drop-off chart said "not
completed" of learners who had posted. Each such step is marked complete at the time of the
learner's first post or answers. (Reflections are left: a draft kept as the learner typed is
stored like a saved one, and only saving completes the step. Tests were settled earlier.)

Revision ID: a4c2e8f61d07
Revises: 7d3e1f0a9b25
Create Date: 2026-12-06 00:30:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "a4c2e8f61d07"
down_revision = "7d3e1f0a9b25"
branch_labels = None
depends_on = None

# (user, step, when first done) for every learner's post or answers on a step they complete.
EARLIER_WORK = """
    SELECT work.user_id, work.step_id, MIN(work.done_at) AS done_at FROM (
        SELECT comments.author_id AS user_id, comments.step_id, comments.created_at AS done_at
        FROM comments JOIN steps ON steps.id = comments.step_id
        WHERE steps.type = 'discussion' AND comments.author_id IS NOT NULL
        UNION ALL
        SELECT quiz_attempts.user_id, quiz_attempts.step_id, quiz_attempts.submitted_at
        FROM quiz_attempts JOIN steps ON steps.id = quiz_attempts.step_id
        WHERE steps.type = 'quiz'
        UNION ALL
        SELECT self_assessment_responses.user_id, self_assessment_responses.step_id,
               self_assessment_responses.submitted_at
        FROM self_assessment_responses JOIN steps ON steps.id = self_assessment_responses.step_id
        WHERE steps.type = 'self-assessment'
    ) AS work
    WHERE EXISTS (SELECT 1 FROM enrolments WHERE enrolments.user_id = work.user_id)
    GROUP BY work.user_id, work.step_id
"""


def upgrade():
    op.execute(
        f"""
        UPDATE step_progress SET completed_at = (
            SELECT done.done_at FROM ({EARLIER_WORK}) AS done
            WHERE done.user_id = step_progress.user_id AND done.step_id = step_progress.step_id
        )
        WHERE completed_at IS NULL AND EXISTS (
            SELECT 1 FROM ({EARLIER_WORK}) AS done
            WHERE done.user_id = step_progress.user_id AND done.step_id = step_progress.step_id
        )
        """
    )
    op.execute(
        f"""
        INSERT INTO step_progress (user_id, step_id, first_visited_at, last_visited_at, completed_at)
        SELECT done.user_id, done.step_id, done.done_at, done.done_at, done.done_at
        FROM ({EARLIER_WORK}) AS done
        WHERE NOT EXISTS (
            SELECT 1 FROM step_progress
            WHERE step_progress.user_id = done.user_id AND step_progress.step_id = done.step_id
        )
        """
    )


def downgrade():
    pass  # which completions this made is not kept; they are true under the rule either way
