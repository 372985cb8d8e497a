"""The migration that adds `users.email_key` gives existing accounts their keys, and an
account whose address already looks like an older one's keeps working without one."""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import upgrade

from lms.extensions import db
from tests.test_migrations import scratch_app  # noqa: F401  (a fixture)


def test_existing_accounts_get_keys_and_a_lookalike_keeps_none(scratch_app):  # noqa: F811
    upgrade(revision="ffe394f05d14")
    users = sa.table(
        "users",
        *(sa.column(n) for n in ("id", "email", "display_name", "role", "password_hash", "active", "created_at")),
    )
    with db.engine.begin() as connection:
        for n, email in enumerate(["ivy@example.org", "\u0131vy@example.org", "Bo@Example.org"], start=1):
            connection.execute(
                users.insert().values(
                    id=n,
                    email=email,
                    display_name=f"P{n}",
                    role="learner",
                    password_hash="x",
                    active=True,
                    created_at=sa.func.current_timestamp(),
                )
            )
    upgrade(revision="636e747a13c0")
    with db.engine.connect() as connection:
        keys = dict(connection.execute(sa.text("SELECT id, email_key FROM users ORDER BY id")).all())
    assert keys == {1: "ivy@example.org", 2: None, 3: "bo@example.org"}
