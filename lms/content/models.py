"""The course as the running site reads it: imported from content/, edited by admins."""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as so

from lms.db import TimestampMixin
from lms.extensions import db


class Course(TimestampMixin, db.Model):
    __tablename__ = "courses"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    slug: so.Mapped[str] = so.mapped_column(sa.String(100), unique=True)
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    summary: so.Mapped[str] = so.mapped_column(sa.Text)
    hours: so.Mapped[float]
    outcomes: so.Mapped[list] = so.mapped_column(sa.JSON)
    educators: so.Mapped[list] = so.mapped_column(sa.JSON)  # [{"name", "role"}]
    about_md: so.Mapped[str] = so.mapped_column(sa.Text)
    about_html: so.Mapped[str] = so.mapped_column(sa.Text)
    # {"title", "introduction_md", "introduction_html", "terms": [{"term", "slug", "also",
    # "definition_md", "definition_html"}]}, from content/glossary.md; None: no glossary.
    glossary: so.Mapped[dict | None] = so.mapped_column(sa.JSON)
    # One more with every change to the course, its modules, activities or steps (lms.content.cache).
    content_version: so.Mapped[int] = so.mapped_column(default=0, server_default="0")


class Module(TimestampMixin, db.Model):
    __tablename__ = "modules"
    __table_args__ = (sa.UniqueConstraint("course_id", "slug"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    course_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("courses.id"), index=True)
    slug: so.Mapped[str] = so.mapped_column(sa.String(100))
    position: so.Mapped[int] = so.mapped_column(index=True)
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    summary: so.Mapped[str] = so.mapped_column(sa.Text)
    hours: so.Mapped[float]
    introduction_md: so.Mapped[str] = so.mapped_column(sa.Text)
    introduction_html: so.Mapped[str] = so.mapped_column(sa.Text)
    published: so.Mapped[bool] = so.mapped_column(default=True, index=True)


class Activity(db.Model):
    __tablename__ = "activities"
    __table_args__ = (sa.UniqueConstraint("module_id", "slug"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    module_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("modules.id"), index=True)
    slug: so.Mapped[str] = so.mapped_column(sa.String(100))
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    position: so.Mapped[int]


class Step(TimestampMixin, db.Model):
    """One step; its identity is module slug + step slug, so renumbering keeps learner data."""

    __tablename__ = "steps"
    __table_args__ = (sa.UniqueConstraint("module_id", "slug"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    module_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("modules.id"), index=True)
    activity_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("activities.id"), index=True)
    slug: so.Mapped[str] = so.mapped_column(sa.String(100))
    position: so.Mapped[int] = so.mapped_column(index=True)
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    type: so.Mapped[str] = so.mapped_column(sa.String(20))
    duration: so.Mapped[int]  # minutes
    prompt: so.Mapped[str | None] = so.mapped_column(sa.Text)
    video_url: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    body_md: so.Mapped[str] = so.mapped_column(sa.Text)
    body_html: so.Mapped[str] = so.mapped_column(sa.Text)  # rendered and sanitised at save
    settings: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict, server_default=sa.text("'{}'"))
    comment_count: so.Mapped[int] = so.mapped_column(default=0, server_default="0")  # kept by comments
    # Moved by database triggers on every write to the step's comments (see the migration
    # a7b8c9d0e1f2, values never reused since c9d0e1f2a3b4): what lms.comments.snapshots
    # keeps a thread's pages under.
    thread_version: so.Mapped[int] = so.mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), default=0, server_default="0"
    )
    published: so.Mapped[bool] = so.mapped_column(default=True, index=True)
    # The newest saved revision, and the one learners see (the row holds its content).
    # They differ when a published step has edits waiting to be published.
    revision: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    live_revision: so.Mapped[int] = so.mapped_column(default=0, server_default="0")


