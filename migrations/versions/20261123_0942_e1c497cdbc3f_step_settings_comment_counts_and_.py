"""step settings, comment counts and profile bios

Revision ID: e1c497cdbc3f
Revises: 30362b8c1e2e
Create Date: 2026-11-23 09:42:22.443830

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e1c497cdbc3f"
down_revision = "30362b8c1e2e"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("steps", schema=None) as batch_op:
        # Existing steps have no type-specific settings: an empty mapping.
        batch_op.add_column(sa.Column("settings", sa.JSON(), server_default=sa.text("'{}'"), nullable=False))
        batch_op.add_column(sa.Column("comment_count", sa.Integer(), server_default="0", nullable=False))

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bio", sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("bio")

    with op.batch_alter_table("steps", schema=None) as batch_op:
        batch_op.drop_column("comment_count")
        batch_op.drop_column("settings")
