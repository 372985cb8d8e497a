"""`make bench`: lms under load beside a bare Flask page, a naive Flask + SQLAlchemy page and Isso.

Builds the data set (bench/build_data.py), starts each server under gunicorn with 2 sync
workers on 127.0.0.1, drives it with wrk for BENCH_DURATION seconds at each of
BENCH_CONNECTIONS, and prints requests per second, p50 and p99 latency, the workers' peak
resident memory, and the ratios the targets of issue 9 are set in. Writes the same to
bench/results/<timestamp>-<database>.json.

Environment: BENCH_DB=sqlite|postgresql (database lms_bench on 127.0.0.1), BENCH_DURATION
(10), BENCH_CONNECTIONS (8,64), BENCH_SKIP_BUILD=1 to reuse bench/data, plus the sizes read
by build_data.py. The app runs with LMS_RATELIMIT_ENABLED=false (its documented setting
for local load tests); CSRF stays on: posting uses a real session and token.
"""
from __future__ import annotations

import html
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DATA = BENCH / "data"
VENV_BIN = ROOT / ".venv" / "bin"
ISSO_BIN = BENCH / ".isso-venv" / "bin"
WORKERS = 2

TARGETS = [  # (name, scenario, reference, at least this many times the reference's req/s)
    ("step page >= 60% of the bare 8 KB page", "step_page", "bare_flask", 0.6),
    ("200-comment thread >= 1.5x Isso's listing", "thread_200", "isso_thread", 1.5),
    ("200-comment thread >= 2.5x naive Flask + SQLAlchemy", "thread_200", "naive_thread", 2.5),
    ("posting a comment >= Isso's posting", "post_comment", "isso_post", 1.0),
]
MEMORY_LIMIT_MB = 120


def log(message: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- servers -----------------------------------------------------------------------------

class Server:
    def __init__(self, name: str, command: list[str], env: dict[str, str], port: int, ready_path: str = "/"):
        self.name, self.port, self.ready_path = name, port, ready_path
        self.log = open(DATA / f"{name}.log", "w")
        self.process = subprocess.Popen(command, env={**os.environ, **env}, cwd=ROOT, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url(ready_path), timeout=2)
                return
            except urllib.error.HTTPError:
                return  # it answers
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"{name} did not start: see {self.log.name}")
                time.sleep(0.3)
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
        self.rss_under_load = max([getattr(self, "rss_under_load", 0.0), *self._status_mb("VmRSS")])

    def memory(self) -> dict:
        return {"rss_under_load_mb": round(getattr(self, "rss_under_load", 0.0), 1), "vmhwm_mb": self.peak_rss_mb()}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


def gunicorn(bin_dir: Path, app: str, port: int, extra: list[str] | None = None) -> list[str]:
    return [str(bin_dir / "gunicorn"), "-w", str(WORKERS), "-k", "sync", "-b", f"127.0.0.1:{port}",
            "--log-level", "warning", *(extra or []), app]


# --- sessions ---------------------------------------------------------------------------

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
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page)
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


# --- load -------------------------------------------------------------------------------

POST_SCRIPT = """
local counter = 0
local threads = 0
local stamp = ""
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  stamp = tostring(os.time())  -- each wrk run's bodies differ from the last run's
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "%(content_type)s"
%(headers)s
request = function()
  counter = counter + 1
  local n = stamp .. "-" .. tostring(tid) .. "-" .. tostring(counter)
  local body = %(body)s
  return wrk.format(nil, nil, nil, body)
end
"""


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def post_script(headers: dict[str, str], content_type: str, body_before: str, body_between: str,
                body_after: str) -> str:
    """A wrk script posting a unique body each time: before .. n .. between .. n .. after."""
    lines = "\n".join(f"wrk.headers[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items())
    body = f"{lua_string(body_before)} .. n .. {lua_string(body_between)} .. n .. {lua_string(body_after)}"
    path = Path(tempfile.mkstemp(prefix="bench-", suffix=".lua", dir=DATA)[1])
    path.write_text(POST_SCRIPT % {"content_type": content_type, "headers": lines, "body": body})
    return str(path)


def _to_ms(value: str) -> float:
    number, unit = float(re.match(r"[\d.]+", value)[0]), re.sub(r"[\d.]+", "", value)
    return round(number * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit], 2)


