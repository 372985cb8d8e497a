"""page generations for whole pages kept per process

Every committed write through the app moves `page_generations.value` for scope 0 (the
site), or for the writer's own user id when the write is personal (their visits, progress,
reflections, bookmarks). Whole pages are kept per process under the numbers read before
they were rendered (lms.kept_pages), so a write makes a new key and a kept page is never
served after a write it could show.

Revision ID: b8c9d0e1f2a3
Revises: a7b8c9d0e1f2
Create Date: 2026-12-01 12:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b8c9d0e1f2a3"
down_revision = "a7b8c9d0e1f2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "page_generations",
        sa.Column("scope", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_page_generations")),
    )


def downgrade():
    op.drop_table("page_generations")
