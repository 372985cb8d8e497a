"""With CSRF switched on (as in production), every form refuses a post without its token."""
import re

import pytest
import sqlalchemy as sa

from lms.extensions import db
from lms.learning.models import Enrolment, StepProgress
from tests.factories import PASSWORD


@pytest.fixture
def csrf_client(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app.test_client()


def token(client, url: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"',
                     client.get(url).text).group(1) or ""


def sign_in(client, email):
    page = client.get("/login").text
    value = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": value}).status_code == 302


@pytest.mark.parametrize("url, data", [
    ("/login", {"email": "learner@example.org", "password": PASSWORD}),
    ("/register", {"display_name": "N", "email": "n@example.org", "password": "long enough password"}),
])
def test_forms_without_a_token_are_refused_and_keep_the_input(csrf_client, course, learner, url, data):
    page = csrf_client.post(url, data=data).text
    assert "Your session expired before you sent the form" in page
    assert f'value="{data["email"]}"' in page


def test_post_buttons_without_a_token_change_nothing(csrf_client, course, learner):
    sign_in(csrf_client, learner.email)
    assert csrf_client.post("/join").status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 0
    page = csrf_client.get("/").text
    value = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert csrf_client.post("/join", data={"csrf_token": value}).location == "/todo"
    assert csrf_client.post("/steps/first-steps/welcome/complete").status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StepProgress)) == 0
    response = csrf_client.post("/logout")
    assert response.status_code == 400 and "Your session may have expired" in response.text
    assert csrf_client.get("/todo").status_code == 200


def test_account_forms_need_the_token(csrf_client, course, learner):
    sign_in(csrf_client, learner.email)
    page = csrf_client.post("/account", data={"name-display_name": "Changed", "name-submit": "1"}).text
    assert "Your session expired before you sent the form" in page
    assert learner.display_name == "Lee Learner"
