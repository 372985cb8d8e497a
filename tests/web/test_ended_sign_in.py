"""Nothing a person typed is lost when their sign-in ends while a page is open.

With CSRF on, as in production: the sign-in is ended elsewhere (the password changed on
another device, "sign out" in another tab, or the server ending it), the person sends what
they wrote, signs in again, and finds it back in its box with a message saying what
happened; nothing was saved for them, and nobody else ever sees it."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from lms import unsent
from lms.accounts import sign_ins
from lms.accounts.models import UserSession
from lms.comments.models import Comment
from lms.content.models import Step
from lms.extensions import db
from lms.learning import service as learning
from lms.reflection.models import Reflection
from lms.security import safe_next
from lms.unsent import UnsentForm
from tests.factories import PASSWORD, make_comment, make_user

STEP = "/steps/next-steps/look-back"  # a reflection step
TALK = "/steps/first-steps/talk-about-it"  # a discussion step
TEXT = "An hour of careful writing about handover & the night shift <3"
NEW_PASSWORD = "a brand new passphrase for this"
KEPT = "We kept it: it is back in its box below."


def token_in(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)[1]


def in_box(html: str, name: str = "body") -> str:
    """The text of the textarea called `name`."""
    return unescape(re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)[1]).strip()


def flashes(html: str) -> str:
    return " ".join(
        unescape(" ".join(re.findall(r'nhsuk-notification-banner__content">(.*?)</div>', html, re.S))).split()
    )


class Browser:
    """A test client that sends forms as a browser does: with the token of the page they are on."""

    def __init__(self, app):
        self.client = app.test_client()

    def get(self, path: str):
        return self.client.get(path)

    def post(self, path: str, data: dict, token: str, **headers):
        return self.client.post(path, data={**data, "csrf_token": token}, headers=headers)

    def sign_in(self, user, password: str = PASSWORD, next_url: str | None = None):
        page = self.get("/login" + (f"?next={next_url}" if next_url else ""))
        response = self.post(
            "/login" + (f"?next={next_url}" if next_url else ""),
            {"email": user.email, "password": password},
            token_in(page.text),
        )
        assert response.status_code == 302, response.text
        return response

    def sign_in_from(self, login_location: str, user, password: str = PASSWORD):
        """Follow a redirect to the sign-in page, and sign in there."""
        page = self.get(login_location)
        assert page.status_code == 200
        response = self.post(login_location, {"email": user.email, "password": password}, token_in(page.text))
        assert response.status_code == 302, response.text
        return page, response


@pytest.fixture
def site(make_app, course):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app


@pytest.fixture
def writer(site, course):
    person = make_user(email="writer@example.org", display_name="Wren Writer")
    learning.join_course(person.id, course.course.id)
    return person


def end_sign_in(how: str, site, browser: Browser, user) -> str:
    """End the browser's sign-in as `how` says; the password to sign in with afterwards."""
    if how == "password changed on another device":
        other = Browser(site)
        other.sign_in(user)
        page = other.get("/account")
        data = {"password-current_password": PASSWORD, "password-new_password": NEW_PASSWORD}
        assert other.post("/account", data, token_in(page.text)).status_code == 302
        return NEW_PASSWORD
    if how == "signed out in another tab":  # the same browser: its session (and token) cleared
        page = browser.get("/account")
        assert browser.post("/logout", {}, token_in(page.text)).status_code == 302
        return PASSWORD
    sign_ins.end_all_sessions(user.id)  # the server ended it (an admin, a deactivation undone)
    db.session.commit()
    return PASSWORD


def open_then_end(site, user, path: str, how: str = "sign-in ended by the server"):
    """A browser signed in as `user` opens `path`, and then its sign-in ends as `how` says:
    the browser, the page still open, and the password to sign in with again."""
    browser = Browser(site)
    browser.sign_in(user)
    page = browser.get(path)
    return browser, page, end_sign_in(how, site, browser, user)


HOW = ["password changed on another device", "signed out in another tab", "sign-in ended by the server"]