def wrk(url: str, connections: int, duration: int, headers: dict[str, str] | None = None,
        script: str | None = None) -> dict:
    command = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{duration}s", "--latency",
               "--timeout", "10s"]
    for key, value in (headers or {}).items():
        command += ["-H", f"{key}: {value}"]
    if script:
        command += ["-s", script]
    out = subprocess.run([*command, url], capture_output=True, text=True, timeout=duration + 60).stdout
    result = {"connections": connections, "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
              "requests": int(re.search(r"(\d+) requests in", out)[1])}
    for label, key in (("50%", "p50_ms"), ("99%", "p99_ms")):
        match = re.search(rf"^\s+{re.escape(label)}\s+(\S+)", out, re.M)
        result[key] = _to_ms(match[1]) if match else None
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["errors"] = (int(bad[1]) if bad else 0) + (sum(int(x) for x in errors.groups()) if errors else 0)
    return result


def measure(name: str, url: str, server: Server, duration: int, connections: list[int], **options) -> dict:
    wrk(url, 4, 1, **options)  # warm the workers
    server.drain()
    runs = []
    for count in connections:
        done = threading.Event()
        sampler = threading.Thread(target=lambda: [server.sample_rss() for _ in iter(lambda: done.wait(0.25), True)],
                                   daemon=True)
        sampler.start()
        try:
            run = wrk(url, count, duration, **options)
        finally:
            done.set()
            sampler.join()
            server.drain()
        log(f"{name:16} c={count:<3} {run['rps']:8.1f} req/s  p50 {run['p50_ms']} ms  p99 {run['p99_ms']} ms"
            f"  errors {run['errors']}")
        runs.append(run)
    return {"server": server.name, "url": url.split(str(server.port), 1)[1], "runs": runs}


# --- the run ----------------------------------------------------------------------------

