"""Build the benchmark's data set: the real course, learners, a cohort, comments and progress.

    python bench/build_data.py            # the database in LMS_DATABASE_URL, rebuilt from empty

Sizes come from the environment (defaults keep `make bench` to a few minutes):
BENCH_LEARNERS (5000: all in the facilitator's cohort), BENCH_COMMENTS (20000 background
comments spread over the course's other steps), BENCH_PROGRESS (50000 progress rows),
BENCH_COHORT_LEARNERS (200 more learners, enrolled with no progress and in no cohort, who
sign in and work through the course in the cohort and write scenarios: bench/cohort.py).
For the scale check: BENCH_COMMENTS=1000000 BENCH_LEARNERS=10000 BENCH_PROGRESS=500000.

Whatever the sizes, the pages the benchmark asks for hold what the issue names: the step
page is an 800-word article with 25 comments and their replies, the thread has 200
comments, and the bench learner has progress on half the course.
Writes bench/data/dataset.json: the people's emails, the password and the pages' paths.
"""

from __future__ import annotations

import json
import os
import random
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from lms import create_app  # noqa: E402
from lms.accounts import service as accounts  # noqa: E402
from lms.accounts.models import Role, User  # noqa: E402
from lms.cohorts import service as cohorts  # noqa: E402
from lms.cohorts.models import CohortMember, CohortRole  # noqa: E402
from lms.comments.models import Comment, CommentLike  # noqa: E402
from lms.comments.paging import PAGE_SIZE, ThreadQuery  # noqa: E402
from lms.content import service as content  # noqa: E402
from lms.content.models import Step  # noqa: E402
from lms.db import Base  # noqa: E402
from lms.extensions import db  # noqa: E402
from lms.learning.models import Enrolment, StepProgress  # noqa: E402

PASSWORD = "bench password 2026"
ARTICLE = ("why-compassion-matters", "staff-experience")  # an article of about 800 words
THREAD = ("why-compassion-matters", "most-important-intervention")  # a discussion step
STEP_PAGE_COMMENTS, REPLIES_EACH = 25, 2
THREAD_COMMENTS = 200
BATCH = 5000
WORDS = (
    "compassion listening team patient ward shift staff leader culture care time support "
    "change trust voice safety learning kindness pressure morale"
).split()
START = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)


def sizes() -> dict[str, int]:
    return {
        "learners": int(os.environ.get("BENCH_LEARNERS", "5000")),
        "comments": int(os.environ.get("BENCH_COMMENTS", "20000")),
        "progress": int(os.environ.get("BENCH_PROGRESS", "50000")),
        "cohort_learners": int(os.environ.get("BENCH_COHORT_LEARNERS", "200")),
    }


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _insert(model, rows) -> None:
    """Bulk insert in batches (a million rows must not sit in memory at once)."""
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            db.session.execute(sa.insert(model), batch)
            batch = []
    if batch:
        db.session.execute(sa.insert(model), batch)


def _thread_trigger(state: str) -> None:
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text(f"ALTER TABLE comments {state} TRIGGER comments_thread_version"))


def _reset_schema() -> None:
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    else:
        Base.metadata.drop_all(db.engine)
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    upgrade(revision="heads")


def _comment_rows(rng, step_id, authors, count, replies_each, start, prefix):
    """Top-level comments (ids known after insert) are made first, then their replies."""
    return [
        {
            "step_id": step_id,
            "author_id": rng.choice(authors),
            "body_md": f"{prefix} {i}: {_text(rng, 40)}",
            "body_html": f"<p>{prefix} {i}: {_text(rng, 40)}</p>",
            "created_at": start + timedelta(minutes=7 * i),
            "reply_count": replies_each,
            "like_count": rng.randrange(6),
        }
        for i in range(count)
    ]


def _add_thread(rng, step_id, authors, tops, replies_each, prefix) -> int:
    _insert(Comment, _comment_rows(rng, step_id, authors, tops, replies_each, START, prefix))
    top_ids = db.session.scalars(
        sa.select(Comment.id).where(
            Comment.step_id == step_id, Comment.parent_id.is_(None), Comment.body_md.like(f"{prefix} %")
        )
    ).all()
    _insert(
        Comment,
        (
            {
                "step_id": step_id,
                "author_id": rng.choice(authors),
                "parent_id": top,
                "body_md": _text(rng, 25),
                "body_html": f"<p>{_text(rng, 25)}</p>",
                "created_at": START + timedelta(minutes=7 * n + r + 1),
            }
            for n, top in enumerate(top_ids)
            for r in range(replies_each)
        ),
    )
    return len(top_ids) * (1 + replies_each)


