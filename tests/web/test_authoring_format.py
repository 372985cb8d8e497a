"""The content format in the browser editor: the same rules as `content check` (the module's
own images, see also), and previews that show the module's pictures."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from lms.content.models import Module, Step
from tests.web.test_authoring import edit_data, step_id

IMAGE = "![Three boxes joined by arrows](images/three-steps.svg)"
STORED = re.compile(r'<img src="/images/[0-9a-f]{64}/three-steps.svg" alt="Three boxes joined by arrows">')


@pytest.fixture
def author(client, login, admin, course):
    login(admin)
    return admin


def module_id() -> int:
    from lms.extensions import db

    return db.session.scalar(sa.select(Module.id).where(Module.slug == "first-steps"))


def test_the_preview_button_and_the_live_preview_show_the_module_pictures(client, author):
    url = f"/admin/course/steps/{step_id('welcome')}"
    page = client.post(url, data={**edit_data(body=IMAGE), "preview": "1"}).text
    assert STORED.search(page)
    assert f'data-preview-url="/admin/course/preview?module_id={module_id()}"' in page
    live = client.post(f"/admin/course/preview?module_id={module_id()}", data={"body": IMAGE}).text
    assert STORED.search(live)
    assert "<img" not in client.post("/admin/course/preview", data={"body": IMAGE}).text  # no module: its alt text


def test_saving_refuses_a_picture_the_module_does_not_have(client, author):
    from lms.extensions import db

    sid = step_id("welcome")
    before = db.session.scalar(sa.select(Step.body_md).where(Step.id == sid))
    body = "![A chart](images/missing.svg)\n"
    page = client.post(f"/admin/course/steps/{sid}", data=edit_data(body=body)).text
    assert "image &#39;images/missing.svg&#39; is not in this module&#39;s images folder" in page
    assert db.session.scalar(sa.select(Step.body_md).where(Step.id == sid)) == before
    saved = client.post(f"/admin/course/steps/{sid}", data=edit_data(body=IMAGE), follow_redirects=True).text
    assert "Saved as revision" in saved


def test_saving_refuses_a_see_also_naming_the_step_itself_or_nothing(client, author):
    sid = step_id("welcome")
    page = client.post(f"/admin/course/steps/{sid}", data=edit_data(see_also="first-steps/welcome")).text
    assert "names this step itself" in page
    page = client.post(f"/admin/course/steps/{sid}", data=edit_data(see_also="first-steps/nowhere")).text
    assert "there is no step first-steps/nowhere in the course" in page
