"""Welsh versions of content files (NAME.cy.md): checked against their English twins,
imported, exported and revised like the English."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from lms.content import revisions, service
from lms.content.files import parse_document
from lms.content.models import CourseTranslation, ModuleTranslation, Step, StepRevision, StepTranslation
from lms.content.schema import check_module_translation, check_step_translation
from lms.extensions import db
from tests.conftest import ASSESSMENT_MODULES

WELSH = Path(__file__).parent.parent / "fixtures" / "welsh"
FIRST = "modules/01-first-steps"
CHECKING = "modules/03-check-your-learning"


@pytest.fixture
def bilingual(content_copy) -> Path:
    """The fixture course with the assessment module and Welsh versions of the course, the
    first module, its welcome step and the quick quiz."""
    shutil.copytree(ASSESSMENT_MODULES, content_copy / "modules", dirs_exist_ok=True)
    shutil.copy(WELSH / "course.cy.md", content_copy / "course.cy.md")
    shutil.copy(WELSH / "module.cy.md", content_copy / FIRST / "module.cy.md")
    shutil.copy(WELSH / "01-welcome.cy.md", content_copy / FIRST / "01-welcome.cy.md")
    shutil.copy(WELSH / "01-quick-quiz.cy.md", content_copy / CHECKING / "01-quick-quiz.cy.md")
    return content_copy


def edit(path: Path, change) -> None:
    """Change a content file's front matter with `change(meta)`, keeping its body."""
    doc = parse_document(path.read_text(), path.name)
    meta = dict(doc.meta)
    change(meta)
    path.write_text(f"---\n{yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)}---\n{doc.body}")


def problems(root: Path) -> list[str]:
    return [str(p) for p in service.check_content(root)]


def test_welsh_versions_that_match_their_english_pass(bilingual):
    assert problems(bilingual) == []


def test_cy_files_are_never_read_as_steps(app, bilingual):
    service.import_content(bilingual)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Step).where(Step.slug.like("%cy%"))) == 0
    assert [s.slug for s in service.get_outline().modules[0].steps] == ["welcome", "watch-this", "talk-about-it"]


def test_a_welsh_file_without_an_english_twin_is_refused(bilingual):
    shutil.copy(WELSH / "01-welcome.cy.md", bilingual / FIRST / "07-farewell.cy.md")
    found = problems(bilingual)
    assert len(found) == 1
    assert found[0].startswith(f"{FIRST}/07-farewell.cy.md:1:") and "there is no 07-farewell.md" in found[0]


def test_different_front_matter_keys_are_refused(bilingual):
    edit(bilingual / FIRST / "01-welcome.cy.md", lambda m: m.pop("see_also"))
    edit(bilingual / FIRST / "module.cy.md", lambda m: m.update(extra="x"))
    found = problems(bilingual)
    assert any(p.startswith(f"{FIRST}/01-welcome.cy.md") and "see_also: is missing" in p for p in found), found
    assert any(p.startswith(f"{FIRST}/module.cy.md") and "extra:" in p and "not in module.md" in p for p in found)


def test_a_different_type_or_activity_is_refused(bilingual):
    edit(bilingual / FIRST / "01-welcome.cy.md", lambda m: m.update(activity="talking"))
    found = problems(bilingual)
    assert any("01-welcome.cy.md" in p and "activity: must be the same as in 01-welcome.md" in p for p in found)


def test_a_welsh_quiz_question_with_a_different_number_of_options_is_refused(bilingual):
    def drop_an_option(meta):
        meta["questions"][1]["options"].pop()
        meta["questions"][1]["options"][-1]["correct"] = False

    edit(bilingual / CHECKING / "01-quick-quiz.cy.md", drop_an_option)
    found = problems(bilingual)
    assert len(found) == 1, found
    assert found[0].startswith(f"{CHECKING}/01-quick-quiz.cy.md:")
    assert "questions.1.options" in found[0] and "question values has 2 options" in found[0]
    assert "01-quick-quiz.md it has 3" in found[0]


def test_different_question_ids_are_refused(bilingual):
    edit(bilingual / CHECKING / "01-quick-quiz.cy.md", lambda m: m["questions"][0].update(id="lliw"))
    found = problems(bilingual)
    assert any("01-quick-quiz.cy.md" in p and "questions.0.id" in p and "lliw" in p for p in found), found
    assert any("has no question colour" in p for p in found)


