"""The `pages` scenario: single pages under wrk, lms beside its peers.

References: a bare 8 KB Flask page, a naive Flask + SQLAlchemy thread page and Isso (its
listing and its posting). lms: the article step page, the 200-comment thread, the progress
and to-do pages and the 5,000-learner dashboard, each asked again and again by one signed-in
person with the cookies a browser has after one look at the page; then posting a comment.
Each runs for BENCH_DURATION seconds at each of BENCH_CONNECTIONS, after a 1 s warm-up.
"""

from __future__ import annotations

import json
import re
import secrets
import subprocess
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

from bench.common import (
    DATA,
    ISSO_BIN,
    VENV_BIN,
    Server,
    cookie_header,
    csrf_token,
    fetch,
    free_port,
    gunicorn,
    lms_server,
    log,
    sampling_memory,
    sign_in,
)

TARGETS = [  # (name, scenario, reference, at least this many times the reference's req/s)
    ("200-comment thread >= 1.5x Isso's listing", "thread_200", "isso_thread", 1.5),
    ("200-comment thread >= 2.5x naive Flask + SQLAlchemy", "thread_200", "naive_thread", 2.5),
    ("posting a comment >= Isso's posting", "post_comment", "isso_post", 1.0),
]

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


def post_script(
    headers: dict[str, str], content_type: str, body_before: str, body_between: str, body_after: str
) -> str:
    """A wrk script posting a unique body each time: before .. n .. between .. n .. after."""
    lines = "\n".join(f"wrk.headers[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items())
    body = f"{lua_string(body_before)} .. n .. {lua_string(body_between)} .. n .. {lua_string(body_after)}"
    path = Path(tempfile.mkstemp(prefix="bench-", suffix=".lua", dir=DATA)[1])
    path.write_text(POST_SCRIPT % {"content_type": content_type, "headers": lines, "body": body})
    return str(path)


def _to_ms(value: str) -> float:
    number, unit = float(re.match(r"[\d.]+", value)[0]), re.sub(r"[\d.]+", "", value)
    return round(number * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit], 2)


