"""The care queue shows each waiting comment as it reads in its thread (rendered, sanitised,
cut after whole words with a link to the rest) and marks a reported one "Reported", with the
reason, linking to it in the moderation queue."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from lms.cohorts import service as cohorts
from lms.cohorts.models import CohortRole
from lms.comments import reports
from lms.comments.excerpts import WORDS
from lms.comments.models import Comment
from lms.extensions import db
from lms.learning import service as learning
from lms.moderation import service as moderation
from tests.factories import make_comment, make_user
from tests.web.test_facilitation_support import add_learner, text_of


@pytest.fixture
def cohort(course, facilitator):
    cohort = cohorts.create_cohort(course.course.id, "Ward leaders", date(2027, 1, 1), None)
    cohorts.add_member(cohort, facilitator.email, CohortRole.FACILITATOR)
    learning.join_course(facilitator.id, course.course.id)  # to read the threads the queue links to
    return cohort


@pytest.fixture
def care(cohort):
    return f"/facilitate/cohorts/{cohort.id}/care"


@pytest.fixture
def reporter(course):
    user = make_user(display_name="Rita Reporter")
    learning.join_course(user.id, course.course.id)
    return user


def card_of(page: str, comment_id: int) -> str:
    """The care queue's card of one comment (its first, if it is in both lists)."""
    cards = re.findall(r'<li class="nhsuk-card">.*?</div></li>', page, re.S)
    return next(c for c in cards if f'href="/comments/{comment_id}"' in c)


def test_comments_are_shown_rendered_and_sanitised_as_in_their_thread(client, login, facilitator, cohort, course, care):
    ann = add_learner(cohort, "Ann Able")
    said = make_comment(
        ann, course.steps[0].id, "**Compassion** is _hard_ <script>alert(1)</script> [see](javascript:x)"
    )
    login(facilitator)
    card = card_of(client.get(care).text, said.id)
    assert "<strong>Compassion</strong> is <em>hard</em>" in card and "**" not in card
    assert "&lt;script&gt;" in card and "<script" not in card and 'href="javascript' not in card
    assert said.body_html in card  # the HTML its thread shows, kept when it was posted
    assert ">Read and reply<" in card and "…" not in card


def test_a_long_comment_is_cut_after_whole_words_with_a_link_to_the_whole(
    client, login, facilitator, cohort, course, care
):
    ann = add_learner(cohort, "Ann Able")
    body = "**Compassion** " + " ".join(f"w{n}" for n in range(300)) + " THE-END"
    said = make_comment(ann, course.steps[0].id, body)
    login(facilitator)
    card = card_of(client.get(care).text, said.id)
    assert "<strong>Compassion</strong>" in card and f"w{WORDS - 2} …</p>" in card
    assert f"w{WORDS - 1}" not in card and "THE-END" not in card
    assert f'href="/comments/{said.id}">Read the whole comment and reply' in card
    assert "THE-END" in client.get(f"/comments/{said.id}", follow_redirects=True).text  # all of it, there


def test_a_reported_comment_is_marked_with_the_reason_and_links_to_it_in_the_moderation_queue(
    client, login, facilitator, cohort, course, care, reporter
):
    ann, ben = add_learner(cohort, "Ann Able"), add_learner(cohort, "Ben Bold")
    step = course.steps[0].id
    earlier = [make_comment(make_user(), step, f"Older report {n}") for n in range(3)]
    for comment in earlier:
        reports.report(reporter, comment, "spam")
    quiet = make_comment(ben, step, "Nobody has reported this")
    said = make_comment(ann, step, "Bed 4 was rude today")
    reports.report(reporter, said, "confidential", "Names a bed")
    reports.report(make_user(), said, "unkind")
    reports.report(make_user(), said, "confidential")  # each reason once, in the order the forms give them
    login(facilitator)
    page = client.get(care).text
    card = card_of(page, said.id)
    assert "Reported" in card and "nhsuk-tag" in card
    assert (
        "Reported Unkind, disrespectful or bullying; "
        "Shares confidential or identifiable information (for example about a patient)." in text_of(card)
    )
    link = f"/moderation?comment={said.id}#comment-{said.id}"
    assert f'href="{link}"' in card
    assert "Reported" not in card_of(page, quiet.id)
    # The link opens the queue at that comment (after three reported before it), with its reports.
    queue = client.get(link.split("#")[0]).text
    assert f'id="comment-{said.id}"' in queue and "Older report" not in queue
    assert "Names a bed" in queue and "See the whole queue, oldest first" in queue
    # Once it is dealt with, the link says so and shows the whole queue; the card is gone.
    moderation.hide(facilitator, said, "confidential", "")
    queue = text_of(client.get(link.split("#")[0]).text)
    assert "That comment is no longer waiting" in queue and "Older report 0" in queue
    assert f'href="/comments/{said.id}"' not in client.get(care).text


def test_the_care_queue_promises_only_what_it_offers(client, login, facilitator, cohort, course, care):
    login(facilitator)
    page = client.get(care).text
    lede = text_of(page.split('class="nhsuk-lede-text">', 1)[1].split("</p>", 1)[0])
    assert "a message by email" in lede  # which "Send a message" sends, beside each quiet learner
    assert "Send a message" in page  # explained on the page even before anyone has gone quiet


def test_learners_and_other_cohorts_facilitators_are_refused_the_moderation_link(
    client, login, learner, cohort, course, reporter
):
    ann = add_learner(cohort, "Ann Able")
    said = make_comment(ann, course.steps[0].id, "Bed 4 was rude today")
    reports.report(reporter, said, "unkind")
    login(learner)
    assert client.get(f"/moderation?comment={said.id}").status_code == 403
    client.post("/logout")
    other = make_user(role="facilitator")
    theirs = cohorts.create_cohort(course.course.id, "Theirs", date(2027, 1, 1), None)
    cohorts.add_member(theirs, other.email, CohortRole.FACILITATOR)
    db.session.commit()
    login(other)
    response = client.get(f"/facilitate/cohorts/{cohort.id}/care")
    assert response.status_code == 403 and "Bed 4" not in response.text


def test_marks_and_excerpts_cost_no_query_of_their_own(
    client, login, facilitator, cohort, course, care, reporter, count_queries
):
    step = course.steps[0].id
    long_text = "**Compassion** " + "word " * 200

    def add(n: int) -> None:
        for _ in range(n):
            said = make_comment(add_learner(cohort, "Ann Able"), step, long_text)
            reports.report(reporter, said, "unkind")

    def cost(url: str) -> int:
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    add(1)
    login(facilitator)
    first = db.session.scalar(sa.select(sa.func.min(Comment.id)))
    cost(care), cost(f"/moderation?comment={first}")  # the first visits fill this process's caches
    small = (cost(care), cost(f"/moderation?comment={first}"))
    add(30)
    page = client.get(care).text
    assert page.count(">Reported</strong>") == 25 and page.count(" …</p>") == 25  # the list, capped
    assert (cost(care), cost(f"/moderation?comment={first}")) == small and small[0] <= 10, small
