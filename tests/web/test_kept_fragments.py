"""Parts of the step page kept per process (lms.fragments): a blank answer sheet and an empty
reflection box are rendered once per step, yet every page gets its own CSRF token, and
nothing of one learner's is ever kept for another."""

from __future__ import annotations

import re

from lms.assessment import sheet
from lms.fragments import CSRF_SLOT
from lms.kept import kept_by_app

SURVEY = "/steps/check-your-learning/how-you-lead"


def _token(page: str) -> str:
    return re.search(r'id="answers".*?name="csrf_token" value="([^"]+)"', page, re.S)[1]


def test_a_blank_sheet_is_kept_once_and_given_each_pages_token(app, client, assessed):
    first = client.get(SURVEY).text
    assert len(kept_by_app("lms.fragments.answer_sheets", sheet.KEPT)) == 1
    with client.session_transaction() as session:
        session.pop("csrf_token")  # a new session token: the kept sheet must not carry the old one
    second = client.get(SURVEY).text
    assert len(kept_by_app("lms.fragments.answer_sheets", sheet.KEPT)) == 1
    assert CSRF_SLOT not in second and _token(first) != _token(second)
    assert first.count('type="radio"') == second.count('type="radio"') > 0


def test_a_sheet_with_answers_missing_is_not_the_kept_blank_one(app, client, assessed, assessed_course):
    step_id = next(s.id for s in assessed_course.steps if s.slug == "how-you-lead")
    client.get(SURVEY)
    again = client.post(f"{SURVEY}/answers", data={"step": str(step_id), "statement-listen": "4"})
    assert again.status_code == 400
    assert re.search(r'name="statement-listen" type="radio" value="4"\s*checked', again.text)
    assert "nhsuk-form-group--error" in again.text and CSRF_SLOT not in again.text


LOOK_BACK = "/steps/next-steps/look-back"


def _panels() -> int:
    return len(kept_by_app("lms.fragments.reflection_panels", 256))


def test_an_empty_reflection_box_is_kept_once_for_everyone(app, client, enrolled, sign_in):
    from tests.factories import make_user

    mine = client.get(LOOK_BACK).text
    theirs = sign_in(make_user()).get(LOOK_BACK).text
    assert _panels() == 1 and CSRF_SLOT not in mine + theirs
    box = re.compile(r'<section class="lms-reflection".*?</section>', re.S)
    assert re.sub(r'value="[^"]+"', "", box.search(mine)[0]) == re.sub(r'value="[^"]+"', "", box.search(theirs)[0])


def test_a_learners_own_reflection_is_shown_to_them_alone_and_never_kept(app, client, enrolled, sign_in):
    from tests.factories import make_user

    client.get(LOOK_BACK)
    assert client.post(f"{LOOK_BACK}/reflection", data={"body": "My private thought"}).status_code == 302
    assert "My private thought" in client.get(LOOK_BACK).text
    assert "My private thought" not in sign_in(make_user()).get(LOOK_BACK).text
    assert _panels() == 1  # only the empty box


TALK = "/steps/first-steps/talk-about-it"


def test_the_top_of_a_thread_is_kept_for_everyone_and_follows_its_count(app, client, enrolled, sign_in):
    from tests.factories import make_user

    other = sign_in(make_user())
    first, second = client.get(TALK).text, other.get(TALK).text
    heads = kept_by_app("lms.fragments.thread_heads", 1024)
    assert len(heads) == 1 and 'Comments <span class="lms-muted">(0)</span>' in first
    box = re.compile(r'name="submission" value="([^"]+)"')
    assert box.search(first)[1] != box.search(second)[1]  # each page's own key, though the box was kept
    assert CSRF_SLOT not in first + second and "<lms:nonce>" not in first + second
    assert (
        other.post(f"{TALK}/comments", data={"body": "Counted", "submission": box.search(second)[1]}).status_code == 302
    )
    assert 'Comments <span class="lms-muted">(1)</span>' in client.get(TALK).text and len(heads) == 2


def test_the_header_is_each_persons_own_and_follows_their_name(app, client, enrolled, sign_in):
    from lms.accounts import service as accounts
    from tests.factories import make_user

    other = sign_in(make_user(display_name="Olu Other"))
    assert "Lee Learner" in client.get(TALK).text and "Olu Other" not in client.get(TALK).text
    assert "Olu Other" in other.get(TALK).text and "Lee Learner" not in other.get(TALK).text
    accounts.rename(enrolled, "Lee Renamed")
    page = client.get(TALK).text
    assert "Lee Renamed" in page and "Lee Learner" not in page and CSRF_SLOT not in page
