"""Welsh content

A course, module or step can have a version in another language (Welsh, from the `.cy.md`
file beside the English one): `course_translations`, `module_translations` and
`step_translations`, one row per (thing, language). The English stays on the courses,
modules and steps rows. `step_revisions.language` says which language a revision is in; each
language numbers its own revisions, so the unique key becomes (step_id, language, number).

Revision ID: b5d8f2c6e4a1
Revises: e2a9c4b7d1f3
Create Date: 2026-12-06 01:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b5d8f2c6e4a1"
down_revision = "e2a9c4b7d1f3"
branch_labels = None
depends_on = None


def _created_at():
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


def upgrade():
    op.create_table(
        "course_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("outcomes", sa.JSON(), nullable=False),
        sa.Column("educators", sa.JSON(), nullable=False),
        sa.Column("about_md", sa.Text(), nullable=False),
        sa.Column("about_html", sa.Text(), nullable=False),
        sa.Column("glossary", sa.JSON(), nullable=True),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"], name=op.f("fk_course_translations_course_id_courses"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_translations")),
        sa.UniqueConstraint("course_id", "language", name=op.f("uq_course_translations_course_id")),
    )
    op.create_index(op.f("ix_course_translations_course_id"), "course_translations", ["course_id"], unique=False)
    op.create_table(
        "module_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("activities", sa.JSON(), nullable=False),
        sa.Column("introduction_md", sa.Text(), nullable=False),
        sa.Column("introduction_html", sa.Text(), nullable=False),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["module_id"], ["modules.id"], name=op.f("fk_module_translations_module_id_modules"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_module_translations")),
        sa.UniqueConstraint("module_id", "language", name=op.f("uq_module_translations_module_id")),
    )
    op.create_index(op.f("ix_module_translations_module_id"), "module_translations", ["module_id"], unique=False)
    op.create_table(
        "step_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=True),
        sa.Column("video_url", sa.String(length=500), nullable=True),
        sa.Column("settings", sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("body_md", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), server_default="0", nullable=False),
        sa.Column("live_revision", sa.Integer(), server_default="0", nullable=False),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["step_id"], ["steps.id"], name=op.f("fk_step_translations_step_id_steps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_step_translations")),
        sa.UniqueConstraint("step_id", "language", name=op.f("uq_step_translations_step_id")),
    )
    op.create_index(op.f("ix_step_translations_step_id"), "step_translations", ["step_id"], unique=False)
    with op.batch_alter_table("step_revisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=5), server_default="en", nullable=False))
        batch_op.drop_constraint("uq_step_revisions_step_id", type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_step_revisions_step_id"), ["step_id", "language", "number"])


def downgrade():
    op.execute("DELETE FROM step_revisions WHERE language <> 'en'")
    with op.batch_alter_table("step_revisions", schema=None) as batch_op:
        batch_op.drop_constraint("uq_step_revisions_step_id", type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_step_revisions_step_id"), ["step_id", "number"])
        batch_op.drop_column("language")
    op.drop_index(op.f("ix_step_translations_step_id"), table_name="step_translations")
    op.drop_table("step_translations")
    op.drop_index(op.f("ix_module_translations_module_id"), table_name="module_translations")
    op.drop_table("module_translations")
    op.drop_index(op.f("ix_course_translations_course_id"), table_name="course_translations")
    op.drop_table("course_translations")
