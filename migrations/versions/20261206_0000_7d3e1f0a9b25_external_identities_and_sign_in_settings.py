"""external identities (single sign-on and LTI) and the admin's sign-in settings

A person as another system knows them (its issuer and subject id) is linked to one account;
the sign-in settings hold whether single sign-on may link by verified email, and whether
only admins may still sign in with a password.

Revision ID: 7d3e1f0a9b25
Revises: b41d9e6a0c27
Create Date: 2026-12-06 00:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7d3e1f0a9b25"
down_revision = "b41d9e6a0c27"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sign_in_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("link_by_verified_email", sa.Boolean(), nullable=False),
        sa.Column("passwords_for_admins_only", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_settings")),
    )
    op.create_table(
        "external_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("oidc", "lti", name="identitykind", native_enum=False, length=10), nullable=False),
        sa.Column("issuer", sa.String(length=255), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_external_identities_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_external_identities")),
        sa.UniqueConstraint("kind", "issuer", "subject", name=op.f("uq_external_identities_kind")),
    )
    op.create_index(op.f("ix_external_identities_user_id"), "external_identities", ["user_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_external_identities_user_id"), table_name="external_identities")
    op.drop_table("external_identities")
    op.drop_table("sign_in_settings")