def test_a_different_correct_option_is_refused(bilingual):
    def swap(meta):
        first, second = meta["questions"][0]["options"]
        first["correct"], second["correct"] = False, True

    edit(bilingual / CHECKING / "01-quick-quiz.cy.md", swap)
    found = problems(bilingual)
    assert len(found) == 1 and "question colour: the correct options must be the same" in found[0]


def _welsh_self_assessment(root: Path, change=None) -> Path:
    english = root / CHECKING / "02-how-you-lead.md"
    welsh = root / CHECKING / "02-how-you-lead.cy.md"
    shutil.copy(english, welsh)
    edit(welsh, lambda m: m.update(title="Sut rydych chi'n arwain"))
    if change:
        edit(welsh, change)
    return welsh


def test_a_matching_welsh_self_assessment_passes(bilingual):
    _welsh_self_assessment(bilingual)
    assert problems(bilingual) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda m: m["dimensions"][1].update(id="helpu"), "dimensions.1.id: dimension helpu is not in"),
        (lambda m: m["statements"][0].update(id="gwrando"), "statements.0.id: statement gwrando is not in"),
        (lambda m: m["statements"].pop(), "has no statement obstacles"),
        (lambda m: m["statements"][0].update(reverse=True), "statements.0.reverse: must be the same"),
        (lambda m: m.update(scale="agreement"), "scale: must be the same as in 02-how-you-lead.md"),
        (lambda m: m["dimensions"][0]["bands"][0].update(up_to=2), "dimensions.0.bands: dimension attending"),
        (lambda m: m["dimensions"][1]["bands"].pop(0), "dimensions.1.bands: dimension helping"),
    ],
)
def test_a_welsh_self_assessment_with_another_structure_is_refused(bilingual, change, expected):
    _welsh_self_assessment(bilingual, change)
    found = [p for p in problems(bilingual) if "02-how-you-lead.cy.md" in p]
    assert any(expected in p for p in found), found


def test_a_welsh_module_with_other_activities_is_refused(bilingual):
    edit(bilingual / FIRST / "module.cy.md", lambda m: m["activities"].reverse())
    found = problems(bilingual)
    assert any("module.cy.md" in p and "activities: must be the same" in p for p in found), found


def test_a_welsh_course_with_another_slug_or_outcomes_is_refused(bilingual):
    edit(bilingual / "course.cy.md", lambda m: (m.update(slug="cwrs-prawf"), m["outcomes"].pop()))
    found = problems(bilingual)
    assert any(p.startswith("course.cy.md") and "slug: must be the same" in p for p in found), found
    assert any(p.startswith("course.cy.md") and "outcomes: has 1 outcomes; course.md has 2" in p for p in found)


def test_the_checks_work_on_values_for_the_browser_editor(bilingual):
    english = parse_document((bilingual / CHECKING / "01-quick-quiz.md").read_text(), "x")
    welsh = parse_document((bilingual / CHECKING / "01-quick-quiz.cy.md").read_text(), "y")
    args = (english.meta, english.body, welsh.meta, welsh.body, ["checking"])
    assert check_step_translation(*args) == []
    welsh.meta["questions"][0]["options"].append({"text": "Gwyrdd", "correct": False, "feedback": "Na."})
    assert any("has 3 options" in str(p) for p in check_step_translation(*args))
    module = parse_document((bilingual / FIRST / "module.md").read_text(), "m")
    module_cy = parse_document((bilingual / FIRST / "module.cy.md").read_text(), "m")
    assert check_module_translation(module.meta, module.body, module_cy.meta, module_cy.body) == []


def test_import_stores_the_welsh_versions_and_is_idempotent(app, bilingual):
    service.import_content(bilingual)
    course = db.session.scalar(sa.select(CourseTranslation))
    assert (course.language, course.title) == ("cy", "Cwrs Prawf") and "<h2>Am y cwrs hwn</h2>" in course.about_html
    module = db.session.scalar(sa.select(ModuleTranslation))
    assert module.title == "Camau cyntaf" and module.activities[0] == {
        "slug": "getting-started",
        "title": "Dechrau arni",
    }
    welcome = db.session.scalar(sa.select(Step).where(Step.slug == "welcome"))
    text = db.session.scalar(sa.select(StepTranslation).where(StepTranslation.step_id == welcome.id))
    assert (
        text.title == "Croeso" and "<h2>Helo</h2>" in text.body_html and (text.revision, text.live_revision) == (1, 1)
    )
    assert [r.title for r, _ in revisions.history(welcome, "cy")] == ["Croeso"]
    assert [r.title for r, _ in revisions.history(welcome)] == ["Welcome"]
    again = service.import_content(bilingual)
    assert again.created == again.updated == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StepRevision)) == 9  # 7 English, 2 Welsh


