"""index for a thread's highlights

The step page shows a thread's highlighted comments above it. Without an index of its own
that query read every comment on the step to find the few highlighted (23,810 rows for
none, 17 ms, on the 1,000,000-comment data set of `make bench-scale`); this partial index
holds only highlighted comments, so it costs the same on any thread.

Revision ID: a7b8c9d0e1f2
Revises: f5a6b7c8d9e0
Create Date: 2026-11-23 15:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7b8c9d0e1f2'
down_revision = 'f5a6b7c8d9e0'
branch_labels = None
depends_on = None

HIGHLIGHTED = "highlighted_at IS NOT NULL"


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_highlighted', ['step_id', 'highlighted_at'], unique=False,
                              postgresql_where=sa.text(HIGHLIGHTED), sqlite_where=sa.text(HIGHLIGHTED))


def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_highlighted', postgresql_where=sa.text(HIGHLIGHTED),
                            sqlite_where=sa.text(HIGHLIGHTED))
