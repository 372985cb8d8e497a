"""Roles and the one permission check every staff page will use."""

import pytest

from lms.accounts.access import can_see_drafts, role_required
from lms.accounts.models import Role


@pytest.fixture
def guarded_client(make_app):
    """An app with a facilitator-only page, as the facilitation views will have."""
    app = make_app()

    @app.get("/_facilitators_only")
    @role_required(Role.FACILITATOR)
    def facilitators_only():
        return "staff page"

    with app.app_context():
        yield app.test_client()


def sign_in(client, user):
    assert (
        client.post("/login", data={"email": user.email, "password": "correct horse battery staple"}).status_code == 302
    )


def test_role_required_sends_anonymous_visitors_to_sign_in(guarded_client):
    assert guarded_client.get("/_facilitators_only").location.startswith("/login?next=")


def test_role_required_refuses_learners_with_403(guarded_client, learner):
    sign_in(guarded_client, learner)
    response = guarded_client.get("/_facilitators_only")
    assert response.status_code == 403 and "You cannot open this page" in response.text


@pytest.mark.parametrize("persona", ["facilitator", "admin"])
def test_role_required_lets_staff_through(guarded_client, request, persona):
    sign_in(guarded_client, request.getfixturevalue(persona))
    assert guarded_client.get("/_facilitators_only").text == "staff page"


def test_roles_are_ordered():
    assert Role.ADMIN.rank > Role.FACILITATOR.rank > Role.LEARNER.rank


def test_only_staff_see_drafts(learner, facilitator, admin):
    assert not can_see_drafts(learner)
    assert can_see_drafts(facilitator) and can_see_drafts(admin)