class StepRevision(TimestampMixin, db.Model):
    """One saved version of a step in one language: who saved it, when, and everything it said.

    Each language numbers its own revisions (English on the step row's `revision`, a
    translation on its StepTranslation's), so a Welsh save never makes an English editor stale."""

    __tablename__ = "step_revisions"
    __table_args__ = (sa.UniqueConstraint("step_id", "language", "number"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    step_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("steps.id", ondelete="CASCADE"), index=True)
    language: so.Mapped[str] = so.mapped_column(sa.String(5), default="en", server_default="en")
    number: so.Mapped[int]
    author_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    note: so.Mapped[str] = so.mapped_column(sa.String(200))  # "Imported from files", "Restored revision 3"
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    type: so.Mapped[str] = so.mapped_column(sa.String(20))
    activity_slug: so.Mapped[str] = so.mapped_column(sa.String(100))
    duration: so.Mapped[int]
    prompt: so.Mapped[str | None] = so.mapped_column(sa.Text)
    video_url: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    settings: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)
    body_md: so.Mapped[str] = so.mapped_column(sa.Text)


# Translations: the course, a module or a step in another language than English (only "cy"
# for now), from the `.cy.md` file beside the English one. The English stays on the rows
# above; what is not text (slugs, positions, hours, types, activities, quiz answers' right
# options, self-assessment structure) is the English row's, checked to match by
# lms.content.translations, so answers and scores are shared across languages.


class CourseTranslation(TimestampMixin, db.Model):
    __tablename__ = "course_translations"
    __table_args__ = (sa.UniqueConstraint("course_id", "language"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    course_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    language: so.Mapped[str] = so.mapped_column(sa.String(5))
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    summary: so.Mapped[str] = so.mapped_column(sa.Text)
    outcomes: so.Mapped[list] = so.mapped_column(sa.JSON)
    educators: so.Mapped[list] = so.mapped_column(sa.JSON)  # [{"name", "role"}]
    about_md: so.Mapped[str] = so.mapped_column(sa.Text)
    about_html: so.Mapped[str] = so.mapped_column(sa.Text)
    glossary: so.Mapped[dict | None] = so.mapped_column(sa.JSON)  # as Course.glossary; None: none in this language


class ModuleTranslation(TimestampMixin, db.Model):
    __tablename__ = "module_translations"
    __table_args__ = (sa.UniqueConstraint("module_id", "language"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    module_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    language: so.Mapped[str] = so.mapped_column(sa.String(5))
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    summary: so.Mapped[str] = so.mapped_column(sa.Text)
    activities: so.Mapped[list] = so.mapped_column(sa.JSON)  # [{"slug", "title"}], the module's activities in order
    introduction_md: so.Mapped[str] = so.mapped_column(sa.Text)
    introduction_html: so.Mapped[str] = so.mapped_column(sa.Text)


class StepTranslation(TimestampMixin, db.Model):
    """A step in another language: what learners reading that language see, like the step row
    for English. `revision`/`live_revision` count this language's StepRevisions."""

    __tablename__ = "step_translations"
    __table_args__ = (sa.UniqueConstraint("step_id", "language"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    step_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("steps.id", ondelete="CASCADE"), index=True)
    language: so.Mapped[str] = so.mapped_column(sa.String(5))
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    prompt: so.Mapped[str | None] = so.mapped_column(sa.Text)
    video_url: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    settings: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict, server_default=sa.text("'{}'"))
    body_md: so.Mapped[str] = so.mapped_column(sa.Text)
    body_html: so.Mapped[str] = so.mapped_column(sa.Text)
    revision: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    live_revision: so.Mapped[int] = so.mapped_column(default=0, server_default="0")


class ContentAsset(TimestampMixin, db.Model):
    """A picture kept with a module (content/modules/NN-slug/images/NAME), served by its hash."""

    __tablename__ = "content_assets"
    __table_args__ = (sa.UniqueConstraint("module_id", "name"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    module_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(100))
    media_type: so.Mapped[str] = so.mapped_column(sa.String(50))
    data: so.Mapped[bytes] = so.mapped_column(sa.LargeBinary)
    sha256: so.Mapped[str] = so.mapped_column(sa.String(64), index=True)
