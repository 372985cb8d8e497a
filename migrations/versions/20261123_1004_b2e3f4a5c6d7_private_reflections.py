"""private reflections

Revision ID: b2e3f4a5c6d7
Revises: a0d1e7b2c3f4
Create Date: 2026-11-23 10:04:56.747354

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b2e3f4a5c6d7"
down_revision = "a0d1e7b2c3f4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reflections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.Integer(), nullable=False),
        sa.Column("body_md", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("sections_md", sa.JSON(), nullable=False),
        sa.Column("sections_html", sa.JSON(), nullable=False),
        sa.Column("in_record", sa.Boolean(), nullable=False),
        sa.Column("saved", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["step_id"], ["steps.id"], name=op.f("fk_reflections_step_id_steps")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_reflections_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reflections")),
        sa.UniqueConstraint("user_id", "step_id", name=op.f("uq_reflections_user_id")),
    )
    with op.batch_alter_table("reflections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reflections_step_id"), ["step_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reflections_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_reflections_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("reflections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reflections_user_id"))
        batch_op.drop_index(batch_op.f("ix_reflections_updated_at"))
        batch_op.drop_index(batch_op.f("ix_reflections_step_id"))

    op.drop_table("reflections")
