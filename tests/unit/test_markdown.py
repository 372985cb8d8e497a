import pytest

from lms.content.markdown import render_course_markdown


def test_renders_headings_lists_emphasis_and_tables():
    html = render_course_markdown("## Title\n\n- *one*\n- **two**\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<h2>Title</h2>" in html
    assert "<em>one</em>" in html and "<strong>two</strong>" in html
    assert "<table>" in html and "<td>1</td>" in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        '<iframe src="https://evil.example"></iframe>',
        '<p style="background:url(javascript:alert(1))">x</p>',
        "<svg onload=alert(1)>",
    ],
)
def test_author_markdown_cannot_smuggle_script(source):
    html = render_course_markdown(source).lower()
    for bad in ("<script", "onerror", "onload", "javascript:", "data:", "<iframe", "style=", "<svg", "<img"):
        assert bad not in html


def test_links_keep_safe_urls_and_get_noopener():
    html = render_course_markdown("[NHS](https://www.nhs.uk)")
    assert 'href="https://www.nhs.uk"' in html and 'rel="noopener noreferrer"' in html


def test_level_one_headings_are_not_allowed_through():
    assert "<h1" not in render_course_markdown("# Big")
