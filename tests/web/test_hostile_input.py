"""Odd input gets a clear answer, never a server error: NUL and control characters in
forms and query strings, integers too large for the database in paths and query strings,
CR/LF meant for headers, and names or addresses that cannot be told apart."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from lms.accounts.models import User
from lms.cohorts import service as cohorts
from lms.extensions import db
from tests.factories import PASSWORD

HUGE = "99999999999999999999"  # beyond a 64-bit integer
BIG = str(2**31)  # beyond PostgreSQL's INTEGER, where ids live


def user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


# NUL bytes: PostgreSQL refuses them in text, so they used to reach it and answer 500.


def test_a_nul_in_the_account_form_is_refused_with_a_message(client, learner, login):
    login(learner)
    response = client.post("/account", data={"name-display_name": "Lee\x00Learner", "name-submit": "Save"})
    assert response.status_code == 400
    assert "cannot be saved" in response.text
    db.session.expire_all()
    assert user("learner@example.org").display_name == "Lee Learner"


def test_a_nul_in_the_bio_is_refused_too(client, learner, login):
    login(learner)
    response = client.post("/account", data={"bio-bio": "Nurse\x00", "bio-submit": "Save"})
    assert response.status_code == 400 and "cannot be saved" in response.text


def test_a_nul_in_the_reflection_search_is_refused(client, enrolled):
    response = client.get("/reflections?q=a%00b")
    assert response.status_code == 400 and "a null character" in response.text


def test_a_nul_in_the_people_search_is_refused(client, admin, login):
    login(admin)
    assert client.get("/admin/people?q=%00").status_code == 400


@pytest.mark.parametrize("query", ["actor=%00", "action=%00", "actor=a%00&action=b"])
def test_a_nul_in_the_audit_filters_is_refused(client, admin, login, query):
    login(admin)
    assert client.get(f"/admin/audit?{query}").status_code == 400


def test_a_nul_in_a_join_code_is_refused(client, course, learner, login):
    cohorts.create_cohort(course.course.id, "Spring", date(2027, 1, 1), "SPRING-2027")
    db.session.commit()
    login(learner)
    response = client.post("/cohorts/join", data={"code": "SPRING\x00"})
    assert response.status_code == 400 and "cannot be saved" in response.text


def test_a_nul_in_a_path_is_not_found(client, course):
    assert client.get("/certificates/AB%00CD").status_code == 404
    assert client.get("/modules/a%00b").status_code == 404


def test_other_control_characters_are_removed_and_line_breaks_kept(client, enrolled, course):
    step = next(s for s in course.steps if s.type == "reflection")
    url = f"/steps/{step.module_slug}/{step.slug}/reflection"
    response = client.post(url, data={"body": "one\x1b[31m\r\ntwo\x07\tthree", "save": "Save"})
    assert response.status_code == 302
    from lms.reflection.models import Reflection

    [saved] = db.session.scalars(sa.select(Reflection)).all()
    assert saved.body_md == "one[31m\ntwo\tthree"  # the service keeps LF for CRLF


# Integers too large for the database, in paths and in query strings.


@pytest.mark.parametrize("number", [HUGE, BIG, "9223372036854775808"])
def test_an_id_too_large_for_the_database_is_not_found(client, enrolled, number):
    assert client.get(f"/comments/{number}").status_code == 404
    assert client.post(f"/comments/{number}/like").status_code == 404
    assert client.get(f"/reflections/{number}").status_code == 404


def test_the_largest_id_the_database_holds_is_simply_not_found(client, enrolled):
    assert client.get(f"/comments/{2**31 - 1}").status_code == 404


@pytest.mark.parametrize(
    "url", [f"/admin/people?page={HUGE}", f"/admin/audit?before={HUGE}", f"/admin/people?page={BIG}"]
)
def test_a_page_number_too_large_is_not_found(client, admin, login, url):
    login(admin)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("value", [HUGE, "-5", "0", "x"])
def test_a_facilitator_dashboard_page_out_of_range(client, course, facilitator, login, value):
    cohort = cohorts.create_cohort(course.course.id, "Spring", date(2027, 1, 1), "SPRING-2027")
    from lms.cohorts.models import CohortRole

    cohorts.add_member(cohort, facilitator.email, CohortRole.FACILITATOR)
    db.session.commit()
    login(facilitator)
    response = client.get(f"/facilitate/cohorts/{cohort.id}?page={value}")
    assert response.status_code in (200, 404)


@pytest.mark.parametrize(
    "cursor", [f"1_{BIG}", f"{HUGE}_1", "1_999999999999999", "-1_-1", "999999999999999999_1", f"{BIG}_1"]
)
@pytest.mark.parametrize("sort", ["newest", "liked"])
def test_a_comment_cursor_too_large_does_not_fail(client, enrolled, course, cursor, sort):
    step = course.steps[0]
    for name in ("after", "before"):
        page = client.get(f"/steps/{step.module_slug}/{step.slug}?sort={sort}&{name}={cursor}")
        assert page.status_code == 200 and "Mark as complete" in page.text


# Headers: a CR or LF in something that becomes a header value.


def test_a_line_break_in_a_redirect_target_is_not_followed(client, enrolled, intruder, course):
    from tests.factories import make_comment

    comment = make_comment(intruder, course.steps[0].id)
    response = client.post(f"/comments/{comment.id}/like", data={"next": "/todo\r\nSet-Cookie: x=1"})
    # Refused (400) by the app's redirect, if `safe_next` has not already put its default in.
    assert response.status_code in (302, 400)
    assert not any(cookie.startswith("x=") for cookie in response.headers.getlist("Set-Cookie"))
    assert "\n" not in (response.location or "")


# Names that cannot be seen, and addresses that cannot be told apart.


@pytest.mark.parametrize(
    "typed, kept",
    [
        ("Lee\u202eLearner", "LeeLearner"),
        ("\u200bAda\u200d Admin\ufeff", "Ada Admin"),
        ("Ｆｕｌｌ Ｗｉｄｔｈ", "Full Width"),
        ("Next\x85Line\x9f", "Next Line"),
    ],
)
def test_a_display_name_loses_invisible_characters(client, learner, login, typed, kept):
    login(learner)
    response = client.post("/account", data={"name-display_name": typed, "name-submit": "Save"})
    assert response.status_code == 302
    db.session.expire_all()
    assert user("learner@example.org").display_name == kept


@pytest.mark.parametrize("typed", ["\u200e\u200f", "\u202a\u202c", "\u0301\u0301", "\u200b \u2060"])
def test_a_display_name_with_nothing_visible_is_refused(client, learner, login, typed):
    login(learner)
    response = client.post("/account", data={"name-display_name": typed, "name-submit": "Save"})
    assert response.status_code == 200 and "Enter your name" in response.text
    db.session.expire_all()
    assert user("learner@example.org").display_name == "Lee Learner"


def test_registering_with_invisible_name_is_refused(client):
    response = client.post(
        "/register", data={"display_name": "\u200e\u200f", "email": "a@example.org", "password": PASSWORD}
    )
    assert "Enter your name" in response.text
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


@pytest.mark.parametrize(
    "lookalike",
    [
        "\u0131ntruder@example.org",  # dotless i
        "INTRUDER@EXAMPLE.ORG",
        "ｉntruder@example.org",  # full width
        "intrud\u0435r@example.org",  # Cyrillic e
        "intruder@ex\u0430mple.org",  # Cyrillic a in the domain
        "intrude\u0301r@example.org",  # a combining accent
    ],
)
def test_an_address_confusable_with_an_existing_one_is_refused_silently(client, intruder, lookalike):
    response = client.post(
        "/register", data={"display_name": "Lookalike", "email": lookalike, "password": "another fine passphrase"}
    )
    # The same answer as a new address, so nobody learns which accounts exist.
    assert response.status_code == 302 and response.location == "/check-your-email"
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_an_address_with_an_invisible_character_is_not_an_address(client, intruder):
    response = client.post(
        "/register", data={"display_name": "Ghost", "email": "intr\u200buder@example.org", "password": PASSWORD}
    )
    assert "Enter an email address in the correct format" in response.text
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_the_existing_account_with_a_dotless_i_blocks_the_plain_one(client):
    client.post("/register", data={"display_name": "First", "email": "\u0131vy@example.org", "password": PASSWORD})
    client.post("/register", data={"display_name": "Second", "email": "ivy@example.org", "password": PASSWORD})
    assert db.session.scalars(sa.select(User.display_name)).all() == ["First"]


def test_a_different_address_is_still_welcome(client, intruder):
    client.post("/register", data={"display_name": "Ivo", "email": "ivo@example.org", "password": PASSWORD})
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 2


def test_changing_to_an_address_confusable_with_another_account_changes_nothing(
    client, learner, intruder, login, mailbox
):
    login(learner)
    lookalike = "\u0131ntruder@example.org"
    response = client.post(
        "/account",
        data={"email-email": lookalike, "email-current_password": PASSWORD, "email-submit": "Save"},
    )
    assert response.status_code == 302  # the same answer as for any address
    assert [m["To"].addresses[0].addr_spec for m in mailbox.deliver()] == [learner.email]  # only the notice
    db.session.expire_all()
    assert user("learner@example.org") is not None


def test_changing_the_case_of_your_own_address_changes_nothing(client, learner, login):
    login(learner)
    response = client.post(
        "/account",
        data={"email-email": "Learner@Example.org", "email-current_password": PASSWORD, "email-submit": "Save"},
    )
    assert "That is already your email address" in response.text
    db.session.expire_all()
    assert user("learner@example.org") is not None


@pytest.mark.parametrize("base", ["1e309", "9" * 5000, "abc", "-1"])
def test_a_step_edit_from_a_revision_that_is_not_a_number_is_a_conflict(client, admin, login, course, base):
    from tests.web.test_authoring import edit_data

    login(admin)
    step = course.steps[0]
    response = client.post(f"/admin/course/steps/{step.id}", data=edit_data(title="A new title", base_revision=base))
    assert response.status_code == 409 and "Someone else saved this step" in response.text
    from lms.content.models import Step

    assert db.session.scalar(sa.select(Step.title).where(Step.id == step.id)) != "A new title"