def reflections() -> list[Reflection]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Reflection)))


@pytest.mark.parametrize("how", HOW)
def test_a_reflection_sent_after_the_sign_in_ended_is_back_in_its_box_after_signing_in(site, writer, how):
    browser, page, password = open_then_end(site, writer, STEP, how)

    response = browser.post(STEP + "/reflection", {"body": TEXT, "learned": "To ask first"}, token_in(page.text))

    # To sign in, and then to the step page (GET), never to the address that only takes forms.
    assert response.status_code == 302 and urlsplit(response.location).path == "/login"
    assert parse_qs(urlsplit(response.location).query)["next"] == [STEP + "#reflection"]
    login_page, signed_in = browser.sign_in_from(response.location, writer, password)
    assert "so your reflection was not saved. We have kept it" in flashes(login_page.text)
    assert signed_in.location == STEP + "#reflection"
    step = browser.get(STEP)
    assert step.status_code == 200
    assert in_box(step.text) == TEXT and in_box(step.text, "learned") == "To ask first"
    assert "Your sign-in had ended, so your reflection was not saved. " + KEPT in flashes(step.text)
    assert reflections() == []  # put back to check and save, not saved for them

    # Taken once: saving it works with the new page's token, and the box is not filled again.
    saved = browser.post(STEP + "/reflection", {"body": in_box(step.text)}, token_in(step.text))
    assert saved.location == STEP + "#reflection" and reflections()[0].body_md == TEXT
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UnsentForm)) == 0


def test_the_kept_text_never_reaches_anyone_else_nor_the_box_kept_for_everyone(site, writer, course):
    browser, page, _ = open_then_end(site, writer, STEP)
    browser.post(STEP + "/reflection", {"body": TEXT}, token_in(page.text))

    # Someone else signs in on the same computer: not theirs, nothing shown.
    colleague = make_user(email="colleague@example.org", display_name="Cole League")
    learning.join_course(colleague.id, course.course.id)
    browser.sign_in(colleague)
    theirs = browser.get(STEP).text
    assert "careful writing" not in theirs and "Your sign-in had ended" not in theirs
    another = Browser(site)
    another.sign_in(colleague)
    assert "careful writing" not in another.get(STEP).text

    # The writer, back on this computer, gets it; the next learner's empty box stays empty.
    browser.get("/todo")
    browser.post("/logout", {}, token_in(browser.get("/todo").text))
    browser.sign_in(writer)
    assert in_box(browser.get(STEP).text) == TEXT
    assert in_box(another.get(STEP).text) == ""


def test_autosave_when_the_sign_in_ended_answers_401_in_words_and_keeps_the_text(site, writer):
    browser, page, _ = open_then_end(site, writer, STEP, "password changed on another device")

    answer = browser.post(STEP + "/reflection/autosave", {"body": TEXT}, token_in(page.text), Accept="application/json")

    assert answer.status_code == 401 and answer.is_json  # not a redirect the script would follow
    assert answer.json["error"] == "Not saved: your sign-in has ended. Sign in again; your text is kept."
    assert "UTC" not in answer.text
    browser.sign_in(writer, NEW_PASSWORD, next_url=STEP)
    assert in_box(browser.get(STEP).text) == TEXT and reflections() == []


def test_autosave_after_signing_out_in_another_tab_answers_401_too(site, writer):
    # The page's token is gone with the session.
    browser, page, _ = open_then_end(site, writer, STEP, "signed out in another tab")
    answer = browser.post(STEP + "/reflection/autosave", {"body": TEXT}, token_in(page.text))
    assert answer.status_code == 401 and "sign-in has ended" in answer.json["error"]


def test_a_signed_in_autosave_says_when_as_a_moment_not_in_utc_words(site, writer):
    browser = Browser(site)
    browser.sign_in(writer)
    answer = browser.post(STEP + "/reflection/autosave", {"body": TEXT}, token_in(browser.get(STEP).text))
    assert answer.status_code == 200 and answer.json["saved_at"].endswith("+00:00")  # the script shows local time
    assert "(UTC)" not in browser.get(STEP).text and "Last saved on " in browser.get(STEP).text


