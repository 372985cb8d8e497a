"""Comments are never translated, but each knows the language it is written in: its author's
choice on the comment form (by default the page's language), kept when editing unless
changed, and the `lang` of its text wherever it is shown. The interface words around a
comment follow the page's language, kept comment parts included."""

from __future__ import annotations

import re

import pytest

from lms.comments.models import Comment
from lms.extensions import db
from tests.factories import make_comment, make_user
from tests.web.discussion_support import TALK, comments, post, step_id, text_of


def body_lang(page: str, comment_id: int | None = None) -> str:
    """The `lang` on the comment's text, in its thread item (or the page's first comment)."""
    item = page[page.index(f'id="comment-{comment_id}"') :] if comment_id else page
    return re.search(r'<div class="lms-comment__body lms-prose" lang="([^"]+)">', item)[1]


def selected_language(page: str, select_id: str) -> str:
    select = re.search(rf'<select[^>]* id="{select_id}"[^>]*>(.*?)</select>', page, re.S)[1]
    return re.search(r'<option value="(\w+)"[^>]*\bselected\b', select)[1]


@pytest.fixture
def welsh(client, enrolled):
    """The signed-in learner has chosen Welsh with the header's switch."""
    client.get("/language/cy?next=/")
    return enrolled


@pytest.fixture
def author(app, course):
    return make_user(email="author@example.org", display_name="Alex Author")


def test_on_a_welsh_page_the_box_offers_welsh_and_a_post_is_marked_welsh(client, welsh):
    page = client.get(TALK).text
    assert "Iaith eich sylw" in page and selected_language(page, "comment-language") == "cy"
    assert '<option value="en" lang="en-GB">English</option>' in page  # each language named in itself
    response = post(client, "Dw i wedi gwrando mwy yr wythnos hon.", language="cy")
    comment = comments()[0]
    assert response.location.endswith(f"#comment-{comment.id}") and comment.language == "cy"
    page = client.get(TALK).text
    assert "Mae eich sylw wedi'i bostio." in text_of(page)
    assert body_lang(page, comment.id) == "cy"


def test_a_post_without_a_choice_takes_the_pages_language(client, welsh):
    post(client, "Dim dewis, felly iaith y dudalen.")
    assert comments()[0].language == "cy"


def test_english_chosen_on_a_welsh_page_is_kept_and_marked_english(client, welsh):
    post(client, "I listened more this week.", language="en")
    comment = comments()[0]
    assert comment.language == "en"
    page = client.get(TALK).text
    assert body_lang(page, comment.id) == "en-GB"
    assert "I listened more this week." in page  # never translated


def test_english_pages_post_english_comments(client, enrolled):
    page = client.get(TALK).text
    assert "Language of your comment" in page and selected_language(page, "comment-language") == "en"
    post(client, "Plain English")
    comment = comments()[0]
    assert comment.language == "en" and body_lang(client.get(TALK).text, comment.id) == "en-GB"


@pytest.mark.parametrize("welsh_page", [False, True])
def test_a_language_that_is_not_offered_is_refused_with_the_text_kept(client, enrolled, welsh_page):
    if welsh_page:
        client.get("/language/cy?next=/")
    response = post(client, "Words I do not want to lose", language="fr")
    assert response.status_code == 400
    page = response.text
    message = (
        "Dewiswch yr iaith y mae eich sylw wedi'i ysgrifennu ynddi: Saesneg neu Gymraeg"
        if welsh_page
        else "Choose the language your comment is written in: English or Cymraeg"
    )
    assert message in text_of(page)
    assert 'href="#language"' in page  # the error summary leads to the select
    assert 'aria-describedby="language-error"' in page
    assert "Words I do not want to lose</textarea>" in page
    assert comments() == []


