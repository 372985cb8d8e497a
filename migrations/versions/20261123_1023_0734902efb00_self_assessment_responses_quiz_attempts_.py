"""self-assessment responses, quiz attempts and certificates

Every answer sheet is kept as history (answers and scores as JSON); a certificate copies
what it states when claimed, and its verification code is unique.

Revision ID: 0734902efb00
Revises: e3f4a5b6c7d8
Create Date: 2026-11-23 10:23:56.408136

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0734902efb00"
down_revision = "e3f4a5b6c7d8"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=19), nullable=False),
        sa.Column("learner_name", sa.String(length=80), nullable=False),
        sa.Column("course_title", sa.String(length=200), nullable=False),
        sa.Column("hours", sa.Double(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["course_id"], ["courses.id"], name=op.f("fk_certificates_course_id_courses")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_certificates_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("code", name=op.f("uq_certificates_code")),
        sa.UniqueConstraint("user_id", "course_id", name=op.f("uq_certificates_user_id")),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificates_course_id"), ["course_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_certificates_user_id"), ["user_id"], unique=False)

    op.create_table(
        "quiz_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["step_id"], ["steps.id"], name=op.f("fk_quiz_attempts_step_id_steps")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_quiz_attempts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_attempts")),
        sa.UniqueConstraint("user_id", "step_id", "number", name=op.f("uq_quiz_attempts_user_id")),
    )
    with op.batch_alter_table("quiz_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quiz_attempts_step_id"), ["step_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_quiz_attempts_submitted_at"), ["submitted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_quiz_attempts_user_id"), ["user_id"], unique=False)

    op.create_table(
        "self_assessment_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.Integer(), nullable=False),
        sa.Column("audience", sa.String(length=10), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["step_id"], ["steps.id"], name=op.f("fk_self_assessment_responses_step_id_steps")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_self_assessment_responses_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_assessment_responses")),
    )
    with op.batch_alter_table("self_assessment_responses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_self_assessment_responses_audience"), ["audience"], unique=False)
        batch_op.create_index(
            "ix_self_assessment_responses_history", ["user_id", "step_id", "submitted_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_self_assessment_responses_step_id"), ["step_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_self_assessment_responses_submitted_at"), ["submitted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_self_assessment_responses_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("self_assessment_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_self_assessment_responses_user_id"))
        batch_op.drop_index(batch_op.f("ix_self_assessment_responses_submitted_at"))
        batch_op.drop_index(batch_op.f("ix_self_assessment_responses_step_id"))
        batch_op.drop_index("ix_self_assessment_responses_history")
        batch_op.drop_index(batch_op.f("ix_self_assessment_responses_audience"))

    op.drop_table("self_assessment_responses")
    with op.batch_alter_table("quiz_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quiz_attempts_user_id"))
        batch_op.drop_index(batch_op.f("ix_quiz_attempts_submitted_at"))
        batch_op.drop_index(batch_op.f("ix_quiz_attempts_step_id"))

    op.drop_table("quiz_attempts")
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificates_user_id"))
        batch_op.drop_index(batch_op.f("ix_certificates_course_id"))

    op.drop_table("certificates")
