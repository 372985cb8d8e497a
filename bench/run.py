"""`make bench`: lms under load beside a bare Flask page, a naive Flask + SQLAlchemy page and Isso.

Builds the data set (bench/build_data.py), then runs the scenarios BENCH_SCENARIOS names
(default all, in this order):

- pages  (bench/pages.py): single pages under wrk, lms beside its peers;
- cohort (bench/cohort.py): 200 learners signing in and working through the course, beside
  the bare page, measured with the same client;
- writes (bench/writes.py, PostgreSQL only): 32 people posting at once against 2 and then 8
  workers, with the lock waits PostgreSQL saw.

Prints each scenario's table and the targets (PASS/MISS), and writes them all to
bench/results/<timestamp>-<database>.json. bench/README.md has every option.
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import cohort, pages, writes  # noqa: E402
from bench.common import BENCH, DATA, ISSO_BIN, ROOT, VENV_BIN, WORKERS, database_url, log  # noqa: E402

SCENARIOS = ("pages", "cohort", "writes")
MEMORY_LIMIT_MB = 120


def options() -> dict:
    chosen = os.environ.get("BENCH_SCENARIOS", "all").replace(" ", "")
    scenarios = list(SCENARIOS) if chosen in ("", "all") else chosen.split(",")
    unknown = sorted(set(scenarios) - set(SCENARIOS))
    if unknown:
        raise SystemExit(f"BENCH_SCENARIOS: unknown {', '.join(unknown)} (choose from {', '.join(SCENARIOS)})")
    kind = os.environ.get("BENCH_DB", "sqlite")
    if kind not in ("sqlite", "postgresql"):
        raise SystemExit("BENCH_DB is sqlite or postgresql")
    return {
        "database": kind,
        "scenarios": [s for s in SCENARIOS if s in scenarios],
        "duration": int(os.environ.get("BENCH_DURATION", "10")),
        "connections": [int(c) for c in os.environ.get("BENCH_CONNECTIONS", "8,64").split(",")],
        "cohort_connections": int(os.environ.get("BENCH_COHORT_CONNECTIONS", "8")),
        "client_processes": int(os.environ.get("BENCH_CLIENT_PROCESSES", "2")),
        "warmup": float(os.environ.get("BENCH_WARMUP", "1")),
    }


def tools_for(scenarios: list[str]) -> bool:
    if "pages" not in scenarios:
        return True
    if not shutil.which("wrk"):
        print("wrk is needed for the pages scenario: apt-get install wrk (Debian)", file=sys.stderr)
        return False
    if not (ISSO_BIN / "isso").exists():
        log("installing Isso into bench/.isso-venv")
        subprocess.run([sys.executable, "-m", "venv", str(BENCH / ".isso-venv")], check=True)
        subprocess.run([str(ISSO_BIN / "pip"), "install", "--quiet", "isso", "gunicorn"], check=True)
    return True


def build(kind: str, app_env: dict) -> dict:
    if os.environ.get("BENCH_SKIP_BUILD") != "1":
        log(f"building the data set on {kind}")
        subprocess.run(
            [str(VENV_BIN / "python"), str(BENCH / "build_data.py")],
            env={**os.environ, **app_env},
            check=True,
            stdout=subprocess.DEVNULL,
        )
    else:
        log(
            "BENCH_SKIP_BUILD=1: the data set keeps what earlier runs wrote (comments, likes, the working "
            "learners' progress); compare only runs on a freshly built one"
        )
    dataset = json.loads((DATA / "dataset.json").read_text())
    if dataset["database"] != kind:
        raise SystemExit(f"bench/data holds a {dataset['database']} data set: build without BENCH_SKIP_BUILD")
    log(f"data: {dataset['counts']}")
    return dataset


def run_scenario(name: str, opts: dict, app_env: dict, dataset: dict) -> dict | None:
    if name == "pages":
        return pages.run(app_env, dataset, opts["duration"], opts["connections"])
    if name == "cohort":
        return cohort.run(
            opts["database"],
            app_env,
            dataset,
            opts["duration"],
            opts["cohort_connections"],
            opts["client_processes"],
            opts["warmup"],
        )
    if opts["database"] == "postgresql":
        return writes.run(app_env, dataset, opts["duration"], opts["client_processes"], opts["warmup"])
    log("writes: PostgreSQL only (BENCH_DB=postgresql); skipped")
    return None


def run_scenarios(opts: dict, app_env: dict, dataset: dict) -> tuple[dict, dict]:
    """Every chosen scenario; one that fails is reported and the others still run."""
    found, failed = {}, {}
    for name in opts["scenarios"]:
        log(f"scenario {name}")
        try:
            result = run_scenario(name, opts, app_env, dataset)
        except Exception as error:
            traceback.print_exc()
            failed[name] = f"{type(error).__name__}: {error}"
            continue
        if result is not None:
            found[name] = result
    return found, failed


def memory_target(found: dict) -> list[dict]:
    """The lms workers' largest resident memory under load, over every lms server measured."""
    measured = {**found.get("pages", {}).get("memory", {}), **found.get("cohort", {}).get("memory", {})}
    for n, r in enumerate(found.get("writes", {}).get("runs", [])):
        measured[f"lms_writes_{n}_{r['workers']}"] = r["memory"]
    peak = max((m["rss_under_load_mb"] for name, m in measured.items() if name.startswith("lms")), default=0.0)
    if not peak:
        return []
    return [
        {
            "target": f"lms worker RSS under load < {MEMORY_LIMIT_MB} MB",
            "scenario": "all",
            "reference": None,
            "at_least": None,
            "ratios": {"MB": peak},
            "pass": peak < MEMORY_LIMIT_MB,
            "detail": f"{peak} MB",
        }
    ]


