"""comments keep whether their author was an educator (facilitator or admin) when they wrote

The badge then says what the author was at the time: promoting a learner no longer badges
their old comments. Existing comments take their author's current role, the best there is.
A plain ADD COLUMN (not a batch rebuild), so SQLite keeps the comments table's triggers.

Revision ID: b41d9e6a0c27
Revises: 5e8b2c4d7f91
Create Date: 2026-12-06 00:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b41d9e6a0c27"
down_revision = "5e8b2c4d7f91"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("comments", sa.Column("educator", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute(
        sa.text(
            "UPDATE comments SET educator = :yes WHERE author_id IN "
            "(SELECT id FROM users WHERE role IN ('facilitator', 'admin'))"
        ).bindparams(yes=True)
    )


def downgrade():
    op.drop_column("comments", "educator")
