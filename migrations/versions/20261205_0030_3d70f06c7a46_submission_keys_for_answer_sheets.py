"""submission keys for answer sheets; one open report per person and comment

A sheet sent twice (a double click, a browser's resend, six at once) is kept once: quiz and
test attempts and self-assessment responses carry the submission key of the form they came
from, unique per learner, as comments do. A learner's open report of a comment is unique, so
a report sent twice is one; of duplicates already open, the first is kept and the later deleted.

Revision ID: 3d70f06c7a46
Revises: bef3d3522ac7
Create Date: 2026-12-04 23:47:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3d70f06c7a46"
down_revision = "bef3d3522ac7"
branch_labels = None
depends_on = None

KEYED = {
    "quiz_attempts": "uq_quiz_attempts_user_submission",
    "self_assessment_responses": "uq_self_assessment_responses_user_submission",
}
OPEN = "resolved_at IS NULL"


def upgrade():
    for table, constraint in KEYED.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("submission_key", sa.String(length=40), nullable=True))
            batch_op.create_unique_constraint(constraint, ["user_id", "submission_key"])
    # Reports sent twice before this: keep the first of each person's open reports of a comment.
    op.execute(
        "DELETE FROM comment_reports WHERE resolved_at IS NULL AND reporter_id IS NOT NULL AND EXISTS ("
        "SELECT 1 FROM comment_reports AS earlier WHERE earlier.comment_id = comment_reports.comment_id"
        " AND earlier.reporter_id = comment_reports.reporter_id AND earlier.resolved_at IS NULL"
        " AND earlier.id < comment_reports.id)"
    )
    op.create_index(
        "uq_comment_reports_open_reporter",
        "comment_reports",
        ["comment_id", "reporter_id"],
        unique=True,
        postgresql_where=sa.text(OPEN),
        sqlite_where=sa.text(OPEN),
    )


def downgrade():
    op.drop_index("uq_comment_reports_open_reporter", table_name="comment_reports")
    for table, constraint in KEYED.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(constraint, type_="unique")
            batch_op.drop_column("submission_key")
