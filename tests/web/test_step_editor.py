"""The step editor fits the step (issue 19): only the fields its type uses, the others shown
when the type changes (here without JavaScript: "Update fields"), Save, Preview and Publish
at the top and in the bar at the foot, Publish only of what is saved, Compare with a way back."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from lms.audit.models import AuditEntry
from lms.content.models import Step, StepRevision
from lms.extensions import db


class _Visible(HTMLParser):
    """The labels and buttons a person sees: none inside an element marked `hidden`."""

    VOID = {"input", "br", "img", "meta", "link", "hr"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.labels: list[str] = []
        self.buttons: list[tuple[str, str]] = []  # (accessible text, name)
        self._text: list[str] | None = None
        self._button_name = ""

    def hidden(self) -> bool:
        return any(h for _, h in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.VOID:
            return
        self.stack.append((tag, "hidden" in attrs))
        if tag in ("label", "button") and not self.hidden():
            self._text, self._button_name = [], attrs.get("name", "")

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if tag in ("label", "button") and self._text is not None:
            text = " ".join("".join(self._text).split())
            (self.labels.append(text) if tag == "label" else self.buttons.append((text, self._button_name)))
            self._text = None
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def visible(page: str) -> _Visible:
    parser = _Visible()
    parser.feed(page.split('class="lms-editor"', 1)[1].split("</form>", 1)[0])
    return parser


def step_of(slug: str) -> Step:
    return db.session.scalar(sa.select(Step).where(Step.slug == slug))


def form_of(step: Step, **changes) -> dict:
    data = {
        "title": step.title,
        "type": step.type,
        "duration": str(step.duration),
        "prompt": step.prompt or "",
        "reveal": (step.settings or {}).get("reveal", "always"),
        "video": step.video_url or "",
        "settings": "",
        "see_also": "\n".join((step.settings or {}).get("see_also") or []),
        "body": step.body_md,
        "base_revision": str(step.revision),
    }
    if (step.settings or {}).get("printable"):
        data["printable"] = "y"
    return {**data, **changes}


@pytest.fixture
def author(client, login, admin, course):
    login(admin)
    return admin


OPTIONAL = {"Prompt", "Other learners' comments", "Video link", "Questions and settings (YAML)"}


@pytest.mark.parametrize(
    "slug, shown",
    [
        ("welcome", set()),
        ("watch-this", {"Video link"}),
        ("talk-about-it", {"Prompt", "Other learners' comments"}),
        ("look-back", {"Prompt", "Other learners' comments"}),
    ],
)
def test_the_editor_shows_only_the_fields_the_type_uses(client, author, slug, shown):
    labels = set(visible(client.get(f"/admin/course/steps/{step_of(slug).id}").text).labels)
    assert {"Title", "Type", "Duration in minutes", "Body (Markdown)"} <= labels
    assert labels & OPTIONAL == shown


def test_a_quiz_shows_its_yaml(client, login, admin, assessed_course):
    login(admin)
    labels = set(visible(client.get(f"/admin/course/steps/{step_of('quick-quiz').id}").text).labels)
    assert labels & OPTIONAL == {"Questions and settings (YAML)"}


def test_without_javascript_update_fields_shows_the_new_types_fields_and_keeps_the_text(client, author):
    step = step_of("welcome")
    response = client.post(
        f"/admin/course/steps/{step.id}",
        data=form_of(step, type="discussion", title="Talk it through", body="Words I typed.", update="1"),
    )
    assert response.status_code == 200 and "There is a problem" not in response.text
    seen = visible(response.text)
    assert set(seen.labels) & OPTIONAL == {"Prompt", "Other learners' comments"}
    assert ">Words I typed.</textarea>" in response.text and 'value="Talk it through"' in response.text
    assert '<option value="discussion" selected' in response.text
    db.session.expire_all()
    assert step_of("welcome").revision == 1 and step_of("welcome").type == "article"  # nothing saved
    # The new type's fields are then filled and saved.
    client.post(
        f"/admin/course/steps/{step.id}",
        data=form_of(
            step, type="discussion", prompt="What did you notice?", reveal="after-posting", body="Hi.", save="1"
        ),
    )
    newest = db.session.scalar(sa.select(StepRevision).where(StepRevision.step_id == step.id, StepRevision.number == 2))
    assert (newest.type, newest.prompt, newest.settings) == (
        "discussion",
        "What did you notice?",
        {"reveal": "after-posting", "see_also": ["first-steps/talk-about-it"]},  # kept: every type has it
    )
    edit = client.get(f"/admin/course/steps/{step.id}").text
    assert '<option value="after-posting" selected' in edit


def test_a_saved_article_keeps_none_of_the_fields_it_does_not_use(client, author):
    step = step_of("welcome")
    client.post(
        f"/admin/course/steps/{step.id}",
        data=form_of(step, prompt="Left from a discussion", video="https://example.org/v", settings="x: 1", save="1"),
    )
    newest = db.session.scalar(sa.select(StepRevision).where(StepRevision.step_id == step.id, StepRevision.number == 2))
    assert (newest.type, newest.prompt, newest.video_url) == ("article", None, None)
    assert newest.settings == {"see_also": ["first-steps/talk-about-it"]}  # its own field, not the YAML's x


def test_save_preview_and_publish_are_at_the_top_and_in_the_bar_with_unique_names(client, author):
    step = step_of("welcome")
    client.post(f"/admin/course/steps/{step.id}", data=form_of(step, body="Second version.", save="1"))
    buttons = visible(client.get(f"/admin/course/steps/{step.id}").text).buttons
    assert buttons == [
        ("Save (top of the form)", "save"),
        ("Preview (top of the form)", "preview"),
        ("Publish revision 2 (top of the form)", "publish"),
        ("Update fields", "update"),
        ("Save", "save"),
        ("Preview", "preview"),
        ("Publish revision 2", "publish"),
    ]
    page = client.get(f"/admin/course/steps/{step.id}").text
    assert page.index('class="lms-action-bar"') > page.index('name="body"')  # the bar closes the form


def test_publish_from_the_editor_publishes_what_is_saved(client, author):
    step = step_of("welcome")
    client.post(f"/admin/course/steps/{step.id}", data=form_of(step, body="Ready for learners.", save="1"))
    db.session.expire_all()
    response = client.post(
        f"/admin/course/steps/{step.id}", data=form_of(step_of("welcome"), body="Ready for learners.", publish="1")
    )
    assert response.location == f"/admin/course/steps/{step.id}"
    assert "Published: learners now see this version." in client.get(response.location).text
    db.session.expire_all()
    assert (step_of("welcome").live_revision, step_of("welcome").body_md.strip()) == (2, "Ready for learners.")
    assert db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all() == [
        "step.save",
        "step.publish",
    ]


def test_publish_after_a_restore_sees_the_browsers_line_endings_as_the_same_text(client, author):
    step = step_of("welcome")
    client.post(f"/admin/course/steps/{step.id}", data=form_of(step, body="Changed.", save="1"))
    client.post(f"/admin/course/steps/{step.id}/revisions/1/restore")
    db.session.expire_all()
    restored = step_of("welcome")
    newest = db.session.scalar(sa.select(StepRevision).where(StepRevision.step_id == step.id, StepRevision.number == 3))
    sent = form_of(restored, body=newest.body_md.replace("\n", "\r\n"), publish="1")  # as a browser sends it
    assert client.post(f"/admin/course/steps/{step.id}", data=sent).status_code == 302
    db.session.expire_all()
    assert step_of("welcome").live_revision == 3


def test_publish_with_changes_not_saved_is_refused_with_the_text_kept(client, author):
    step = step_of("welcome")
    client.post(f"/admin/course/steps/{step.id}", data=form_of(step, body="Saved words.", save="1"))
    db.session.expire_all()
    response = client.post(
        f"/admin/course/steps/{step_of('welcome').id}",
        data=form_of(step_of("welcome"), body="Typed after saving.", publish="1"),
    )
    assert response.status_code == 400
    assert "You have changes that are not saved" in html.unescape(response.text)
    assert ">Typed after saving.</textarea>" in response.text
    db.session.expire_all()
    assert step_of("welcome").live_revision == 1 and "Saved words." not in step_of("welcome").body_md


def test_publish_of_a_revision_someone_else_replaced_is_refused(client, author):
    step = step_of("welcome")
    opened = form_of(step)  # this admin opened revision 1...
    client.post(f"/admin/course/steps/{step.id}", data=form_of(step, body="Someone else's.", save="1"))
    response = client.post(f"/admin/course/steps/{step.id}", data={**opened, "publish": "1"})
    assert response.status_code == 409 and "Someone else saved this step" in response.text
    db.session.expire_all()
    assert step_of("welcome").live_revision == 1  # revision 2, unseen by them, is not published


def test_compare_has_a_link_back_to_the_editor(client, author):
    step = step_of("welcome")
    client.post(f"/admin/course/steps/{step.id}", data=form_of(step, body="Changed.", save="1"))
    page = client.get(f"/admin/course/steps/{step.id}/revisions/compare?old=1&new=2").text
    assert f'<a class="nhsuk-back-link" href="/admin/course/steps/{step.id}">Back to the step editor</a>' in page


@pytest.mark.parametrize("persona", ["learner", "facilitator"])
@pytest.mark.parametrize("button", ["publish", "update", "save"])
def test_the_editors_buttons_refuse_learners_and_facilitators(client, login, request, course, persona, button):
    login(request.getfixturevalue(persona))
    step = step_of("welcome")
    response = client.post(f"/admin/course/steps/{step.id}", data=form_of(step, body="Not theirs.", **{button: "1"}))
    assert response.status_code == 403
    db.session.expire_all()
    assert (step_of("welcome").revision, step_of("welcome").live_revision) == (1, 1)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 0


def test_a_restore_that_races_a_save_is_refused_with_a_message(client, author):
    step = step_of("welcome")  # this request's view of the step: revision 1...
    with db.engine.begin() as other:  # ...while another admin's save takes revision 2
        other.execute(sa.update(Step).where(Step.id == step.id).values(revision=2))
    response = client.post(f"/admin/course/steps/{step.id}/revisions/1/restore")
    assert response.location == f"/admin/course/steps/{step.id}"
    assert "Someone else saved this step at the same moment" in client.get(response.location).text
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(StepRevision).where(StepRevision.step_id == step.id))
        == 1
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 0


def test_see_also_and_the_printable_copy_have_fields_of_their_own_and_survive_a_save(client, author):
    step = step_of("welcome")
    page = client.get(f"/admin/course/steps/{step.id}").text
    assert {"See also", "Offer a printable copy (PDF) of this step"} <= set(visible(page).labels)
    assert ">first-steps/talk-about-it</textarea>" in page and "see_also:" not in page
    also = "first-steps/talk-about-it\r\nnext-steps/look-back"
    client.post(f"/admin/course/steps/{step.id}", data=form_of(step, see_also=also, printable="y", save="1"))
    newest = db.session.scalar(sa.select(StepRevision).where(StepRevision.step_id == step.id, StepRevision.number == 2))
    assert newest.settings == {"see_also": ["first-steps/talk-about-it", "next-steps/look-back"], "printable": True}


def test_a_see_also_to_no_step_is_refused_beside_its_field_with_the_text_kept(client, author):
    step = step_of("welcome")
    response = client.post(
        f"/admin/course/steps/{step.id}", data=form_of(step, see_also="first-steps/nowhere", save="1")
    )
    assert response.status_code == 400 and ">first-steps/nowhere</textarea>" in response.text
    error = response.text.split('id="see_also-error"', 1)[1][:300]
    assert "there is no step first-steps/nowhere in the course" in error
    db.session.expire_all()
    assert step_of("welcome").revision == 1


def test_a_quiz_keeps_its_see_also_out_of_the_yaml(client, login, admin, assessed_course):
    login(admin)
    quiz = step_of("quick-quiz")
    page = client.get(f"/admin/course/steps/{quiz.id}").text
    assert "See also" in visible(page).labels and "see_also" not in page.split('name="settings"', 1)[1][:2000]


WELSH = {"Accept-Language": "cy"}


def test_the_step_editor_in_welsh_shows_welsh_labels_buttons_and_messages(client, author):
    step = step_of("talk-about-it")
    page = client.get(f"/admin/course/steps/{step.id}", headers=WELSH).text
    seen = visible(page)
    assert {"Teitl", "Math", "Hyd mewn munudau", "Anogwr", "Sylwadau dysgwyr eraill", "Corff (Markdown)"} <= set(
        seen.labels
    )
    assert ("Cadw (brig y ffurflen)", "save") in seen.buttons and ("Rhagolwg", "preview") in seen.buttons
    assert "<h1>Golygu cam: " in page and "Diwygiadau, y diweddaraf yn gyntaf" in page
    for english in ("Duration in minutes", "Body (Markdown)", "Update fields", "Place in the course", "Revisions"):
        assert english not in page
    # What it refuses is said in Welsh too, beside the field, with the text kept.
    refused = client.post(
        f"/admin/course/steps/{step.id}", data=form_of(step, title="", body="Fy nhestun.", save="1"), headers=WELSH
    )
    assert refused.status_code == 400
    assert "Rhowch deitl" in refused.text and "<title>Gwall: Golygu: " in refused.text
    assert ">Fy nhestun.</textarea>" in refused.text
    saved = client.post(
        f"/admin/course/steps/{step.id}", data=form_of(step, body="Ail fersiwn.", save="1"), headers=WELSH
    )
    assert "Cadwyd fel diwygiad 2." in client.get(saved.location, headers=WELSH).text


def test_the_course_authoring_pages_in_welsh(client, author):
    step = step_of("welcome")
    client.post(f"/admin/course/steps/{step.id}", data=form_of(step, body="Second version.", save="1"))
    overview = html.unescape(client.get("/admin/course/", headers=WELSH).text)
    assert (
        "<h1>Awduro'r cwrs</h1>" in overview
        and "Ychwanegu modiwl" in overview
        and "Course authoring</h1>" not in overview
    )
    compare = client.get(f"/admin/course/steps/{step.id}/revisions/compare?old=1&new=2", headers=WELSH).text
    assert "Newidiadau o ddiwygiad 1 i ddiwygiad 2" in compare and "Yn ôl i olygydd y cam" in compare
    module = html.unescape(client.get(f"/admin/course/modules/{step.module_id}", headers=WELSH).text)
    assert "Oriau dysgu" in module and "Cadw'r modiwl" in module
