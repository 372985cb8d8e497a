"""What every benchmark shares: paths, gunicorn servers on 127.0.0.1, their workers' CPU
and memory, the database's URL, and a plain signed-in session for wrk's requests."""

from __future__ import annotations

import html
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DATA = BENCH / "data"
VENV_BIN = ROOT / ".venv" / "bin"
ISSO_BIN = BENCH / ".isso-venv" / "bin"
WORKERS = 2
TICKS = os.sysconf("SC_CLK_TCK")


def log(message: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes (all their threads), from /proc/<pid>/stat."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / TICKS


def database_cpu(url: str | None) -> dict[int, float]:
    """On PostgreSQL, the CPU time of each backend serving the bench's database (the servers'
    pooled connections), by process id; nothing on SQLite, where the database is in the workers."""
    if not url or not url.startswith("postgresql"):
        return {}
    import psycopg

    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as connection:
        pids = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return {pid: cpu_seconds([pid]) for (pid,) in pids}


def database_url(kind: str) -> str:
    if kind == "postgresql":
        base = os.environ.get("BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "lms_bench"], capture_output=True)
        return f"{base}/lms_bench"
    return f"sqlite:///{DATA / 'bench.sqlite'}"


# --- servers -----------------------------------------------------------------------------


class Server:
    def __init__(self, name: str, command: list[str], env: dict[str, str], port: int, ready_path: str = "/"):
        self.name, self.port, self.ready_path = name, port, ready_path
        self.rss_under_load = 0.0
        self.database_url: str | None = None  # on PostgreSQL, its backends' CPU is read too
        self.log = open(DATA / f"{name}.log", "w")
        self.process = subprocess.Popen(
            command,
            env={**os.environ, **env},
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url(ready_path), timeout=2)
                return
            except urllib.error.HTTPError:
                return  # it answers
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"{name} did not start: see {self.log.name}") from None
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{name} did not answer in 60 s: see {self.log.name}")

    def drain(self) -> None:
        """Wait for requests wrk left queued to be served (one more request, served after them),
        so they do not eat into the next measurement."""
        try:
            urllib.request.urlopen(self.url(self.ready_path), timeout=180)
        except urllib.error.HTTPError:
            pass

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True)
        return [int(p) for p in out.stdout.split()]

    def worker_cpu(self) -> float:
        return cpu_seconds(self.worker_pids())

    def _status_mb(self, field: str) -> list[float]:
        values = []
        for pid in self.worker_pids():
            try:
                match = re.search(rf"{field}:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
            except OSError:
                continue
            if match:
                values.append(int(match[1]) / 1024)
        return values

    def peak_rss_mb(self) -> float:
        """The largest high-water mark (VmHWM) among the workers: includes transient peaks such as
        Argon2's 64 MiB working memory while it checks a password at sign-in."""
        return round(max(self._status_mb("VmHWM"), default=0.0), 1)

    def sample_rss(self) -> None:
        """Note the workers' resident memory now (called every 0.25 s while under load)."""
        self.rss_under_load = max([self.rss_under_load, *self._status_mb("VmRSS")])

    def memory(self) -> dict:
        return {"rss_under_load_mb": round(self.rss_under_load, 1), "vmhwm_mb": self.peak_rss_mb()}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


@contextmanager
def sampling_memory(server: Server):
    """Sample the workers' resident memory every 0.25 s while the block runs."""
    done = threading.Event()
    sampler = threading.Thread(
        target=lambda: [server.sample_rss() for _ in iter(lambda: done.wait(0.25), True)], daemon=True
    )
    sampler.start()
    try:
        yield
    finally:
        done.set()
        sampler.join()


def gunicorn(bin_dir: Path, app: str, port: int, extra: list[str] | None = None, workers: int = WORKERS) -> list[str]:
    return [
        str(bin_dir / "gunicorn"),
        "-w",
        str(workers),
        "-k",
        "sync",
        "-b",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        *(extra or []),
        app,
    ]


def lms_server(name: str, app_env: dict[str, str], workers: int = WORKERS) -> Server:
    port = free_port()
    server = Server(
        name, gunicorn(VENV_BIN, "lms:create_app()", port, workers=workers), app_env, port, ready_path="/login"
    )
    if app_env["LMS_DATABASE_URL"].startswith("postgresql"):
        server.database_url = app_env["LMS_DATABASE_URL"]
    return server


# --- a plain session, for wrk's requests ---------------------------------------------------


def _cookies(response, jar: dict[str, str]) -> None:
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, jar: dict[str, str], data: dict | None = None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body)
    if jar:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in jar.items()))
    try:
        response = _opener.open(request, timeout=30)
    except urllib.error.HTTPError as error:
        response = error
    _cookies(response, jar)
    return response.status, response.read().decode("utf-8", "replace")


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return html.unescape(match[1])


def sign_in(server: Server, email: str, password: str) -> dict[str, str]:
    jar: dict[str, str] = {}
    _, page = fetch(server.url("/login"), jar)
    status, _ = fetch(server.url("/login"), jar, {"csrf_token": csrf_token(page), "email": email, "password": password})
    if status != 302:
        raise RuntimeError(f"could not sign in as {email} (status {status})")
    return jar


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())
