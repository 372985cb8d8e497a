"""content version for the outline cache

Revision ID: f5a6b7c8d9e0
Revises: 1aeece954446
Create Date: 2026-11-23 12:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f5a6b7c8d9e0"
down_revision = "1aeece954446"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("courses", schema=None) as batch_op:
        # Goes up by one with every change to the course, its modules, activities or steps.
        batch_op.add_column(sa.Column("content_version", sa.Integer(), server_default="0", nullable=False))


def downgrade():
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.drop_column("content_version")
