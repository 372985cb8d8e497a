"""Helpers shared by the discussion, moderation and notification tests."""

from __future__ import annotations

import re
from html import unescape

import sqlalchemy as sa

from lms.comments.models import Comment
from lms.content.models import Step
from lms.extensions import db

TALK = "/steps/first-steps/talk-about-it"  # the fixture course's discussion step
WELCOME = "/steps/first-steps/welcome"


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def step_id(slug: str = "talk-about-it") -> int:
    return db.session.scalar(sa.select(Step.id).where(Step.slug == slug))


def comment_count(slug: str = "talk-about-it") -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(Step.comment_count).where(Step.slug == slug))


def comments() -> list[Comment]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Comment).order_by(Comment.id)))


def post(client, text: str, url: str = TALK, **extra):
    return client.post(f"{url}/comments", data={"body": text, **extra})


def set_reveal(slug: str, value: str | None) -> None:
    db.session.execute(sa.update(Step).where(Step.slug == slug).values(settings={"reveal": value} if value else {}))
    db.session.commit()
