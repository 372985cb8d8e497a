"""Page weight: once a browser has a page's CSS, JavaScript and images, the next page it
views, in the same tab or a new one, fetches none of them again, not even to ask whether
they changed. Counted where it matters: the requests that reach the server."""

from __future__ import annotations

from flask import request_started

from lms.learning import service as learning
from tests.browser.pages import sign_in
from tests.factories import make_user

STATIC = ("/static/", "/nhsuk/", "/assets/")


def test_a_second_page_view_fetches_no_static_file(browser, live_server):
    with live_server.app.app_context():
        from lms.content import service as content

        learner = make_user(email="lee@example.org", display_name="Lee Learner")
        learning.join_course(learner.id, content.get_outline().course.id)
    reached: list[str] = []

    def count(sender, **_):
        from flask import request

        reached.append(request.full_path.rstrip("?"))

    request_started.connect(count, live_server.app)
    try:
        # The app's own Content-Security-Policy applies (no bypass): the NHS.UK fonts it names
        # on another site are not loaded, as in production.
        context = browser.new_context(locale="en-GB")
        page = context.new_page()
        sign_in(page, live_server, "lee@example.org")  # the session cookie changes here
        page.goto(live_server("/todo"))
        first = [path for path in reached if path.startswith(STATIC)]
        assert any(p.startswith("/static/css/app.css") for p in first), first  # it did load them

        reached.clear()
        page.goto(live_server("/progress"))  # the next page in the same tab
        page.wait_for_load_state("networkidle")
        other = context.new_page()  # and in a new tab, from the disk cache
        other.goto(live_server("/notifications"))
        other.wait_for_load_state("networkidle")
        assert "/progress" in reached and "/notifications" in reached, reached
        again = [path for path in reached if path.startswith(STATIC)]
        assert not again, f"static files fetched again on a second page view: {again}"
    finally:
        request_started.disconnect(count, live_server.app)