def _long_thread(outline, step_id: int) -> dict:
    """A background step's thread (the longest kind in a big data set): its first page and, by
    keyset cursor, its last (newest first, so the last page holds the oldest comments)."""
    step = next(s for s in outline.steps if s.id == step_id)
    path = f"/steps/{step.module_slug}/{step.slug}"
    tops = (
        sa.select(sa.func.count()).select_from(Comment).where(Comment.step_id == step_id, Comment.parent_id.is_(None))
    )
    before_last = db.session.execute(
        sa.select(Comment.created_at, Comment.like_count, Comment.id)
        .where(Comment.step_id == step_id, Comment.parent_id.is_(None))
        .order_by(Comment.created_at, Comment.id)
        .offset(PAGE_SIZE)
        .limit(1)
    ).first()
    cursor = ThreadQuery().cursor_for(*before_last).encode() if before_last else None
    return {
        "first_page": path,
        "last_page": f"{path}?after={cursor}" if cursor else path,
        "comments": db.session.scalar(tops),
    }


def _working_learners(hashed: str, course_id: int, count: int, now: datetime) -> list[str]:
    """Learners who sign in and work through the course (bench/cohort.py, bench/writes.py):
    enrolled, with no progress yet, in no cohort (the dashboard's cohort stays as it is)."""
    emails = [f"working{n}@bench.example" for n in range(count)]
    _insert(
        User,
        (
            {
                "email": email,
                "display_name": f"Working Learner {n:03d}",
                "password_hash": hashed,
                "role": "learner",
                "active": True,
                "created_at": now,
            }
            for n, email in enumerate(emails)
        ),
    )
    ids = db.session.scalars(sa.select(User.id).where(User.email.like("working%@bench.example"))).all()
    _insert(Enrolment, ({"user_id": u, "course_id": course_id, "joined_at": now} for u in ids))
    return emails