def test_a_changed_welsh_file_makes_a_welsh_revision_and_a_removed_one_goes(app, bilingual):
    service.import_content(bilingual)
    welcome = db.session.scalar(sa.select(Step).where(Step.slug == "welcome"))
    path = bilingual / FIRST / "01-welcome.cy.md"
    path.write_text(path.read_text().replace("title: Croeso", "title: Croeso cynnes"))
    service.import_content(bilingual)
    assert [r.title for r, _ in revisions.history(welcome, "cy")] == ["Croeso cynnes", "Croeso"]
    assert welcome.revision == 1  # the English numbering is its own
    path.unlink()
    service.import_content(bilingual)
    assert revisions.get_translation(welcome, "cy") is None
    assert len(revisions.history(welcome, "cy")) == 2  # the history stays


def test_export_writes_the_welsh_files_and_they_import_back_the_same(app, bilingual, tmp_path):
    service.import_content(bilingual)
    out = tmp_path / "exported"
    service.export_content(out)
    for name in (
        "course.cy.md",
        f"{FIRST}/module.cy.md",
        f"{FIRST}/01-welcome.cy.md",
        f"{CHECKING}/01-quick-quiz.cy.md",
    ):
        assert (out / name).exists(), name
    exported = parse_document((out / FIRST / "01-welcome.cy.md").read_text(), "x")
    assert exported.meta["title"] == "Croeso" and "## Helo" in exported.body
    assert problems(out) == []
    report = service.import_content(out)
    assert report.created == report.updated == 0


def test_welsh_revisions_are_saved_and_published_apart_from_the_english(app, bilingual):
    service.import_content(bilingual)
    welcome = db.session.scalar(sa.select(Step).where(Step.slug == "welcome"))
    draft = revisions.draft_of_translation(revisions.get_translation(welcome, "cy"), welcome)
    saved = revisions.record_translation(
        welcome, "cy", draft.__class__(**{**draft.__dict__, "title": "Helo"}), None, "x"
    )
    assert (saved.language, saved.number) == ("cy", 2)
    assert revisions.get_translation(welcome, "cy").title == "Croeso"  # published: waits
    revisions.publish(welcome)
    assert revisions.get_translation(welcome, "cy").title == "Helo" and welcome.revision == 1
    with pytest.raises(revisions.EditConflict):
        revisions.record_translation(welcome, "cy", draft, None, "stale", base=1)


def test_a_first_welsh_save_on_a_published_step_waits_for_publishing(app, bilingual):
    service.import_content(bilingual)
    step = db.session.scalar(sa.select(Step).where(Step.slug == "watch-this"))
    draft = revisions.draft_of_step(step)
    welsh = draft.__class__(**{**draft.__dict__, "title": "Gwyliwch hwn", "body_md": "## Crynodeb\n\nGeiriau."})
    saved = revisions.record_translation(step, "cy", welsh, None, "Edited in the browser")
    db.session.commit()
    assert (saved.language, saved.number) == ("cy", 1)
    summary = next(s for s in service.get_outline(language="cy").steps if s.id == step.id)
    assert (summary.title, summary.lang) == ("Watch this", "en")  # not shown yet
    assert service.get_step_settings(step.id, "cy") == service.get_step_settings(step.id, "en")
    revisions.publish(step)
    db.session.commit()
    summary = next(s for s in service.get_outline(language="cy").steps if s.id == step.id)
    assert (summary.title, summary.lang) == ("Gwyliwch hwn", None)
    page = service.get_step_page(service.get_outline(language="cy"), "first-steps", "watch-this")
    assert page.lang is None and "<h2>Crynodeb</h2>" in page.body_html
    english = service.get_step_page(service.get_outline(language="en"), "first-steps", "watch-this")
    assert english.summary.title == "Watch this" and "Crynodeb" not in english.body_html
