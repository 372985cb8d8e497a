from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from lms.accounts.names import email_skeleton
from lms.db import TimestampMixin, UTCDateTime, utcnow
from lms.errors import InvalidInput
from lms.extensions import db

EMAIL_MAX = 254


class Role(str, enum.Enum):
    """What a person may do; each role can do everything the one before it can."""

    LEARNER = "learner"
    FACILITATOR = "facilitator"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _RANKS[self]  # asked several times per comment on a thread page: a lookup, not a list


_RANKS = {role: rank for rank, role in enumerate(Role)}


class User(TimestampMixin, db.Model):
    __tablename__ = "users"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    email: so.Mapped[str] = so.mapped_column(sa.String(EMAIL_MAX), unique=True)
    # The address with lookalike characters made equal (names.email_skeleton), set with the
    # email: unique, so no two accounts have addresses that cannot be told apart.
    email_key: so.Mapped[str | None] = so.mapped_column(sa.String(EMAIL_MAX), unique=True)
    display_name: so.Mapped[str] = so.mapped_column(sa.String(80))
    bio: so.Mapped[str | None] = so.mapped_column(sa.String(500))  # shown on the profile page
    role: so.Mapped[Role] = so.mapped_column(
        sa.Enum(Role, native_enum=False, length=20, values_callable=lambda e: [r.value for r in e]),
        default=Role.LEARNER,
        index=True,
    )
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(255))
    active: so.Mapped[bool] = so.mapped_column(default=True)
    # When the person followed the link sent to their address; until then they cannot sign in,
    # so registering with someone else's address claims nothing.
    email_verified_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())
    # Whether the learner lets their self-assessment scores go to the organisation's learning
    # record store with the statement that they took one (lms.xapi); off until they say so.
    shares_assessment_scores: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())
    # 'en' or 'cy' once the person has chosen (lms.i18n); their pages and their mail use it.
    language: so.Mapped[str | None] = so.mapped_column(sa.String(5))

    @so.validates("email")
    def _set_email_key(self, _key: str, email: str) -> str:
        if len(email) > EMAIL_MAX:  # normalising can lengthen what the form let through
            raise InvalidInput(f"Email address must be {EMAIL_MAX} characters or fewer", field="email")
        self.email_key = email_skeleton(email)[:EMAIL_MAX]
        return email

    # Flask-Login's user protocol
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    # The sign-in this request belongs to (see UserSession); it is what the cookie names.
    session_token = None  # a plain attribute, not a column
    read_with: dict = {}  # read in the sign-in query for other features (accounts.sign_ins.read_with_user)

    def get_id(self) -> str:
        if not self.session_token:
            raise RuntimeError("start a session (accounts.sign_ins.start_session) before logging in")
        return self.session_token

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    def has_role(self, role: Role) -> bool:
        return self.role.rank >= role.rank

    @property
    def is_staff(self) -> bool:
        return self.has_role(Role.FACILITATOR)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"


class UserSession(db.Model):
    """One sign-in on one device. The cookie holds its token; ending the row ends the sign-in,
    so a cookie copied before sign-out or a password change no longer works."""

    __tablename__ = "user_sessions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)  # sha256: a leaked table logs nobody in
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow)
    # A sign-in ends after LMS_SESSION_IDLE_HOURS without a request (last_seen_at, moved on at
    # most every few minutes) and at expires_at (LMS_SESSION_MAX_DAYS with "keep me signed in",
    # else the end of a working day), whichever comes first.
    last_seen_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow)
    expires_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), index=True)
    user_agent: so.Mapped[str] = so.mapped_column(sa.String(200), default="")  # to name the device to its owner


class IdentityKind(str, enum.Enum):
    """The system that vouches for an external identity."""

    OIDC = "oidc"  # an organisation's identity provider (single sign-on)
    LTI = "lti"  # a learning platform launching the course (LTI 1.3)


class ExternalIdentity(db.Model):
    """A person as another system knows them: that system's issuer and its subject id for them.

    The pair is what signs them in here, never their name or email (which the other system,
    or the person, can change). One account may have several (single sign-on and an LTI
    platform, say); one pair belongs to one account."""

    __tablename__ = "external_identities"
    __table_args__ = (sa.UniqueConstraint("kind", "issuer", "subject"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    kind: so.Mapped[IdentityKind] = so.mapped_column(
        sa.Enum(IdentityKind, native_enum=False, length=10, values_callable=lambda e: [k.value for k in e])
    )
    issuer: so.Mapped[str] = so.mapped_column(sa.String(255))
    subject: so.Mapped[str] = so.mapped_column(sa.String(255))
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow)


class SignInSettings(db.Model):
    """How people may sign in, as an admin set it: one row (id 1); no row means the defaults."""

    __tablename__ = "sign_in_settings"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    # Single sign-on may sign in an existing account whose address the provider says it has verified.
    link_by_verified_email: so.Mapped[bool] = so.mapped_column(default=False)
    # With single sign-on configured, only admins may sign in with a password.
    passwords_for_admins_only: so.Mapped[bool] = so.mapped_column(default=False)
