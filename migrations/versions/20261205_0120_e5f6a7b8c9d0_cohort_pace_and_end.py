"""cohort pace and end: weekly cohorts open a module a week; an optional end date

A cohort is self-paced (every module open from the start, as before) or weekly (module N
opens at the start of week N, counted from the start date). After its optional end date its
learners' discussions are read-only. Existing cohorts become self-paced with no end.

Revision ID: e5f6a7b8c9d0
Revises: 636e747a13c0
Create Date: 2026-12-06 09:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e5f6a7b8c9d0"
down_revision = "636e747a13c0"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "pace",
                sa.Enum("self-paced", "weekly", name="pace", native_enum=False, length=20),
                server_default="self-paced",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("ends_on", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.drop_column("ends_on")
        batch_op.drop_column("pace")
