"""Share a reflection: a copy goes into the step's comment box to edit and post; the private
reflection itself stays private and unchanged, and nobody else can open the share page."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from lms.comments.models import Comment
from lms.content.learner_markdown import render_learner_markdown
from lms.extensions import db
from lms.learning import service as learning
from lms.reflection.models import Reflection
from tests.growth import growth

STEP = "/steps/next-steps/look-back"
SECRET = "On Tuesday I snapped at a student nurse; I was tired"


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def write(client, **data):
    client.post(STEP + "/reflection", data={"body": SECRET, **data})
    return db.session.scalar(sa.select(Reflection))


def test_share_links_sit_beside_the_reflection_and_in_my_reflections(client, enrolled):
    assert "Share a copy in the comments" not in client.get(STEP).text  # nothing to share yet
    mine = write(client)
    share = f"/record/reflections/{mine.id}/share"
    assert f'href="{share}"' in client.get(STEP).text
    assert f'href="{share}"' in client.get("/reflections").text


def test_share_page_fills_the_comment_box_with_a_copy(client, enrolled):
    mine = write(client, learned="Rest matters", practice="I take my breaks")
    page = client.get(f"/record/reflections/{mine.id}/share").text
    assert f'action="{STEP}/comments"' in page and 'name="body"' in page and 'name="submission"' in page
    box = page.split('name="body"')[1].split("</textarea>")[0]
    assert SECRET in box
    assert "**What did you learn from it?**\n\nRest matters" in box
    assert "**How have you changed, or how will you change, your practice?**\n\nI take my breaks" in box
    text = text_of(page)
    assert "Share your reflection in the comments" in text and "Your private reflection stays as it is" in text


def test_posting_the_edited_copy_makes_a_comment_and_leaves_the_reflection_alone(client, enrolled):
    mine = write(client)
    before = (mine.body_md, mine.body_html, mine.updated_at)
    page = client.get(f"/record/reflections/{mine.id}/share").text
    submission = re.search(r'name="submission"[^>]*value="([0-9a-fk-]+)"', page).group(1)
    edited = "I learned that being tired changes how I lead. I now take my breaks."
    response = client.post(STEP + "/comments", data={"body": edited, "submission": submission})
    comment = db.session.scalar(sa.select(Comment))
    assert response.location == f"{STEP}#comment-{comment.id}"
    assert comment.body_md == edited and comment.author_id == enrolled.id
    db.session.expire_all()
    kept = db.session.get(Reflection, mine.id)
    assert (kept.body_md, kept.body_html, kept.updated_at) == before
    step_page = client.get(STEP).text
    assert edited in step_page and step_page.count(SECRET) == 1  # in the private box only


def test_a_copy_longer_than_a_comment_is_flagged(client, enrolled):
    mine = write(client, body="word " * 1500)
    text = text_of(client.get(f"/record/reflections/{mine.id}/share").text)
    assert "Too long for a comment" in text and "up to 5,000 characters" in text


@pytest.mark.parametrize("persona", ["intruder", "facilitator", "admin"])
def test_nobody_else_can_open_the_share_page(client, enrolled, course, login, request, persona):
    mine = write(client)
    client.post("/logout")
    other = request.getfixturevalue(persona)
    learning.join_course(other.id, course.course.id)
    login(other)
    response = client.get(f"/record/reflections/{mine.id}/share")
    assert response.status_code == 404 and SECRET not in response.text


def test_share_page_needs_sign_in(client, enrolled):
    mine = write(client)
    client.post("/logout")
    assert client.get(f"/record/reflections/{mine.id}/share").location.startswith("/login")


def test_a_hostile_reflection_saves_and_renders_inert_with_work_in_step_with_its_length(client, enrolled):
    # Python-Markdown took many seconds on this: its work grew with the square of the length.
    assert growth(render_learner_markdown, lambda n: "[" * n + "<script>alert(1)</script>", 9_000) < 6
    mine = write(client, body="[" * 9_000 + "<script>alert(1)</script>")
    assert "<script" not in mine.body_html