def database_url(kind: str) -> str:
    if kind == "postgresql":
        base = os.environ.get("BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "lms_bench"], capture_output=True)
        return f"{base}/lms_bench"
    return f"sqlite:///{DATA / 'bench.sqlite'}"


def start_isso(port: int, dataset: dict) -> Server:
    config = DATA / "isso.cfg"
    db_path = DATA / "isso.sqlite"
    db_path.unlink(missing_ok=True)
    config.write_text(f"""[general]
dbpath = {db_path}
host = http://127.0.0.1:{port}/
[moderation]
enabled = false
[guard]
enabled = false
[server]
listen = http://127.0.0.1:{port}/
[markup]
options = strikethrough, superscript, autolink
""")
    server = Server("isso", gunicorn(ISSO_BIN, "isso.run", port, ["--preload"]), {"ISSO_SETTINGS": str(config)},
                    port, ready_path="/info")
    # The same thread: 100 comments with a reply each, posted through Isso's own API.
    try:
        for n in range(100):
            top = isso_post(server, {"text": f"Thread comment {n}: " + "kindness listening " * 12,
                                     "author": f"Learner {n}", "title": "Bench thread"})
            isso_post(server, {"text": "A reply " + "team care " * 10, "author": f"Learner {n + 1}", "parent": top})
    except Exception:
        server.stop()  # not yet in the caller's list of servers to stop
        raise
    return server


def isso_post(server: Server, data: dict) -> int:
    request = urllib.request.Request(server.url("/new?uri=%2Fthread"), data=json.dumps(data).encode(),
                                     headers={"Content-Type": "application/json",
                                              "Origin": f"http://127.0.0.1:{server.port}"})
    return json.loads(urllib.request.urlopen(request, timeout=30).read())["id"]


def table(results: dict, memory: dict, ratios: list[dict]) -> str:
    lines = [f"{'scenario':18} {'conns':>5} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}"]
    for name, result in results.items():
        for run in result["runs"]:
            lines.append(f"{name:18} {run['connections']:>5} {run['rps']:>9.1f} {run['p50_ms']!s:>8} "
                         f"{run['p99_ms']!s:>8} {run['errors']:>6}")
    lines.append("")
    lines += [f"worker memory  {name:12} peak RSS under load {m['rss_under_load_mb']:6.1f} MB"
              f"  (high-water mark {m['vmhwm_mb']:6.1f} MB)" for name, m in memory.items()]
    lines.append("")
    for ratio in ratios:
        values = ", ".join(f"c={c}: {r:.2f}x" if c != "MB" else f"{r} MB" for c, r in ratio["ratios"].items())
        lines.append(f"{'PASS' if ratio['pass'] else 'MISS'}  {ratio['target']}  ({values})")
    return "\n".join(lines)


def measure_page(server: Server, name: str, path: str, jar: dict[str, str], duration: int,
                 connections: list[int]) -> dict:
    """A signed-in page under load, with the cookies a browser would have after one look at
    it (the session then holds its CSRF token, as it does once a browser has seen a form)."""
    status, _ = fetch(server.url(path), jar)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    return measure(name, server.url(path), server, duration, connections, headers={"Cookie": cookie_header(jar)})


def main() -> int:
    if not shutil.which("wrk"):
        print("wrk is needed: apt-get install wrk (Debian)", file=sys.stderr)
        return 2
    if not (ISSO_BIN / "isso").exists():
        log("installing Isso into bench/.isso-venv")
        subprocess.run([sys.executable, "-m", "venv", str(BENCH / ".isso-venv")], check=True)
        subprocess.run([str(ISSO_BIN / "pip"), "install", "--quiet", "isso", "gunicorn"], check=True)
    kind = os.environ.get("BENCH_DB", "sqlite")
    duration = int(os.environ.get("BENCH_DURATION", "10"))
    connections = [int(c) for c in os.environ.get("BENCH_CONNECTIONS", "8,64").split(",")]
    DATA.mkdir(parents=True, exist_ok=True)
    url = database_url(kind)
    app_env = {"LMS_DATABASE_URL": url, "LMS_SECRET_KEY": secrets.token_hex(32),
               "LMS_RATELIMIT_ENABLED": "false", "LMS_ENV": "production"}
    if os.environ.get("BENCH_SKIP_BUILD") != "1":
        log(f"building the data set on {kind}")
        subprocess.run([str(VENV_BIN / "python"), str(BENCH / "build_data.py")], env={**os.environ, **app_env},
                       check=True, stdout=subprocess.DEVNULL)
    dataset = json.loads((DATA / "dataset.json").read_text())
    log(f"data: {dataset['counts']}")
    results, memory, servers = {}, {}, []
    try:
        # References first: a bare 8 KB page, the naive thread page, Isso (list, then post).
        port = free_port()
        bare = Server("bare_flask", gunicorn(VENV_BIN, "bench.references:bare()", port), {}, port)
        servers.append(bare)
        results["bare_flask"] = measure("bare_flask", bare.url("/"), bare, duration, connections)
        memory["bare_flask"] = bare.memory()
        bare.stop()
        port = free_port()
        naive = Server("naive_thread", gunicorn(VENV_BIN, "bench.references:naive()", port),
                       {"BENCH_DATABASE_URL": url, "BENCH_THREAD_STEP_ID": str(dataset["thread_step_id"])}, port)
        servers.append(naive)
        results["naive_thread"] = measure("naive_thread", naive.url("/"), naive, duration, connections)
        memory["naive_thread"] = naive.memory()
        naive.stop()
        isso = start_isso(free_port(), dataset)
        servers.append(isso)
        results["isso_thread"] = measure("isso_thread", isso.url("/?uri=%2Fthread"), isso, duration, connections)
        script = post_script({"Origin": f"http://127.0.0.1:{isso.port}"}, "application/json",
                             '{"text": "Bench comment ', " from wrk, number ", '", "author": "Bench"}')
        results["isso_post"] = measure("isso_post", isso.url("/new?uri=%2Fthread"), isso, duration, connections,
                                       script=script)
        memory["isso"] = isso.memory()
        isso.stop()
        # lms: every scenario on one server, posting last (it grows the thread).
        port = free_port()
        lms = Server("lms", gunicorn(VENV_BIN, "lms:create_app()", port), app_env, port, ready_path="/login")
        servers.append(lms)
        learner_jar = sign_in(lms, dataset["learner"], dataset["password"])
        facilitator_jar = sign_in(lms, dataset["facilitator"], dataset["password"])
        poster_jar = sign_in(lms, dataset["poster"], dataset["password"])
        _, compose = fetch(lms.url(dataset["post_path"]), poster_jar)
        token = urllib.parse.quote(csrf_token(compose), safe="")
        for name, path, jar in (("step_page", dataset["step_page"], learner_jar),
                                ("thread_200", dataset["thread_page"], learner_jar),
                                ("progress", "/progress", learner_jar), ("todo", "/todo", learner_jar),
                                ("dashboard_5000", dataset["cohort_page"], facilitator_jar)):
            results[name] = measure_page(lms, name, path, jar, duration, connections)
        run_id = secrets.token_hex(4)
        script = post_script({"Cookie": cookie_header(poster_jar)}, "application/x-www-form-urlencoded",
                             f"csrf_token={token}&body=Bench+comment+", f"+from+wrk&submission={run_id}x",
                             "")
        results["post_comment"] = measure("post_comment", lms.url(dataset["post_path"]), lms, duration,
                                          connections, script=script)
        memory["lms"] = lms.memory()
        lms.stop()
        # The same two pages rendered on every request (LMS_KEEP_PAGES=false): what a
        # learner's first look at a page costs, and any look after something changed.
        port = free_port()
        rendered = Server("lms_rendered", gunicorn(VENV_BIN, "lms:create_app()", port),
                          {**app_env, "LMS_KEEP_PAGES": "false"}, port, ready_path="/login")
        servers.append(rendered)
        learner_jar = sign_in(rendered, dataset["learner"], dataset["password"])
        for name, path in (("step_page_rendered", dataset["step_page"]),
                           ("thread_200_rendered", dataset["thread_page"])):
            results[name] = measure_page(rendered, name, path, learner_jar, duration, connections)
        rendered.stop()
    finally:
        for server in servers:
            server.stop()
        for script_file in DATA.glob("bench-*.lua"):
            script_file.unlink()
    ratios = []
    for target, scenario, reference, at_least in TARGETS:
        values = {run["connections"]: run["rps"] / ref["rps"] if ref["rps"] else 0.0
                  for run, ref in zip(results[scenario]["runs"], results[reference]["runs"])}
        ratios.append({"target": target, "scenario": scenario, "reference": reference, "at_least": at_least,
                       "ratios": {c: round(r, 2) for c, r in values.items()},
                       "pass": all(r >= at_least for r in values.values())})
    under_load = memory.get("lms", {}).get("rss_under_load_mb", 0.0)
    ratios.append({"target": f"lms worker RSS under load < {MEMORY_LIMIT_MB} MB", "scenario": "all",
                   "reference": None, "at_least": None, "ratios": {"MB": under_load},
                   "pass": 0 < under_load < MEMORY_LIMIT_MB})
    report = table(results, memory, ratios)
    print("\n" + report)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    out = BENCH / "results" / f"{stamp}-{kind}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({
        "when": stamp, "database": kind, "duration_s": duration, "connections": connections, "workers": WORKERS,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "dataset": {k: dataset[k] for k in ("sizes", "counts")}, "results": results, "peak_rss_mb": memory,
        "targets": ratios}, indent=2) + "\n")
    log(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