@pytest.mark.parametrize("how", HOW)
def test_a_comment_sent_after_the_sign_in_ended_is_back_in_its_box(site, writer, how):
    browser, page, password = open_then_end(site, writer, TALK, how)

    response = browser.post(f"{TALK}/comments", {"body": TEXT, "submission": "k-1"}, token_in(page.text))

    assert parse_qs(urlsplit(response.location).query)["next"] == [f"{TALK}/comments"]
    _, signed_in = browser.sign_in_from(response.location, writer, password)
    box = browser.get(signed_in.location)
    assert box.status_code == 200 and in_box(box.text) == TEXT
    assert "Your sign-in had ended, so your comment was not posted. " + KEPT in flashes(box.text)
    assert "Check it, then post it." in flashes(box.text)
    posted = browser.post(
        f"{TALK}/comments",
        {"body": in_box(box.text), "submission": re.search(r'name="submission"[^>]*value="([^"]+)"', box.text)[1]},
        token_in(box.text),
    )
    assert posted.status_code == 302 and db.session.scalar(sa.select(Comment.body_md)) == TEXT


def test_a_reply_sent_after_the_sign_in_ended_is_back_in_its_box(site, writer, course):
    talk = db.session.scalar(sa.select(Step.id).where(Step.slug == "talk-about-it"))
    colleague = make_user(email="colleague@example.org")
    learning.join_course(colleague.id, course.course.id)
    parent = make_comment(colleague, talk, "What got in the way this week?")
    browser, page, _ = open_then_end(site, writer, f"/comments/{parent.id}/reply", "password changed on another device")

    response = browser.post(f"/comments/{parent.id}/reply", {"body": TEXT, "next": TALK}, token_in(page.text))

    _, signed_in = browser.sign_in_from(response.location, writer, NEW_PASSWORD)
    assert signed_in.location == f"/comments/{parent.id}/reply"
    box = browser.get(signed_in.location).text
    assert in_box(box) == TEXT and 'name="next" type="hidden" value="/steps/first-steps/talk-about-it"' in box
    assert "Your sign-in had ended, so your reply was not posted." in flashes(box)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 1  # only the parent


def test_a_step_edit_sent_after_the_sign_in_ended_is_back_in_the_editor(site, course):
    admin = make_user(email="admin@example.org", role="admin")
    step = db.session.scalar(sa.select(Step).where(Step.slug == "welcome"))
    editor = f"/admin/course/steps/{step.id}"
    browser, page, _ = open_then_end(site, admin, editor, "signed out in another tab")
    body = "## A new welcome\n\nRewritten for an hour, with care."
    data = {"title": "Welcome, again", "type": step.type, "duration": "7", "prompt": "", "video": ""}
    data |= {"settings": "", "body": body, "base_revision": str(step.revision), "save": "1"}

    response = browser.post(editor, data, token_in(page.text))

    _, signed_in = browser.sign_in_from(response.location, admin)
    assert signed_in.location == editor
    again = browser.get(editor).text
    assert in_box(again) == body and 'value="Welcome, again"' in again and 'value="7"' in again
    assert "Your sign-in had ended, so your change to this step was not saved." in flashes(again)
    db.session.expire_all()
    assert db.session.get(Step, step.id).title != "Welcome, again"  # put back, not saved


def test_text_from_a_browser_nobody_signed_in_on_is_given_back_to_copy(site, writer):
    stranger = Browser(site)
    page = stranger.get("/login")
    response = stranger.post(STEP + "/reflection", {"body": TEXT}, token_in(page.text))
    assert response.status_code == 401
    assert "You were signed out, so your reflection was not saved" in response.text
    assert in_box(response.text) == TEXT
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UnsentForm)) == 0


