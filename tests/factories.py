"""Plain functions that make rows for tests, with defaults and unique values."""

from __future__ import annotations

import itertools

from lms.accounts import service as accounts
from lms.accounts.models import Role, User

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def make_user(
    email: str | None = None, display_name: str | None = None, role: str = "learner", password: str = PASSWORD
) -> User:
    n = next(_counter)
    return accounts.create_user(
        email=email or f"person{n}@example.org",
        display_name=display_name or f"Person {n}",
        password=password,
        role=Role(role),
    )


def make_comment(author: User, step_id: int, text: str | None = None, parent=None, when=None):
    """A comment posted through the service (counts and notifications kept), optionally back-dated."""
    from lms.comments import service as discussion
    from lms.extensions import db

    comment = discussion.post_comment(author, step_id, text or f"Comment {next(_counter)}", parent=parent)
    if when is not None:
        comment.created_at = when
        db.session.commit()
    return comment
