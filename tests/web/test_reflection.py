"""Private reflections: only their author can ever read them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from lms.extensions import db
from lms.learning import service as learning
from lms.reflection.models import Reflection

STEP = "/steps/next-steps/look-back"
SECRET = "A very private thought about my ward manager"


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def write(client, body=SECRET, **extra):
    return client.post(STEP + "/reflection", data={"body": body, **extra})


def the_reflection() -> Reflection | None:
    return db.session.scalar(sa.select(Reflection))


def test_reflection_step_shows_the_private_box_open(client, enrolled):
    page = client.get(STEP).text
    assert "Only you can read this." in page and 'id="reflection"' in page
    assert "<details" not in page.split('id="reflection"')[1].split("<h2")[0]  # open, not folded away
    other = client.get("/steps/first-steps/welcome").text
    assert "Write a private reflection on this step" in other  # optional on any step


def test_save_a_reflection_and_see_it_again(client, enrolled):
    response = write(client, body="I *learned* to listen.", in_record="y")
    assert response.location == STEP + "#reflection"
    reflection = the_reflection()
    assert reflection.user_id == enrolled.id and reflection.in_record and reflection.saved
    assert reflection.body_html == "<p>I <em>learned</em> to listen.</p>"
    page = client.get(STEP).text
    assert "Your reflection is saved. Only you can read it." in page and "I *learned* to listen." in page
    listing = text_of(client.get("/reflections").text)
    assert "Module 2: Next steps 2.1 Look back I learned to listen." in listing
    assert "In your learning record" in listing


def test_saving_again_updates_the_same_reflection(client, enrolled):
    write(client, body="First")
    write(client, body="Second")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Reflection)) == 1
    assert the_reflection().body_md == "Second"


def test_revalidation_structure(client, enrolled):
    write(
        client,
        body="",
        what="The compassion module",
        learned="Listening matters",
        practice="I will hold huddles",
        code="Prioritise people",
    )
    reflection = the_reflection()
    assert reflection.sections_md == {
        "what": "The compassion module",
        "learned": "Listening matters",
        "practice": "I will hold huddles",
        "code": "Prioritise people",
    }
    text = text_of(client.get("/reflections").text)
    assert "How have you changed, or how will you change, your practice? I will hold huddles" in text


@pytest.mark.parametrize(
    "body, message",
    [
        ("", "Write something before saving your reflection"),
        ("   ", "Write something before saving your reflection"),
        ("x" * 10_001, "Keep this to 10,000 characters or fewer"),
    ],
)
def test_empty_and_over_long_reflections_are_refused_with_the_text_kept(client, enrolled, body, message):
    response = write(client, body=body)
    assert response.status_code == 400 and message in response.text
    if body.strip():
        assert body in response.text
    assert the_reflection() is None


def test_autosave_keeps_a_draft(client, enrolled):
    response = client.post(STEP + "/reflection/autosave", data={"body": "Half a thought"})
    assert response.status_code == 200
    saved_at = datetime.fromisoformat(response.json["saved_at"])  # a moment, said in local time by the script
    assert saved_at.tzinfo is not None and abs(datetime.now(UTC) - saved_at) < timedelta(minutes=1)
    reflection = the_reflection()
    assert reflection.body_md == "Half a thought" and not reflection.saved
    assert "draft (autosaved)" in client.get("/reflections").text
    assert client.post(STEP + "/reflection/autosave", data={"body": ""}).status_code == 400


def test_search_my_reflections(client, enrolled, course):
    write(client, body="Huddles at handover")
    client.post("/steps/first-steps/welcome/reflection", data={"body": "Something else entirely"})
    text = text_of(client.get("/reflections?q=HUDDLES").text)
    assert "1 reflection matching" in text and "Huddles at handover" in text and "Something else" not in text


def test_edit_and_delete(client, enrolled):
    write(client)
    rid = the_reflection().id
    assert SECRET in client.get(f"/reflections/{rid}").text
    client.post(f"/reflections/{rid}", data={"body": "Changed my mind"})
    assert the_reflection().body_md == "Changed my mind"
    assert client.post(f"/reflections/{rid}/delete").location == "/reflections"
    assert the_reflection() is None


@pytest.mark.parametrize("persona", ["intruder", "facilitator", "admin"])
def test_nobody_else_can_reach_a_reflection(client, enrolled, course, login, request, persona):
    write(client)
    rid = the_reflection().id
    client.post("/logout")
    other = request.getfixturevalue(persona)
    learning.join_course(other.id, course.course.id)
    login(other)
    assert client.get(f"/reflections/{rid}").status_code == 404
    assert client.post(f"/reflections/{rid}", data={"body": "overwritten"}).status_code == 404
    assert client.post(f"/reflections/{rid}/delete").status_code == 404
    for url in ("/reflections", STEP, f"/reflections?q={SECRET.split()[2]}"):
        assert SECRET not in client.get(url).text, url
    assert the_reflection().body_md == SECRET


def test_reflections_need_sign_in(client, course):
    assert client.get("/reflections").location.startswith("/login")
    assert (
        client.post(STEP + "/reflection", data={"body": ""}).location
        == "/login?next=%2Fsteps%2Fnext-steps%2Flook-back%23reflection"
    )
    # Text from a browser where nobody signed in cannot be kept for anyone: it comes back to copy.
    refused = client.post(STEP + "/reflection", data={"body": "x"})
    assert refused.status_code == 401 and "You were signed out, so your reflection was not saved" in refused.text
    assert ">x</textarea>" in refused.text and the_reflection() is None
