"""the audit log keeps who did each action by their name at the time

Existing entries get their actor's current name, the best there is ("System" when there
was no actor, or the account has gone).

Revision ID: 5e8b2c4d7f91
Revises: e7f8a9b0c1d2
Create Date: 2026-12-06 00:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5e8b2c4d7f91"
down_revision = "e7f8a9b0c1d2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor_label", sa.String(length=200), server_default="", nullable=False))
        batch_op.create_index(batch_op.f("ix_audit_log_actor_label"), ["actor_label"], unique=False)
    op.execute(
        "UPDATE audit_log SET actor_label = COALESCE("
        "(SELECT users.display_name FROM users WHERE users.id = audit_log.actor_id), 'System')"
    )


def downgrade():
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_actor_label"))
        batch_op.drop_column("actor_label")
