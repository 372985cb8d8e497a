"""Facilitators see their cohort's discussion, a care queue of people to reach, and the
cohort's self-assessments in aggregate (only from five responses); learners see their own
scores beside their cohort's averages. Nobody sees one person's self-assessment answers."""

from __future__ import annotations

import html
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from lms.accounts.models import User
from lms.assessment import scoring
from lms.assessment import service as assessment
from lms.assessment.models import SelfAssessmentResponse
from lms.cohorts import service as cohorts
from lms.cohorts.models import CohortMember, CohortRole
from lms.comments import reports
from lms.comments.models import Comment
from lms.content import service as content
from lms.db import utcnow
from lms.extensions import db
from lms.learning import service as learning
from lms.learning.models import Enrolment, StepProgress
from tests.conftest import ASSESSMENT_MODULES
from tests.factories import make_comment, make_user

TEAM_MODULE = Path(__file__).resolve().parents[1] / "fixtures" / "facilitation"


def text_of(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.fixture
def outline(app, content_copy):
    """The fixture course with the assessment module and a module with a team self-assessment."""
    shutil.copytree(ASSESSMENT_MODULES, content_copy / "modules", dirs_exist_ok=True)
    shutil.copytree(TEAM_MODULE, content_copy / "modules", dirs_exist_ok=True)
    content.import_content(content_copy)
    return content.get_outline()


def step_of_type(outline, kind: str, audience: str | None = None):
    return next(
        s
        for s in outline.steps
        if s.type == kind and (audience is None or content.get_step_settings(s.id).get("audience") == audience)
    )


@pytest.fixture
def cohort(outline, facilitator):
    cohort = cohorts.create_cohort(outline.course.id, "Ward leaders", date(2027, 1, 1), None)
    cohorts.add_member(cohort, facilitator.email, CohortRole.FACILITATOR)
    learning.join_course(facilitator.id, outline.course.id)
    db.session.commit()
    return cohort


def add_learner(cohort, name: str) -> User:
    user = make_user(display_name=name)
    cohorts.add_member(cohort, user.email, CohortRole.LEARNER)
    db.session.commit()
    return user


def answer_team(user, step, speak: int, blame: int, help_: int):
    sheet = {"speak": [str(speak)], "blame": [str(blame)], "help": [str(help_)]}
    return assessment.take_self_assessment(user.id, step, str(step.id), sheet)


def answer_self(user, step, listen: int, interrupt: int, obstacles: int):
    sheet = {"listen": [str(listen)], "interrupt": [str(interrupt)], "obstacles": [str(obstacles)]}
    return assessment.take_self_assessment(user.id, step, str(step.id), sheet)


def test_anonymous_learners_and_other_facilitators_are_refused(client, login, cohort, outline, learner):
    pages = [f"/facilitate/cohorts/{cohort.id}/{p}" for p in ("discussion", "care", "self-assessments")]
    for url in pages:
        assert client.get(url).location.startswith("/login"), url
    login(learner)
    for url in pages:
        assert client.get(url).status_code == 403, url
    other = make_user(role="facilitator")
    theirs = cohorts.create_cohort(outline.course.id, "Theirs", date(2027, 1, 1), None)
    cohorts.add_member(theirs, other.email, CohortRole.FACILITATOR)
    db.session.commit()
    client.post("/logout")
    login(other)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 403 and "Ward leaders" not in response.text, url
        assert client.get(url.replace(f"/{cohort.id}/", f"/{theirs.id}/")).status_code == 200


def test_discussion_counts_the_cohorts_comments_this_week_and_in_total(client, login, facilitator, cohort, outline):
    ann, ben = add_learner(cohort, "Ann Able"), add_learner(cohort, "Ben Bold")
    outsider = make_user(display_name="Out Sider")
    learning.join_course(outsider.id, outline.course.id)
    welcome, talk = outline.steps[0], outline.steps[2]
    make_comment(ann, welcome.id, "Hello all", when=utcnow() - timedelta(days=10))
    answered = make_comment(ben, welcome.id, "First day here")
    make_comment(ann, welcome.id, "Welcome Ben", parent=answered)
    reported = make_comment(ben, talk.id, "On my ward we huddle")
    make_comment(outsider, talk.id, "Not in the cohort")  # not counted anywhere
    make_comment(outsider, talk.id, "Nor is this")
    reports.report(outsider, reported, "unkind", "")
    db.session.commit()
    login(facilitator)
    text = text_of(client.get(f"/facilitate/cohorts/{cohort.id}/discussion").text)
    assert "3 comments in the last 7 days, 4 in total" in text
    assert "2 steps with comments nobody has replied to" in text
    assert "1 reported comment waiting for a facilitator" in text and "open the moderation queue" in text
    assert f"{welcome.number} {welcome.title} 2 3 1" in text  # Ann's old comment has no reply
    assert f"{talk.number} {talk.title} 1 1 1" in text


def test_care_queue_lists_people_to_reach(client, login, facilitator, cohort, outline):
    step = outline.steps[0]
    first = add_learner(cohort, "Fola First")
    replied_to = add_learner(cohort, "Rae Replied")
    regular = add_learner(cohort, "Reg Regular")
    quiet = add_learner(cohort, "Quinn Quiet")
    add_learner(cohort, "Nev Never")  # never active: not "gone quiet"
    outsider = make_user(display_name="Out Sider")
    learning.join_course(outsider.id, outline.course.id)
    lonely = make_comment(first, step.id, "Is anyone else finding this hard?")
    answered = make_comment(replied_to, step.id, "My first post")
    make_comment(regular, step.id, "A reply", parent=answered)
    waiting = make_comment(regular, step.id, "Three days and no answer", when=utcnow() - timedelta(days=3))
    make_comment(regular, step.id, "Just now, no answer yet")
    make_comment(outsider, step.id, "Outside the cohort", when=utcnow() - timedelta(days=5))
    learning.record_visit(quiet.id, step.id)
    db.session.execute(
        sa.update(StepProgress)
        .where(StepProgress.user_id == quiet.id)
        .values(last_visited_at=utcnow() - timedelta(days=20))
    )
    db.session.commit()
    login(facilitator)
    page = client.get(f"/facilitate/cohorts/{cohort.id}/care").text
    text = text_of(page)
    first_part = text.split("First comments nobody has answered", 1)[1].split("No reply after 2 days", 1)[0]
    no_reply = text.split("No reply after 2 days", 1)[1].split("Gone quiet", 1)[0]
    gone_quiet = text.split("Gone quiet", 1)[1]
    assert first_part.startswith(" (1)") and "Fola First" in first_part and "Is anyone else finding" in first_part
    assert "Rae Replied" not in first_part and "Reg Regular" not in first_part
    assert no_reply.startswith(" (1)") and "Three days and no answer" in no_reply and "Just now" not in no_reply
    assert "Out Sider" not in text
    assert gone_quiet.startswith(" (1)") and "Quinn Quiet" in gone_quiet and "Nev Never" not in gone_quiet
    assert f'href="/comments/{lonely.id}"' in page and f'href="/comments/{waiting.id}"' in page
    assert f'href="/facilitate/cohorts/{cohort.id}/learners/{first.id}"' in page
    assert f'href="/facilitate/cohorts/{cohort.id}/learners/{quiet.id}"' in page
    # A facilitator's reply takes the comment off the queue.
    make_comment(facilitator, step.id, "You are not alone", parent=lonely)
    text = text_of(client.get(f"/facilitate/cohorts/{cohort.id}/care").text)
    assert "First comments nobody has answered (0)" in text and "Every learner's first comment has had a reply" in text


TEAM_ANSWERS = [(1, 5, 2), (2, 4, 3), (4, 2, 4), (5, 1, 5), (3, 3, 5)]  # speak, blame (reversed), help


def test_self_assessments_show_only_from_five_responses(client, login, facilitator, cohort, outline):
    team = step_of_type(outline, "self-assessment", "team")
    learners = [add_learner(cohort, f"Lea {n}") for n in range(5)]
    answer_team(learners[0], team, 5, 1, 5)  # replaced by the newer answers below: each learner counts once
    for person, answers in zip(learners[:4], TEAM_ANSWERS[:4]):
        answer_team(person, team, *answers)
    outsider = make_user()
    learning.join_course(outsider.id, outline.course.id)
    answer_team(outsider, team, 5, 1, 5)  # not in the cohort
    login(facilitator)
    url = f"/facilitate/cohorts/{cohort.id}/self-assessments"
    text = text_of(client.get(url).text)
    section = text.split("How is our culture?", 1)[1]
    assert "About their team 4 learners have answered. 1 more response needed" in section
    assert "Speaking up" not in section and "Average" not in section
    assert "How you lead About themselves 0 learners have answered. 5 more responses needed" in text

    answer_team(learners[4], team, *TEAM_ANSWERS[4])
    page = client.get(url).text
    text = text_of(page)
    # Speaking up per learner: 1.0, 2.0, 4.0, 5.0, 3.0 -> mean 3.0, population SD 1.4;
    # Support: 2, 3, 4, 5, 5 -> mean 3.8, SD 1.2.
    assert "About their team From the answers of 5 learners. Updated each time five more people have answered" in text
    assert ("Speaking up 3.0 1.4 A priority to build: 2 (40%) A strength: 3 (60%)") in text
    assert "Support 3.8 1.2 Partly there: 2 (40%) Strong: 3 (60%)" in text
    assert text.index("3.2 How you lead") < text.index("4.1 How is our culture?")  # in step number order
    assert "Spread (how far answers differ)" in text and "standard deviation" not in text
    chart = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in chart and "style=" not in chart
    assert '<circle cx="144.0"' in chart  # Speaking up's average, 3.0, on the 1 to 5 axis (20 + 2 x 62)
    assert not any(name in text for name in ("Lea 0", "Lea 1", "Lea 4"))


def test_personal_self_assessments_aggregate_under_the_same_rule(client, login, facilitator, cohort, outline):
    personal = step_of_type(outline, "self-assessment", "self")
    for n, answers in enumerate([(5, 1, 5), (4, 2, 4), (3, 3, 3), (2, 4, 2), (1, 5, 1)]):
        answer_self(add_learner(cohort, f"Sol {n}"), personal, *answers)
    login(facilitator)
    text = text_of(client.get(f"/facilitate/cohorts/{cohort.id}/self-assessments").text)
    section = text.split("How you lead", 1)[1]
    assert "About themselves From the answers of 5 learners" in section
    assert "Attending 3.0 1.4 Starting out: 2 (40%) Developing: 1 (20%) Strong: 2 (40%)" in section
    assert "Sol 0" not in text


def test_learners_mirror_compares_with_the_cohort_from_five(client, login, cohort, outline):
    team = step_of_type(outline, "self-assessment", "team")
    me = add_learner(cohort, "Mia Mirror")
    answer_team(me, team, 5, 1, 5)
    login(me)
    url = f"/steps/{team.module_slug}/{team.slug}/results"
    text = text_of(client.get(url).text)
    assert (
        "You and your cohort" in text
        and "at least 5 learners in Ward leaders have answered: 4 more responses needed" in text
    )
    assert "Cohort average" not in text
    for n, answers in enumerate(TEAM_ANSWERS[:4]):
        answer_team(add_learner(cohort, f"Peer {n}"), team, *answers)
    text = text_of(client.get(url).text)
    # Speaking up: me 5.0; cohort 1, 2, 4, 5 and my 5 -> 3.4. Support: 5; cohort 2, 3, 4, 5, 5 -> 3.8.
    assert "You Cohort average Speaking up 5.0 3.4 Support 5.0 3.8" in text
    assert "Peer 0" not in text


def test_a_learner_in_no_cohort_has_nothing_to_compare_with(client, login, outline, learner):
    team = step_of_type(outline, "self-assessment", "team")
    learning.join_course(learner.id, outline.course.id)
    answer_team(learner, team, 3, 3, 3)
    login(learner)
    text = text_of(client.get(f"/steps/{team.module_slug}/{team.slug}/results").text)
    assert "You are not in a cohort, so there is no group to compare your scores with" in text


def test_learner_summary_shows_test_scores_but_no_self_assessment(client, login, facilitator, cohort, outline):
    person = add_learner(cohort, "Tess Taker")
    quiz, test = step_of_type(outline, "quiz"), step_of_type(outline, "test")
    questions = assessment.settings_for(test, assessment.QUIZ_TYPES)["questions"]
    right = {q["id"]: scoring.correct_keys(q) for q in questions}
    wrong = {
        q["id"]: [k for k in scoring.option_keys(q) if k not in scoring.correct_keys(q)][:1] or ["1"] for q in questions
    }
    assessment.answer_quiz(person.id, test, str(test.id), wrong)
    assessment.answer_quiz(person.id, test, str(test.id), right)
    answer_team(person, step_of_type(outline, "self-assessment", "team"), 1, 5, 1)
    login(facilitator)
    text = text_of(client.get(f"/facilitate/cohorts/{cohort.id}/learners/{person.id}").text)
    assert f"{test.number} {test.title} 2 100% Passed" in text
    assert f"{quiz.number} {quiz.title} 0 – Not taken yet" in text
    assert "Speaking up" not in text and "priority to build" not in text and "1.0" not in text


def _bulk_cohort(cohort, outline, facilitator, n: int, first: int) -> None:
    """n more learners, each with progress, a comment and a team response, inserted in bulk."""
    hashed = db.session.get(User, facilitator.id).password_hash
    now = utcnow()
    db.session.execute(
        sa.insert(User),
        [
            {
                "email": f"bulk{first + i}@example.org",
                "display_name": f"Bulk {first + i}",
                "password_hash": hashed,
                "role": "learner",
                "active": True,
                "created_at": now,
            }
            for i in range(n)
        ],
    )
    ids = db.session.scalars(sa.select(User.id).where(User.email.like("bulk%")).order_by(User.id)).all()[first:]
    db.session.execute(
        sa.insert(CohortMember),
        [{"cohort_id": cohort.id, "user_id": i, "role": "learner", "created_at": now} for i in ids],
    )
    db.session.execute(
        sa.insert(Enrolment), [{"user_id": i, "course_id": outline.course.id, "joined_at": now} for i in ids]
    )
    old = now - timedelta(days=30)
    db.session.execute(
        sa.insert(StepProgress),
        [
            {
                "user_id": i,
                "step_id": outline.steps[0].id,
                "first_visited_at": old,
                "last_visited_at": old,
                "completed_at": old,
            }
            for i in ids
        ],
    )
    db.session.execute(
        sa.insert(Comment),
        [
            {
                "step_id": outline.steps[k % 3].id,
                "author_id": i,
                "body_md": "Bulk comment",
                "body_html": "<p>Bulk</p>",
                "created_at": now - timedelta(hours=12 + 24 * (k % 5)),
                "like_count": 0,
                "reply_count": 0,
            }
            for k, i in enumerate(ids)
        ],
    )
    team = step_of_type(outline, "self-assessment", "team")
    db.session.execute(
        sa.insert(SelfAssessmentResponse),
        [
            {
                "user_id": i,
                "step_id": team.id,
                "audience": "team",
                "answers": {"speak": 3, "blame": 3, "help": 3},
                "scores": {"safety": 1.0 + k % 5, "support": 3.0},
                "submitted_at": now,
            }
            for k, i in enumerate(ids)
        ],
    )
    db.session.commit()


def test_new_pages_make_a_fixed_number_of_queries(client, login, facilitator, cohort, outline, count_queries):
    pages = [f"/facilitate/cohorts/{cohort.id}/{p}" for p in ("discussion", "care", "self-assessments")]

    def counts() -> list[int]:
        found = []
        for url in pages:
            with count_queries() as statements:
                assert client.get(url).status_code == 200
            found.append(len(statements))
        return found

    _bulk_cohort(cohort, outline, facilitator, 6, 0)
    login(facilitator)
    small = counts()
    _bulk_cohort(cohort, outline, facilitator, 1500, 6)
    assert counts() == small and max(small) <= 10, small
    assert "1506 comments in the last 7 days, 1506 in total" in text_of(client.get(pages[0]).text)
    text = text_of(client.get(pages[1]).text)
    # Comments 12, 36, 60, 84 and 108 hours old in turn: three in five wait more than 2 days.
    assert "First comments nobody has answered (1506)" in text and "No reply after 2 days (903)" in text
    assert "Gone quiet (1506)" in text and "And 1481 more: see every stalled learner" in text
    text = text_of(client.get(pages[2]).text)
    # Inserted in bulk, not through an answer: the page takes the batch their count makes due.
    assert "About their team From the answers of 1506 learners" in text and "Speaking up 3.0 1.4" in text


def test_demo_gives_the_facilitator_a_cohort_with_the_learner(runner, client, course):
    for _ in range(2):
        assert runner.invoke(args=["demo"]).exit_code == 0
    facilitator = db.session.scalar(sa.select(User).where(User.email == "facilitator@example.org"))
    [cohort] = cohorts.facilitated_by(facilitator)
    assert cohort.name == "Demo cohort: Ward and community leaders" and cohort.learners == 13
    client.post("/login", data={"email": "facilitator@example.org", "password": "demo password 2026"})
    assert "Sam Learner" in text_of(client.get(f"/facilitate/cohorts/{cohort.id}").text)
