"""The benchmark's references, each a WSGI app for gunicorn (run by bench/run.py).

- `bare`: a bare Flask app rendering an 8 KB Jinja page, no database: the framework's limit
  on this machine.
- `naive`: a straightforward Flask + SQLAlchemy page listing the same 200-comment thread the
  lms thread page shows, with one query (every comment, its author, oldest first) and no
  paging: what "just write the page" gives.

    gunicorn -w 2 'bench.references:bare()'
    BENCH_DATABASE_URL=... BENCH_THREAD_STEP_ID=4 gunicorn -w 2 'bench.references:naive()'
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask, render_template_string
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><header><a href="/">{{ site }}</a><nav><ul>{% for item in nav %}<li><a href="{{ item.url }}">{{ item.label }}</a></li>{% endfor %}</ul></nav></header>
<main><h1>{{ title }}</h1>
{% for paragraph in paragraphs %}<p>{{ paragraph }}</p>
{% endfor %}</main><footer><p>{{ site }}</p></footer></body></html>"""

TEXT = (
    "Compassionate leadership means attending to the people we lead, understanding their situation, "
    "empathising with them and helping them. "
)


def bare() -> Flask:
    app = Flask("bare")
    nav = [{"url": f"/section/{n}", "label": f"Section {n}"} for n in range(6)]
    paragraphs = [f"{n}. {TEXT * 2}" for n in range(27)]

    @app.get("/")
    def page():
        return render_template_string(PAGE, title="A plain page", site="Reference", nav=nav, paragraphs=paragraphs)

    return app


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str]


class Comment(Base):
    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int]
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    parent_id: Mapped[int | None]
    body_html: Mapped[str]
    created_at: Mapped[str] = mapped_column(sa.Text)  # shown as stored


THREAD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Comments</title></head>
<body><main><h1>Comments ({{ comments|length }})</h1><ol>
{% for comment, author in comments %}<li id="comment-{{ comment.id }}"{% if comment.parent_id %} class="reply"{% endif %}>
<p><strong>{{ author }}</strong> <time>{{ comment.created_at }}</time></p>{{ comment.body_html|safe }}</li>
{% endfor %}</ol></main></body></html>"""


def naive() -> Flask:
    app = Flask("naive")
    engine = sa.create_engine(os.environ["BENCH_DATABASE_URL"])
    step_id = int(os.environ["BENCH_THREAD_STEP_ID"])

    @app.get("/")
    def thread():
        with Session(engine) as session:
            comments = session.execute(
                sa.select(Comment, User.display_name)
                .join(User)
                .where(Comment.step_id == step_id)
                .order_by(Comment.created_at)
            ).all()
            return render_template_string(THREAD, comments=comments)

    return app
