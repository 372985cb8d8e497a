"""a test is complete only when passed: clear completions a failed attempt made

Until issue 18 any test attempt marked the test step complete, pass or fail. Now a test is
complete exactly when the learner has passed it (lms.learning.service COMPLETED_BY_PASSING),
so completions of a test step with no passing attempt are cleared: the step page, to-do list
and progress then say truthfully that it is still to do. Nothing else of the row changes.
(No page ever let a learner mark a test complete by hand, so no such mark is lost.)

Revision ID: e7f8a9b0c1d2
Revises: e5f6a7b8c9d0
Create Date: 2026-12-05 01:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e7f8a9b0c1d2"
down_revision = "e5f6a7b8c9d0"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        sa.text(
            """
            UPDATE step_progress SET completed_at = NULL
            WHERE completed_at IS NOT NULL
              AND step_id IN (SELECT id FROM steps WHERE type = 'test')
              AND NOT EXISTS (
                SELECT 1 FROM quiz_attempts
                WHERE quiz_attempts.user_id = step_progress.user_id
                  AND quiz_attempts.step_id = step_progress.step_id
                  AND quiz_attempts.passed = :passed
              )
            """
        ).bindparams(passed=True)
    )


def downgrade():
    pass  # which cleared completions a failed attempt had made is not kept: they stay cleared