def build() -> dict:
    size = sizes()
    rng = random.Random(9)
    app = create_app()
    with app.app_context():
        _reset_schema()
        content.import_content(ROOT / "content")
        outline = content.get_outline()
        course_id = outline.course.id
        steps = {s.key: s.id for s in outline.steps}
        learner = accounts.create_user(
            email="learner@bench.example", display_name="Bench Learner", password=PASSWORD, role=Role.LEARNER
        )
        facilitator = accounts.create_user(
            email="facilitator@bench.example",
            display_name="Bench Facilitator",
            password=PASSWORD,
            role=Role.FACILITATOR,
        )
        poster = accounts.create_user(
            email="poster@bench.example", display_name="Bench Poster", password=PASSWORD, role=Role.LEARNER
        )
        hashed = db.session.get(User, learner.id).password_hash  # one hash for everyone: hashing is slow
        now = datetime.now(UTC)
        _insert(
            User,
            (
                {
                    "email": f"learner{n}@bench.example",
                    "display_name": f"Learner {n:05d}",
                    "password_hash": hashed,
                    "role": "learner",
                    "active": True,
                    "created_at": now,
                }
                for n in range(size["learners"])
            ),
        )
        learners = db.session.scalars(
            sa.select(User.id).where(User.email.like("learner%@bench.example"), User.id != learner.id)
        ).all()
        cohort = cohorts.create_cohort(course_id, "Whole trust", date(2026, 9, 1), None)
        cohorts.add_member(cohort, facilitator.email, CohortRole.FACILITATOR)
        db.session.commit()
        _insert(
            CohortMember,
            ({"cohort_id": cohort.id, "user_id": u, "role": "learner", "created_at": now} for u in learners),
        )
        _insert(
            Enrolment,
            ({"user_id": u, "course_id": course_id, "joined_at": now} for u in [*learners, learner.id, poster.id]),
        )
        working = _working_learners(hashed, course_id, size["cohort_learners"], now)
        # Progress: the bench learner on half the course; the rest spread over the learners.
        step_ids = [s.id for s in outline.steps]
        half = step_ids[: len(step_ids) // 2]
        _insert(
            StepProgress,
            (
                {
                    "user_id": learner.id,
                    "step_id": s,
                    "first_visited_at": now,
                    "last_visited_at": now,
                    "completed_at": now,
                }
                for s in half
            ),
        )
        per_learner = max(1, min(len(step_ids), size["progress"] // max(1, len(learners))))
        _insert(
            StepProgress,
            (
                {
                    "user_id": u,
                    "step_id": s,
                    "first_visited_at": now - timedelta(days=n % 40),
                    "last_visited_at": now - timedelta(days=n % 40),
                    "completed_at": now if (n + k) % 3 else None,
                }
                for n, u in enumerate(learners)
                for k, s in enumerate(step_ids[:per_learner])
            ),
        )
        # The two pages' threads, then background comments everywhere else. On PostgreSQL the
        # thread-version trigger is off for the bulk load (a million updates of 44 step rows);
        # the versions start where a new database's do, and the app's caches start empty.
        _thread_trigger("DISABLE")
        authors = learners[:2000] or [learner.id]
        made = _add_thread(rng, steps[ARTICLE], authors, STEP_PAGE_COMMENTS, REPLIES_EACH, "Article comment")
        made += _add_thread(rng, steps[THREAD], authors, THREAD_COMMENTS // 2, 1, "Thread comment")
        others = [s for key, s in steps.items() if key not in (ARTICLE, THREAD)]
        background = size["comments"]
        for index, step_id in enumerate(others):
            share = background // len(others) + (1 if index < background % len(others) else 0)
            _insert(
                Comment,
                (
                    {
                        "step_id": step_id,
                        "author_id": rng.choice(authors),
                        "body_md": _text(rng, 30),
                        "body_html": f"<p>{_text(rng, 30)}</p>",
                        "created_at": START + timedelta(seconds=30 * n),
                    }
                    for n in range(share)
                ),
            )
        tops = db.session.scalars(
            sa.select(Comment.id).where(Comment.step_id == steps[ARTICLE], Comment.parent_id.is_(None))
        ).all()
        _insert(CommentLike, ({"comment_id": c, "user_id": learner.id} for c in tops[::3]))
        _thread_trigger("ENABLE")
        for step_id in steps.values():
            total = db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Comment)
                .where(Comment.step_id == step_id, Comment.parent_id.is_(None))
            )
            replies = db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Comment)
                .where(Comment.step_id == step_id, Comment.parent_id.is_not(None))
            )
            db.session.execute(sa.update(Step).where(Step.id == step_id).values(comment_count=total + replies))
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                # Measure a database at rest, not one still writing out a bulk load: statistics,
                # the visibility map (index-only scans) and a checkpoint, as after a restore.
                connection.execute(sa.text("VACUUM (ANALYZE)"))
                connection.execute(sa.text("CHECKPOINT"))
        long_thread = _long_thread(outline, others[0]) if others else None
        counts = {
            name: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for name, model in (("users", User), ("comments", Comment), ("progress_rows", StepProgress))
        }
        dataset = {
            "database": db.engine.dialect.name,
            "sizes": size,
            "counts": counts,
            "password": PASSWORD,
            "learner": learner.email,
            "facilitator": facilitator.email,
            "poster": poster.email,
            "step_page": "/steps/{}/{}".format(*ARTICLE),
            "thread_page": "/steps/{}/{}".format(*THREAD),
            "post_path": "/steps/{}/{}/comments".format(*THREAD),
            "cohort_page": f"/facilitate/cohorts/{cohort.id}",
            "thread_step_id": steps[THREAD],
            "made_for_pages": made,
            "long_thread": long_thread,
            "working_learners": working,
            "steps": [f"/steps/{s.module_slug}/{s.slug}" for s in outline.steps if s.published],
        }
        db.engine.dispose()
    out = ROOT / "bench" / "data"
    out.mkdir(parents=True, exist_ok=True)
    (out / "dataset.json").write_text(json.dumps(dataset, indent=2))
    return dataset


if __name__ == "__main__":
    print(json.dumps(build(), indent=2))
