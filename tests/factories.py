"""Plain functions that make rows for tests, with defaults and unique values."""
from __future__ import annotations

import itertools

from lms.accounts import service as accounts
from lms.accounts.models import Role, User

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def make_user(email: str | None = None, display_name: str | None = None, role: str = "learner",
              password: str = PASSWORD) -> User:
    n = next(_counter)
    return accounts.create_user(
        email=email or f"person{n}@example.org",
        display_name=display_name or f"Person {n}",
        password=password,
        role=Role(role),
    )
