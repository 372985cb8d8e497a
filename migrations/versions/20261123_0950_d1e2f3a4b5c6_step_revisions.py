"""step revisions

Revision ID: d1e2f3a4b5c6
Revises: c0f1d2e3a4b5
Create Date: 2026-11-23 09:50:14.987559

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d1e2f3a4b5c6"
down_revision = "c0f1d2e3a4b5"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "step_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("activity_slug", sa.String(length=100), nullable=False),
        sa.Column("duration", sa.Integer(), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=True),
        sa.Column("video_url", sa.String(length=500), nullable=True),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("body_md", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_step_revisions_author_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["step_id"], ["steps.id"], name=op.f("fk_step_revisions_step_id_steps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_step_revisions")),
        sa.UniqueConstraint("step_id", "number", name=op.f("uq_step_revisions_step_id")),
    )
    with op.batch_alter_table("step_revisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_step_revisions_author_id"), ["author_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_step_revisions_step_id"), ["step_id"], unique=False)

    with op.batch_alter_table("steps", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("live_revision", sa.Integer(), server_default="0", nullable=False))


def downgrade():
    with op.batch_alter_table("steps", schema=None) as batch_op:
        batch_op.drop_column("live_revision")
        batch_op.drop_column("revision")

    with op.batch_alter_table("step_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_step_revisions_step_id"))
        batch_op.drop_index(batch_op.f("ix_step_revisions_author_id"))

    op.drop_table("step_revisions")