def wrk(
    url: str, connections: int, duration: int, headers: dict[str, str] | None = None, script: str | None = None
) -> dict:
    command = [
        "wrk",
        "-t",
        str(min(2, connections)),
        "-c",
        str(connections),
        "-d",
        f"{duration}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    for key, value in (headers or {}).items():
        command += ["-H", f"{key}: {value}"]
    if script:
        command += ["-s", script]
    out = subprocess.run([*command, url], capture_output=True, text=True, timeout=duration + 60).stdout
    result = {
        "connections": connections,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "requests": int(re.search(r"(\d+) requests in", out)[1]),
    }
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
        try:
            with sampling_memory(server):
                run = wrk(url, count, duration, **options)
        finally:
            server.drain()
        log(
            f"{name:16} c={count:<3} {run['rps']:8.1f} req/s  p50 {run['p50_ms']} ms  p99 {run['p99_ms']} ms"
            f"  errors {run['errors']}"
        )
        runs.append(run)
    return {"server": server.name, "url": url.split(str(server.port), 1)[1], "runs": runs}


def measure_page(
    server: Server, name: str, path: str, jar: dict[str, str], duration: int, connections: list[int]
) -> dict:
    """A signed-in page under load, with the cookies a browser would have after one look at
    it (the session then holds its CSRF token, as it does once a browser has seen a form)."""
    status, _ = fetch(server.url(path), jar)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    return measure(name, server.url(path), server, duration, connections, headers={"Cookie": cookie_header(jar)})


# --- the peers ------------------------------------------------------------------------------


def start_isso(port: int) -> Server:
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
    server = Server(
        "isso",
        gunicorn(ISSO_BIN, "isso.run", port, ["--preload"]),
        {"ISSO_SETTINGS": str(config)},
        port,
        ready_path="/info",
    )
    # The same thread: 100 comments with a reply each, posted through Isso's own API.
    try:
        for n in range(100):
            top = isso_post(
                server,
                {
                    "text": f"Thread comment {n}: " + "kindness listening " * 12,
                    "author": f"Learner {n}",
                    "title": "Bench thread",
                },
            )
            isso_post(server, {"text": "A reply " + "team care " * 10, "author": f"Learner {n + 1}", "parent": top})
    except Exception:
        server.stop()
        raise
    return server


def isso_post(server: Server, data: dict) -> int:
    request = urllib.request.Request(
        server.url("/new?uri=%2Fthread"),
        data=json.dumps(data).encode(),
        headers={"Content-Type": "application/json", "Origin": f"http://127.0.0.1:{server.port}"},
    )
    return json.loads(urllib.request.urlopen(request, timeout=30).read())["id"]


def _reference(name: str, app: str, env: dict, duration: int, connections: list[int]) -> tuple[dict, dict]:
    port = free_port()
    server = Server(name, gunicorn(VENV_BIN, app, port), env, port)
    try:
        return measure(name, server.url("/"), server, duration, connections), server.memory()
    finally:
        server.stop()


def _isso(results: dict, duration: int, connections: list[int]) -> dict:
    isso = start_isso(free_port())
    try:
        results["isso_thread"] = measure("isso_thread", isso.url("/?uri=%2Fthread"), isso, duration, connections)
        script = post_script(
            {"Origin": f"http://127.0.0.1:{isso.port}"},
            "application/json",
            '{"text": "Bench comment ',
            " from wrk, number ",
            '", "author": "Bench"}',
        )
        results["isso_post"] = measure(
            "isso_post", isso.url("/new?uri=%2Fthread"), isso, duration, connections, script=script
        )
        return isso.memory()
    finally:
        isso.stop()


def _lms(results: dict, app_env: dict, dataset: dict, duration: int, connections: list[int]) -> dict:
    """Every lms page on one server, posting last (it grows the thread)."""
    lms = lms_server("lms", app_env)
    try:
        learner_jar = sign_in(lms, dataset["learner"], dataset["password"])
        facilitator_jar = sign_in(lms, dataset["facilitator"], dataset["password"])
        poster_jar = sign_in(lms, dataset["poster"], dataset["password"])
        _, compose = fetch(lms.url(dataset["post_path"]), poster_jar)
        token = urllib.parse.quote(csrf_token(compose), safe="")
        for name, path, jar in (
            ("step_page", dataset["step_page"], learner_jar),
            ("thread_200", dataset["thread_page"], learner_jar),
            ("progress", "/progress", learner_jar),
            ("todo", "/todo", learner_jar),
            ("dashboard_5000", dataset["cohort_page"], facilitator_jar),
        ):
            results[name] = measure_page(lms, name, path, jar, duration, connections)
        run_id = secrets.token_hex(4)
        script = post_script(
            {"Cookie": cookie_header(poster_jar)},
            "application/x-www-form-urlencoded",
            f"csrf_token={token}&body=Bench+comment+",
            f"+from+wrk&submission={run_id}x",
            "",
        )
        results["post_comment"] = measure(
            "post_comment", lms.url(dataset["post_path"]), lms, duration, connections, script=script
        )
        return lms.memory()
    finally:
        lms.stop()


def run(app_env: dict, dataset: dict, duration: int, connections: list[int]) -> dict:
    """Measure the peers, then lms; returns {"results", "memory", "targets"}."""
    results, memory = {}, {}
    try:
        results["bare_flask"], memory["bare_flask"] = _reference(
            "bare_flask", "bench.references:bare()", {}, duration, connections
        )
        naive_env = {
            "BENCH_DATABASE_URL": app_env["LMS_DATABASE_URL"],
            "BENCH_THREAD_STEP_ID": str(dataset["thread_step_id"]),
        }
        results["naive_thread"], memory["naive_thread"] = _reference(
            "naive_thread", "bench.references:naive()", naive_env, duration, connections
        )
        memory["isso"] = _isso(results, duration, connections)
        memory["lms"] = _lms(results, app_env, dataset, duration, connections)
    finally:
        for script_file in DATA.glob("bench-*.lua"):
            script_file.unlink()
    return {"results": results, "memory": memory, "targets": targets(results)}


def targets(results: dict) -> list[dict]:
    found = []
    for target, scenario, reference, at_least in TARGETS:
        values = {
            run["connections"]: round(run["rps"] / ref["rps"], 2) if ref["rps"] else 0.0
            for run, ref in zip(results[scenario]["runs"], results[reference]["runs"])
        }
        found.append(
            {
                "target": target,
                "scenario": scenario,
                "reference": reference,
                "at_least": at_least,
                "ratios": values,
                "pass": all(r >= at_least for r in values.values()),
                "detail": ", ".join(f"c={c}: {r:.2f}x" for c, r in values.items()),
            }
        )
    return found


def table(results: dict, memory: dict) -> str:
    lines = [f"{'scenario':18} {'conns':>5} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}"]
    for name, result in results.items():
        for run in result["runs"]:
            lines.append(
                f"{name:18} {run['connections']:>5} {run['rps']:>9.1f} {run['p50_ms']!s:>8} "
                f"{run['p99_ms']!s:>8} {run['errors']:>6}"
            )
    lines.append("")
    lines += [
        f"worker memory  {name:12} peak RSS under load {m['rss_under_load_mb']:6.1f} MB"
        f"  (high-water mark {m['vmhwm_mb']:6.1f} MB)"
        for name, m in memory.items()
    ]
    return "\n".join(lines)