def test_a_form_sent_from_another_site_is_not_kept(site, writer):
    browser, page, _ = open_then_end(site, writer, STEP)
    response = browser.post(STEP + "/reflection", {"body": TEXT}, token_in(page.text), Origin="https://evil.example")
    assert response.status_code == 401 and in_box(response.text) == TEXT  # given back, not kept
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UnsentForm)) == 0


def test_kept_text_is_bounded_in_size_number_and_time(site, writer, course, monkeypatch):
    monkeypatch.setattr(unsent, "MOST_PER_PERSON", 2)  # the fixture course has few steps
    browser, page, _ = open_then_end(site, writer, STEP)
    token = token_in(page.text)
    huge = browser.post(STEP + "/reflection", {"body": "x" * (unsent.MOST_CHARACTERS + 1)}, token)
    assert huge.status_code == 401  # too long to keep: given back on the page instead
    for outline_step in course.steps:
        browser.post(f"/steps/{outline_step.module_slug}/{outline_step.slug}/reflection", {"body": TEXT}, token)
    kept = list(db.session.scalars(sa.select(UnsentForm)))
    assert len(kept) == unsent.MOST_PER_PERSON < len(course.steps)
    assert set(kept[0].fields) == {"body"}  # only the box's fields: never the token

    # Older than KEPT_FOR: not put back, and cleared by the next one kept.
    for row in kept:
        row.created_at -= unsent.KEPT_FOR + timedelta(minutes=1)
    db.session.commit()
    browser.post(STEP + "/reflection", {"body": "newest"}, token)
    assert [row.fields["body"] for row in db.session.scalars(sa.select(UnsentForm))] == ["newest"]


def test_a_password_is_never_kept(site, writer):
    browser, page, _ = open_then_end(site, writer, "/account")
    data = {"password-current_password": PASSWORD, "password-new_password": NEW_PASSWORD}
    response = browser.post("/account", data, token_in(page.text))
    assert urlsplit(response.location).path == "/login"
    assert parse_qs(urlsplit(response.location).query)["next"] == ["/account"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UnsentForm)) == 0


def test_a_button_pressed_after_the_sign_in_ended_signs_in_back_to_its_page(site, writer):
    browser, page, _ = open_then_end(site, writer, STEP)
    response = browser.post(STEP + "/complete", {}, token_in(page.text), Referer="http://localhost" + STEP)
    assert parse_qs(urlsplit(response.location).query)["next"] == [STEP]  # not the POST-only address


def test_next_with_cr_lf_is_refused_before_any_sign_in_is_written(site, writer):
    browser = Browser(site)
    bad = "/todo%0D%0ASet-Cookie:%20taken=1"
    page = browser.get(f"/login?next={bad}")
    response = browser.post(f"/login?next={bad}", {"email": writer.email, "password": PASSWORD}, token_in(page.text))
    assert response.status_code == 302 and response.location == "/todo"
    assert "taken" not in response.headers.get("Set-Cookie", "")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UserSession)) == 1


@pytest.mark.parametrize(
    "target",
    [
        "/todo\r\nSet-Cookie: x=1",
        "/todo\nLocation: //evil.example",
        "/\t/evil.example",
        "/\x00",
        "/a\x7f",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "/" + "a" * 3000,
        "",
        None,
    ],
)
def test_safe_next_refuses_odd_targets(target):
    assert safe_next(target, "/todo") == "/todo"


def test_safe_next_follows_a_path_on_this_site():
    assert safe_next("/steps/a/b?show=mine#reflection", "/todo") == "/steps/a/b?show=mine#reflection"


def test_a_writer_whose_account_is_gone_gets_the_text_back_to_copy(site, writer):
    browser = Browser(site)
    browser.sign_in(writer)
    page = browser.get(STEP)
    db.session.execute(sa.delete(UserSession))
    db.session.delete(writer)  # gone from under the session (a database restored from before they joined)
    db.session.commit()
    response = browser.post(STEP + "/reflection", {"body": TEXT}, token_in(page.text))
    assert response.status_code == 401 and in_box(response.text) == TEXT
