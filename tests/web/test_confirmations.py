"""Risky admin actions go through a page that says what will happen, in words, and asks for a
reason: nothing changes until it is sent with one, and the audit log keeps it."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
import sqlalchemy as sa

from lms.accounts.models import Role, User
from lms.audit.models import AuditEntry
from lms.cohorts import service as cohorts
from lms.cohorts.models import Cohort, CohortMember, CohortRole
from lms.content.models import Module, Step
from lms.extensions import db
from lms.learning import completion
from lms.learning.models import Enrolment, StepProgress
from tests.factories import make_user


def text_of(page: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


def audit_entries() -> list[AuditEntry]:
    return db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()


@pytest.fixture
def priya(app):
    return make_user(email="priya@example.org", display_name="Priya Ward")


@pytest.fixture
def ward(app, course, priya, facilitator):
    cohort = cohorts.create_cohort(course.course.id, "Ward leaders", date(2027, 3, 1), "WARD-1")
    cohorts.add_member(cohort, priya.email, CohortRole.LEARNER)
    cohorts.add_member(cohort, facilitator.email, CohortRole.FACILITATOR)
    db.session.commit()
    return cohort


def test_role_change_is_confirmed_in_words_and_needs_a_reason(client, login, admin, priya):
    login(admin)
    person = client.get(f"/admin/people/{priya.id}").text
    assert f'method="get" action="/admin/people/{priya.id}/role"' in person  # no JavaScript needed

    page = client.get(f"/admin/people/{priya.id}/role?role=admin")
    text = text_of(page.text)
    assert page.status_code == 200 and "Make Priya Ward an admin?" in text
    assert "Priya Ward will be able to moderate comments and follow the cohorts they facilitate" in text
    assert "edit the course and manage people" in text
    assert "Comments they write from now on will show an Educator badge" in text
    assert db.session.get(User, priya.id).role == Role.LEARNER  # looking changes nothing

    for reason in ("", "   "):
        refused = client.post(f"/admin/people/{priya.id}/role", data={"role": "admin", "reason": reason})
        assert refused.status_code == 400 and "Enter a reason" in refused.text
        assert 'name="role" value="admin"' in refused.text
    assert db.session.get(User, priya.id).role == Role.LEARNER and audit_entries() == []

    done = client.post(f"/admin/people/{priya.id}/role", data={"role": "admin", "reason": "New course lead"})
    assert done.location == f"/admin/people/{priya.id}"
    assert "Priya Ward is now an admin." in client.get(done.location).text
    assert db.session.get(User, priya.id).role == Role.ADMIN
    [entry] = audit_entries()
    assert (entry.action, entry.reason, entry.details) == (
        "user.role",
        "New course lead",
        {"from": "learner", "to": "admin"},
    )


def test_promotion_of_a_facilitator_to_admin_says_what_they_gain_in_one_sentence(client, login, admin, facilitator):
    login(admin)
    text = text_of(client.get(f"/admin/people/{facilitator.id}/role?role=admin").text)
    assert "Make Fay Facilitator an admin?" in text
    assert "Fay Facilitator will be able to edit the course and manage people." in text
    assert "Educator badge" not in text  # their comments already show one


def test_demotion_says_what_is_lost(client, login, admin, facilitator):
    login(admin)
    text = text_of(client.get(f"/admin/people/{facilitator.id}/role?role=learner").text)
    assert "Make Fay Facilitator a learner?" in text
    assert "Fay Facilitator will no longer be able to moderate comments and follow the cohorts they facilitate" in text
    assert "will no longer show an Educator badge" in text


@pytest.mark.parametrize("query", ["", "?role=owner", "?role=learner"])
def test_role_page_without_a_new_role_sends_back_to_the_person(client, login, admin, priya, query):
    login(admin)
    response = client.get(f"/admin/people/{priya.id}/role{query}")
    assert response.location == f"/admin/people/{priya.id}"
    page = client.get(response.location).text
    assert "Choose a role" in page or "Priya Ward is already a learner" in page


def test_deactivation_is_confirmed_and_needs_a_reason(client, login, admin, priya):
    login(admin)
    person = client.get(f"/admin/people/{priya.id}").text
    assert f'href="/admin/people/{priya.id}/deactivate"' in person
    text = text_of(client.get(f"/admin/people/{priya.id}/deactivate").text)
    assert "Deactivate Priya Ward's account?" in text
    assert "Priya Ward will not be able to sign in" in text and "comments stay" in text

    assert client.post(f"/admin/people/{priya.id}/deactivate", data={"reason": ""}).status_code == 400
    # The old one-click form no longer acts: it leads to the confirmation page.
    old = client.post(f"/admin/people/{priya.id}/active", data={"active": "0"})
    assert old.location == f"/admin/people/{priya.id}/deactivate"
    assert db.session.get(User, priya.id).active is True and audit_entries() == []

    client.post(f"/admin/people/{priya.id}/deactivate", data={"reason": "Left the trust"})
    assert db.session.get(User, priya.id).active is False
    assert [(e.action, e.reason) for e in audit_entries()] == [("user.deactivate", "Left the trust")]
    # Reactivating undoes it, safely, in one click.
    client.post(f"/admin/people/{priya.id}/active", data={"active": "1"})
    assert db.session.get(User, priya.id).active is True


def test_removal_from_a_cohort_is_confirmed_and_needs_a_reason(client, login, admin, priya, ward):
    login(admin)
    cohort_page = client.get(f"/admin/cohorts/{ward.id}").text
    assert f'href="/admin/cohorts/{ward.id}/members/{priya.id}/remove"' in cohort_page
    text = text_of(client.get(f"/admin/cohorts/{ward.id}/members/{priya.id}/remove").text)
    assert "Remove Priya Ward from Ward leaders?" in text
    assert "its facilitators will no longer see them on its dashboard" in text
    assert "They stay on the course, with their progress" in text

    assert client.post(f"/admin/cohorts/{ward.id}/members/{priya.id}/remove", data={}).status_code == 400
    assert cohorts.is_learner_in(ward.id, priya.id)

    response = client.post(f"/admin/cohorts/{ward.id}/members/{priya.id}/remove", data={"reason": "Moved ward"})
    assert response.location == f"/admin/cohorts/{ward.id}"
    assert not cohorts.is_learner_in(ward.id, priya.id)
    [entry] = audit_entries()
    assert (entry.action, entry.reason, entry.details["name"]) == ("cohort.remove_member", "Moved ward", "Priya Ward")


def test_removing_someone_not_in_the_cohort_is_not_found(client, login, admin, ward, learner):
    login(admin)
    assert client.get(f"/admin/cohorts/{ward.id}/members/{learner.id}/remove").status_code == 404
    assert client.post(f"/admin/cohorts/{ward.id}/members/{learner.id}/remove", data={"reason": "x"}).status_code == 404


def test_removing_a_facilitator_says_they_stop_facilitating(client, login, admin, facilitator, ward):
    login(admin)
    text = text_of(client.get(f"/admin/cohorts/{ward.id}/members/{facilitator.id}/remove").text)
    assert "Fay Facilitator will no longer facilitate Ward leaders" in text


def test_deleting_a_cohort_explains_what_happens_and_keeps_progress(client, login, admin, priya, ward, course):
    completion.set_step_complete(priya.id, course.steps[0].id)
    login(admin)
    assert f'href="/admin/cohorts/{ward.id}/delete"' in client.get(f"/admin/cohorts/{ward.id}").text
    text = text_of(client.get(f"/admin/cohorts/{ward.id}/delete").text)
    assert "Delete the cohort Ward leaders?" in text
    assert "Its join code WARD-1 will stop working" in text
    assert "Its 1 learner and 1 facilitator will no longer be in it" in text
    assert "They stay on the course, with their progress" in text

    assert client.post(f"/admin/cohorts/{ward.id}/delete", data={"reason": " "}).status_code == 400
    assert db.session.get(Cohort, ward.id) is not None

    response = client.post(f"/admin/cohorts/{ward.id}/delete", data={"reason": "Merged with another cohort"})
    assert response.location == "/admin/cohorts"
    assert "Cohort Ward leaders deleted" in client.get("/admin/cohorts").text
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Cohort)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CohortMember)) == 0
    # Members keep their place on the course and what they did.
    assert db.session.scalar(sa.select(Enrolment.user_id)) == priya.id
    assert db.session.scalar(sa.select(StepProgress.user_id)) == priya.id
    [entry] = audit_entries()
    assert (entry.action, entry.reason, entry.target_label) == (
        "cohort.delete",
        "Merged with another cohort",
        "Ward leaders",
    )
    assert entry.details == {"name": "Ward leaders", "learners": 1, "facilitators": 1}
    assert client.get(f"/admin/cohorts/{ward.id}/delete").status_code == 404


def test_unpublishing_a_step_is_confirmed_and_needs_a_reason(client, login, admin, course):
    step = course.steps[0]
    login(admin)
    editor = client.get(f"/admin/course/steps/{step.id}").text
    assert f'href="/admin/course/steps/{step.id}/unpublish"' in editor
    text = text_of(client.get(f"/admin/course/steps/{step.id}/unpublish").text)
    assert f"Unpublish step 1.1, {step.title}?" in text
    assert f"Learners will no longer see step 1.1, {step.title}, in the course or on their to-do list." in text

    assert client.post(f"/admin/course/steps/{step.id}/unpublish", data={"reason": ""}).status_code == 400
    assert db.session.get(Step, step.id).published is True and audit_entries() == []

    response = client.post(f"/admin/course/steps/{step.id}/unpublish", data={"reason": "Video link broke"})
    assert response.location == f"/admin/course/steps/{step.id}"
    assert db.session.get(Step, step.id).published is False
    [entry] = audit_entries()
    assert (entry.action, entry.reason, entry.details["number"]) == ("step.unpublish", "Video link broke", "1.1")
    # Unpublished already: the page sends back to the editor, which says so.
    assert client.get(f"/admin/course/steps/{step.id}/unpublish").location == f"/admin/course/steps/{step.id}"


def test_unpublishing_a_module_is_confirmed_and_needs_a_reason(client, login, admin, course):
    module = course.modules[0]
    login(admin)
    overview = client.get("/admin/course/").text
    assert f'href="/admin/course/modules/{module.id}/unpublish"' in overview
    text = text_of(client.get(f"/admin/course/modules/{module.id}/unpublish").text)
    assert f"Unpublish module 1, {module.title}?" in text
    assert f"Learners will no longer see module 1, {module.title}, or any of its" in text

    assert client.post(f"/admin/course/modules/{module.id}/unpublish", data={}).status_code == 400
    assert db.session.get(Module, module.id).published is True and audit_entries() == []

    response = client.post(f"/admin/course/modules/{module.id}/unpublish", data={"reason": "Rewriting it"})
    assert response.location == "/admin/course/"
    assert db.session.get(Module, module.id).published is False
    # Publishing again is safe: one click.
    client.post(f"/admin/course/modules/{module.id}/publish")
    assert db.session.get(Module, module.id).published is True
    assert [(e.action, e.reason) for e in audit_entries()] == [
        ("module.unpublish", "Rewriting it"),
        ("module.publish", None),
    ]


@pytest.mark.parametrize("persona", ["learner", "facilitator"])
def test_confirmation_pages_refuse_learners_and_facilitators(
    client, login, request, persona, admin, priya, ward, course
):
    login(request.getfixturevalue(persona))
    step, module = course.steps[0], course.modules[0]
    urls = [
        f"/admin/people/{priya.id}/role?role=admin",
        f"/admin/people/{priya.id}/deactivate",
        f"/admin/cohorts/{ward.id}/members/{priya.id}/remove",
        f"/admin/cohorts/{ward.id}/delete",
        f"/admin/course/steps/{step.id}/unpublish",
        f"/admin/course/modules/{module.id}/unpublish",
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url.split("?")[0], data={"role": "admin", "reason": "Because"}).status_code == 403, url
    assert db.session.get(User, priya.id).role == Role.LEARNER and db.session.get(User, priya.id).active
    assert db.session.get(Cohort, ward.id) is not None and audit_entries() == []


def _risky_actions(priya, ward, course):
    """Each risky action: its confirmation page, what it sends, and what it changes."""
    step, module = course.steps[0], course.modules[0]
    return {
        "role": (f"/admin/people/{priya.id}/role", {"role": "admin"}, lambda: db.session.get(User, priya.id).role),
        "deactivate": (f"/admin/people/{priya.id}/deactivate", {}, lambda: db.session.get(User, priya.id).active),
        "remove": (
            f"/admin/cohorts/{ward.id}/members/{priya.id}/remove",
            {},
            lambda: cohorts.is_learner_in(ward.id, priya.id),
        ),
        "delete cohort": (f"/admin/cohorts/{ward.id}/delete", {}, lambda: db.session.get(Cohort, ward.id) is not None),
        "unpublish step": (
            f"/admin/course/steps/{step.id}/unpublish",
            {},
            lambda: db.session.get(Step, step.id).published,
        ),
        "unpublish module": (
            f"/admin/course/modules/{module.id}/unpublish",
            {},
            lambda: db.session.get(Module, module.id).published,
        ),
    }


@pytest.mark.parametrize(
    "action", ["role", "deactivate", "remove", "delete cohort", "unpublish step", "unpublish module"]
)
def test_every_risky_action_refuses_without_a_reason_then_audits_the_reason(
    client, login, admin, priya, ward, course, action
):
    url, sends, state = _risky_actions(priya, ward, course)[action]
    login(admin)
    before = state()
    for reason in (None, "", "  \n "):
        data = {**sends, **({} if reason is None else {"reason": reason})}
        refused = client.post(url, data=data)
        assert refused.status_code == 400
        assert re.search(r'id="reason-error"[^>]*>.*?Enter a reason', refused.text, re.S)  # on the field
        db.session.expire_all()
        assert state() == before and audit_entries() == []
    done = client.post(url, data={**sends, "reason": f"Reason for {action}"})
    assert done.status_code == 302
    db.session.expire_all()
    assert state() != before
    [entry] = [e for e in audit_entries() if e.reason]
    assert entry.reason == f"Reason for {action}"
