"""A WSGI app served over real HTTP from a daemon thread, on a free port: the base of the
servers the tests run in their own process (an OpenID Connect provider, an LTI platform)."""

from __future__ import annotations

import threading

from werkzeug.serving import make_server


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
