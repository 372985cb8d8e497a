"""self-assessment aggregates kept batch by batch

`assessment_aggregate_snapshots` holds each cohort's self-assessment figures as they stood
when five learners had answered, and again each time at least five more had. Pages show the
newest batch, never the responses, so one more answer changes nothing anyone can see. No
batches are written here: the first page to read a cohort's figures takes the batch that
the answers given so far make due.

Revision ID: bef3d3522ac7
Revises: d0e1f2a3b4c5
Create Date: 2026-12-05 12:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "bef3d3522ac7"
down_revision = "d0e1f2a3b4c5"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "assessment_aggregate_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.Integer(), nullable=False),
        sa.Column("batch", sa.Integer(), nullable=False),
        sa.Column("responses", sa.Integer(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohorts.id"],
            name=op.f("fk_assessment_aggregate_snapshots_cohort_id_cohorts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["step_id"], ["steps.id"], name=op.f("fk_assessment_aggregate_snapshots_step_id_steps")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_aggregate_snapshots")),
        sa.UniqueConstraint("cohort_id", "step_id", "batch", name=op.f("uq_assessment_aggregate_snapshots_cohort_id")),
    )
    op.create_index(
        op.f("ix_assessment_aggregate_snapshots_step_id"), "assessment_aggregate_snapshots", ["step_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_assessment_aggregate_snapshots_step_id"), table_name="assessment_aggregate_snapshots")
    op.drop_table("assessment_aggregate_snapshots")
