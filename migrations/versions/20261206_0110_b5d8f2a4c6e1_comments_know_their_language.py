"""Comments know their language

`comments.language`: 'en' or 'cy', chosen by the author when posting (by default the page's
language) and changeable when editing. Comments are never translated: the language sets the
`lang` of the comment's text, so a screen reader reads it in the right voice. Comments
written before this are English. A plain ADD COLUMN (not a batch rebuild), so SQLite keeps
the comments table's triggers.

Revision ID: b5d8f2a4c6e1
Revises: e2a9c4b7d1f3
Create Date: 2026-12-06 01:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b5d8f2a4c6e1"
down_revision = "e2a9c4b7d1f3"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("comments", sa.Column("language", sa.String(length=5), server_default="en", nullable=False))


def downgrade():
    op.drop_column("comments", "language")
