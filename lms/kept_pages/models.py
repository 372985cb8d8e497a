from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as so

from lms.extensions import db

SITE = 0  # the scope every write moves unless it is declared personal


class PageGeneration(db.Model):
    """A number that moves with every committed write a kept page could show: scope 0 for the
    whole site, a user's id for writes that only that user's own pages show (lms.kept_pages)."""

    __tablename__ = "page_generations"

    scope: so.Mapped[int] = so.mapped_column(sa.BigInteger, primary_key=True, autoincrement=False)
    value: so.Mapped[int] = so.mapped_column(sa.BigInteger, default=0)
