"""The step editor edits either language (issue 21): an admin chooses English or Cymraeg at
the top (`?language=cy`), creates the Welsh version from the English text, saves Welsh
revisions, publishes them and compares them; Welsh readers then see the Welsh. The Welsh is
refused as `content check` refuses it (a quiz keeps the English question ids and option
counts), with the text typed kept; only admins reach it, and only with the form's token."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa
import yaml

from lms.content import revisions
from lms.content.models import Module, Step, StepRevision, StepTranslation
from lms.extensions import db
from tests.web.test_csrf import csrf_client  # noqa: F401 (the fixture)
from tests.web.test_csrf import sign_in as sign_in_with_token

WELSH = {"Accept-Language": "cy"}


def step_of(slug: str) -> Step:
    return db.session.scalar(sa.select(Step).where(Step.slug == slug))


def welsh_of(step: Step) -> StepTranslation | None:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(StepTranslation).where(StepTranslation.step_id == step.id, StepTranslation.language == "cy")
    )


def editor(step: Step) -> str:
    return f"/admin/course/steps/{step.id}?language=cy"


def box(page: str, name: str) -> str:
    return html.unescape(re.search(rf'<textarea[^>]*name="{name}"[^>]*>\n?(.*?)</textarea>', page, re.S).group(1))


def welsh_form(step: Step, base: int, **changes) -> dict:
    return {"title": "Croeso", "body": "## Helo\n\nDyma'r erthygl groeso.", "base_revision": str(base), **changes}


@pytest.fixture
def author(client, login, admin, course):
    login(admin)
    return admin


def test_the_editor_offers_both_languages_and_starts_the_welsh_from_the_english(client, author):
    step = step_of("welcome")
    english = client.get(f"/admin/course/steps/{step.id}").text
    assert f'href="/admin/course/steps/{step.id}?language=cy"' in english and ">Cymraeg</a>" in english
    page = client.get(editor(step)).text
    assert "<h1>Edit the Welsh version: Welcome</h1>" in page
    assert 'aria-current="true">Cymraeg</a>' in page and "This step has no Welsh version yet" in page
    assert 'value="Welcome"' in page and "This is the **welcome** article." in box(page, "body")
    assert 'name="type"' not in page and 'name="duration"' not in page  # the English step's
    assert welsh_of(step) is None  # only shown: nothing made until it is saved


def test_an_admin_creates_and_publishes_the_welsh_and_a_welsh_reader_sees_it(client, author, sign_in, learner):
    step = step_of("welcome")
    reader = sign_in(learner)
    assert "This is the" in reader.get("/steps/first-steps/welcome", headers=WELSH).text  # the English, for now
    created = client.post(editor(step), data=welsh_form(step, 0, save="1"))
    assert created.status_code == 302 and created.location == editor(step)
    page = client.get(created.location).text
    assert "Saved the Welsh version as revision 1. Welsh readers will see it when you publish." in page
    assert "Welsh readers still see the English. Publish to show them revision 1 of the Welsh version." in page
    welsh = welsh_of(step)
    assert (welsh.title, welsh.revision, welsh.live_revision) == ("Croeso", 1, 0)
    assert "This is the" in reader.get("/steps/first-steps/welcome", headers=WELSH).text  # until published
    first = client.post(editor(step), data=welsh_form(step, 1, publish="1"))
    assert first.status_code == 302 and welsh_of(step).live_revision == 1
    assert "Dyma'r erthygl groeso." in html.unescape(reader.get("/steps/first-steps/welcome", headers=WELSH).text)
    # A second Welsh revision waits for Publish too, and leaves the English alone.
    client.post(editor(step), data=welsh_form(step, 1, body="Ail fersiwn yr erthygl.", save="1"))
    assert (welsh_of(step).revision, welsh_of(step).live_revision) == (2, 1)
    assert "Ail fersiwn" not in reader.get("/steps/first-steps/welcome", headers=WELSH).text
    page = client.get(editor(step)).text
    assert "Welsh readers still see revision 1. Publish to show them revision 2." in page
    published = client.post(editor(step), data=welsh_form(step, 2, body="Ail fersiwn yr erthygl.", publish="1"))
    assert published.status_code == 302
    assert "Published: Welsh readers now see this version." in client.get(published.location).text
    assert welsh_of(step).live_revision == 2
    assert "Ail fersiwn yr erthygl." in reader.get("/steps/first-steps/welcome", headers=WELSH).text
    english = reader.get("/steps/first-steps/welcome", headers={"Accept-Language": "en"}).text
    assert "Ail fersiwn" not in english and "This is the" in english
    db.session.expire_all()
    assert (step_of("welcome").revision, step_of("welcome").title) == (1, "Welcome")  # English untouched


def test_welsh_revisions_are_compared_and_restored_in_their_own_language(client, author):
    step = step_of("welcome")
    client.post(editor(step), data=welsh_form(step, 0, save="1"))
    client.post(editor(step), data=welsh_form(step, 1, body="Ail fersiwn.", save="1"))
    page = client.get(editor(step)).text
    assert '<input type="hidden" name="language" value="cy">' in page
    compare = client.get(f"/admin/course/steps/{step.id}/revisions/compare?language=cy&old=1&new=2").text
    assert "Changes to the Welsh version from revision 1 to 2" in compare
    assert "Ail fersiwn." in compare and "Dyma&#39;r erthygl groeso." in compare
    assert f'href="{editor(step)}"' in compare  # back to the Welsh editor
    restored = client.post(f"/admin/course/steps/{step.id}/revisions/1/restore?language=cy")
    assert restored.location == editor(step)
    assert "Dyma'r erthygl groeso." in box(client.get(editor(step)).text, "body")
    db.session.expire_all()
    assert step_of("welcome").revision == 1  # the English numbers its own revisions


def test_a_welsh_quiz_with_a_different_option_count_is_refused_with_the_text_kept(
    client, login, admin, assessed_course
):
    login(admin)
    step = step_of("quick-quiz")
    settings = yaml.safe_load(box(client.get(editor(step)).text, "settings"))
    settings["questions"][0]["prompt"] = "Pa liw yw logo'r GIG?"
    settings["questions"][0]["options"].append({"text": "Gwyrdd", "correct": False, "feedback": "Na."})
    typed = yaml.safe_dump(settings, allow_unicode=True, sort_keys=False)
    response = client.post(
        editor(step),
        data={"title": "Cwis cyflym", "settings": typed, "body": "Atebwch.", "base_revision": "0", "save": "1"},
    )
    assert response.status_code == 400
    assert "question colour has 3 options; in the English version it has 2" in html.unescape(response.text)
    assert "Pa liw yw logo" in box(response.text, "settings") and "Gwyrdd" in box(response.text, "settings")
    assert 'value="Cwis cyflym"' in response.text
    assert welsh_of(step) is None
    # The same wording with the English options is saved.
    settings["questions"][0]["options"].pop()
    saved = client.post(
        editor(step),
        data={
            "title": "Cwis cyflym",
            "settings": yaml.safe_dump(settings, allow_unicode=True),
            "body": "Atebwch.",
            "base_revision": "0",
            "save": "1",
        },
    )
    assert saved.status_code == 302
    assert welsh_of(step).settings["questions"][0]["prompt"] == "Pa liw yw logo'r GIG?"


def test_a_welsh_save_over_another_is_refused_as_stale(client, author):
    step = step_of("welcome")
    client.post(editor(step), data=welsh_form(step, 0, save="1"))
    response = client.post(editor(step), data=welsh_form(step, 0, body="Fy fersiwn i.", save="1"))
    assert response.status_code == 409 and "Someone else saved this step after you opened it" in response.text
    assert "Fy fersiwn i." in box(response.text, "body")


def test_the_welsh_editor_itself_can_be_in_welsh(client, author):
    page = client.get(editor(step_of("welcome")), headers=WELSH).text
    assert "Golygu&#39;r fersiwn Gymraeg: Welcome" in page or "Golygu'r fersiwn Gymraeg: Welcome" in page


@pytest.mark.parametrize("persona", ["learner", "facilitator"])
def test_learners_and_facilitators_cannot_reach_the_welsh_editor(client, login, request, course, persona):
    login(request.getfixturevalue(persona))
    step = step_of("welcome")
    assert client.get(editor(step)).status_code == 403
    assert client.post(editor(step), data=welsh_form(step, 0, save="1")).status_code == 403
    assert client.post(editor(step), data=welsh_form(step, 0, publish="1")).status_code == 403
    assert client.get(f"/admin/course/steps/{step.id}/revisions/compare?language=cy").status_code == 403
    assert welsh_of(step) is None


def test_an_unknown_language_is_not_found(client, author):
    assert client.get(f"/admin/course/steps/{step_of('welcome').id}?language=fr").status_code == 404


def test_the_welsh_editor_needs_the_forms_token(csrf_client, course, admin):
    sign_in_with_token(csrf_client, admin.email)
    step = step_of("welcome")
    refused = csrf_client.post(editor(step), data=welsh_form(step, 0, save="1"))
    assert refused.status_code == 400 and welsh_of(step) is None
    value = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', csrf_client.get(editor(step)).text).group(1)
    assert csrf_client.post(editor(step), data=welsh_form(step, 0, save="1", csrf_token=value)).status_code == 302
    assert welsh_of(step).title == "Croeso"
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(StepRevision).where(StepRevision.language == "cy"))
        == 1
    )
    assert revisions.latest(step_of("welcome"), "cy").title == "Croeso"


def module_form(**changes) -> dict:
    return {
        "title": "Camau cyntaf",
        "summary": "Dechrau arni.",
        "activities": "getting-started: Dechrau arni\ntalking: Siarad amdano",
        "introduction": "Croeso i'r modiwl cyntaf.",
        **changes,
    }


def test_an_admin_writes_a_modules_welsh_version_and_welsh_readers_see_it(client, author, sign_in, learner):
    module_id = step_of("welcome").module_id
    url = f"/admin/course/modules/{module_id}?language=cy"
    page = client.get(url).text
    assert "Edit the Welsh version of module: First steps" in page and 'aria-current="true">Cymraeg</a>' in page
    assert "getting-started: Getting started" in page and 'name="hours"' not in page  # from the English
    refused = client.post(url, data=module_form(activities="dechrau: Dechrau arni\ntalking: Siarad"))
    assert refused.status_code == 400 and "the same activity slugs in the same order" in html.unescape(refused.text)
    assert "Croeso i&#39;r modiwl cyntaf." in refused.text or "Croeso i'r modiwl cyntaf." in refused.text
    saved = client.post(url, data=module_form())
    assert saved.status_code == 302, re.findall(r"nhsuk-error-message.{0,400}", saved.text, re.S)
    assert "Welsh version of the module saved." in client.get(saved.location).text
    reader = sign_in(learner)
    welsh = html.unescape(reader.get("/modules/first-steps", headers=WELSH).text)
    assert "Camau cyntaf" in welsh and "Croeso i'r modiwl cyntaf." in welsh
    english = reader.get("/modules/first-steps", headers={"Accept-Language": "en"}).text
    assert "Camau cyntaf" not in english and "First steps" in english
    assert 'value="Camau cyntaf"' in client.get(url).text  # the saved Welsh comes back to edit
    db.session.expire_all()
    assert db.session.get(Module, module_id).title == "First steps"


@pytest.mark.parametrize("persona", ["learner", "facilitator"])
def test_learners_and_facilitators_cannot_reach_a_modules_welsh_version(client, login, request, course, persona):
    login(request.getfixturevalue(persona))
    url = f"/admin/course/modules/{step_of('welcome').module_id}?language=cy"
    assert client.get(url).status_code == 403 and client.post(url, data=module_form()).status_code == 403
