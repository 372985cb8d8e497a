"""See also, the glossary and transcripts: what the checker refuses, and how steps show them."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.content.schema import check_step, load_course
from lms.content.step_html import link_terms, split_transcript
from tests.unit.test_content_files import problems_in

FIXTURE = Path(__file__).parent.parent / "fixtures" / "content"
WELCOME = "modules/01-first-steps/01-welcome.md"
VIDEO = "modules/01-first-steps/02-watch-this.md"
META = {"title": "A step", "type": "article", "activity": "a", "duration": 5}


@pytest.fixture
def content(content_copy) -> Path:
    return content_copy


def test_the_fixture_reads_see_also_transcript_and_glossary():
    course = load_course(FIXTURE)
    welcome, video = course.modules[0].steps[:2]
    assert welcome.settings == {"see_also": ["first-steps/talk-about-it"]}
    assert "## Transcript" in video.body
    glossary = course.glossary
    assert glossary.title == "Glossary" and glossary.introduction.startswith("Words the course uses")
    assert [(t.term, t.slug, t.also) for t in glossary.terms] == [
        ("Co-acting group", "co-acting-group", ("co-acting groups",)),
        ("Reflexivity", "reflexivity", ("reflexive",)),
    ]
    assert glossary.terms[1].definition.startswith("Noticing how your own position")


# See also


@pytest.mark.parametrize(
    ("see_also", "message"),
    [
        ("first-steps/talk-about-it", "must be a list of steps"),
        (["first-steps"], "must be a step written module-slug/step-slug"),
        (["first-steps/Talk about it"], "must be a step written module-slug/step-slug"),
        (["first-steps/talk-about-it", "first-steps/talk-about-it"], "names first-steps/talk-about-it twice"),
        (["first-steps/welcome"], "names this step itself"),
    ],
)
def test_see_also_must_name_other_steps_once(see_also, message):
    problems = [
        str(p) for p in check_step({**META, "see_also": see_also}, "Text.\n", ["a"], identity="first-steps/welcome")
    ]
    assert any(message in p for p in problems), problems


def test_see_also_must_name_a_step_that_exists(content):
    path = content / WELCOME
    path.write_text(path.read_text().replace("first-steps/talk-about-it", "first-steps/no-such-step"))
    assert f"{WELCOME}:7: see_also.0: there is no step first-steps/no-such-step in the course" in problems_in(content)


# Transcripts


def test_a_video_with_a_link_needs_a_transcript(content):
    path = content / VIDEO
    path.write_text(path.read_text().split("## Transcript")[0])
    assert any(
        p.startswith(f"{VIDEO}:") and "needs its transcript, under a '## Transcript' heading" in p
        for p in problems_in(content)
    )


def test_a_video_without_a_link_needs_none_and_an_empty_transcript_is_refused():
    video = {**META, "type": "video"}
    assert check_step(video, "## Summary\n\nWhat they say.\n", ["a"]) == []
    problems = check_step(video, "## Summary\n\nText.\n\n## Transcript\n\n## Key points\n\n- One\n", ["a"])
    assert [p.message for p in problems] == ["the Transcript section is empty"]


def test_the_transcript_is_taken_out_of_the_body():
    body, transcript = split_transcript("<h2>Summary</h2><p>S</p><h2>Transcript</h2><p>T</p><h3>Part</h3><p>U</p>")
    assert (body, transcript) == ("<h2>Summary</h2><p>S</p>", "<p>T</p><h3>Part</h3><p>U</p>")
    body, transcript = split_transcript("<h2>Transcript</h2><p>T</p>\n<h2>Key points</h2><p>K</p>")
    assert (body, transcript) == ("<h2>Key points</h2><p>K</p>", "<p>T</p>")
    assert split_transcript("<p>No transcript</p>") == ("<p>No transcript</p>", "")


# The glossary file


def write_glossary(content: Path, body: str) -> None:
    (content / "glossary.md").write_text("---\ntitle: Glossary\n---\n" + body)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Only an introduction.\n", "the glossary has no terms"),
        ("## Team\nA group.\n\n## team\nAnother.\n", "'team' is already a form of 'Team'"),
        ("## Team\nAlso: teams\nA group.\n\n## Teams\nMore.\n", "'Teams' is already a form of 'Team'"),
        ("## Team\n\n## Group\nSome people.\n", "'Team' has no definition"),
        ("## Team\nAlso: teams\n\n## Group\nSome people.\n", "'Team' has no definition"),
    ],
)
def test_glossary_terms_are_unique_and_defined(content, body, message):
    write_glossary(content, body)
    problems = [p for p in problems_in(content) if p.startswith("glossary.md")]
    assert any(message in p for p in problems), problems


def test_a_glossary_problem_names_its_line(content):
    write_glossary(content, "## Team\nA group.\n\n## Group\n")
    assert "glossary.md:7: body: 'Group' has no definition" in problems_in(content)


def test_the_glossary_is_optional(content):
    (content / "glossary.md").unlink()
    assert problems_in(content) == [] and load_course(content).glossary is None


# Linking terms where they are first used

TERMS = [
    {"term": "Reflexivity", "slug": "reflexivity", "also": ["reflexive"]},
    {"term": "Co-acting group", "slug": "co-acting-group", "also": ["co-acting groups"]},
    {"term": "Group", "slug": "group", "also": []},
]


def linked(html: str) -> list[tuple[str, str]]:
    import re

    return re.findall(
        r'<a class="lms-glossary-link" href="/glossary#([^"]+)">([^<]+)</a>', link_terms(html, TERMS, "/glossary")
    )


def test_the_first_use_of_each_term_is_linked_once_whatever_its_case():
    html = "<p>REFLEXIVITY matters. Reflexivity again. A group, then groups.</p><p>group</p>"
    assert linked(html) == [("reflexivity", "REFLEXIVITY"), ("group", "group")]


def test_other_forms_link_to_their_term_and_the_longest_form_wins():
    assert linked("<p>Two co-acting groups and a reflexive habit.</p>") == [
        ("co-acting-group", "co-acting groups"),
        ("reflexivity", "reflexive"),
    ]


def test_only_whole_words_are_linked():
    assert linked("<p>Groupthink, subgroup, regrouped and reflexivity-based.</p>") == []


@pytest.mark.parametrize(
    "html",
    [
        "<h2>Reflexivity</h2>",
        "<h3>A group</h3>",
        '<p><a href="https://example.org">reflexivity</a></p>',
        "<p><code>group</code></p>",
        "<pre><code>group</code></pre>",
    ],
)
def test_terms_in_headings_links_and_code_are_not_linked(html):
    assert linked(html) == []


def test_a_term_after_a_heading_is_linked_in_the_text():
    assert linked("<h2>Reflexivity</h2><p>About reflexivity.</p>") == [("reflexivity", "reflexivity")]


def test_linking_keeps_the_rest_of_the_html_as_it_was():
    html = '<p>Fish &amp; chips &lt;b&gt; <em>group</em> <img src="/images/a/b.svg" alt="A group"></p>'
    assert link_terms(html, TERMS, "/glossary") == (
        '<p>Fish &amp; chips &lt;b&gt; <em><a class="lms-glossary-link" href="/glossary#group">group</a></em> '
        '<img src="/images/a/b.svg" alt="A group"></p>'
    )
    assert link_terms(html, [], "/glossary") == html
