"""`make bench-scale`: the same pages on a nearly empty PostgreSQL database and on a big one.

Builds each data set in turn (bench/build_data.py; the big one has 1,000,000 comments,
10,000 learners and 500,000 progress rows unless BENCH_SCALE_* say otherwise), starts lms
under gunicorn (2 sync workers) and measures with wrk, at BENCH_CONNECTIONS (8), for
BENCH_DURATION seconds (10):

- the article step page for a signed-in learner, on both data sets: the target is a p99 on
  the big one within 1.5x of the nearly empty one's;
- a long thread's first page and its last page (reached by keyset cursor): the last must be
  as fast as the first (within the run's noise: at least 0.8x its requests per second).

Then, on the big data set, it runs every SELECT those pages issue under EXPLAIN ANALYZE (the
app's own statements, captured as the test client opens each page) and fails any that scans
a whole table of 10,000 rows or more, or reads 10,000 rows only to discard them by a filter. Writes bench/results/<time>-scale.json and prints a summary.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    BENCH,
    DATA,
    VENV_BIN,
    Server,
    cookie_header,
    database_url,
    fetch,
    free_port,
    gunicorn,
    log,
    sign_in,
)
from bench.pages import measure  # noqa: E402

SIZES = {
    "nearly_empty": {"BENCH_COMMENTS": "0", "BENCH_LEARNERS": "50", "BENCH_PROGRESS": "100"},
    "big": {
        "BENCH_COMMENTS": os.environ.get("BENCH_SCALE_COMMENTS", "1000000"),
        "BENCH_LEARNERS": os.environ.get("BENCH_SCALE_LEARNERS", "10000"),
        "BENCH_PROGRESS": os.environ.get("BENCH_SCALE_PROGRESS", "500000"),
    },
}
BIG_ROWS = 10_000  # a whole-table scan is flagged only on a table this big (on a small one it is the best plan)
P99_LIMIT, LAST_PAGE_AT_LEAST = 1.5, 0.8


def build(url: str, app_env: dict, sizes: dict) -> dict:
    subprocess.run(
        [str(VENV_BIN / "python"), str(BENCH / "build_data.py")],
        env={**os.environ, **app_env, **sizes},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return json.loads((DATA / "dataset.json").read_text())


def pages(dataset: dict) -> dict[str, str]:
    found = {"step_page": dataset["step_page"]}
    if dataset.get("long_thread") and dataset["long_thread"]["comments"] > 40:
        found["long_thread_first"] = dataset["long_thread"]["first_page"]
        found["long_thread_last"] = dataset["long_thread"]["last_page"]
    return found


def measure_pages(app_env: dict, dataset: dict, duration: int, connections: list[int]) -> dict:
    port = free_port()
    server = Server("lms_scale", gunicorn(VENV_BIN, "lms:create_app()", port), app_env, port, ready_path="/login")
    try:
        jar = sign_in(server, dataset["learner"], dataset["password"])
        results = {}
        for name, path in pages(dataset).items():
            status, body = fetch(server.url(path), dict(jar))
            if status != 200 or 'class="lms-comment ' not in body and name != "step_page":
                raise RuntimeError(f"{path} answered {status} or showed no comments")
            results[name] = measure(
                name, server.url(path), server, duration, connections, headers={"Cookie": cookie_header(jar)}
            )
        return results
    finally:
        server.stop()


def explain(app_env: dict, dataset: dict) -> list[dict]:
    """EXPLAIN ANALYZE every SELECT the pages run, as the app runs them, on the big data set."""
    os.environ.update(app_env)
    import sqlalchemy as sa

    from lms import create_app
    from lms.extensions import db

    app = create_app()
    app.config["SESSION_COOKIE_SECURE"] = False  # the test client speaks plain HTTP
    plans = []
    with app.app_context():
        client = app.test_client()
        page = client.get("/login").text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]
        client.post("/login", data={"email": dataset["learner"], "password": dataset["password"], "csrf_token": token})
        for name, path in pages(dataset).items():
            client.get(path)  # the first visit writes progress; explain the steady state
            statements: list[tuple] = []
            record = lambda conn, cursor, statement, parameters, *rest, found=statements: found.append(  # noqa: E731
                (statement, parameters)
            )
            sa.event.listen(db.engine, "before_cursor_execute", record)
            try:
                # Both ways a thread page is read: from the database (as if no worker kept it,
                # lms.comments.snapshots), then kept, reading only marks and authors.
                app.extensions.pop("lms.comments.snapshots", None)
                client.get(path)
                client.get(path)
            finally:
                sa.event.remove(db.engine, "before_cursor_execute", record)
            with db.engine.connect() as connection:
                big = set(
                    connection.execute(
                        sa.text("SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples >= :rows"),
                        {"rows": BIG_ROWS},
                    ).scalars()
                )
                raw = connection.connection.dbapi_connection
                for statement, parameters in statements:
                    if not statement.lstrip().upper().startswith("SELECT"):
                        continue
                    with raw.cursor() as cursor:
                        cursor.execute("EXPLAIN (ANALYZE, FORMAT TEXT) " + statement, parameters)
                        plan = "\n".join(row[0] for row in cursor.fetchall())
                    scans = sorted({t for t in re.findall(r"Seq Scan on (\w+)", plan) if t in big})
                    discarded = max((int(n) for n in re.findall(r"Rows Removed by Filter: (\d+)", plan)), default=0)
                    took = re.search(r"Execution Time: ([\d.]+) ms", plan)
                    plans.append(
                        {
                            "page": name,
                            "statement": " ".join(statement.split())[:300],
                            "execution_ms": float(took[1]) if took else None,
                            "big_table_scans": scans,
                            "rows_discarded": discarded,
                            "plan": plan,
                        }
                    )
        db.engine.dispose()
    return plans


def main() -> int:
    duration = int(os.environ.get("BENCH_DURATION", "10"))
    connections = [int(c) for c in os.environ.get("BENCH_CONNECTIONS", "8").split(",")]
    DATA.mkdir(parents=True, exist_ok=True)
    url = database_url("postgresql")
    app_env = {
        "LMS_DATABASE_URL": url,
        "LMS_SECRET_KEY": secrets.token_hex(32),
        "LMS_RATELIMIT_ENABLED": "false",
        "LMS_ENV": "production",
        "LMS_BASE_URL": "http://127.0.0.1",
    }
    runs, counts = {}, {}
    for label, sizes in SIZES.items():
        log(f"building the {label} data set: {sizes}")
        dataset = build(url, app_env, sizes)
        counts[label] = dataset["counts"]
        log(f"{label}: {dataset['counts']}")
        runs[label] = measure_pages(app_env, dataset, duration, connections)
    plans = explain(app_env, dataset)  # the big data set is the one left in the database

    def p99(label: str, name: str) -> float:
        return max(run["p99_ms"] for run in runs[label][name]["runs"])

    def rps(name: str) -> float:
        return min(run["rps"] for run in runs["big"][name]["runs"])

    checks = [
        {
            "target": f"step page p99 on the big data set within {P99_LIMIT}x of the nearly empty one",
            "value": round(p99("big", "step_page") / p99("nearly_empty", "step_page"), 2),
        }
    ]
    checks[0]["pass"] = checks[0]["value"] <= P99_LIMIT
    if "long_thread_last" in runs["big"]:
        value = round(rps("long_thread_last") / rps("long_thread_first"), 2)
        checks.append(
            {
                "target": f"a long thread's last page at least {LAST_PAGE_AT_LEAST}x the first page's req/s",
                "value": value,
                "pass": value >= LAST_PAGE_AT_LEAST,
            }
        )
    scans = [p for p in plans if p["big_table_scans"] or p["rows_discarded"] >= BIG_ROWS]
    checks.append(
        {
            "target": f"no statement of these pages scans a whole big table or reads {BIG_ROWS:,} rows "
            "to throw them away (EXPLAIN ANALYZE)",
            "value": len(scans),
            "pass": not scans,
        }
    )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = BENCH / "results" / f"{stamp}-scale.json"
    out.write_text(
        json.dumps({"when": stamp, "counts": counts, "runs": runs, "checks": checks, "plans": plans}, indent=2)
    )
    print()
    for label, result in runs.items():
        for name, measured in result.items():
            for run in measured["runs"]:
                print(
                    f"{label:13} {name:18} c={run['connections']:<3} {run['rps']:8.1f} req/s  "
                    f"p50 {run['p50_ms']} ms  p99 {run['p99_ms']} ms  errors {run['errors']}"
                )
    slowest = max(plans, key=lambda p: p["execution_ms"] or 0, default=None)
    if slowest:
        print(
            f"\n{len(plans)} statements explained; slowest {slowest['execution_ms']} ms: {slowest['statement'][:120]}"
        )
    for check in checks:
        print(f"{'PASS' if check['pass'] else 'MISS'}  {check['target']}  ({check['value']})")
    print(f"\nwritten to {out.relative_to(BENCH.parent)}")
    return 0 if all(c["pass"] for c in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
