"""pictures kept with the course's modules, and the course's glossary

Images are stored in the database, as the rest of the course is, so every server sharing it
serves the same ones; pages address them by content hash. The glossary is kept on the
course row as JSON (its terms, Markdown and rendered HTML), read with the outline.

Revision ID: c3a1f0e7d2b9
Revises: b41d9e6a0c27
Create Date: 2026-12-06 00:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c3a1f0e7d2b9"
down_revision = "b41d9e6a0c27"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "content_assets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("media_type", sa.String(length=50), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["module_id"], ["modules.id"], name=op.f("fk_content_assets_module_id_modules"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_assets")),
        sa.UniqueConstraint("module_id", "name", name=op.f("uq_content_assets_module_id")),
    )
    op.create_index(op.f("ix_content_assets_module_id"), "content_assets", ["module_id"], unique=False)
    op.create_index(op.f("ix_content_assets_sha256"), "content_assets", ["sha256"], unique=False)
    op.add_column("courses", sa.Column("glossary", sa.JSON(), nullable=True))


def downgrade():
    op.drop_column("courses", "glossary")
    op.drop_index(op.f("ix_content_assets_sha256"), table_name="content_assets")
    op.drop_index(op.f("ix_content_assets_module_id"), table_name="content_assets")
    op.drop_table("content_assets")
