"""Two admins save one step at the same moment: exactly one save wins, the other is refused
as stale with its text kept, and nobody sees an error page (issue 19). Sent over HTTP with
CSRF on, at a threaded server, so the two saves really are in flight together."""

from __future__ import annotations

import html
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from lms.audit.models import AuditEntry
from lms.content.models import Step, StepRevision
from lms.extensions import db
from tests.factories import make_user
from tests.threaded_server import Browser, served_over_http


@pytest.fixture
def served(make_app, course):
    with served_over_http(make_app(WTF_CSRF_ENABLED=True)) as url:
        yield url


def editor_fields(page: str) -> dict[str, str]:
    """What the editor's form sends as it stands: its inputs and its boxes (the type is added by the caller)."""
    form = page.split('class="lms-editor"', 1)[1].split("</form>", 1)[0]
    fields = {
        name: html.unescape(value)
        for name, value in re.findall(r'<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', form)
        if name not in ("save", "preview", "update")
    }
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>\n?(.*?)</textarea>', form, re.S):
        fields[name] = html.unescape(value)
    return fields


@pytest.mark.parametrize("attempt", range(3))
def test_two_admins_saving_one_step_at_once_one_wins_the_other_keeps_their_text(served, course, attempt):
    step_id = db.session.scalar(sa.select(Step.id).where(Step.slug == "welcome"))
    admins = [
        make_user(email=f"{name.lower()}@example.org", display_name=f"{name} Admin", role="admin")
        for name in ("Ada", "Bea")
    ]
    db.session.commit()
    db.session.remove()
    path = f"/admin/course/steps/{step_id}"
    sends = []
    for user in admins:
        browser = Browser(served)
        browser.sign_in(user.email)
        fields = editor_fields(browser.send(path)[2])
        assert fields["base_revision"] == "1"
        sends.append(
            (browser, {**fields, "type": "article", "body": f"{user.display_name}'s careful words.", "save": "1"})
        )
    start = threading.Barrier(2)

    def save(send):
        browser, data = send
        start.wait()
        return browser.send(path, data)

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(save, sends))

    statuses = sorted(status for status, _, _ in answers)
    assert statuses == [302, 409], answers
    [(winner, _)] = [(data, status) for (_, data), (status, _, _) in zip(sends, answers) if status == 302]
    [(loser, page)] = [(data, body) for (_, data), (status, _, body) in zip(sends, answers) if status == 409]
    assert "Someone else saved this step after you opened it" in page
    assert loser["body"] in html.unescape(page)  # their text is still in the box
    db.session.expire_all()
    saved = db.session.execute(
        sa.select(StepRevision.number, StepRevision.body_md).where(StepRevision.step_id == step_id)
    ).all()
    assert sorted(number for number, _ in saved) == [1, 2] and dict(saved)[2] == winner["body"] + "\n"
    assert db.session.get(Step, step_id).revision == 2
    assert db.session.scalars(sa.select(AuditEntry.action)).all() == ["step.save"]
