from __future__ import annotations

import enum

import sqlalchemy as sa
import sqlalchemy.orm as so

from lms.db import TimestampMixin
from lms.extensions import db


class Role(str, enum.Enum):
    """What a person may do; each role can do everything the one before it can."""

    LEARNER = "learner"
    FACILITATOR = "facilitator"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)


class User(TimestampMixin, db.Model):
    __tablename__ = "users"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    email: so.Mapped[str] = so.mapped_column(sa.String(254), unique=True)
    display_name: so.Mapped[str] = so.mapped_column(sa.String(80))
    bio: so.Mapped[str | None] = so.mapped_column(sa.String(500))  # shown on the profile page
    role: so.Mapped[Role] = so.mapped_column(
        sa.Enum(Role, native_enum=False, length=20, values_callable=lambda e: [r.value for r in e]),
        default=Role.LEARNER,
        index=True,
    )
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(255))
    active: so.Mapped[bool] = so.mapped_column(default=True)
    # Part of the login cookie: bumping it signs out every session and "remember me"
    # cookie issued before, e.g. when the password changes.
    session_version: so.Mapped[int] = so.mapped_column(default=1)

    # Flask-Login's user protocol
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def has_role(self, role: Role) -> bool:
        return self.role.rank >= role.rank

    @property
    def is_staff(self) -> bool:
        return self.has_role(Role.FACILITATOR)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"
