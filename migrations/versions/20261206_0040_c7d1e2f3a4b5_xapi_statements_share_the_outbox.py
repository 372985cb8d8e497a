"""xAPI statements share the outbox; learners choose whether self-assessment scores go with them

`outbox.dedupe_key`: a message that must be queued at most once (a learner opening a step is
told to the learning record store once a day): unique, null for everything else. A unique
index rather than a constraint, so SQLite needs no table rebuild.
`users.shares_assessment_scores`: off until the learner turns it on.

Revision ID: c7d1e2f3a4b5
Revises: a4c2e8f61d07
Create Date: 2026-12-06 00:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c7d1e2f3a4b5"
down_revision = "a4c2e8f61d07"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("outbox", sa.Column("dedupe_key", sa.String(length=120), nullable=True))
    op.create_index("uq_outbox_dedupe_key", "outbox", ["dedupe_key"], unique=True)
    op.create_index("ix_outbox_kind_status", "outbox", ["kind", "status"])
    op.add_column(
        "users", sa.Column("shares_assessment_scores", sa.Boolean(), server_default=sa.false(), nullable=False)
    )


def downgrade():
    op.drop_column("users", "shares_assessment_scores")
    op.drop_index("ix_outbox_kind_status", table_name="outbox")
    op.drop_index("uq_outbox_dedupe_key", table_name="outbox")
    op.drop_column("outbox", "dedupe_key")