def report(found: dict) -> tuple[str, list[dict]]:
    tables = [
        module.table(found[name]["results"], found[name]["memory"]) if name == "pages" else module.table(found[name])
        for name, module in (("pages", pages), ("cohort", cohort), ("writes", writes))
        if name in found
    ]
    targets = [t for name in SCENARIOS if name in found for t in found[name]["targets"]] + memory_target(found)
    lines = [f"{'PASS' if t['pass'] else 'MISS'}  {t['target']}  ({t['detail']})" for t in targets]
    return "\n\n".join([*tables, "\n".join(lines)]), targets


def save(opts: dict, dataset: dict, found: dict, targets: list[dict]) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = BENCH / "results" / f"{stamp}-{opts['database']}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "when": stamp,
                "database": opts["database"],
                "options": opts,
                "duration_s": opts["duration"],
                "connections": opts["connections"],
                "workers": WORKERS,
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                },
                "dataset": {k: dataset[k] for k in ("sizes", "counts")},
                "scenarios": found,
                "targets": targets,
                # as before the scenarios: the pages' table and memory at the top level
                "results": found.get("pages", {}).get("results"),
                "peak_rss_mb": found.get("pages", {}).get("memory"),
            },
            indent=2,
            default=str,
        )
        + "\n"
    )
    return out


def main() -> int:
    opts = options()
    if not tools_for(opts["scenarios"]):
        return 2
    DATA.mkdir(parents=True, exist_ok=True)
    app_env = {
        "LMS_DATABASE_URL": database_url(opts["database"]),
        "LMS_SECRET_KEY": secrets.token_hex(32),
        "LMS_RATELIMIT_ENABLED": "false",
        "LMS_ENV": "production",
        "LMS_BASE_URL": "http://127.0.0.1",
    }
    dataset = build(opts["database"], app_env)
    found, failed = run_scenarios(opts, app_env, dataset)
    text, targets = report(found)
    print("\n" + text)
    for name, error in failed.items():
        print(f"FAILED  scenario {name}: {error}")
    out = save(opts, dataset, {**found, **{name: {"failed": error} for name, error in failed.items()}}, targets)
    log(f"wrote {out.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
