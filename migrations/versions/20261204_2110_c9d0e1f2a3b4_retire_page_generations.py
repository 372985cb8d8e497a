"""retire page generations; thread versions that never come round again

`page_generations` held one row that every committed write updated, so every writer in
every server queued on its lock; the whole-page cache it served is gone.

A thread's version now takes a value that no transaction has used before (a sequence on
PostgreSQL, which a rollback does not give back; a random 64-bit number on SQLite) instead
of adding one. A page of a thread kept under a version read inside a transaction that then
rolled back can therefore never match a later version, so a process may keep what it read
without first asking whether its transaction wrote.

Revision ID: c9d0e1f2a3b4
Revises: b8c9d0e1f2a3
Create Date: 2026-12-04 21:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c9d0e1f2a3b4"
down_revision = "b8c9d0e1f2a3"
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = {  # name: (event, the row whose step moves)
    "comments_thread_version_insert": ("INSERT", "NEW"),
    "comments_thread_version_update": ("UPDATE", "NEW"),
    "comments_thread_version_delete": ("DELETE", "OLD"),
}
POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION comments_move_thread_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE steps SET thread_version = {next} WHERE id = OLD.step_id;
  ELSE
    UPDATE steps SET thread_version = {next} WHERE id = NEW.step_id;
  END IF;
  RETURN NULL;
END $$
"""


def _sqlite_triggers(next_value: str) -> None:
    for name, (event, row) in SQLITE_TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON comments BEGIN "
            f"UPDATE steps SET thread_version = {next_value} WHERE id = {row}.step_id; END"
        )


def upgrade():
    op.drop_table("page_generations")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE steps ALTER COLUMN thread_version TYPE BIGINT")
        # Past every version in use, so no step's next version can equal the one it has.
        op.execute("CREATE SEQUENCE thread_versions")
        op.execute("SELECT setval('thread_versions', (SELECT coalesce(max(thread_version), 0) + 1 FROM steps))")
        op.execute(POSTGRESQL_FUNCTION.format(next="nextval('thread_versions')"))
    else:
        _sqlite_triggers("random()")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_FUNCTION.format(next="thread_version + 1"))
        op.execute("ALTER TABLE steps ALTER COLUMN thread_version TYPE INTEGER")
        op.execute("DROP SEQUENCE thread_versions")
    else:
        _sqlite_triggers("thread_version + 1")
    op.create_table(
        "page_generations",
        sa.Column("scope", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_page_generations")),
    )
