"""hide reasons are the report reasons: comments hidden as "off topic or advertising" keep those words

The hide form now offers the reasons a learner reports with (lms.comments.rules.REASONS), so
the old hide reason "off-topic" ("It is off topic or advertising") has no code of its own. A
comment hidden for it becomes "other" with those words at the start of the facilitator's
note, so its author still reads what the facilitator chose. The other old hide reasons
(unkind, confidential, other) keep their codes and read in the new words.

Revision ID: c7d1e3f5a9b2
Revises: c3a1f0e7d2b9
Create Date: 2026-12-06 00:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c7d1e3f5a9b2"
down_revision = "c3a1f0e7d2b9"
branch_labels = None
depends_on = None

WORDS = "It is off topic or advertising"


def upgrade():
    op.execute(
        sa.text(
            "UPDATE comments SET hidden_reason = 'other', hidden_note = CASE "
            "WHEN hidden_note IS NULL OR hidden_note = '' THEN :words "
            "ELSE substr(:words || '. ' || hidden_note, 1, 1000) END "
            "WHERE hidden_reason = 'off-topic'"
        ).bindparams(words=WORDS)
    )


def downgrade():
    pass  # which "other" comments were "off-topic" is not kept; "other" is a reason both versions know
