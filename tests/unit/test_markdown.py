import re
import time

import pytest

from lms.content import markdown
from lms.content.linear_markdown import flat_link
from lms.content.markdown import MAX_LENGTH, MAX_LINES, TooLong, render_course_markdown
from lms.content.schema import check_step


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


# Inputs that made Python-Markdown (or markdown-it-py's own link rule) slow, at the limit.
WORST = {
    "brackets": "[" * MAX_LENGTH,
    "image brackets": "![" * (MAX_LENGTH // 2),
    "empty links": "[](" * (MAX_LENGTH // 3),
    "unclosed links": "[a](" * (MAX_LENGTH // 4),
    "reference openers": "[a][" * (MAX_LENGTH // 4),
    "emphasis runs": "*_" * (MAX_LENGTH // 2),
    "html comments": "x <!--" * (MAX_LENGTH // 6),
    "open tags": "x <a " * (MAX_LENGTH // 5),
    "table rows": "a|b\n-|-\n" + "|\n" * (MAX_LINES - 3),
    "long table rows": "a|b\n-|-\n" + ("|" * (MAX_LENGTH // MAX_LINES - 2) + "\n") * (MAX_LINES - 3),
    "quotes and lists": "> - " * (MAX_LENGTH // 4),
}


def test_the_worst_inputs_at_the_limit_render_in_well_under_a_second_each():
    """One call each, with a generous bound (the slowest takes about a seventh of it here), in
    the process's own CPU time, so other work on a busy machine does not count."""
    for name, text in WORST.items():
        start = time.process_time()
        render_course_markdown(text)
        assert time.process_time() - start < 1.0, name
