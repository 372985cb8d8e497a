"""Importing and exporting the course: idempotent, keeps learner data, all or nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.content import service
from lms.content.models import Module, Step
from lms.extensions import db
from lms.learning import completion
from lms.learning import service as learning
from lms.learning.models import StepProgress


def counts() -> tuple[int, int]:
    return (
        db.session.scalar(sa.select(sa.func.count()).select_from(Module)),
        db.session.scalar(sa.select(sa.func.count()).select_from(Step)),
    )


def test_import_creates_then_is_idempotent(app, content_copy):
    first = service.import_content(content_copy)
    assert (first.created, first.updated, first.unpublished) == (7, 0, 0)  # course, 2 modules, 4 steps
    again = service.import_content(content_copy)
    assert (again.created, again.updated, again.unchanged, again.unpublished) == (0, 0, 7, 0)
    assert counts() == (2, 4)


def test_markdown_is_rendered_at_import_and_stored(app, content_copy):
    service.import_content(content_copy)
    html = db.session.scalar(sa.select(Step.body_html).where(Step.slug == "welcome"))
    assert "<h2>Hello</h2>" in html and "<script" not in html


def _complete_welcome(user_id: int) -> int:
    step_id = db.session.scalar(sa.select(Step.id).where(Step.slug == "welcome"))
    completion.set_step_complete(user_id, step_id)
    return step_id


def test_renaming_a_title_and_renumbering_keep_progress(app, content_copy, learner):
    service.import_content(content_copy)
    step_id = _complete_welcome(learner.id)
    folder = content_copy / "modules/01-first-steps"
    text = (folder / "01-welcome.md").read_text().replace("title: Welcome", "title: A warm welcome")
    (folder / "01-welcome.md").unlink()
    (folder / "02-welcome.md").write_text(text)  # now after... renumbered files
    (folder / "02-watch-this.md").rename(folder / "01-watch-this.md")
    report = service.import_content(content_copy)
    assert report.created == 0 and report.unpublished == 0
    outline = service.get_outline()
    assert [s.title for s in outline.modules[0].steps][:2] == ["Watch this", "A warm welcome"]
    assert outline.modules[0].steps[1].id == step_id and outline.modules[0].steps[1].number == "1.2"
    assert learning.progress_for(learner.id, outline).completed_ids == {step_id}


def test_a_removed_file_unpublishes_and_keeps_progress(app, content_copy, learner):
    service.import_content(content_copy)
    step_id = _complete_welcome(learner.id)
    (content_copy / "modules/01-first-steps/01-welcome.md").unlink()
    assert service.import_content(content_copy).unpublished == 1
    assert db.session.get(Step, step_id).published is False
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StepProgress)) == 1
    assert [s.number for s in service.get_outline().steps] == ["1.1", "1.2", "2.1"]
    (content_copy / "modules/01-first-steps/01-welcome.md").write_text(
        "---\ntitle: Welcome\ntype: article\nactivity: getting-started\nduration: 5\n---\nBack again.\n"
    )
    service.import_content(content_copy)
    assert db.session.get(Step, step_id).published is True


def test_a_removed_module_is_unpublished(app, content_copy):
    service.import_content(content_copy)
    for path in sorted((content_copy / "modules/02-next-steps").iterdir()):
        path.unlink()
    (content_copy / "modules/02-next-steps").rmdir()
    assert service.import_content(content_copy).unpublished == 1
    assert [m.slug for m in service.get_outline().modules] == ["first-steps"]
    assert [m.slug for m in service.get_outline(include_drafts=True).modules] == ["first-steps", "next-steps"]


def test_a_broken_file_stops_import_and_changes_nothing(app, content_copy):
    service.import_content(content_copy)
    (content_copy / "modules/01-first-steps/02-watch-this.md").write_text(
        "---\ntitle: Changed title\ntype: article\nactivity: getting-started\nduration: 5\n---\nNew text\n"
    )
    (content_copy / "modules/01-first-steps/03-talk-about-it.md").write_text(
        "---\ntitle: Talk\ntype: dance\nactivity: talking\nduration: 5\n---\nText\n"
    )
    with pytest.raises(service.ContentInvalid) as error:
        service.import_content(content_copy)
    assert str(error.value.problems[0]).startswith("modules/01-first-steps/03-talk-about-it.md:3: type:")
    assert db.session.scalar(sa.select(Step.title).where(Step.slug == "watch-this")) == "Watch this"


def test_changed_body_is_re_rendered(app, content_copy):
    service.import_content(content_copy)
    path = content_copy / "modules/01-first-steps/01-welcome.md"
    path.write_text(path.read_text().replace("## Hello", "## Good morning"))
    assert service.import_content(content_copy).updated == 1
    assert "<h2>Good morning</h2>" in db.session.scalar(sa.select(Step.body_html).where(Step.slug == "welcome"))


def test_export_writes_files_that_import_to_the_same_course(app, content_copy, tmp_path):
    service.import_content(content_copy)
    before = _snapshot()
    out = tmp_path / "exported"
    assert service.export_content(out) == 1 + 2 + 4 + 1 + 1  # course, modules, steps, glossary, image
    assert service.check_content(out) == []
    assert (out / "modules/01-first-steps/02-watch-this.md").exists()
    # Import the export over the original: nothing changes.
    report = service.import_content(out)
    assert (report.created, report.updated, report.unpublished) == (0, 0, 0)
    assert _snapshot() == before


def _snapshot():
    outline = service.get_outline()
    bodies = dict(db.session.execute(sa.select(Step.slug, Step.body_md)).all())
    return outline, bodies


def test_export_of_an_empty_database_is_refused(app, tmp_path):
    from lms.errors import NotFound

    with pytest.raises(NotFound):
        service.export_content(tmp_path)


def test_outline_is_built_in_a_fixed_number_of_queries(app, content_copy, count_queries):
    service.import_content(content_copy)
    with count_queries() as statements:
        service.get_outline()
    assert len(statements) == 5  # the version check, then the course, modules, activities, steps
    with count_queries() as statements:
        service.get_outline()
    assert len(statements) == 1  # this process keeps it until the course changes


def test_the_kept_outline_follows_every_change_to_the_course(app, content_copy):
    service.import_content(content_copy)
    first = service.get_outline()
    step = db.session.scalar(sa.select(Step).where(Step.slug == first.steps[0].slug))
    step.title = "A new title"  # an ORM change
    db.session.commit()
    assert service.get_outline().steps[0].title == "A new title"
    db.session.execute(sa.update(Step).where(Step.id == step.id).values(duration=42))  # an UPDATE statement
    db.session.commit()
    assert service.get_outline().steps[0].duration == 42
    kept = service.get_outline()
    service.adjust_comment_count(step.id, 3)  # counts are not content: the outline stays kept
    db.session.commit()
    assert service.get_outline() is kept and service.comment_counts(kept) == {step.id: 3}
    step.title = "Rolled back"
    db.session.flush()
    assert service.get_outline().steps[0].title == "Rolled back"  # this transaction sees its own change
    db.session.rollback()
    assert service.get_outline().steps[0].title == "A new title"  # and nothing of it is kept
