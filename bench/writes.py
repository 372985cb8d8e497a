"""The `writes` scenario (PostgreSQL only): 32 people posting at once, each on their own step.

32 working learners (bench/build_data.py) sign in through the sign-in form, each opens a
different step and reads its comment form (CSRF token, submission key), then posts comments
through it as fast as the server answers, each post with a new submission key as a freshly
served form would carry; the redirect after a post is not followed, so every request is a
post. The same people post against gunicorn with 2, 8, 8 and 2 sync workers (either way
round, so the machine's drifting load falls on both alike; the cookies stay good: the servers
share the database and the secret key). While they post, every 100 ms, pg_stat_activity
and pg_locks say which backends wait for a lock, on what, and who holds it.

Target: 8 workers post at least as fast as 2, and no post waits for a row lock
(`transactionid` or `tuple`): people posting on different steps share no row.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter

from bench.client import Pool, find_form, in_turn
from bench.cohort import SIGN_IN_LIMIT, measure, signing_in
from bench.common import lms_server, log

POSTERS = 32
WORKER_COUNTS = (2, 8)
ORDER = (2, 8, 8, 2)  # either way round, so that the machine's drifting load falls on both alike
ROW_LOCKS = ("transactionid", "tuple")
WAITING = """
SELECT a.wait_event, l.locktype, l.relation::regclass::text, l.mode,
       left(regexp_replace(a.query, '\\s+', ' ', 'g'), 90),
       (SELECT left(regexp_replace(b.query, '\\s+', ' ', 'g'), 90) FROM pg_stat_activity b
         WHERE b.pid = (pg_blocking_pids(a.pid))[1])
