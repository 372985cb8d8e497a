"""The content reader and checker: every kind of malformed file names file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.content.files import ContentInvalid, parse_document, read_tree
from lms.content.schema import load_course, validate

FIXTURE = Path(__file__).parent.parent / "fixtures" / "content"
STEP = "modules/01-first-steps/01-welcome.md"


def problems_in(root: Path) -> list[str]:
    return [str(p) for p in validate(read_tree(root))[1]]


def write(root: Path, relative: str, text: str) -> None:
    (root / relative).parent.mkdir(parents=True, exist_ok=True)
    (root / relative).write_text(text, encoding="utf-8")


def test_fixture_course_loads_in_order():
    course = load_course(FIXTURE)
    assert course.slug == "test-course"
    assert [m.slug for m in course.modules] == ["first-steps", "next-steps"]
    first = course.modules[0]
    assert [(s.position, s.slug, s.type) for s in first.steps] == [
        (1, "welcome", "article"),
        (2, "watch-this", "video"),
        (3, "talk-about-it", "discussion"),
    ]
    assert first.steps[1].video == "https://video.example.org/watch/1"
    assert first.steps[2].prompt == "Share an example from your own work."
    assert [a.slug for a in first.activities] == ["getting-started", "talking"]


def test_real_course_content_is_valid():
    root = Path(__file__).parent.parent.parent / "content"
    assert problems_in(root) == []


def test_parse_document_records_the_line_of_each_field():
    doc = parse_document("---\ntitle: T\ntype: article\nextra:\n  - a\n---\nBody\n", "x.md")
    assert doc.line("title") == 2 and doc.line("type") == 3 and doc.line("extra", 0) == 5
    assert doc.body == "Body\n" and doc.body_line == 7


@pytest.mark.parametrize(
    "text, message",
    [
        ("no front matter\n", "x.md:1: the file must start with a '---' line"),
        ("---\ntitle: T\n", "x.md:1: the front matter has no closing '---' line"),
        ("---\ntitle: [unclosed\n---\n", "x.md:2: the front matter is not valid YAML"),
        ("---\n- a list\n---\n", "x.md:2: the front matter must be a set of 'field: value' lines"),
    ],
)
def test_malformed_documents_are_refused_with_their_line(text, message):
    with pytest.raises(ContentInvalid) as error:
        parse_document(text, "x.md")
    assert str(error.value.problems[0]).startswith(message)


@pytest.mark.parametrize(
    "front, expected",
    [
        (
            "title: Welcome\ntype: podcast\nactivity: getting-started\nduration: 5",
            f"{STEP}:3: type: must be one of: article, video, discussion, reflection, quiz, test, self-assessment",
        ),
        (
            "title: Welcome\ntype: quiz\nactivity: getting-started\nduration: 5",
            f"{STEP}:1: questions: must be a list with at least one entry",
        ),
        (
            "title: Welcome\ntype: self-assessment\nactivity: getting-started\nduration: 5",
            f"{STEP}:1: audience: must be 'self' (about the learner) or 'team'",
        ),
        (
            "title: Welcome\ntype: article\nactivity: nowhere\nduration: 5",
            f"{STEP}:4: activity: must be one of this module's activities: getting-started, talking",
        ),
        (
            "title: Welcome\ntype: article\nactivity: getting-started\nduration: ten",
            f"{STEP}:5: duration: must be a whole number from 1 to 600",
        ),
        (
            "title: Welcome\ntype: article\nactivity: getting-started\nduration: 0",
            f"{STEP}:5: duration: must be a whole number from 1 to 600",
        ),
        ("type: article\nactivity: getting-started\nduration: 5", f"{STEP}:1: title: is required"),
        ("title: Welcome\ntype: article\nactivity: getting-started", f"{STEP}:1: duration: is required"),
        (
            "title: Welcome\ntype: article\nactivity: getting-started\nduration: 5\ncolour: blue",
            f"{STEP}:6: colour: unknown field",
        ),
        (
            "title: Welcome\ntype: article\nactivity: getting-started\nduration: 5\nprompt: Why?",
            f"{STEP}:6: prompt: is only used on discussion and reflection steps",
        ),
        ("title: Welcome\ntype: discussion\nactivity: getting-started\nduration: 5", f"{STEP}:1: prompt: is required"),
        (
            "title: Welcome\ntype: video\nactivity: getting-started\nduration: 5\nvideo: javascript:alert(1)",
            f"{STEP}:6: video: must be an http or https link",
        ),
        (
            "title: Welcome\ntype: article\nactivity: getting-started\nduration: 5\nvideo: https://x.org/v",
            f"{STEP}:6: video: must be an http or https link, on video steps only",
        ),
    ],
)
def test_each_bad_step_field_is_named_with_file_and_line(content_copy, front, expected):
    write(content_copy, STEP, f"---\n{front}\n---\nSome text.\n")
    problems = problems_in(content_copy)
    assert any(p.startswith(expected) for p in problems), problems


def test_an_empty_article_and_a_level_one_heading_are_refused(content_copy):
    write(content_copy, STEP, "---\ntitle: W\ntype: article\nactivity: getting-started\nduration: 5\n---\n\n")
    assert f"{STEP}:7: body: is empty" in problems_in(content_copy)
    write(
        content_copy, STEP, "---\ntitle: W\ntype: article\nactivity: getting-started\nduration: 5\n---\nText\n\n# Big\n"
    )
    assert any(p.startswith(f"{STEP}:9: body: use '##' for headings") for p in problems_in(content_copy))


def test_badly_named_and_duplicate_files_are_refused(content_copy):
    write(content_copy, "modules/01-first-steps/Welcome Again.md", "---\ntitle: x\n---\n")
    write(
        content_copy,
        "modules/01-first-steps/01-another.md",
        "---\ntitle: A\ntype: article\nactivity: getting-started\nduration: 5\n---\nText\n",
    )
    problems = problems_in(content_copy)
    assert any(p.startswith("modules/01-first-steps/Welcome Again.md:1: name it NN-slug") for p in problems)
    assert any("has the same number as" in p for p in problems)


def test_module_problems_are_found(content_copy):
    write(
        content_copy,
        "modules/01-first-steps/module.md",
        "---\ntitle: First\nsummary: S\nhours: lots\nactivities:\n  - slug: Getting Started\n    title: G\n---\nIntro\n",
    )
    problems = problems_in(content_copy)
    module = "modules/01-first-steps/module.md"
    assert f"{module}:4: hours: must be a number from 0.25 to 100" in problems
    assert any(p.startswith(f"{module}:6: activities.0.slug: must be lower-case words") for p in problems)


def test_missing_files_are_reported(content_copy):
    (content_copy / "modules/02-next-steps/module.md").unlink()
    (content_copy / "course.md").unlink()
    problems = problems_in(content_copy)
    assert "course.md:1: the course file is missing" in problems
    assert "modules/02-next-steps/module.md:1: the module file is missing" in problems


def test_steps_must_keep_their_activity_together(content_copy):
    # 01 and 02 are getting-started, 03 is talking; a fourth step back in getting-started breaks the order
    write(
        content_copy,
        "modules/01-first-steps/04-again.md",
        "---\ntitle: Again\ntype: article\nactivity: getting-started\nduration: 5\n---\nText\n",
    )
    problems = problems_in(content_copy)
    assert any(
        p.startswith("modules/01-first-steps/04-again.md:4: activity: steps must follow the order") for p in problems
    )


def test_an_activity_without_steps_is_reported(content_copy):
    (content_copy / "modules/01-first-steps/03-talk-about-it.md").unlink()
    assert any("activity 'talking' has no steps" in p for p in problems_in(content_copy))


def test_course_fields_are_checked(content_copy):
    write(
        content_copy,
        "course.md",
        "---\ntitle: T\nslug: Not A Slug\nsummary: S\nhours: 2\noutcomes: []\neducators:\n  - name: N\n---\nAbout\n",
    )
    problems = problems_in(content_copy)
    assert any(p.startswith("course.md:3: slug: must be lower-case words") for p in problems)
    assert any(p.startswith("course.md:6: outcomes: must be a list") for p in problems)
    assert "course.md:8: educators.0.role: is required" in problems


def test_every_problem_is_reported_not_just_the_first(content_copy):
    write(content_copy, STEP, "---\ntype: podcast\nduration: -1\n---\n")
    problems = problems_in(content_copy)
    assert len([p for p in problems if p.startswith(STEP)]) >= 4
