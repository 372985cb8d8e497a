"""Every busy page issues the same, small number of SQL queries whatever the data's size.

Each page is measured on small data, then again after the data has grown (more comments,
replies, likes, learners, progress rows): the count must not change and must stay within
the page's budget (issue 9). Rows are bulk-inserted, so the large case stays fast.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from lms.accounts.models import User
from lms.cohorts import service as cohorts
from lms.cohorts.models import CohortMember, CohortRole, Pace
from lms.comments.models import Bookmark, Comment, CommentLike, Follow
from lms.content.models import Step
from lms.db import utcnow
from lms.extensions import db
from lms.learning import completion
from lms.learning.models import Enrolment, StepProgress
from lms.notifications.models import Notification
from tests.factories import make_comment, make_user
from tests.web.discussion_support import text_of

WELCOME = "/steps/first-steps/welcome"  # an article step
TALK = "/steps/first-steps/talk-about-it"  # a discussion step

STEP_PAGE_BUDGET = 5
PROGRESS_BUDGET = 6
DASHBOARD_BUDGET = 10
THREAD_BUDGET = 5  # the thread is the discussion step's page: the step page's budget
COURSE_PAGE_BUDGET = 3  # sign-in (with the learner's pace), the outline's version, the enrolment
# Sign-in (with the outline's version), the comment (if unlocked), the count, the step's
# completion (a discussion step's, issue 18: one INSERT ... SELECT that writes nothing on
# other steps, so the post need not read the step's type first), followers.
POST_BUDGET = 5


def _step_id(slug: str) -> int:
    return db.session.scalar(sa.select(Step.id).where(Step.slug == slug))


def _queries(client, count_queries, url: str) -> list[str]:
    client.get(url)  # warm: the first visit records progress, which later visits only touch
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, response.text
    return statements


def _bulk_users(n: int, prefix: str) -> list[int]:
    hashed = db.session.scalar(sa.select(User.password_hash).limit(1))
    db.session.execute(
        sa.insert(User),
        [
            {
                "email": f"{prefix}{i}@example.org",
                "display_name": f"{prefix.title()} {i:05d}",
                "password_hash": hashed,
                "role": "learner",
                "active": True,
                "created_at": utcnow(),
            }
            for i in range(n)
        ],
    )
    return list(db.session.scalars(sa.select(User.id).where(User.email.like(f"{prefix}%")).order_by(User.id)))


def _bulk_comments(step_id: int, authors: list[int], tops: int, replies_each: int, viewer_id: int) -> None:
    """`tops` comments, each with `replies_each` replies; the viewer likes and bookmarks some."""
    start = utcnow() - timedelta(days=10)
    rows = [
        {
            "step_id": step_id,
            "author_id": authors[i % len(authors)],
            "body_md": f"Top {i}",
            "body_html": f"<p>Top {i}</p>",
            "created_at": start + timedelta(minutes=i),
            "reply_count": replies_each,
            "like_count": i % 3,
        }
        for i in range(tops)
    ]
    db.session.execute(sa.insert(Comment), rows)
    top_ids = list(
        db.session.scalars(
            sa.select(Comment.id).where(
                Comment.step_id == step_id, Comment.parent_id.is_(None), Comment.body_md.like("Top %")
            )
        )
    )
    db.session.execute(
        sa.insert(Comment),
        [
            {
                "step_id": step_id,
                "author_id": authors[(i + r + 1) % len(authors)],
                "parent_id": top,
                "body_md": f"Reply {r} to {top}",
                "body_html": f"<p>Reply {r} to {top}</p>",
                "created_at": start + timedelta(minutes=i, seconds=r + 1),
            }
            for i, top in enumerate(top_ids)
            for r in range(replies_each)
        ],
    )
    db.session.execute(sa.insert(CommentLike), [{"comment_id": c, "user_id": viewer_id} for c in top_ids[::2]])
    db.session.execute(sa.insert(Bookmark), [{"comment_id": c, "user_id": viewer_id} for c in top_ids[::3]])
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Comment).where(Comment.step_id == step_id))
    db.session.execute(sa.update(Step).where(Step.id == step_id).values(comment_count=total))
    db.session.commit()


def test_a_paced_learner_costs_no_more_statements_than_a_self_paced_one(client, enrolled, course, count_queries):
    """The pace and end date come with the sign-in; the opening dates are worked out in Python."""
    pages = (WELCOME, TALK, "/", "/todo", "/modules/next-steps")
    self_paced = {url: len(_queries(client, count_queries, url)) for url in pages}
    cohort = cohorts.create_cohort(
        course.course.id,
        "Weekly",
        date.today() - timedelta(days=30),
        None,
        Pace.WEEKLY,
        date.today() - timedelta(days=2),
    )
    cohorts.add_member(cohort, enrolled.email, CohortRole.LEARNER)
    db.session.commit()
    paced = {url: len(_queries(client, count_queries, url)) for url in pages}
    assert "Week 2: opened on" in client.get("/todo").text and "Your cohort ended on" in client.get(TALK).text
    assert paced == self_paced
    assert paced[WELCOME] <= STEP_PAGE_BUDGET and paced["/"] <= COURSE_PAGE_BUDGET, paced
    cohort.starts_on, cohort.ends_on = date.today(), None  # week 2 not open: its step page says when
    db.session.commit()
    closed = _queries(client, count_queries, "/steps/next-steps/look-back")
    assert "This step opens on" in client.get("/steps/next-steps/look-back").text
    assert len(closed) <= STEP_PAGE_BUDGET, "\n".join(closed)


def test_step_page_for_an_article_with_25_comments_and_replies(client, enrolled, count_queries):
    step = _step_id("welcome")
    other = make_user()
    make_comment(make_user(), step, "A reply", parent=make_comment(other, step, "The only comment"))
    small = _queries(client, count_queries, WELCOME)
    authors = _bulk_users(30, "author")
    _bulk_comments(step, authors, tops=24, replies_each=3, viewer_id=enrolled.id)
    large = _queries(client, count_queries, WELCOME)
    page = client.get(WELCOME).text
    assert "Top 23" in page and "Reply 2 to" in page
    assert len(large) == len(small) <= STEP_PAGE_BUDGET, "\n".join(large)


def test_the_step_page_stays_in_budget_when_it_has_the_most_to_do(client, enrolled, count_queries, facilitator):
    """A visit due to be written (over a minute since the last), a thread page not yet kept by
    this process (a comment came since), and highlights to show."""
    from lms.moderation import service as moderation

    step = _step_id("welcome")
    top = make_comment(make_user(), step, "Highlighted")
    make_comment(make_user(), step, "A reply", parent=top)
    moderation.set_highlight(facilitator, top, True)
    client.get(WELCOME)
    db.session.execute(sa.update(StepProgress).values(last_visited_at=utcnow() - timedelta(minutes=5)))
    make_comment(make_user(), step, "New since the last look")
    with count_queries() as statements:
        page = client.get(WELCOME).text
    assert "Educator highlights" in page and "New since the last look" in page
    assert any(s.lstrip().startswith("INSERT INTO step_progress") for s in statements)
    assert len(statements) <= STEP_PAGE_BUDGET, "\n".join(statements)


def test_a_200_comment_thread_page(client, enrolled, count_queries):
    step = _step_id("talk-about-it")
    make_comment(make_user(), step, "A reply", parent=make_comment(make_user(), step, "The only comment"))
    small = _queries(client, count_queries, TALK)
    authors = _bulk_users(50, "talker")
    _bulk_comments(step, authors, tops=100, replies_each=1, viewer_id=enrolled.id)
    assert db.session.scalar(sa.select(Step.comment_count).where(Step.id == step)) == 202
    large = _queries(client, count_queries, TALK)
    page = client.get(TALK).text
    assert "Top 99" in page and "Reply 0 to" in page
    later = _queries(client, count_queries, TALK + "?sort=oldest")
    assert len(large) == len(small) == len(later) <= THREAD_BUDGET, "\n".join(large)


def _progress_rows(user_ids: list[int], steps: list[int], completed_every: int = 2) -> None:
    now = utcnow()
    db.session.execute(
        sa.insert(StepProgress),
        [
            {
                "user_id": u,
                "step_id": s,
                "first_visited_at": now,
                "last_visited_at": now,
                "completed_at": now if (n + k) % completed_every else None,
            }
            for n, u in enumerate(user_ids)
            for k, s in enumerate(steps)
        ],
    )


def test_progress_page(client, enrolled, course, count_queries):
    small = _queries(client, count_queries, "/progress")
    steps = [s.id for s in course.steps]
    completion.set_step_complete(enrolled.id, steps[0])
    others = _bulk_users(300, "peer")
    db.session.execute(
        sa.insert(Enrolment), [{"user_id": u, "course_id": course.course.id, "joined_at": utcnow()} for u in others]
    )
    _progress_rows(others, steps)
    db.session.commit()
    large = _queries(client, count_queries, "/progress")
    assert len(large) == len(small) <= PROGRESS_BUDGET, "\n".join(large)


def test_facilitator_cohort_dashboard(client, login, facilitator, course, count_queries):
    cohort = cohorts.create_cohort(course.course.id, "Ward leaders", date(2027, 1, 1), None)
    cohorts.add_member(cohort, facilitator.email, CohortRole.FACILITATOR)
    login(facilitator)
    url = f"/facilitate/cohorts/{cohort.id}"

    def add_learners(prefix: str, n: int) -> None:
        ids = _bulk_users(n, prefix)
        db.session.execute(
            sa.insert(CohortMember),
            [{"cohort_id": cohort.id, "user_id": i, "role": "learner", "created_at": utcnow()} for i in ids],
        )
        db.session.execute(
            sa.insert(Enrolment), [{"user_id": i, "course_id": course.course.id, "joined_at": utcnow()} for i in ids]
        )
        _progress_rows(ids, [s.id for s in course.steps][:3])
        db.session.commit()

    add_learners("few", 3)
    small = _queries(client, count_queries, url)
    add_learners("many", 2000)
    large = _queries(client, count_queries, url)
    text = text_of(client.get(url).text)
    assert "2003 learners shown" in text
    assert len(large) == len(small) <= DASHBOARD_BUDGET, "\n".join(large)


def test_posting_a_comment_costs_the_same_however_many_follow_the_author(client, enrolled, count_queries):
    """One INSERT ... ON CONFLICT for the comment, one INSERT ... SELECT for every follower's notification."""

    def post(n: int) -> list[str]:
        with count_queries() as statements:
            response = client.post(TALK + "/comments", data={"body": f"Comment {n}", "submission": f"key-{n}"})
        assert response.status_code == 302, response.text
        return statements

    post(0)  # warm: the first request of a session reads what later ones keep
    small = post(1)
    fans = _bulk_users(300, "fan")
    db.session.execute(
        sa.insert(Follow), [{"follower_id": f, "followed_id": enrolled.id, "created_at": utcnow()} for f in fans]
    )
    db.session.commit()
    large = post(2)
    told = db.session.scalar(
        sa.select(sa.func.count()).select_from(Notification).where(Notification.kind == "followed")
    )
    assert told == 300
    assert len(large) == len(small) <= POST_BUDGET, "\n".join(large)
