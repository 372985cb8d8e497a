"""A WSGI app served over real HTTP from a daemon thread, on a free port: the base of the
servers the tests run in their own process (an OpenID Connect provider, an LTI platform),
and of the app itself for tests whose requests must really be in flight together (several
people, or one form sent several times, at the same moment), with a browser-like client."""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from werkzeug.serving import make_server

from lms.extensions import db


class ThreadedServer:
    def serve(self, app, name: str) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, name=name, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=10)


@contextmanager
def served_over_http(app) -> Iterator[str]:
    """The app on a free port, with CSRF as the app has it; yields its base URL."""
    db.session.remove()  # the test's own session holds no transaction while the server works
    server = ThreadedServer()
    server.serve(app, "lms-test-http-server")
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


class Browser:
    """One browser's cookies, sending requests without following redirects."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}

    def send(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        """(status, Location, body) of a GET, or of a POST when there is data."""
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        request = urllib.request.Request(self.base + path, data=body, headers={"Cookie": cookie})
        try:
            with urllib.request.build_opener(_NoRedirect).open(request, timeout=60) as response:
                return self._read(response)
        except urllib.error.HTTPError as error:
            return self._read(error)

    def _read(self, response) -> tuple[int, str, str]:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return response.status, response.headers.get("Location", ""), response.read().decode()

    def sign_in(self, email: str) -> None:
        from tests.factories import PASSWORD

        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', self.send("/login")[2])[1]
        status, _, _ = self.send("/login", {"email": email, "password": PASSWORD, "csrf_token": token})
        assert status == 302


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
