"""Users choose their language

`users.language`: 'en' or 'cy' once the person has chosen (lms.i18n); null until then, when
the switch's cookie or the browser decides their pages, and their mail is in English.

Revision ID: e2a9c4b7d1f3
Revises: c7d1e2f3a4b5
Create Date: 2026-12-06 01:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e2a9c4b7d1f3"
down_revision = "c7d1e2f3a4b5"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("language", sa.String(length=5), nullable=True))


def downgrade():
    op.drop_column("users", "language")
