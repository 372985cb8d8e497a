"""email preferences (kinds, digest hour, quiet hours, the digest's period) and notifications mailed at once

Revision ID: ffe394f05d14
Revises: 7a3c91e5d2b4
Create Date: 2026-12-05 12:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "ffe394f05d14"
down_revision = "7a3c91e5d2b4"
branch_labels = None
depends_on = None

CHOICES = {
    "replies": "now",
    "likes": "digest",
    "followed": "digest",
    "moderation": "now",
    "reports": "digest",
    "unanswered": "digest",
}


def upgrade():
    op.create_table(
        "email_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        *(
            sa.Column(name, sa.String(length=10), server_default=value, nullable=False)
            for name, value in CHOICES.items()
        ),
        sa.Column("time_zone", sa.String(length=40), server_default="Europe/London", nullable=False),
        sa.Column("digest_hour", sa.Integer(), server_default="8", nullable=False),
        sa.Column("quiet_from", sa.Integer(), nullable=True),
        sa.Column("quiet_until", sa.Integer(), nullable=True),
        sa.Column("digest_from", sa.DateTime(timezone=True), nullable=True),
        sa.Column("digest_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_email_preferences_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_email_preferences")),
    )
    op.create_index("ix_email_preferences_digest", "email_preferences", ["time_zone", "digest_hour", "digest_until"])
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("notifications") as batch:
        batch.drop_column("emailed_at")
    op.drop_table("email_preferences")
