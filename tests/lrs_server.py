"""A real learning record store for the tests: Ralph (PyPI `ralph-malph`), with its
filesystem backend, in a virtual environment of its own.

The environment is made once, under `.cache/ralph/venv-<version>/` in the checkout
(gitignored), and reused by every later run; making it needs PyPI (about half a minute).
The server listens on a free port on 127.0.0.1 with its statements in a temporary folder,
and Basic-auth credentials in its auth file. `Outage` stands between the app and the store,
so a test can cut the store off and bring it back in an instant (restarting Ralph takes
seconds).
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import socket
import socketserver
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

RALPH = "ralph-malph[cli,lrs]==5.1.0"
VERSION = "5.1.0"
ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".cache" / "ralph" / f"venv-{VERSION}"
USERNAME, PASSWORD = "lms", "a-long-test-secret"


# Ralph's API served by uvicorn on loopback. Its filesystem LRS backend (5.1.0) writes every
# POST with the "create" operation into one file, so it refuses the second POST (500, "already
# exists"): it appends here instead. Validation, storage format and the API are Ralph's own.
LAUNCH = """
import sys
import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend
FSLRSBackend.default_operation_type = BaseOperationType.APPEND
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


VALIDATE = """
import json, sys
from pydantic import ValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement
problems = []
for statement in json.load(sys.stdin):
    try:
        BaseXapiStatement.model_validate(statement)
    except ValidationError as error:
        problems.append(f"{statement.get('verb', {}).get('id')}: {error}")
print(json.dumps(problems))
"""


class RalphUnavailable(Exception):
    pass


def ensure_venv() -> Path:
    """The environment's python, made (under a lock: one maker at a time) if it is not there."""
    python = VENV / "bin" / "python"
    ready = VENV / ".ready"
    VENV.parent.mkdir(parents=True, exist_ok=True)
    with open(VENV.parent / f".lock-{VERSION}", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not ready.exists():
            try:
                subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True, capture_output=True)
                # requests: imported by Ralph's CLI but not declared by it.
                subprocess.run(
                    [str(python), "-m", "pip", "install", "-q", RALPH, "requests"],
                    check=True,
                    capture_output=True,
                    timeout=600,
                )
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
                output = getattr(error, "stderr", b"") or b""
                raise RalphUnavailable(
                    f"could not install {RALPH}: {output.decode(errors='replace')[-2000:]}"
                ) from None
            ready.write_text(RALPH)
    return python


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Ralph:
    def __init__(self, folder: Path, port: int | None = None):
        self.folder = folder
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        python = ensure_venv()
        (self.folder / "data").mkdir(parents=True, exist_ok=True)
        hashed = subprocess.run(
            [
                str(python),
                "-c",
                f"import bcrypt; print(bcrypt.hashpw({PASSWORD!r}.encode(), bcrypt.gensalt(4)).decode())",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        auth = [
            {
                "agent": {"mbox": "mailto:lms@example.org", "objectType": "Agent"},
                "scopes": ["all"],
                "hash": hashed,
                "username": USERNAME,
            }
        ]
        (self.folder / "auth.json").write_text(json.dumps(auth))
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.folder),
            "RALPH_APP_DIR": str(self.folder),
            "RALPH_AUTH_FILE": str(self.folder / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.folder / "data"),
        }
        self.log = open(self.folder / "server.log", "wb")  # noqa: SIM115  (the server writes to it until stopped)
        self.process = subprocess.Popen(
            [str(python), "-c", LAUNCH, str(self.port)],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RalphUnavailable(f"Ralph stopped: {(self.folder / 'server.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + "/__heartbeat__", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RalphUnavailable("Ralph did not answer within 60 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
            self.log.close()

    def statements(self, **params) -> list[dict]:
        """Every statement the store holds (filtered by `params`), read through its own API."""
        query = "&".join(f"{key}={urllib.parse.quote(str(value))}" for key, value in {"limit": 500, **params}.items())
        found, url = [], f"{self.url}/xAPI/statements?{query}"
        while url:
            request = urllib.request.Request(url, headers=self.headers())
            with urllib.request.urlopen(request, timeout=10) as response:
                page = json.load(response)
            found.extend(page["statements"])
            url = self.url + page["more"] if page.get("more") else None
        return found

    def validate(self, statements: list[dict]) -> list[str]:
        """Check statements with Ralph's strict xAPI model (its POST checks only the bare
        minimum: actor, id, verb and object ids); the problems found, none when valid."""
        result = subprocess.run(
            [str(VENV / "bin" / "python"), "-c", VALIDATE],
            input=json.dumps(statements),
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(result.stdout)

    def headers(self) -> dict:
        token = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
        return {"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"}


class Outage:
    """A TCP relay in front of the store: `cut()` refuses every connection (as a stopped
    server does), `restore()` lets them through again."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.open = True
        relay = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                if not relay.open:
                    return  # closed at once: the client sees the connection dropped
                with socket.create_connection(("127.0.0.1", relay.target_port), timeout=10) as upstream:
                    pipes = [
                        threading.Thread(target=_pipe, args=(self.request, upstream), daemon=True),
                        threading.Thread(target=_pipe, args=(upstream, self.request), daemon=True),
                    ]
                    for pipe in pipes:
                        pipe.start()
                    for pipe in pipes:
                        pipe.join(15)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def cut(self) -> None:
        self.open = False

    def restore(self) -> None:
        self.open = True

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
        sink.shutdown(socket.SHUT_WR)
    except OSError:
        pass


__all__ = ["Ralph", "Outage", "RalphUnavailable", "ensure_venv"]


def main() -> None:
    """`python -m tests.lrs_server [PORT]`: a record store to try the platform with, until Ctrl+C."""
    import signal
    import tempfile

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stopped by a signal: stop Ralph too
    with tempfile.TemporaryDirectory(prefix="ralph-") as folder:
        server = Ralph(Path(folder), int(sys.argv[1]) if len(sys.argv) > 1 else 8100)
        server.start()
        print(f"Ralph is listening; statements are kept in {folder}/data until it stops. Run the platform with:")
        print(f"  LMS_XAPI_ENDPOINT={server.url}/xAPI/ LMS_XAPI_KEY={USERNAME} LMS_XAPI_SECRET={PASSWORD}")
        print(
            f"Read what it holds: curl -u {USERNAME}:{PASSWORD} -H 'X-Experience-API-Version: 1.0.3' {server.url}/xAPI/statements"
        )
        try:
            server.process.wait()
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()


if __name__ == "__main__":
    main()
