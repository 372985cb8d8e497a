"""Browser tests: a real headless Chromium (Debian's, not Playwright's download) driving the
app served from this process on the per-run test database, with the real course imported
and axe-core auditing each page.

They skip only on a developer's machine without Chromium. With LMS_REQUIRE_BROWSER=1 (CI),
a missing Chromium stops the run with an error instead: browser tests must never be
skipped there without anyone noticing.
"""

from __future__ import annotations

import json
import os
import re
import threading
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from lms.config import ROOT

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Nothing but the app: the NHS.UK stylesheet names fonts on assets.nhs.uk (the app's CSP
    # blocks them; these tests bypass it to inject axe), and a lookup that cannot succeed
    # here stalled page loads for seconds.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def _browser_required() -> bool:
    return os.environ.get("LMS_REQUIRE_BROWSER") == "1"


def _chromium_present() -> bool:
    return os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)


def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder `browser`; skip or refuse to run them without Chromium."""
    ours = [item for item in items if HERE in Path(str(item.path)).resolve().parents]
    if not ours:
        return
    present = _chromium_present()
    if not present and _browser_required():
        raise pytest.UsageError(
            f"LMS_REQUIRE_BROWSER=1 but Chromium is missing at {CHROMIUM}: the {len(ours)} browser "
            "tests cannot run. Install it (apt-get install -y chromium fonts-liberation) "
            "or unset LMS_REQUIRE_BROWSER on a machine where skipping them is acceptable."
        )
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM} (set LMS_REQUIRE_BROWSER=1 to fail instead)")
    for item in ours:
        item.add_marker(pytest.mark.browser)
        if not present:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _chromium_is_required_in_ci():
    """Belt and braces: should a browser test ever be set up without Chromium, fail, never skip."""
    if not _chromium_present():
        if _browser_required():
            pytest.fail(f"LMS_REQUIRE_BROWSER=1 but Chromium is missing at {CHROMIUM}", pytrace=False)
        pytest.skip(f"Chromium not found at {CHROMIUM}")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The app's strict Content-Security-Policy would block the injected axe-core script.
    return {**browser_context_args, "bypass_csp": True, "locale": "en-GB"}


class LiveServer:
    """The app served over HTTP in a daemon thread, and what the tests need to know of it."""

    def __init__(self, app, url: str, published_steps: int, smtp_server=None):
        self.app = app
        self.url = url
        self.published_steps = published_steps
        self.smtp_server = smtp_server

    def mail_to(self, address: str) -> list:
        """Deliver what the outbox holds (no delivery loop runs here) and return the messages
        the test SMTP server has received for the address, oldest first."""
        from lms.extensions import db
        from lms.mail import service as mail

        with self.app.app_context():
            while mail.deliver_due():
                pass
            db.session.remove()
        return [m for m in self.smtp_server.messages if address in str(m["To"])]

    def __call__(self, path: str = "/") -> str:
        return self.url + path

    def __str__(self) -> str:
        return self.url


def _read_whole(app):
    """Each response read whole before Werkzeug's development server sends it. When the browser
    drops a connection mid-send (it navigates away while a script loads), that server skips
    closing the response, and the open static file becomes a ResourceWarning, an error here.
    Gunicorn closes it; the tests need no streaming."""

    def serve(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return serve


@pytest.fixture
def live_server(make_app, smtp_server):
    """The app, with CSRF on as in production and the real course imported, served on a free port.

    Yields a `LiveServer`: `live_server("/todo")` is that page's absolute URL,
    `live_server.published_steps` the number of steps a learner can see, and
    `live_server.mail_to(address)` the mail it has sent there (to the test SMTP server).
    """
    with serving(make_app(WTF_CSRF_ENABLED=True, LMS_CONTENT_DIR=str(ROOT / "content")), smtp_server) as server:
        yield server


@contextmanager
def serving(app, smtp_server=None):
    """Serve the app (with the real course imported) from a thread until the block ends."""
    from lms.content import service
    from lms.extensions import db

    context = app.app_context()
    context.push()
    try:
        service.import_content(ROOT / "content")
        outline = service.get_outline()
        assert outline is not None and outline.steps, "the real course in content/ has no published steps"
        published_steps = len(outline.steps)
        db.session.remove()  # hold no connection or transaction while the server works

        server = make_server("127.0.0.1", 0, _read_whole(app), threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="lms-live-server", daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{server.server_port}"
        app.config["LMS_BASE_URL"] = url  # links in mail lead to this server (mail goes to smtp_server)
        try:
            yield LiveServer(app, url, published_steps, smtp_server)
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=10)
    finally:
        db.session.remove()
        context.pop()


def _describe(violations: list[dict], url: str) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"\n[{violation['id']}] impact={violation.get('impact')}: {violation['help']}")
        lines.append(f"  {violation.get('helpUrl', '')}")
        for node in violation["nodes"]:
            lines.append(f"  - target: {json.dumps(node.get('target'))}")
            lines.append(f"    html:   {node.get('html', '')[:300]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n            ")
            lines.append(f"    why:    {summary}")
    return "\n".join(lines)


def run_axe(page) -> list[dict]:
    """axe-core's violations for the page as it is now (WCAG 2.2 A/AA and best practice)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("o => axe.run(document, o)", {"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return result["violations"]


AUDITED: set[str] = set()  # every page shape axe passed, for the accessibility statement
NUMBERS = re.compile(r"/\d+(?=/|$)")


@pytest.fixture
def axe_check():
    """`axe_check(page)` fails the test with every violation axe-core finds on the page."""

    def check(page) -> None:
        violations = run_axe(page)
        assert not violations, _describe(violations, page.url)
        AUDITED.add(NUMBERS.sub("/<id>", urlsplit(page.url).path))

    return check


def pytest_sessionfinish(session, exitstatus):
    """With LMS_ACCESSIBILITY_REPORT set, write the pages axe passed for the statement page."""
    target = os.environ.get("LMS_ACCESSIBILITY_REPORT")
    if target and AUDITED and exitstatus == 0:
        version = json.loads((AXE.parent / "package.json").read_text())["version"]
        Path(target).write_text(
            json.dumps(
                {
                    "checked_on": date.today().isoformat(),
                    "tool": f"axe-core {version}",
                    "browser": "Chromium",
                    "rules": AXE_TAGS,
                    "pages": sorted(AUDITED),
                },
                indent=2,
            )
            + "\n"
        )
