import re

import pytest

from lms.content import markdown
from lms.content.linear_markdown import flat_link
from lms.content.markdown import MAX_LENGTH, MAX_LINES, TooLong, render_course_markdown
from lms.content.schema import check_step
from tests.growth import growth


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
    # Only the markup counts: a link that is refused stays on the page as inert text.
    markup = " ".join(re.findall(r"<[^>]*>", render_course_markdown(source).lower()))
    for bad in ("<script", "onerror", "onload", "javascript:", "data:", "<iframe", "style=", "<svg", "<img"):
        assert bad not in markup


def test_links_keep_safe_urls_and_get_noopener():
    html = render_course_markdown("[NHS](https://www.nhs.uk)")
    assert 'href="https://www.nhs.uk"' in html and 'rel="noopener noreferrer"' in html


def test_level_one_headings_are_not_allowed_through():
    assert "<h1" not in render_course_markdown("# Big")


# -- Limits and linear time (issue 24): the same guarantees as learner Markdown --------------


def test_course_text_over_the_limit_is_refused_not_rendered():
    with pytest.raises(TooLong):
        render_course_markdown("a" * (MAX_LENGTH + 1))
    with pytest.raises(TooLong):
        render_course_markdown("a\n" * MAX_LINES)
    assert render_course_markdown("a" * MAX_LENGTH).startswith("<p>aaa")


def test_links_use_the_flat_label_rule_so_brackets_cannot_pile_up():
    # The label is found in one pass to the next bracket: an opener never rescans the rest.
    assert flat_link in markdown.PARSER.inline.ruler.getRules("")


def test_reference_links_and_titles_still_work():
    html = render_course_markdown('See [the NHS][nhs] and [NHS].\n\n[nhs]: https://www.nhs.uk "NHS website"\n')
    assert html.count('href="https://www.nhs.uk"') == 2 and 'title="NHS website"' in html


def test_content_check_refuses_a_body_over_the_limit():
    problems = check_step({"title": "Long", "type": "article", "duration": 5}, "x" * (MAX_LENGTH + 1), [])
    assert any(p.field == "body" and f"it can be at most {MAX_LENGTH:,}" in p.message for p in problems)
    problems = check_step({"title": "Long", "type": "article", "duration": 5}, "- x\n" * MAX_LINES, [])
    assert any(p.field == "body" and f"it can be at most {MAX_LINES:,}" in p.message for p in problems)


# Inputs that made Python-Markdown (or markdown-it-py's own link rule) slow, as functions of
# their length in characters (tables: of as many lines as that length allows at the limits).
def _lines(n: int) -> int:
    return n * MAX_LINES // MAX_LENGTH - 3


WORST = {
    "brackets": lambda n: "[" * n,
    "image brackets": lambda n: "![" * (n // 2),
    "empty links": lambda n: "[](" * (n // 3),
    "unclosed links": lambda n: "[a](" * (n // 4),
    "reference openers": lambda n: "[a][" * (n // 4),
    "emphasis runs": lambda n: "*_" * (n // 2),
    "html comments": lambda n: "x <!--" * (n // 6),
    "open tags": lambda n: "x <a " * (n // 5),
    "table rows": lambda n: "a|b\n-|-\n" + "|\n" * _lines(n),
    "long table rows": lambda n: "a|b\n-|-\n" + ("|" * (MAX_LENGTH // MAX_LINES - 2) + "\n") * _lines(n),
    "quotes and lists": lambda n: "> - " * (n // 4),
}


@pytest.mark.parametrize("name", WORST)
def test_the_work_of_the_worst_inputs_grows_in_step_with_their_length(name):
    """Counted in function calls, which other work on a busy machine does not change."""
    assert growth(render_course_markdown, WORST[name], MAX_LENGTH) < 6
    assert render_course_markdown(WORST[name](MAX_LENGTH))
