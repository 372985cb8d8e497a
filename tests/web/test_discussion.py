"""Comment threads through the test client: post, reply, edit, delete, like, bookmark, follow,
filter, sort, page, reveal after posting, and every refusal."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from lms.comments.models import Bookmark, Comment, CommentLike, Follow
from lms.content.models import Course
from lms.extensions import db
from lms.learning import service as learning
from lms.moderation import service as moderation
from tests.factories import PASSWORD, make_comment, make_user
from tests.web.discussion_support import TALK, comment_count, comments, post, set_reveal, step_id, text_of

START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def other(app, course):
    person = make_user(email="other@example.org", display_name="Olly Other")
    learning.join_course(person.id, course.course.id)
    return person


def test_a_learner_posts_a_comment_and_sees_it_on_the_step(client, enrolled):
    response = post(client, "I *listened* more this week.\n\n- at handover\n- in the huddle")
    comment = comments()[0]
    assert response.location == f"{TALK}#comment-{comment.id}"
    page = client.get(TALK).text
    assert "Your comment has been posted." in page
    assert f'id="comment-{comment.id}"' in page and "<em>listened</em>" in page and "<li>at handover</li>" in page
    assert "Comments (1)" in text_of(page) and "Lee Learner" in page
    assert comment.author_id == enrolled.id and comment.body_md.startswith("I *listened*")
    assert comment_count() == 1


def test_the_comment_box_sits_under_the_prompt(client, enrolled):
    page = client.get(TALK).text
    assert page.index("Share an example from your own work.") < page.index('name="body"')
    assert "Over to you: Share an example from your own work." in page  # the box's hint repeats it
    assert 'data-maxlength="5000"' in page


def test_counts_show_on_the_step_the_todo_and_the_module_pages(client, enrolled, other):
    for n in range(3):
        make_comment(other, step_id(), f"Thought {n}")
    assert "Comments (3)" in text_of(client.get(TALK).text)
    assert "1.3 Talk about it Discussion · 15 min · 3 comments" in text_of(client.get("/todo").text)
    assert "Discussion · 15 min · 3 comments" in text_of(client.get("/modules/first-steps").text)
    assert "Article · 5 min Not completed" in text_of(client.get("/todo").text)  # no count when none


def test_a_post_moves_the_counts_but_leaves_the_kept_outline(client, enrolled, count_queries):
    version = lambda: db.session.scalar(sa.select(Course.content_version))  # noqa: E731
    before = version()
    client.get("/todo")  # this process now keeps the outline (lms.content.cache)
    post(client, "A count is not course content")
    assert version() == before
    with count_queries() as statements:
        page = client.get("/todo").text
    assert "1.3 Talk about it Discussion · 15 min · 1 comment" in text_of(page)
    assert not any("FROM modules" in s for s in statements), "the outline was rebuilt"


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Enter your comment"),
        ("   \n\n  ", "Enter your comment"),
        ("word " * 1001, "Your comment must be 5,000 characters or fewer: it has 5,004"),
    ],
)
def test_empty_and_over_long_comments_are_refused_with_the_text_kept(client, enrolled, text, message):
    response = post(client, text)
    assert response.status_code == 400
    assert message in response.text and "There is a problem" in response.text
    assert f">{text}</textarea>" in response.text
    assert comments() == [] and comment_count() == 0


def test_a_double_submitted_form_creates_one_comment(client, enrolled):
    first = post(client, "Only once, please", submission="same-key")
    second = post(client, "Only once, please", submission="same-key")
    assert len(comments()) == 1 and comment_count() == 1
    assert first.location == second.location == f"{TALK}#comment-{comments()[0].id}"
    post(client, "Only once, please", submission="another-key")  # a new form is a new comment
    assert len(comments()) == 2


def test_replies_sit_under_their_comment_one_level_deep(client, enrolled, other, sign_in):
    parent = make_comment(other, step_id(), "What helps you listen?")
    response = client.post(f"/comments/{parent.id}/reply", data={"body": "Putting the phone away", "next": TALK})
    reply = comments()[-1]
    assert response.location == f"{TALK}#comment-{reply.id}"
    assert reply.parent_id == parent.id and db.session.get(Comment, parent.id).reply_count == 1
    page = client.get(TALK).text
    replies = page[page.index(f'id="comment-{parent.id}"') :]
    assert 'class="lms-comments lms-comments--replies"' in replies and "Putting the phone away" in replies
    # Replying to a reply adds to the same conversation, under the top-level comment.
    sign_in(other).post(f"/comments/{reply.id}/reply", data={"body": "Same here"})
    assert comments()[-1].parent_id == parent.id
    assert comment_count() == 3


def test_the_reply_page_works_without_javascript(client, enrolled, other):
    parent = make_comment(other, step_id(), "Question for you")
    page = client.get(f"/comments/{parent.id}/reply").text
    assert "Reply to a comment" in page and "Question for you" in page and "Your reply to Olly Other" in page


def test_a_long_conversation_shows_ten_replies_and_links_to_the_rest(client, enrolled, other):
    parent = make_comment(other, step_id(), "Busy one")
    for n in range(12):
        make_comment(enrolled, step_id(), f"Reply number {n}", parent=parent)
    page = text_of(client.get(TALK).text)
    assert "Reply number 9" in page and "Reply number 10" not in page
    assert "See all 12 replies" in page
    conversation = text_of(client.get(f"/comments/{parent.id}").text)
    assert "Reply number 0" in conversation and "Reply number 11" in conversation
    reply = client.post(f"/comments/{parent.id}/reply", data={"body": "Thirteenth"})
    assert reply.location.startswith(f"/comments/{comments()[-1].id}#comment-")  # where it can be seen


def test_authors_edit_their_own_comment_and_it_says_edited(client, enrolled):
    post(client, "Frist thought")
    comment = comments()[0]
    page = client.get(f"/comments/{comment.id}/edit?next={TALK}").text
    assert ">Frist thought</textarea>" in page
    response = client.post(f"/comments/{comment.id}/edit", data={"body": "First **thought**", "next": TALK})
    assert response.location == f"{TALK}#comment-{comment.id}"
    page = client.get(TALK).text
    assert "<strong>thought</strong>" in page and "edited" in text_of(page)
    assert comments()[0].edited_at is not None


def test_an_edit_is_checked_like_a_new_comment(client, enrolled):
    post(client, "Something")
    comment = comments()[0]
    response = client.post(f"/comments/{comment.id}/edit", data={"body": "  "})
    assert response.status_code == 400 and "Enter your comment" in response.text
    assert comments()[0].body_md == "Something"


def test_nobody_edits_or_deletes_anothers_comment(client, enrolled, other, facilitator, sign_in):
    theirs = make_comment(other, step_id(), "Mine, not yours")
    for url in (f"/comments/{theirs.id}/edit", f"/comments/{theirs.id}/delete"):
        assert client.get(url).status_code == 403
        assert client.post(url, data={"body": "Hacked"}).status_code == 403
    staff = sign_in(facilitator)
    assert staff.post(f"/comments/{theirs.id}/edit", data={"body": "Staff edit"}).status_code == 403
    assert comments()[0].body_md == "Mine, not yours" and comments()[0].deleted_at is None


def test_deleting_a_comment_with_replies_leaves_a_placeholder(client, enrolled, other):
    post(client, "Delete me later")
    mine = comments()[0]
    make_comment(other, step_id(), "A reply that keeps its context", parent=mine)
    assert "Delete your comment?" in client.get(f"/comments/{mine.id}/delete").text
    client.post(f"/comments/{mine.id}/delete", data={"next": TALK})
    page = text_of(client.get(TALK).text)
    assert "Comment deleted" in page and "A reply that keeps its context" in page
    assert "Delete me later" not in page
    row = comments()[0]
    assert row.deleted_at is not None and row.body_md == "" and row.body_html == ""
    assert comment_count() == 1  # only the reply is counted now


def test_deleting_a_comment_without_replies_removes_it_from_the_thread(client, enrolled):
    post(client, "Gone soon")
    client.post(f"/comments/{comments()[0].id}/delete")
    page = text_of(client.get(TALK).text)
    assert "Gone soon" not in page and "Comment deleted" not in page and "No comments yet" in page
    assert comment_count() == 0


def test_likes_count_once_and_never_on_your_own_comment(client, enrolled, other):
    theirs = make_comment(other, step_id(), "Like me")
    for _ in range(2):
        assert client.post(f"/comments/{theirs.id}/like", data={"next": TALK}).location == f"{TALK}#comment-{theirs.id}"
    assert db.session.get(Comment, theirs.id).like_count == 1
    assert "1 like" in text_of(client.get(TALK).text) and "Unlike" in client.get(TALK).text
    client.post(f"/comments/{theirs.id}/unlike")
    client.post(f"/comments/{theirs.id}/unlike")
    db.session.expire_all()
    assert db.session.get(Comment, theirs.id).like_count == 0
    post(client, "My own")
    mine = comments()[-1]
    assert client.post(f"/comments/{mine.id}/like").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CommentLike)) == 0


def test_bookmarks_and_the_bookmarked_filter(client, enrolled, other):
    keep = make_comment(other, step_id(), "Worth keeping")
    make_comment(other, step_id(), "Not this one")
    client.post(f"/comments/{keep.id}/bookmark")
    client.post(f"/comments/{keep.id}/bookmark")  # twice is harmless
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Bookmark)) == 1
    page = text_of(client.get(f"{TALK}?show=bookmarked").text)
    assert "Worth keeping" in page and "Not this one" not in page and "Remove bookmark" in page
    client.post(f"/comments/{keep.id}/unbookmark")
    assert "No comments to show here" in text_of(client.get(f"{TALK}?show=bookmarked").text)


def test_following_and_my_comments_filters(client, enrolled, other, course):
    third = make_user(display_name="Tess Third")
    make_comment(other, step_id(), "From the one I follow")
    make_comment(third, step_id(), "From someone else")
    post(client, "From me")
    assert client.post(f"/people/{other.id}/follow").location == f"/people/{other.id}#follow"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Follow)) == 1
    following = text_of(client.get(f"{TALK}?show=following").text)
    assert "From the one I follow" in following and "From someone else" not in following
    mine = text_of(client.get(f"{TALK}?show=mine").text)
    assert "From me" in mine and "From the one I follow" not in mine
    client.post(f"/people/{other.id}/unfollow")
    assert "No comments to show here" in text_of(client.get(f"{TALK}?show=following").text)


def test_following_yourself_is_refused_with_a_message(client, enrolled):
    response = client.post(f"/people/{enrolled.id}/follow")
    assert response.status_code == 302
    assert "You cannot follow yourself" in client.get(f"/people/{enrolled.id}").text
    assert client.post("/people/999999/follow").status_code == 404


def test_sorts_newest_by_default_then_oldest_and_most_liked(client, enrolled, other, sign_in):
    old = make_comment(other, step_id(), "Early post", when=START)
    make_comment(other, step_id(), "Middle post", when=START + timedelta(hours=1))
    make_comment(other, step_id(), "Late post", when=START + timedelta(hours=2))
    third = make_user()
    sign_in(third).post(f"/comments/{old.id}/like")
    client.post(f"/comments/{old.id}/like")
    newest = client.get(TALK).text
    assert newest.index("Late post") < newest.index("Middle post") < newest.index("Early post")
    oldest = client.get(f"{TALK}?sort=oldest").text
    assert oldest.index("Early post") < oldest.index("Middle post") < oldest.index("Late post")
    liked = client.get(f"{TALK}?sort=liked").text
    assert liked.index("Early post") < liked.index("Late post")
    assert '<option value="newest" selected>' in newest  # the default: likes reward early, not useful, posts


def _ids_on(page: str) -> list[int]:
    top = page[page.index('aria-label="Comments,') :]
    return [int(i) for i in re.findall(r'<li class="lms-comment lms-comment--open" id="comment-(\d+)"', top)]


def _next_link(page: str) -> str | None:
    match = re.search(r'href="([^"]+)#discussion">\s*<span class="nhsuk-pagination__title">Next', page)
    return match[1].replace("&amp;", "&") if match else None


@pytest.mark.parametrize("sort", ["newest", "oldest", "liked"])
def test_pages_walk_the_whole_thread_by_keyset_without_gaps_or_repeats(client, enrolled, other, sort):
    made = [make_comment(other, step_id(), f"Number {n}", when=START + timedelta(minutes=n)).id for n in range(45)]
    for n, comment_id in enumerate(made[:7]):  # some ties in like counts, broken by id
        db.session.get(Comment, comment_id).like_count = n % 3
    db.session.commit()
    seen, url, pages = [], f"{TALK}?sort={sort}", 0
    while url:
        page = client.get(url).text
        seen += _ids_on(page)
        url, pages = _next_link(page), pages + 1
    assert pages == 3 and sorted(seen) == sorted(made) and len(seen) == len(set(seen))
    if sort == "newest":
        assert seen == list(reversed(made))
    # And back: the previous link from page 2 gives page 1 again.
    first = client.get(f"{TALK}?sort={sort}").text
    second = client.get(_next_link(first)).text
    previous = re.search(r'href="([^"]+)#discussion">\s*<span class="nhsuk-pagination__title">Previous', second)[1]
    assert _ids_on(client.get(previous.replace("&amp;", "&")).text) == _ids_on(first)


def test_a_thread_of_200_comments_renders_in_a_fixed_number_of_queries(app, client, enrolled, other, count_queries):
    people = [make_user() for _ in range(5)]
    staff = make_user(role="facilitator")

    def step_page_queries(url: str = TALK, warm: bool = True) -> int:
        if warm:  # the first look at a page keeps it in this process (lms.comments.snapshots)
            client.get(url)
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    first = make_comment(other, step_id(), "Just one")
    make_comment(people[0], step_id(), "and its reply", parent=first)
    moderation.set_highlight(staff, first, True)
    step_page_queries()  # the first visit builds this process's outline (lms.content.cache)
    small = step_page_queries()
    tops = [make_comment(people[n % 5], step_id(), f"Top {n}") for n in range(100)]
    for n in range(98):  # a reply under every shown comment, by other people
        make_comment(people[(n + 1) % 5], step_id(), f"Reply {n}", parent=tops[99 - n % 40])
    for top in tops[-30:]:
        db.session.add(CommentLike(comment_id=top.id, user_id=enrolled.id))
        db.session.add(Bookmark(comment_id=top.id, user_id=enrolled.id))
    db.session.commit()
    moderation.set_highlight(staff, tops[-1], True)
    assert comment_count() == 200
    page = client.get(TALK).text
    assert "Top 99" in page and "Reply 0" in page and "Educator highlights" in page and "Remove bookmark" in page
    assert step_page_queries() == small <= 15
    assert step_page_queries(f"{TALK}?sort=liked") == small
    # Not yet kept: its comments, then their replies and the highlights, in place of one query
    # for the viewer's marks and the authors: one more, whatever the size.
    assert step_page_queries(f"{TALK}?sort=oldest", warm=False) == small + 1
    second_page = _next_link(page)
    assert step_page_queries(second_page) <= small  # no highlights after the first page


def test_reveal_after_posting_hides_others_comments_until_the_learner_posts(
    client, enrolled, other, facilitator, sign_in
):
    set_reveal("talk-about-it", "after-posting")
    theirs = make_comment(other, step_id(), "My own first reflection")
    page = text_of(client.get(TALK).text)
    assert "asks everyone to post their own response before reading others'" in page
    assert "1 comment so far" in page and "My own first reflection" not in page
    assert "My own first reflection" not in text_of(client.get(f"/comments/{theirs.id}").text)
    assert client.get(f"/comments/{theirs.id}/reply").status_code == 403
    assert client.post(f"/comments/{theirs.id}/reply", data={"body": "Sneaky"}).status_code == 403
    assert "My own first reflection" not in client.get(f"/people/{other.id}").text
    assert "My own first reflection" in sign_in(facilitator).get(TALK).text  # staff always see: they moderate
    post(client, "Now mine")
    page = text_of(client.get(TALK).text)
    assert "My own first reflection" in page and "Now mine" in page
    assert "My own first reflection" in client.get(f"/people/{other.id}").text


def test_a_locked_thread_refuses_new_comments_and_replies(client, enrolled, other, facilitator):
    theirs = make_comment(other, step_id(), "Before the lock")
    moderation.set_lock(facilitator, step_id(), True)
    page = text_of(client.get(TALK).text)
    assert "Discussion closed" in page and "Post comment" not in page and "Before the lock" in page
    response = post(client, "After the lock")
    assert response.status_code == 400 and "This discussion is closed" in response.text
    assert ">After the lock</textarea>" in response.text  # kept, to copy
    response = client.post(f"/comments/{theirs.id}/reply", data={"body": "Late reply"})
    assert response.status_code == 400 and ">Late reply</textarea>" in response.text
    assert len(comments()) == 1


def test_hidden_text_never_reaches_other_learners(client, enrolled, other, facilitator):
    theirs = make_comment(other, step_id(), "Something about bed 4 that should not be here")
    moderation.hide(facilitator, theirs, "confidential", "Please leave out details about patients.")
    for url in (TALK, f"{TALK}?show=following", f"/comments/{theirs.id}", f"/people/{other.id}"):
        assert "bed 4" not in client.get(url).text, url
    assert "This comment was hidden by a facilitator." in client.get(TALK).text
    assert client.post(f"/comments/{theirs.id}/like").status_code == 403
    assert client.get(f"/comments/{theirs.id}/report").status_code == 403


def test_a_comment_form_sent_after_the_session_expired_keeps_the_text(make_app, course, learner):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        learning.join_course(learner.id, course.course.id)
        client = app.test_client()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").text)[1]
        client.post("/login", data={"email": learner.email, "password": PASSWORD, "csrf_token": token})
        text = "An hour of careful writing"
        response = client.post(f"{TALK}/comments", data={"body": text, "csrf_token": "stale"})
        assert response.status_code == 400
        assert "Your session expired before you sent the form" in response.text
        assert f">{text}</textarea>" in response.text
        signed_out = app.test_client().post(f"{TALK}/comments", data={"body": text, "csrf_token": "stale"})
        assert signed_out.status_code in (400, 401)  # 400 when the token failed first
        assert "You were signed out, so your comment was not posted" in signed_out.text
        assert f">{text}</textarea>" in signed_out.text
        assert comments() == []


def test_posting_is_rate_limited_per_person_and_gives_the_text_back(make_app, course, learner, other):
    app = make_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        clients = {}
        for person in (learner, other):
            learning.join_course(person.id, course.course.id)
            clients[person.id] = app.test_client()
            clients[person.id].post("/login", data={"email": person.email, "password": PASSWORD})
        mine = clients[learner.id]
        assert post(mine, "").status_code == 400  # a refused comment does not count
        for n in range(6):
            assert post(mine, f"Quick {n}").status_code == 302
        response = post(mine, "One too many")
        assert response.status_code == 429
        assert "You are posting quickly" in response.text and ">One too many</textarea>" in response.text
        assert post(clients[other.id], "Someone else is not held up").status_code == 302
        assert len(comments()) == 7


def test_a_next_that_leaves_the_site_is_ignored(client, enrolled, other):
    theirs = make_comment(other, step_id(), "Like me")
    response = client.post(f"/comments/{theirs.id}/like", data={"next": "https://evil.example/"})
    assert response.location == f"{TALK}#comment-{theirs.id}"
    response = client.post(f"/comments/{theirs.id}/bookmark", data={"next": "//evil.example"})
    assert response.location == f"{TALK}#comment-{theirs.id}"


def test_comment_html_is_made_safe_when_saved(client, enrolled):
    post(client, "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>")
    stored = comments()[0].body_html
    assert "<script" not in stored and "<img" not in stored and 'href="javascript' not in stored
    page = client.get(TALK).text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_profiles_show_name_bio_comments_with_links_and_a_follow_button(client, enrolled, other, sign_in):
    make_comment(other, step_id(), "On the discussion step")
    make_comment(other, step_id("welcome"), "On the welcome step")
    sign_in(other).post("/account", data={"bio-bio": "Ward sister, Leeds.", "bio-submit": "1"})
    page = client.get(f"/people/{other.id}").text
    text = text_of(page)
    assert "Olly Other" in text and "Ward sister, Leeds." in text and "Follow Olly Other" in text
    assert "On the discussion step" in text and "On step 1.3 Talk about it" in text and "On step 1.1 Welcome" in text
    assert "/comments/" in page
    own = text_of(client.get(f"/people/{enrolled.id}").text)
    assert "Follow" not in own and "You have not written a short bio yet" in own
    assert client.get("/people/999999").status_code == 404


def test_bios_are_edited_on_the_account_page(client, enrolled):
    assert "A short bio (optional)" in client.get("/account").text
    response = client.post("/account", data={"bio-bio": "x" * 501, "bio-submit": "1"})
    assert "Your bio must be 500 characters or fewer" in response.text
    client.post("/account", data={"bio-bio": "  Physiotherapist,\n community team  ", "bio-submit": "1"})
    db.session.refresh(enrolled)
    assert enrolled.bio == "Physiotherapist, community team"
    client.post("/account", data={"bio-bio": "", "bio-submit": "1"})
    db.session.refresh(enrolled)
    assert enrolled.bio is None


def test_educators_carry_a_badge(client, enrolled, facilitator):
    make_comment(facilitator, step_id(), "From the course team")
    page = client.get(TALK).text
    assert "Fay Facilitator" in page and "Educator</strong>" in page


def test_visitors_and_people_who_have_not_joined_are_turned_away(client, course, other, learner, login):
    theirs = make_comment(other, step_id(), "Members only")
    for url in (f"/comments/{theirs.id}", f"/people/{other.id}", "/notifications", f"{TALK}/comments"):
        assert client.get(url).location.startswith("/login"), url
    assert client.post(f"/comments/{theirs.id}/like").location.startswith("/login")
    login(learner)  # signed in, not joined
    assert client.get(f"/comments/{theirs.id}").location == "/"
    assert client.post(f"/comments/{theirs.id}/like").location == "/"
    assert db.session.get(Comment, theirs.id).like_count == 0


def test_demo_starts_one_conversation(runner, course):
    for _ in range(2):
        assert runner.invoke(args=["demo"]).exit_code == 0
    rows = comments()
    assert len(rows) == 2 and rows[1].parent_id == rows[0].id
    assert comment_count() == 2


def test_a_deleted_accounts_comments_stay_as_from_a_former_learner(client, enrolled, other):
    from lms.record.personal_data import delete_account

    theirs = make_comment(other, step_id(), "Still worth reading")
    client.post(f"/comments/{theirs.id}/like")
    service_follow = client.post(f"/people/{other.id}/follow")
    assert service_follow.status_code == 302
    delete_account(other, PASSWORD)
    page = client.get(TALK).text
    assert "Still worth reading" in page and "A former learner" in page
    assert f"/people/{other.id}" not in page  # no profile to link to
    assert db.session.get(Comment, theirs.id).like_count == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Follow)) == 0
