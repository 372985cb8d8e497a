"""The accessibility statement, with the organisation's contact and the checks last passed."""

import json

from lms.accessibility import views


def test_statement_names_the_standard_the_contact_and_the_checks(make_app, tmp_path, monkeypatch):
    checks = tmp_path / "checks.json"
    checks.write_text(
        json.dumps(
            {
                "checked_on": "2026-11-23",
                "tool": "axe-core 4.14.1",
                "browser": "Chromium",
                "rules": ["wcag22aa"],
                "pages": ["/", "/todo"],
            }
        )
    )
    monkeypatch.setattr(views, "CHECKS", checks)
    views.last_checks.cache_clear()
    app = make_app(LMS_CONTACT_EMAIL="access@trust.example")
    page = app.test_client().get("/accessibility").text
    views.last_checks.cache_clear()
    assert "WCAG) version 2.2 at level AA" in page
    assert 'href="mailto:access@trust.example"' in page
    assert "axe-core 4.14.1 runs in Chromium" in page and "2026-11-23" in page and "<code>/todo</code>" in page


def test_statement_is_linked_from_every_page(client):
    assert 'href="/accessibility"' in client.get("/no/such/page").text
