"""Admins author the course in the browser: edit, preview, revisions, publish, order."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
import yaml

from lms.audit.models import AuditEntry
from lms.content import service as content
from lms.content.markdown import MAX_LENGTH, MAX_LINES, render_course_markdown
from lms.content.models import Module, Step, StepRevision
from lms.extensions import db
from lms.learning import completion
from lms.learning import service as learning
from tests.growth import growth

WELCOME = "/steps/first-steps/welcome"


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def step_id(slug: str) -> int:
    return db.session.scalar(sa.select(Step.id).where(Step.slug == slug))


def edit_data(**changes) -> dict:
    step = db.session.get(Step, step_id("welcome"))
    data = {
        "title": step.title,
        "type": step.type,
        "duration": str(step.duration),
        "prompt": "",
        "video": "",
        "settings": "",
        "body": step.body_md,
        "base_revision": str(step.revision),
        "save": "1",
    }
    return {**data, **changes}


@pytest.fixture
def author(client, login, admin, course):
    login(admin)
    return admin


AUTHORING_PAGES = ["/admin/course/", "/admin/course/modules/new"]


@pytest.mark.parametrize("persona", ["learner", "facilitator"])
def test_authoring_refuses_learners_and_facilitators(client, login, request, persona, course):
    login(request.getfixturevalue(persona))
    sid = step_id("welcome")
    module_id = db.session.scalar(sa.select(Module.id).limit(1))
    for url in [
        *AUTHORING_PAGES,
        f"/admin/course/steps/{sid}",
        f"/admin/course/modules/{module_id}",
        f"/admin/course/modules/{module_id}/steps/new",
        f"/admin/course/steps/{sid}/revisions/compare?old=1&new=1",
    ]:
        assert client.get(url).status_code == 403, url
    for url in [
        f"/admin/course/steps/{sid}",
        f"/admin/course/steps/{sid}/publish",
        f"/admin/course/steps/{sid}/up",
        f"/admin/course/steps/{sid}/revisions/1/restore",
        "/admin/course/preview",
    ]:
        assert client.post(url, data={"title": "Hacked", "body": "x"}).status_code == 403, url
    assert db.session.get(Step, sid).title == "Welcome"


def test_anonymous_is_sent_to_sign_in(client, course):
    assert client.get("/admin/course/").location.startswith("/login")


def test_overview_lists_modules_and_steps_with_state(client, author):
    text = text_of(client.get("/admin/course/").text)
    assert "Module 1: First steps" in text and "1.1 Welcome Article Published" in text
    db.session.execute(sa.update(Step).where(Step.slug == "watch-this").values(published=False))
    db.session.commit()
    assert "1.2 Watch this Video Draft" in text_of(client.get("/admin/course/").text)


def test_edit_a_published_step_waits_for_publish_then_learners_see_it(client, author, learner, course):
    learning.join_course(learner.id, course.course.id)
    response = client.post(
        f"/admin/course/steps/{step_id('welcome')}",
        data=edit_data(title="A warm welcome", body="## Hello again\n\nNew **text**."),
    )
    assert response.location == f"/admin/course/steps/{step_id('welcome')}"
    page = text_of(client.get(response.location).text)
    assert "Saved as revision 2" in page and "Changed since publish" in page
    assert db.session.get(Step, step_id("welcome")).title == "Welcome"  # learners still see revision 1
    assert "1.1 Welcome Article Changed since publish" in text_of(client.get("/admin/course/").text)
    client.post(f"/admin/course/steps/{step_id('welcome')}/publish")
    step = db.session.get(Step, step_id("welcome"))
    assert (step.title, step.live_revision, step.revision) == ("A warm welcome", 2, 2)
    assert "<h2>Hello again</h2>" in step.body_html


def test_preview_renders_without_saving(client, author):
    page = client.post(
        f"/admin/course/steps/{step_id('welcome')}",
        data=edit_data(body="## Previewed\n\n<script>alert(1)</script>", preview="1", save=None),
    ).text
    assert "<h2>Previewed</h2>" in page and "<script>alert(1)" not in page
    assert "## Previewed" in page  # the text stays in the box
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StepRevision)) == 4


def test_live_preview_endpoint_returns_sanitised_html(client, author):
    html = client.post("/admin/course/preview", data={"body": "*hi* [x](javascript:alert(1))"}).text
    assert "<em>hi</em>" in html and "href" not in html  # the refused link stays as text


def test_invalid_edit_shows_each_error_beside_its_field_and_saves_nothing(client, author):
    page = client.post(
        f"/admin/course/steps/{step_id('welcome')}",
        data=edit_data(title="", type="discussion", duration="0", body="# Big heading"),
    ).text
    assert "Enter a title" in page
    assert "Duration must be from 1 to 600 minutes" in page
    assert 'name="body"' in page and "# Big heading" in page
    assert db.session.get(Step, step_id("welcome")).revision == 1
    page = client.post(
        f"/admin/course/steps/{step_id('welcome')}", data=edit_data(type="discussion", body="# Big heading")
    ).text
    assert "prompt" in page and "is required" in page
    assert "use &#39;##&#39; for headings" in page or "use '##' for headings" in page
    page = client.post(f"/admin/course/steps/{step_id('welcome')}", data=edit_data(type="quiz", settings="a: [")).text
    assert "This is not valid YAML" in page
    assert db.session.get(Step, step_id("welcome")).revision == 1


def test_second_save_from_a_stale_page_is_refused_and_keeps_the_text(client, author):
    stale = edit_data(body="My careful edit.")
    client.post(f"/admin/course/steps/{step_id('welcome')}", data=edit_data(body="The other admin's edit."))
    response = client.post(f"/admin/course/steps/{step_id('welcome')}", data=stale)
    page = response.text
    assert response.status_code == 409 and "Someone else saved this step after you opened it" in page
    assert "My careful edit." in page
    newest = db.session.scalar(sa.select(StepRevision).order_by(StepRevision.id.desc()).limit(1))
    assert newest.body_md.strip() == "The other admin's edit."


def test_compare_and_restore_a_revision(client, author):
    sid = step_id("welcome")
    client.post(f"/admin/course/steps/{sid}", data=edit_data(body="Brand new words."))
    text = text_of(client.get(f"/admin/course/steps/{sid}/revisions/compare?old=1&new=2").text)
    assert "Removed: This is the **welcome** article." in text and "Added: Brand new words." in text
    client.post(f"/admin/course/steps/{sid}/revisions/1/restore")
    client.post(f"/admin/course/steps/{sid}/publish")
    step = db.session.get(Step, sid)
    assert (step.revision, step.live_revision) == (3, 3) and "This is the **welcome** article." in step.body_md
    notes = db.session.scalars(
        sa.select(StepRevision.note).order_by(StepRevision.number).where(StepRevision.step_id == sid)
    ).all()
    assert notes == ["Imported from files", "Edited in the browser", "Restored revision 1"]
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["step.save", "step.restore", "step.publish"]


def test_unpublish_hides_the_step_from_learners_and_keeps_progress(client, author, learner, course):
    sid = step_id("welcome")
    learning.join_course(learner.id, course.course.id)
    completion.set_step_complete(learner.id, sid)
    client.post(f"/admin/course/steps/{sid}/unpublish", data={"reason": "Out of date"})
    assert db.session.get(Step, sid).published is False
    assert [s.slug for s in content.get_outline().steps][0] == "watch-this"
    client.post(f"/admin/course/steps/{sid}/publish")
    assert learning.progress_for(learner.id, content.get_outline()).completed_ids == {sid}


def test_create_a_step_as_a_draft(client, author, course):
    module_id = db.session.scalar(sa.select(Module.id).where(Module.slug == "first-steps"))
    response = client.post(
        f"/admin/course/modules/{module_id}/steps/new",
        data={
            "title": "Extra reading",
            "type": "article",
            "activity": "getting-started",
            "duration": "5",
            "body": "Some *extra* reading.",
            "slug": "",
            "save": "1",
        },
    )
    step = db.session.scalar(sa.select(Step).where(Step.slug == "extra-reading"))
    assert response.location == f"/admin/course/steps/{step.id}"
    assert step.published is False and "<em>extra</em>" in step.body_html
    numbers = {s.slug: s.number for s in content.get_outline(include_drafts=True).steps}
    assert numbers["extra-reading"] == "1.3" and numbers["talk-about-it"] == "1.4"
    assert "extra-reading" not in {s.slug for s in content.get_outline().steps}


def test_reorder_and_move_keep_numbers_contiguous_and_progress(client, author, learner, course):
    sid = step_id("talk-about-it")
    learning.join_course(learner.id, course.course.id)
    completion.set_step_complete(learner.id, sid)
    client.post(f"/admin/course/steps/{sid}/up")  # across the activity edge: joins "getting-started"
    outline = content.get_outline()
    assert [(s.slug, s.number) for s in outline.modules[0].steps] == [
        ("welcome", "1.1"),
        ("watch-this", "1.2"),
        ("talk-about-it", "1.3"),
    ]
    assert [a.slug for a in outline.modules[0].activities] == ["getting-started"]
    client.post(f"/admin/course/steps/{sid}/up")
    assert [s.slug for s in content.get_outline().modules[0].steps] == ["welcome", "talk-about-it", "watch-this"]
    client.post(f"/admin/course/steps/{sid}/activity", data={"move-activity": "talking"})
    outline = content.get_outline()
    assert [a.slug for a in outline.modules[0].activities] == ["getting-started", "talking"]
    assert outline.modules[0].activities[1].steps[0].slug == "talk-about-it"
    assert learning.progress_for(learner.id, outline).completed_ids == {sid}


def test_edit_module_and_its_activities(client, author):
    module_id = db.session.scalar(sa.select(Module.id).where(Module.slug == "first-steps"))
    response = client.post(
        f"/admin/course/modules/{module_id}",
        data={
            "title": "The first steps",
            "summary": "S",
            "hours": "1.5",
            "activities": "getting-started: Getting going\ntalking: Talking it through",
            "introduction": "New *intro*.",
        },
    )
    assert response.location == "/admin/course/"
    module = db.session.get(Module, module_id)
    assert (module.title, module.hours) == ("The first steps", 1.5) and "<em>intro</em>" in module.introduction_html
    page = client.post(
        f"/admin/course/modules/{module_id}",
        data={"title": "T", "summary": "S", "hours": "1", "activities": "talking: Talking", "introduction": "x"},
    ).text
    assert "still has steps" in page
    page = client.post(
        f"/admin/course/modules/{module_id}",
        data={
            "title": "T",
            "summary": "S",
            "hours": "1",
            "activities": "Not A Slug: x\ngetting-started: G\ntalking: T",
            "introduction": "x",
        },
    ).text
    assert "must be lower-case words" in page


def test_create_a_module(client, author):
    response = client.post(
        "/admin/course/modules/new",
        data={
            "title": "Third module",
            "summary": "More.",
            "hours": "1",
            "activities": "intro: Introduction",
            "introduction": "Hello.",
            "slug": "",
        },
    )
    module = db.session.scalar(sa.select(Module).where(Module.slug == "third-module"))
    assert response.location == f"/admin/course/modules/{module.id}"
    assert module.published is False and module.position == 3


def test_export_after_browser_edits_round_trips(client, author, tmp_path):
    client.post(f"/admin/course/steps/{step_id('welcome')}", data=edit_data(title="Hello there", body="Edited."))
    client.post(f"/admin/course/steps/{step_id('welcome')}/publish")
    client.post(f"/admin/course/steps/{step_id('talk-about-it')}/up")
    before = content.get_outline()
    content.export_content(tmp_path / "out")
    assert content.check_content(tmp_path / "out") == []
    report = content.import_content(tmp_path / "out")
    assert (report.created, report.updated, report.unpublished) == (0, 0, 0)
    assert content.get_outline() == before


def settings_edit(slug: str, settings: dict, **changes) -> dict:
    step = db.session.get(Step, step_id(slug))
    return {
        "title": step.title,
        "type": step.type,
        "duration": str(step.duration),
        "prompt": step.prompt or "",
        "video": "",
        "settings": yaml.safe_dump(settings, sort_keys=False),
        "body": step.body_md,
        "base_revision": str(step.revision),
        "save": "1",
        **changes,
    }


def test_quiz_questions_are_edited_and_checked_by_the_content_rules(client, login, admin, assessed_course, learner):
    login(admin)
    sid = step_id("quick-quiz")
    assert "What colour is the NHS logo?" in client.get(f"/admin/course/steps/{sid}").text
    settings = db.session.get(Step, sid).settings
    broken = {
        **settings,
        "questions": [
            {
                **settings["questions"][0],
                "options": [{**o, "correct": False} for o in settings["questions"][0]["options"]],
            },
            settings["questions"][1],
        ],
    }
    page = text_of(client.post(f"/admin/course/steps/{sid}", data=settings_edit("quick-quiz", broken)).text)
    assert "questions.0" in page and "correct" in page
    assert db.session.get(Step, sid).revision == 1, "a failed validation saves nothing"

    better = {
        **settings,
        "questions": [
            {**settings["questions"][0], "prompt": "Which colour is the NHS logo?"},
            settings["questions"][1],
        ],
    }
    client.post(f"/admin/course/steps/{sid}", data=settings_edit("quick-quiz", better))
    client.post(f"/admin/course/steps/{sid}/publish")
    learning.join_course(learner.id, assessed_course.course.id)
    client.post("/logout")
    login(learner)
    page = client.get("/steps/check-your-learning/quick-quiz").text
    assert "Which colour is the NHS logo?" in page and "What colour" not in page


def test_self_assessment_bands_must_cover_the_scale(client, login, admin, assessed_course):
    login(admin)
    sid = step_id("how-you-lead")
    settings = db.session.get(Step, sid).settings
    first = settings["dimensions"][0]
    gap = {**settings, "dimensions": [{**first, "bands": first["bands"][:-1]}, *settings["dimensions"][1:]]}
    page = text_of(client.post(f"/admin/course/steps/{sid}", data=settings_edit("how-you-lead", gap)).text)
    assert "dimensions.0.bands" in page
    assert db.session.get(Step, sid).revision == 1


# -- Course Markdown limits (issue 24) ---------------------------------------------------------


def test_the_preview_of_twelve_thousand_brackets_does_work_in_step_with_its_length(client, author):
    """Python-Markdown took 30 s over this (the worker timeout): its work grew with the square."""
    assert growth(render_course_markdown, lambda n: "[" * n, 12000) < 6
    response = client.post("/admin/course/preview", data={"body": "[" * 12000})
    assert response.status_code == 200 and "[[[[" in response.text


def test_the_preview_of_a_body_over_the_limit_says_so_instead_of_rendering(client, author):
    response = client.post("/admin/course/preview", data={"body": "*x* " * (MAX_LENGTH // 4 + 1)})
    assert response.status_code == 200
    assert (
        f"too long to preview: it is {MAX_LENGTH + 4:,} characters long; it can be at most {MAX_LENGTH:,}"
        in response.text
    )
    assert "<em>" not in response.text


@pytest.mark.parametrize("action", ["save", "preview"])
def test_a_body_over_the_limits_is_neither_saved_nor_rendered(client, author, action):
    for body, problem in (
        ("x" * (MAX_LENGTH + 1), f"The body is {MAX_LENGTH + 1:,} characters long; it can be at most {MAX_LENGTH:,}"),
        ("|\n" * (MAX_LINES + 1), f"The body is {MAX_LINES + 2:,} lines long; it can be at most {MAX_LINES:,}"),
    ):
        data = edit_data(body=body, **({"preview": "1", "save": None} if action == "preview" else {}))
        page = client.post(f"/admin/course/steps/{step_id('welcome')}", data=data).text
        assert problem in page
        assert "<table>" not in page
    assert db.session.get(Step, step_id("welcome")).revision == 1
