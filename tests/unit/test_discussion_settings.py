"""`reveal: after-posting` in a discussion or reflection step's front matter."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.content.files import read_tree
from lms.content.schema import validate

DISCUSSION = "modules/01-first-steps/03-talk-about-it.md"
REFLECTION = "modules/02-next-steps/01-look-back.md"
ARTICLE = "modules/01-first-steps/01-welcome.md"


def write(root: Path, relative: str, text: str) -> None:
    (root / relative).write_text(text, encoding="utf-8")


def load(root: Path):
    course, problems = validate(read_tree(root))
    return course, [str(p) for p in problems]


def steps_of(course) -> dict:
    return {s.slug: s for m in course.modules for s in m.steps}


@pytest.mark.parametrize(
    "path, kind, activity", [(DISCUSSION, "discussion", "talking"), (REFLECTION, "reflection", "looking-back")]
)
def test_after_posting_is_stored_in_the_step_settings(content_copy, path, kind, activity):
    write(
        content_copy,
        path,
        f"---\ntitle: T\ntype: {kind}\nactivity: {activity}\nduration: 5\n"
        "prompt: Why?\nreveal: after-posting\n---\nText.\n",
    )
    course, problems = load(content_copy)
    assert problems == []
    slug = path.rsplit("/", 1)[1][3:-3]
    assert steps_of(course)[slug].settings == {"reveal": "after-posting"}


def test_always_is_the_default_and_stores_nothing(content_copy):
    write(
        content_copy,
        DISCUSSION,
        "---\ntitle: T\ntype: discussion\nactivity: talking\nduration: 5\nprompt: Why?\nreveal: always\n---\nText.\n",
    )
    course, problems = load(content_copy)
    assert problems == [] and steps_of(course)["talk-about-it"].settings == {}


def test_an_unknown_reveal_is_named_with_file_and_line(content_copy):
    write(
        content_copy,
        DISCUSSION,
        "---\ntitle: T\ntype: discussion\nactivity: talking\nduration: 5\nprompt: Why?\nreveal: later\n---\nText.\n",
    )
    _, problems = load(content_copy)
    assert f"{DISCUSSION}:7: reveal: must be one of: always, after-posting" in problems


def test_reveal_is_refused_on_other_step_types(content_copy):
    write(
        content_copy,
        ARTICLE,
        "---\ntitle: T\ntype: article\nactivity: getting-started\nduration: 5\nreveal: after-posting\n---\nText.\n",
    )
    _, problems = load(content_copy)
    assert any(p.startswith(f"{ARTICLE}:6: reveal: unknown field") for p in problems), problems


def test_reveal_survives_import_and_export(app, content_copy, tmp_path):
    import sqlalchemy as sa

    from lms.content import service
    from lms.content.models import Step
    from lms.extensions import db

    write(
        content_copy,
        DISCUSSION,
        "---\ntitle: T\ntype: discussion\nactivity: talking\nduration: 5\n"
        "prompt: Why?\nreveal: after-posting\n---\nText.\n",
    )
    service.import_content(content_copy)
    stored = db.session.scalar(sa.select(Step.settings).where(Step.slug == "talk-about-it"))
    assert stored == {"reveal": "after-posting"}
    service.export_content(tmp_path / "out")
    assert "reveal: after-posting" in (tmp_path / "out" / DISCUSSION).read_text()