def test_editing_keeps_the_language_unless_the_author_changes_it(client, welsh):
    post(client, "Sylw cyntaf", language="cy")
    comment = comments()[0]
    page = client.get(f"/comments/{comment.id}/edit").text
    assert selected_language(page, "language") == "cy"
    client.post(f"/comments/{comment.id}/edit", data={"body": "Sylw cyntaf, wedi newid"})
    assert comments()[0].language == "cy"
    client.post(f"/comments/{comment.id}/edit", data={"body": "Sylw cyntaf, wedi newid", "language": "en"})
    changed = comments()[0]
    assert changed.language == "en" and changed.body_md == "Sylw cyntaf, wedi newid"
    assert body_lang(client.get(TALK).text, comment.id) == "en-GB"
    response = client.post(f"/comments/{comment.id}/edit", data={"body": "Still here", "language": "xx"})
    assert response.status_code == 400 and "Still here</textarea>" in response.text
    assert comments()[0].language == "en" and comments()[0].body_md == "Sylw cyntaf, wedi newid"


def test_a_new_language_alone_is_not_an_edit(client, enrolled):
    post(client, "Same words")
    comment = comments()[0]
    client.post(f"/comments/{comment.id}/edit", data={"body": "Same words", "language": "cy"})
    assert comments()[0].language == "cy" and comments()[0].edited_at is None


def test_a_reply_chooses_its_own_language(client, welsh, author):
    said = make_comment(author, step_id(), "An English comment")
    page = client.get(TALK).text
    assert selected_language(page, f"reply-language-{said.id}") == "cy"  # the page's language
    assert body_lang(page, said.id) == "en-GB"
    client.post(f"/comments/{said.id}/reply", data={"body": "Ateb yn Gymraeg", "next": TALK})
    reply = comments()[-1]
    assert reply.parent_id == said.id and reply.language == "cy"
    client.post(f"/comments/{said.id}/reply", data={"body": "A reply in English", "language": "en", "next": TALK})
    assert comments()[-1].language == "en"
    page = client.get(f"/comments/{said.id}").text  # the conversation page
    assert body_lang(page, reply.id) == "cy" and body_lang(page, comments()[-1].id) == "en-GB"


def test_a_thread_in_welsh_has_welsh_words_around_unchanged_comments(client, enrolled, author):
    said = make_comment(author, step_id(), "Handover is where we **listen**")
    english = client.get(TALK).text  # kept parts of the thread are made in English first
    assert "Like<span" in english and "Report<span" in english and "0 likes" in english
    client.get("/language/cy?next=/")
    page = client.get(TALK).text
    words = text_of(page)
    assert "Handover is where we <strong>listen</strong>" in page  # the text as written
    assert body_lang(page, said.id) == "en-GB"
    assert "Sylwadau (1)" in words and "0 hoffiad" in words
    assert "Hoffi sylw gan Alex Author" in words and "Rhoi gwybod am sylw gan Alex Author" in words
    assert "Postio ateb" in page and "Eich ateb i Alex Author" in page
    for english_word in ("Like<span", "Report<span", "Post reply", "0 likes", "Your reply to"):
        assert english_word not in page
    client.get("/language/en?next=/")
    again = client.get(TALK).text  # and back: nothing of the Welsh page was kept for English
    assert "Like<span" in again and "Hoffi" not in again and "Postio ateb" not in again


def test_the_moderation_queue_marks_each_comments_language(client, enrolled, author, facilitator, sign_in):
    said = make_comment(author, step_id(), "Ysgrifennais hwn yn Gymraeg")
    db.session.get(Comment, said.id).language = "cy"
    db.session.commit()
    client.post(f"/comments/{said.id}/report", data={"reason": "spam"})
    staff = sign_in(facilitator)
    staff.get("/language/cy?next=/")
    page = staff.get("/moderation").text
    assert "Ciw cymedroli" in page and "Hysbysebu neu sbam" in page and "1 adroddiad" in text_of(page)
    assert body_lang(page, said.id) == "cy"
    hide = staff.get(f"/comments/{said.id}/hide").text
    assert body_lang(hide) == "cy" and "Pam rydych chi'n cuddio'r sylw hwn?" in text_of(hide)
