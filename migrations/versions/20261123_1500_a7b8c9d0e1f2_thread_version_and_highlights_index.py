"""thread version and an index for a thread's highlights

`steps.thread_version` goes up with every insert, update or delete of a comment on the
step, whoever makes it: the app, a cascade, an account's deletion (which clears the
author), or SQL typed by hand. Triggers keep it, so it cannot be forgotten by a new code
path. Each process keeps the first pages of a thread under that number
(lms.comments.snapshots) and reads them again only when it moves.

SQLite drops a table's triggers when a batch migration rebuilds it: a later migration that
rebuilds `comments` must create them again (tests/web/test_thread_snapshots.py would fail).

The step page shows a thread's highlighted comments above it. Without an index of its own
that query read every comment on the step to find the few highlighted (23,810 rows for
none, 17 ms, on the 1,000,000-comment data set of `make bench-scale`); the partial index
holds only highlighted comments, so it costs the same on any thread.

Revision ID: a7b8c9d0e1f2
Revises: f5a6b7c8d9e0
Create Date: 2026-11-23 15:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a7b8c9d0e1f2"
down_revision = "f5a6b7c8d9e0"
branch_labels = None
depends_on = None

HIGHLIGHTED = "highlighted_at IS NOT NULL"
SQLITE_TRIGGERS = {  # name: (event, the row whose step moves)
    "comments_thread_version_insert": ("INSERT", "NEW"),
    "comments_thread_version_update": ("UPDATE", "NEW"),
    "comments_thread_version_delete": ("DELETE", "OLD"),
}
POSTGRESQL_FUNCTION = """
CREATE FUNCTION comments_move_thread_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE steps SET thread_version = thread_version + 1 WHERE id = OLD.step_id;
  ELSE
    UPDATE steps SET thread_version = thread_version + 1 WHERE id = NEW.step_id;
  END IF;
  RETURN NULL;
END $$
"""


def upgrade():
    with op.batch_alter_table("steps", schema=None) as batch_op:
        batch_op.add_column(sa.Column("thread_version", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_comments_highlighted",
            ["step_id", "highlighted_at"],
            unique=False,
            postgresql_where=sa.text(HIGHLIGHTED),
            sqlite_where=sa.text(HIGHLIGHTED),
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_FUNCTION)
        op.execute(
            "CREATE TRIGGER comments_thread_version AFTER INSERT OR UPDATE OR DELETE ON comments "
            "FOR EACH ROW EXECUTE FUNCTION comments_move_thread_version()"
        )
    else:
        for name, (event, row) in SQLITE_TRIGGERS.items():
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON comments BEGIN "
                f"UPDATE steps SET thread_version = thread_version + 1 WHERE id = {row}.step_id; END"
            )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER comments_thread_version ON comments")
        op.execute("DROP FUNCTION comments_move_thread_version()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_comments_highlighted", postgresql_where=sa.text(HIGHLIGHTED), sqlite_where=sa.text(HIGHLIGHTED)
        )
    with op.batch_alter_table("steps", schema=None) as batch_op:
        batch_op.drop_column("thread_version")
