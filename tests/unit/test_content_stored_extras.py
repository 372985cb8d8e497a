"""Images and the glossary in the database: imported, kept in step with the files, exported back."""

from __future__ import annotations

import hashlib
from pathlib import Path

import sqlalchemy as sa

from lms.content import service
from lms.content.models import ContentAsset, Course, Step
from lms.extensions import db

MODULE = "modules/01-first-steps"
SVG_PATH = f"{MODULE}/images/three-steps.svg"


def stored_images() -> dict[str, tuple[str, bytes, str]]:
    rows = db.session.execute(
        sa.select(ContentAsset.name, ContentAsset.media_type, ContentAsset.data, ContentAsset.sha256)
    )
    return {name: (media_type, bytes(data), sha) for name, media_type, data, sha in rows}


def welcome_html() -> str:
    return db.session.scalar(sa.select(Step.body_html).where(Step.slug == "welcome"))


def test_import_stores_images_and_steps_show_them_by_hash(app, content_copy):
    service.import_content(content_copy)
    data = (content_copy / SVG_PATH).read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    assert stored_images() == {"three-steps.svg": ("image/svg+xml", data, sha)}
    assert f'<img src="/images/{sha}/three-steps.svg" alt="Three boxes joined by arrows' in welcome_html()
    assert "<figcaption>How the course goes: read, talk, look back.</figcaption>" in welcome_html()


def test_a_changed_image_gets_a_new_address_and_a_removed_one_goes(app, content_copy):
    service.import_content(content_copy)
    path = content_copy / SVG_PATH
    path.write_bytes(path.read_bytes().replace(b"Look back", b"Reflect"))
    report = service.import_content(content_copy)
    new_sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert report.updated == 1  # the welcome step, whose picture moved
    assert f"/images/{new_sha}/three-steps.svg" in welcome_html()
    assert service.import_content(content_copy).updated == 0  # and then nothing changes
    # Gone from the folder (and the step): gone from the database.
    step = content_copy / MODULE / "01-welcome.md"
    step.write_text(step.read_text().split("![")[0])
    path.unlink()
    service.import_content(content_copy)
    assert stored_images() == {} and "<img" not in welcome_html()


def test_import_stores_the_glossary_rendered(app, content_copy):
    service.import_content(content_copy)
    glossary = db.session.scalar(sa.select(Course.glossary))
    assert glossary["title"] == "Glossary"
    assert glossary["introduction_html"] == "<p>Words the course uses in a particular sense.</p>"
    assert [(t["term"], t["slug"], t["also"]) for t in glossary["terms"]] == [
        ("Co-acting group", "co-acting-group", ["co-acting groups"]),
        ("Reflexivity", "reflexivity", ["reflexive"]),
    ]
    assert glossary["terms"][1]["definition_html"].startswith("<p>Noticing how your own position")
    assert service.get_glossary() == glossary


def test_a_changed_glossary_moves_the_content_version(app, content_copy):
    service.import_content(content_copy)
    version = db.session.scalar(sa.select(Course.content_version))
    path = content_copy / "glossary.md"
    path.write_text(path.read_text().replace("rather than towards", "not towards"))
    assert service.import_content(content_copy).updated == 1
    assert db.session.scalar(sa.select(Course.content_version)) > version
    assert "not towards" in service.get_glossary()["terms"][0]["definition_html"]


def test_export_writes_images_and_the_glossary_back_byte_for_byte(app, content_copy, tmp_path):
    service.import_content(content_copy)
    out = tmp_path / "out"
    service.export_content(out)
    assert (out / SVG_PATH).read_bytes() == (content_copy / SVG_PATH).read_bytes()
    assert service.check_content(out) == []
    exported = (out / "glossary.md").read_text()
    assert exported.startswith("---\ntitle: Glossary\n---\n")
    assert "## Co-acting group\nAlso: co-acting groups\nPeople who work side by side" in exported
    assert "see_also:\n- first-steps/talk-about-it" in (out / MODULE / "01-welcome.md").read_text()
    before = (stored_images(), db.session.scalar(sa.select(Course.glossary)), welcome_html())
    report = service.import_content(out)
    assert (report.created, report.updated, report.unpublished) == (0, 0, 0)
    assert (stored_images(), db.session.scalar(sa.select(Course.glossary)), welcome_html()) == before


def test_a_course_without_a_glossary_exports_none(app, content_copy, tmp_path):
    (content_copy / "glossary.md").unlink()
    service.import_content(content_copy)
    service.export_content(tmp_path / "out")
    assert not Path(tmp_path / "out" / "glossary.md").exists() and service.get_glossary() is None