FROM pg_stat_activity a LEFT JOIN pg_locks l ON l.pid = a.pid AND NOT l.granted
WHERE a.wait_event_type = 'Lock' AND a.datname = current_database() AND a.pid <> pg_backend_pid()
"""


# --- what a poster does (run in the client's lanes) ----------------------------------------


def opening(lane, people) -> None:
    in_turn(lane, people, _open)


def posting(lane, people) -> None:
    in_turn(lane, people, _post)


def _open(lane, person) -> bool:
    if person.state.get("signed_in"):
        page = person.browser.get(lane, person.spec["step"], "open_step")
        person.state["form"] = find_form(page.text, lambda f: f.get("action", "").endswith("/comments"))
    return False


def _post(lane, person) -> bool:
    if not person.state.get("form"):
        return False
    action, fields = person.state["form"]
    person.state["n"] = n = person.state.get("n", 0) + 1
    body = f"Comment {n} from {person.spec['email']}: what this step made me think about my own team."
    person.browser.post(lane, action, {**fields, "submission": uuid.uuid4().hex, "body": body}, "post", follow=False)
    return True


# --- lock waits ------------------------------------------------------------------------------


class LockSampler:
    """Every 100 ms: the backends waiting for a lock, what lock, and the query holding it."""

    def __init__(self, url: str):
        self.url = url.replace("postgresql+psycopg://", "postgresql://")
        self.samples = self.samples_waiting = self.waits = self.most = 0
        self.seen: Counter = Counter()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.done.set()
        self.thread.join()

    def _run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as connection:
            while not self.done.wait(0.1):
                rows = connection.execute(WAITING).fetchall()
                self.samples += 1
                self.samples_waiting += bool(rows)
                self.waits += len(rows)
                self.most = max(self.most, len(rows))
                for event, locktype, relation, mode, query, holder in rows:
                    self.seen[(locktype or event, relation, mode, query, holder)] += 1

    def result(self) -> dict:
        kinds = [
            {
                "locktype": k[0],
                "relation": k[1],
                "mode": k[2],
                "waiting_query": k[3],
                "holding_query": k[4],
                "samples": n,
            }
            for k, n in self.seen.most_common(10)
        ]
        row_waits = sum(n for k, n in self.seen.items() if k[0] in ROW_LOCKS)
        return {
            "samples": self.samples,
            "samples_with_waits": self.samples_waiting,
            "backend_waits": self.waits,
            "most_waiting_at_once": self.most,
            "row_lock_waits": row_waits,
            "kinds": kinds,
        }


# --- the scenario ------------------------------------------------------------------------------


def run(app_env: dict, dataset: dict, duration: int, processes: int, warmup: float = 1.0) -> dict:
    steps, learners = dataset["steps"], dataset["working_learners"][:POSTERS]
    specs = [
        {"number": n, "email": email, "password": dataset["password"], "steps": steps, "step": steps[n % len(steps)]}
        for n, email in enumerate(learners)
    ]
    pool = Pool(specs, len(specs), processes)
    runs = []
    try:
        for workers in ORDER:
            runs.append(_run(pool, app_env, workers, duration, warmup, first=not runs))
    finally:
        pool.close()
    rates = {workers: _combined([r for r in runs if r["workers"] == workers]) for workers in WORKER_COUNTS}
    return {
        "settings": {"posters": len(specs), "order": list(ORDER), "warmup_s": warmup},
        "runs": runs,
        "rates": rates,
        "targets": targets(rates),
    }


def _run(pool: Pool, app_env: dict, workers: int, duration: int, warmup: float, first: bool) -> dict:
    server = lms_server(f"lms_writes_{workers}", app_env, workers=workers)
    try:
        if first:
            pool.run(signing_in, server.port, SIGN_IN_LIMIT)
            pool.run(opening, server.port, SIGN_IN_LIMIT)
        pool.run(posting, server.port, warmup)
        with LockSampler(app_env["LMS_DATABASE_URL"]) as sampler:
            phase = measure(pool, server, f"posts w={workers}", posting, duration)
        return _summary(workers, phase, sampler.result(), server.memory())
    finally:
        server.stop()


def _summary(workers: int, phase: dict, locks: dict, memory: dict) -> dict:
    post = phase["kinds"].get("post", {"statuses": {}, "p50_ms": None, "p99_ms": None})
    posted = post["statuses"].get(302, 0)
    log(
        f"  posted {posted}, lock waits seen in {locks['samples_with_waits']} of {locks['samples']} samples "
        f"(row locks: {locks['row_lock_waits']})"
    )
    return {
        "workers": workers,
        "posts": posted,
        "seconds": phase["seconds"],
        "posts_per_s": round(posted / phase["seconds"], 1),
        "p50_ms": post["p50_ms"],
        "p99_ms": post["p99_ms"],
        "errors": phase["errors"],
        "worker_cpu_ms": phase["worker_cpu_ms"],
        "database_cpu_ms": phase["database_cpu_ms"],
        "locks": locks,
        "memory": memory,
        "phase": phase,
    }


def _combined(runs: list[dict]) -> dict:
    posts, seconds = sum(r["posts"] for r in runs), sum(r["seconds"] for r in runs)
    return {
        "posts": posts,
        "seconds": round(seconds, 2),
        "posts_per_s": round(posts / seconds, 1) if seconds else 0.0,
        "row_lock_waits": sum(r["locks"]["row_lock_waits"] for r in runs),
        "samples_with_waits": sum(r["locks"]["samples_with_waits"] for r in runs),
    }


def targets(rates: dict) -> list[dict]:
    few, many = (rates[w] for w in WORKER_COUNTS)
    row_waits = sum(r["row_lock_waits"] for r in rates.values())
    ratio = round(many["posts_per_s"] / few["posts_per_s"], 2) if few["posts_per_s"] else 0.0
    return [
        {
            "target": f"posting with {WORKER_COUNTS[1]} workers >= with {WORKER_COUNTS[0]}, no row lock waits",
            "scenario": "writes",
            "reference": None,
            "at_least": 1.0,
            "ratios": {"rate": ratio},
            "pass": ratio >= 1.0 and row_waits == 0,
            "detail": f"{many['posts_per_s']} / {few['posts_per_s']} posts/s = {ratio:.2f}x; "
            f"row lock waits sampled: {row_waits}",
        }
    ]


def table(result: dict) -> str:
    lines = [
        f"writes: {result['settings']['posters']} posters, each on their own step; workers in the order "
        f"{', '.join(map(str, result['settings']['order']))}",
        f"{'workers':>7} {'posts':>6} {'posts/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'CPU ms/post':>11} "
        f"{'PostgreSQL':>10} {'errors':>6} {'samples waiting':>15} {'row lock waits':>14}",
    ]
    for r in result["runs"]:
        locks = r["locks"]
        lines.append(
            f"{r['workers']:>7} {r['posts']:>6} {r['posts_per_s']:>8} {r['p50_ms']!s:>7} {r['p99_ms']!s:>7} "
            f"{r['worker_cpu_ms']:>11} {r['database_cpu_ms']!s:>10} {r['errors']:>6} "
            f"{locks['samples_with_waits']:>7}/{locks['samples']:<7} {locks['row_lock_waits']:>14}"
        )
        for kind in locks["kinds"][:5]:
            lines.append(
                f"        waits on {kind['locktype']} {kind['relation'] or ''} ({kind['samples']} samples): "
                f"{kind['waiting_query']!r} held by {kind['holding_query']!r}"
            )
    lines += [
        f"{workers:>7} workers in all: {r['posts']} posts in {r['seconds']} s, {r['posts_per_s']} posts/s"
        for workers, r in result["rates"].items()
    ]
    return "\n".join(lines)
