"""The care queue shows the start of a comment: cut by words in its Markdown, never inside
markup, then rendered and sanitised by the comments' own renderer."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.comments.excerpts import CHARACTERS, WORDS, cut_text, excerpt
from lms.comments.markdown import render_comment


def test_a_short_comment_is_shown_from_the_html_kept_when_it_was_saved():
    shown = excerpt("**Compassion** matters", "<p>kept</p>")
    assert shown.html == "<p>kept</p>" and not shown.cut


def test_a_long_comment_is_cut_after_whole_words_and_rendered_with_an_ellipsis():
    body = "**Compassion** is " + " ".join(f"w{n}" for n in range(200))
    shown = excerpt(body, render_comment(body))
    assert shown.cut and shown.html.startswith("<p><strong>Compassion</strong> is w0 w1")
    assert shown.html.endswith(" …</p>")
    assert len(re.findall(r"\bw\d+", shown.html)) == WORDS - 2  # "Compassion" and "is" are two of the words
    assert "**" not in shown.html


def test_line_breaks_are_kept_so_lists_stay_lists():
    body = "Three things:\n\n- listen\n- ask\n- act\n\n" + "more " * 100
    html = excerpt(body, render_comment(body)).html
    assert "<li>listen</li>" in html and "<li>act</li>" in html


def test_a_link_is_never_cut_in_half():
    body = "See " + "x " * (WORDS - 2) + "[the guidance](https://example.org/a/very/long/address) and more words after"
    cut = cut_text(body)
    assert "[the" not in cut and cut.endswith("x")
    assert "https://example.org" not in excerpt(body, "").html


def test_strong_text_cut_before_its_end_shows_no_stray_marks():
    body = "**" + "kind " * 100 + "words**"
    html = excerpt(body, "").html
    assert "*" not in html and html.startswith("<p>kind kind")


def test_one_word_longer_than_the_limit_is_cut_by_characters():
    body = "https://example.org/" + "a" * 1000
    assert len(cut_text(body)) == CHARACTERS


def test_hostile_markup_in_a_cut_comment_is_still_sanitised():
    body = "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)> " + "word " * 200
    html = excerpt(body, "").html
    assert "<script" not in html and "<img" not in html and "href=" not in html


@given(st.text(alphabet=st.sampled_from("ab *_[]()\n-#>`<&\\"), max_size=900))
def test_every_excerpt_is_what_the_renderer_makes_of_a_prefix_of_the_text(text):
    cut = cut_text(text)
    if cut is None:
        return
    rest = iter(text)  # the start of the text, less at most one unpaired ** or __
    assert all(char in rest for char in cut) and len(cut) <= CHARACTERS
    assert excerpt(text, "").html == render_comment(f"{cut} …")


@pytest.mark.parametrize("text", ["", "one", "a " * WORDS])
def test_text_within_the_limits_is_not_cut(text):
    assert cut_text(text) is None
