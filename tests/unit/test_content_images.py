"""Images kept in content/: what the checker refuses, and how course Markdown shows them."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.content.images import MAX_BYTES, image_problems, svg_problems
from lms.content.markdown import render_course_markdown
from lms.content.schema import check_step, load_course
from tests.unit.test_content_files import problems_in

FIXTURE = Path(__file__).parent.parent / "fixtures" / "content"
MODULE = "modules/01-first-steps"
WELCOME = f"{MODULE}/01-welcome.md"
SVG = (FIXTURE / MODULE / "images" / "three-steps.svg").read_bytes()
META = {"title": "A step", "type": "article", "activity": "a", "duration": 5}


@pytest.fixture
def content(content_copy) -> Path:
    return content_copy


def body_problems(body: str, images: set[str] | None = frozenset({"chart.svg"})) -> list[str]:
    return [p.message for p in check_step(META, body, ["a"], set(images) if images is not None else None)]


def test_the_fixture_image_loads_with_its_module():
    module = load_course(FIXTURE).modules[0]
    (image,) = module.images
    assert (image.name, image.media_type, image.data) == ("three-steps.svg", "image/svg+xml", SVG)
    assert len(image.sha256) == 64


def test_a_good_image_reference_passes():
    assert body_problems("![A chart of the three stages](images/chart.svg)\n") == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("![](images/chart.svg)\n", "needs alt text saying what it shows"),
        ("![ ](images/chart.svg)\n", "needs alt text saying what it shows"),
        ("![chart.svg](images/chart.svg)\n", "not its file name"),
        ("![A chart](images/other.svg)\n", "is not in this module's images folder"),
        ("![A chart](https://example.org/chart.svg)\n", "no images from elsewhere"),
        ("![A chart](//example.org/chart.svg)\n", "no images from elsewhere"),
        ("![A chart](../02-next-steps/images/chart.svg)\n", "no images from elsewhere"),
        ("![A chart](data:image/png;base64,iVBORw0KGgo=)\n", "data: images"),
        ("![A chart](data:image/svg+xml;base64,PHN2Zz4=)\n", "data: images are not allowed"),
        ('<img src="images/chart.svg" alt="A chart">\n', "not as <img>"),
        ('Text <img src="https://example.org/x.png" alt="x"> more\n', "not as <img>"),
    ],
)
def test_the_checker_refuses_bad_image_references(body, message):
    assert any(message in problem for problem in body_problems(body)), body_problems(body)


def test_without_the_module_images_only_the_form_is_checked():
    assert body_problems("![A chart](images/anything.svg)\n", images=None) == []


def test_a_missing_image_file_is_reported_with_its_line(content):
    path = content / WELCOME
    path.write_text(path.read_text().replace("images/three-steps.svg", "images/missing.svg"))
    (problem,) = [p for p in problems_in(content) if "missing.svg" in p]
    assert problem.startswith(f"{WELCOME}:14: body: image 'images/missing.svg' is not in this module's images folder")


def test_images_belong_to_steps_not_module_or_course_text(content):
    path = content / MODULE / "module.md"
    path.write_text(path.read_text() + "\n![A chart](images/three-steps.svg)\n")
    assert any(
        p.startswith(f"{MODULE}/module.md") and "is not in this module's images folder" in p
        for p in problems_in(content)
    )


def svg(inner: str, described: bool = True) -> bytes:
    head = "<title>A chart</title><desc>Three boxes in a row.</desc>" if described else ""
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{head}{inner}</svg>'.encode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (svg("", described=False), "needs a <title>"),
        (svg("", described=False), "needs a <desc>"),
        (svg("<script>alert(1)</script>"), "must not contain <script>"),
        (svg('<rect onload="alert(1)" width="1" height="1"/>'), "must not have event handlers"),
        (svg('<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>'), "<foreignObject>"),
        (svg('<image href="https://example.org/x.png"/>'), "must not refer to anything outside"),
        (
            svg('<use xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="other.svg#a"/>'),
            "must not refer to anything outside",
        ),
        (svg("<style>rect { fill: url(https://example.org/x) }</style>"), "must not fetch anything"),
        (svg('<rect style="fill: url(http://example.org/a)"/>'), "must not fetch anything"),
        (b'<!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg"/>', "DOCTYPE"),
        (b"<svg", "not well-formed"),
        (b"<html><title>x</title><desc>y</desc></html>", "first element must be <svg>"),
    ],
)
def test_the_checker_refuses_unsafe_or_undescribed_svg(data, message):
    assert any(message in problem for problem in svg_problems(data)), svg_problems(data)


def test_a_described_svg_with_local_references_passes():
    assert svg_problems(SVG) == []
    assert svg_problems(svg('<use href="#a"/><rect style="fill: url(#g)"/>')) == []


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("chart.svg", b"", "the file is empty"),
        ("chart.png", b"\x89PNG\r\n\x1a\n" + b"0" * MAX_BYTES, "an image can be at most 300 KB"),
        ("chart.png", b"GIF89a", "is not a PNG picture"),
        ("chart.jpg", b"\x89PNG\r\n\x1a\n", "is not a JPG picture"),
        ("chart.webp", b"RIFF0000WAVE", "is not a WebP picture"),
        ("Chart One.svg", SVG, "name it with lower-case words"),
        ("chart.gif", b"GIF89a", "name it with lower-case words"),
    ],
)
def test_the_checker_refuses_bad_image_files(name, data, message):
    assert any(message in problem for problem in image_problems(name, data)), image_problems(name, data)


def test_a_bad_image_file_is_named_in_the_report(content):
    (content / MODULE / "images" / "bad.svg").write_bytes(svg("<script>x</script>"))
    assert f"{MODULE}/images/bad.svg:1: must not contain <script>" in problems_in(content)


URLS = {"images/chart.svg": "/images/" + "a" * 64 + "/chart.svg"}


def test_an_image_alone_is_a_figure_and_a_following_italic_paragraph_its_caption():
    html = render_course_markdown(
        "Before.\n\n![A chart of stages](images/chart.svg)\n\n*Three stages.*\n\nAfter.\n", URLS
    )
    assert html == (
        "<p>Before.</p>\n"
        f'<figure><img src="{URLS["images/chart.svg"]}" alt="A chart of stages">'
        "<figcaption>Three stages.</figcaption>\n</figure>\n<p>After.</p>"
    )


def test_an_image_without_a_caption_and_one_inside_text():
    assert render_course_markdown("![A chart](images/chart.svg)\n\nPlain text.\n", URLS).startswith(
        f'<figure><img src="{URLS["images/chart.svg"]}" alt="A chart"></figure>\n<p>Plain text.</p>'
    )
    assert render_course_markdown("See ![a chart](images/chart.svg) here.\n", URLS) == (
        f'<p>See <img src="{URLS["images/chart.svg"]}" alt="a chart"> here.</p>'
    )


@pytest.mark.parametrize(
    "body",
    [
        "![A chart](https://example.org/chart.svg)",
        "![A chart](images/unknown.svg)",
        '<img src="https://example.org/x.png" alt="A chart">',
        '<img src="images/chart.svg" alt="A chart">',
        '<img src="/images/x/../../evil" onerror="alert(1)" alt="A chart">',
    ],
)
def test_nothing_but_stored_images_is_shown(body):
    html = render_course_markdown(body + "\n", URLS)
    assert "https://example.org" not in html and "onerror" not in html
    assert "<img" not in html or 'src="/images/' in html
    assert 'src="images/' not in html


def test_learner_markdown_still_shows_no_images():
    from lms.content.learner_markdown import render_learner_markdown

    assert "<img" not in render_learner_markdown("![A chart](images/chart.svg) <img src=/images/a/b.svg>")
