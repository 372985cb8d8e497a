"""Everything the platform holds about a person: to download it, and to erase it.

Every table is listed here, either with the columns that point at a person and what
happens to those rows when the person deletes their account, or as holding no personal
data. A test fails when a table is missing, so a new table cannot be left out silently.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

import sqlalchemy as sa

from lms.accounts import sign_ins
from lms.accounts.models import User
from lms.accounts.passwords import hash_password, verify_password
from lms.audit import service as audit
from lms.comments import service as comments
from lms.db import Base
from lms.errors import InvalidInput
from lms.extensions import db

DELETE, KEEP = "delete", "keep"

# table -> (columns naming the person, what deleting the account does to their rows).
# KEEP: the rows stay, now pointing at the anonymised account (public comments, audit).
PERSONAL_TABLES: dict[str, tuple[tuple[str, ...], str]] = {
    "user_sessions": (("user_id",), DELETE),
    "external_identities": (("user_id",), DELETE),  # single sign-on and LTI: who the person is elsewhere
    "lti_launches": (("user_id",), DELETE),  # launches from a learning platform, kept for a day
    "lti_scores": (("user_id",), DELETE),  # final-test results sent to a learning platform
    "unsent_forms": (("user_id",), DELETE),  # text sent after a sign-in ended, kept for two hours
    "enrolments": (("user_id",), DELETE),
    "step_progress": (("user_id",), DELETE),
    "cohort_members": (("user_id",), DELETE),
    "reflections": (("user_id",), DELETE),
    "self_assessment_responses": (("user_id",), DELETE),
    "quiz_attempts": (("user_id",), DELETE),
    "certificates": (("user_id",), DELETE),  # its public check then finds nothing
    "bookmarks": (("user_id",), DELETE),
    "follows": (("follower_id", "followed_id"), DELETE),
    "notifications": (("user_id",), DELETE),
    "email_preferences": (("user_id",), DELETE),  # how and when they hear by email
    "outbox": (("user_id",), DELETE),  # mail to the person, sent or waiting
    "comments": (("author_id",), KEEP),  # public: shown as from a former learner
    "comment_likes": (("user_id",), DELETE),  # through comments, which takes the counts down too
    "comment_reports": (("reporter_id",), KEEP),  # the moderation record
    "thread_locks": (("locked_by_id",), KEEP),
    "step_revisions": (("author_id",), KEEP),
    "audit_log": (("actor_id",), KEEP),
}
# Rows that name the person but record someone else's choice: erased with the account, but
# not handed over in the download (who follows you is theirs to tell; following is not public).
EXPORTED_BY = {"follows": ("follower_id",)}
# assessment_aggregate_snapshots: counts and means of five or more learners, no one's answers.
NOT_PERSONAL = {
    "alembic_version",
    "users",
    "courses",
    "modules",
    "activities",
    "steps",
    "content_assets",  # the course's pictures
    "course_translations",  # the course's words in Welsh (lms.content.models)
    "module_translations",
    "step_translations",
    "cohorts",
    "assessment_aggregate_snapshots",
    "sign_in_settings",
    "lti_platforms",
    "lti_tool_keys",
    "lti_contexts",
}
USER_FIELDS = ("id", "email", "display_name", "bio", "role", "active", "email_verified_at", "created_at")
FORMER_LEARNER = "A former learner"


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return getattr(value, "value", value)


def export(user: User) -> dict:
    """Everything held about the user, table by table, as JSON-ready data."""
    data = {"account": {f: _plain(getattr(user, f)) for f in USER_FIELDS}}
    for name, (columns, _) in sorted(PERSONAL_TABLES.items()):
        table = Base.metadata.tables[name]
        columns = EXPORTED_BY.get(name, columns)
        rows = db.session.execute(sa.select(table).where(sa.or_(*(table.c[c] == user.id for c in columns)))).mappings()
        data[name] = [{k: _plain(v) for k, v in row.items()} for row in rows]
    return data


def delete_account(user: User, password: str) -> None:
    """Erase the person: private rows deleted, kept rows left pointing at an anonymous account."""
    if not verify_password(user.password_hash, password):
        raise InvalidInput("Your password is incorrect", field="password")
    comments.forget_likes_by(user.id)
    for name, (columns, policy) in PERSONAL_TABLES.items():
        if policy == DELETE:
            table = Base.metadata.tables[name]
            db.session.execute(sa.delete(table).where(sa.or_(*(table.c[c] == user.id for c in columns))))
    user.email = f"deleted-{user.id}-{secrets.token_hex(4)}@invalid"
    user.display_name, user.bio, user.active = FORMER_LEARNER, None, False
    user.password_hash = hash_password(secrets.token_urlsafe(32))
    sign_ins.end_all_sessions(user.id)
    audit.record(user, "user.delete_account", user)
    db.session.commit()
