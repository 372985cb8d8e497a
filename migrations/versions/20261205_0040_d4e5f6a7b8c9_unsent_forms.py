"""unsent forms: text sent after its writer's sign-in had ended, kept until they sign in

A reflection, comment, reply or step edit sent from a page whose sign-in had ended (a
password changed elsewhere, "sign out" in another tab) is kept here for two hours, for its
writer and the browser it came from, and put back in its box after they sign in again
(lms.unsent).

Revision ID: d4e5f6a7b8c9
Revises: 3d70f06c7a46
Create Date: 2026-12-05 00:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d4e5f6a7b8c9"
down_revision = "3d70f06c7a46"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "unsent_forms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("browser", sa.String(length=64), nullable=False),
        sa.Column("page", sa.String(length=500), nullable=False),
        sa.Column("box", sa.String(length=40), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_unsent_forms_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unsent_forms")),
    )
    with op.batch_alter_table("unsent_forms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unsent_forms_browser"), ["browser"], unique=False)
        batch_op.create_index(batch_op.f("ix_unsent_forms_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_unsent_forms_user_id"), ["user_id"], unique=False)


def downgrade():
    op.drop_table("unsent_forms")
