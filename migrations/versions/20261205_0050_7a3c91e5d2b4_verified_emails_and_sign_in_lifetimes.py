"""verified email addresses, and sign-ins that end (idle, and at a fixed time)

Every existing account is marked verified (it was made before verification existed, by a
person an admin or the course already trusts). Existing sign-ins are last seen when they
began, so one idle for longer than LMS_SESSION_IDLE_HOURS ends at once, and the rest end
within a working day.

Revision ID: 7a3c91e5d2b4
Revises: d4e5f6a7b8c9
Create Date: 2026-12-05 00:30:00.000000

"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7a3c91e5d2b4"
down_revision = "d4e5f6a7b8c9"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE users SET email_verified_at = created_at")

    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("user_agent", sa.String(length=200), server_default="", nullable=False))
    sessions = sa.table(
        "user_sessions",
        sa.column("last_seen_at", sa.DateTime(timezone=True)),
        sa.column("expires_at", sa.DateTime(timezone=True)),
    )
    op.execute("UPDATE user_sessions SET last_seen_at = created_at")
    op.execute(sessions.update().values(expires_at=datetime.now(UTC) + timedelta(hours=14)))
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.alter_column("last_seen_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.alter_column("expires_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.alter_column("user_agent", existing_type=sa.String(length=200), server_default=None)
        batch_op.create_index(batch_op.f("ix_user_sessions_expires_at"), ["expires_at"], unique=False)


def downgrade():
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_sessions_expires_at"))
        batch_op.drop_column("user_agent")
        batch_op.drop_column("expires_at")
        batch_op.drop_column("last_seen_at")

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("email_verified_at")
