"""email keys for lookalike addresses

`users.email_key` holds the address with lookalike characters made equal (a dotless `ı`
as `i`, a Cyrillic `а` as `a`, accents and case removed: `lms.accounts.names.email_skeleton`),
unique, so no two accounts can have addresses that cannot be told apart.

Existing accounts get their key here, oldest first. Should two existing addresses already
share a key, the newer account keeps a NULL key (its address still works; it just does not
block others), and the upgrade says which accounts, so an admin can look at them.

Revision ID: 636e747a13c0
Revises: ffe394f05d14
Create Date: 2026-12-05 00:50:00.000000

"""

import logging

import sqlalchemy as sa
from alembic import op

log = logging.getLogger("alembic.runtime.migration")

# revision identifiers, used by Alembic.
revision = "636e747a13c0"
down_revision = "ffe394f05d14"
branch_labels = None
depends_on = None


def upgrade():
    from lms.accounts.names import email_skeleton

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_key", sa.String(length=254), nullable=True))

    users = sa.table("users", sa.column("id", sa.Integer), sa.column("email", sa.String), sa.column("email_key"))
    connection = op.get_bind()
    seen: dict[str, int] = {}
    for user_id, email in connection.execute(sa.select(users.c.id, users.c.email).order_by(users.c.id)):
        key = email_skeleton(email)[:254]
        if key in seen:
            log.warning(
                "users %s and %s have addresses that look the same; %s keeps no key", seen[key], user_id, user_id
            )
            continue
        seen[key] = user_id
        connection.execute(sa.update(users).where(users.c.id == user_id).values(email_key=key))

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f("uq_users_email_key"), ["email_key"])


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_email_key"), type_="unique")
        batch_op.drop_column("email_key")
