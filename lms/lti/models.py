"""The platforms that may launch the course, the tool's own key, launches in flight, and the
cohort each platform's course (its LTI context) fills."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from lms.db import UTCDateTime, utcnow
from lms.extensions import db


class LtiPlatform(db.Model):
    """A learning platform an admin registered: what it calls itself and where its keys and
    endpoints are. Deployment ids are kept one a line."""

    __tablename__ = "lti_platforms"
    __table_args__ = (sa.UniqueConstraint("issuer", "client_id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    issuer: so.Mapped[str] = so.mapped_column(sa.String(255))
    client_id: so.Mapped[str] = so.mapped_column(sa.String(255))
    deployment_ids: so.Mapped[str] = so.mapped_column(sa.Text(), default="")
    key_set_url: so.Mapped[str] = so.mapped_column(sa.String(500))
    auth_login_url: so.Mapped[str] = so.mapped_column(sa.String(500))
    auth_token_url: so.Mapped[str] = so.mapped_column(sa.String(500))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow)

    @property
    def deployments(self) -> list[str]:
        return [line.strip() for line in self.deployment_ids.splitlines() if line.strip()]


class LtiToolKey(db.Model):
    """The tool's RSA key, made on first use: it signs deep-linking answers and service
    requests, and platforms check them with the public half at /lti/jwks. Never in git."""

    __tablename__ = "lti_tool_keys"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    kid: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    private_pem: so.Mapped[str] = so.mapped_column(sa.Text())
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow)


class LtiLaunch(db.Model):
    """One launch, from the platform's login initiation to the person arriving signed in.

    The state and nonce are made at login initiation; the id_token must bring back both,
    once (`launched_at`); the one-time `continue_hash` then signs the person in on a page of
    our own (in a new window when the platform shows the tool in an iframe)."""

    __tablename__ = "lti_launches"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    platform_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("lti_platforms.id", ondelete="CASCADE"), index=True)
    state: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    nonce: so.Mapped[str] = so.mapped_column(sa.String(64))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow, index=True)
    launched_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    target: so.Mapped[str | None] = so.mapped_column(sa.String(500))  # the path the person lands on
    continue_hash: so.Mapped[str | None] = so.mapped_column(sa.String(64), unique=True)
    continued_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())
    # A deep-linking request's settings (return URL, data), as JSON: what the answer needs.
    deep_linking: so.Mapped[dict | None] = so.mapped_column(sa.JSON())


class LtiContext(db.Model):
    """A platform's course (its LTI context), and the cohort its people are put in here."""

    __tablename__ = "lti_contexts"
    __table_args__ = (sa.UniqueConstraint("platform_id", "context_id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    platform_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("lti_platforms.id", ondelete="CASCADE"), index=True)
    context_id: so.Mapped[str] = so.mapped_column(sa.String(255))
    title: so.Mapped[str] = so.mapped_column(sa.String(255), default="")
    cohort_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    # Names and Roles Provisioning: where the platform lists the context's members.
    memberships_url: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    # Assignment and Grade Services: the line item the final test's score goes to.
    lineitem_url: so.Mapped[str | None] = so.mapped_column(sa.String(500))


class LtiScore(db.Model):
    """A person's final-test result waiting to go to (or sent to) their context's line item:
    one row per person and context, written in the transaction of the attempt, sent after
    it commits and retried until the platform takes it."""

    __tablename__ = "lti_scores"
    __table_args__ = (sa.UniqueConstraint("user_id", "context_id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    context_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("lti_contexts.id", ondelete="CASCADE"), index=True)
    score: so.Mapped[int]  # the best percentage
    completed: so.Mapped[bool] = so.mapped_column(default=False)
    pending: so.Mapped[bool] = so.mapped_column(default=True, index=True)
    attempts: so.Mapped[int] = so.mapped_column(default=0)
    next_attempt_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow)
    last_error: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    sent_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())
