"""The `cohort` scenario: the working learners (200) going through the course, beside the bare page.

Each working learner (bench/build_data.py) signs in through the sign-in form, then works
through the course from their own starting step: opens the step, reloads it 1 time in 5,
posts a comment (1 in 10) or likes one (1 in 10) through the page's forms, marks the step
complete and moves on to the next. Every form is read off the page it is on (CSRF token,
submission key, the like buttons' URLs); every POST's redirect is followed with a GET.

Phases, each measured on its own (requests, requests per second, the gunicorn workers' CPU
time per request, p50/p99 by kind of request): the bare 8 KB page (`bench.references:bare`)
with the same client and connections; the sign-ins; the working mix; first looks only (each
learner opening steps they have not opened yet: nothing to revalidate, the visit written);
the bare page again (the reference is the mean of the two bare runs).
"""

from __future__ import annotations

import random
from contextlib import nullcontext

from bench.client import Browser, Pool, find_form, in_turn, local_path
from bench.common import (
    VENV_BIN,
    Server,
    cpu_seconds,
    database_cpu,
    free_port,
    gunicorn,
    lms_server,
    log,
    sampling_memory,
)

RELOAD, POST, LIKE = 1 / 5, 1 / 10, 1 / 10
SIGN_IN_LIMIT = 300  # seconds: the sign-ins are not cut short by BENCH_DURATION, but are bounded
TARGETS = {  # database: (mix, first look) at least this many times the bare page's requests per second
    "sqlite": (0.5, 0.6),
    "postgresql": (0.4, 0.45),
}
KINDS = (
    "login_page",
    "sign_in",
    "after_sign_in",
    "first_look",
    "revisit",
    "reload",
    "post",
    "after_post",
    "like",
    "after_like",
    "complete",
    "after_complete",
)  # the order of the report's rows
WORDS = "compassion listening team ward shift care time support trust voice kindness morale".split()


# --- what a learner does (run in the client's lanes) ---------------------------------------


def signing_in(lane, people) -> None:
    in_turn(lane, people, _sign_in)


def working(lane, people) -> None:
    in_turn(lane, people, _visit)


def first_looks(lane, people) -> None:
    in_turn(lane, people, _first_look)


def bare_page(lane, people) -> None:
    browser = Browser()
    while True:
        browser.get(lane, "/", "bare")


def _sign_in(lane, person) -> bool:
    state = person.state
    state.setdefault("rng", random.Random(person.spec["number"]))
    state.setdefault("at", person.spec["number"] % len(person.spec["steps"]))
    state.setdefault("seen", set())
    state["tries"] = state.get("tries", 0) + 1
    if state.get("signed_in") or state["tries"] > 3:
        return False
    browser = person.browser
    page = browser.get(lane, "/login", "login_page")
    _, fields = find_form(page.text, lambda form: form.get("method") == "post")
    fields.update(email=person.spec["email"], password=person.spec["password"])
    answer = browser.post(lane, "/login", fields, "sign_in", follow=False)
    if answer.status != 302:
        raise RuntimeError(f"sign-in refused for {person.spec['email']}: {answer.status}")
    browser.get(lane, local_path(answer.headers["location"]), "after_sign_in")
    state["signed_in"] = True
    return False


def _visit(lane, person) -> bool:
    state, browser = person.state, person.browser
    if not state.get("signed_in"):
        return False
    steps = person.spec["steps"]
    path = steps[state["at"] % len(steps)]
    state["at"] += 1
    page = browser.get(lane, path, "revisit" if path in state["seen"] else "first_look")
    state["seen"].add(path)
    if page.status not in (200, 304):
        return True
    rng = state["rng"]
    if rng.random() < RELOAD:
        page = browser.get(lane, path, "reload", reload=True)
    roll = rng.random()
    if roll < POST:
        page = _post(lane, browser, page, rng)
    elif roll < POST + LIKE:
        page = _like(lane, browser, page, rng)
    _complete(lane, browser, page)
    return True


def _post(lane, browser, page, rng):
    form = find_form(page.text, lambda f: f.get("action", "").endswith("/comments"))
    if form is None:  # a closed discussion has no comment box
        return page
    action, fields = form
    fields["body"] = f"On this step: {' '.join(rng.choice(WORDS) for _ in range(24))}."
    after = browser.post(lane, action, fields, "post")
    return after if after.status == 200 else page


def _like(lane, browser, page, rng):
    form = find_form(page.text, lambda f: f.get("id") == "lms-comment-actions")
    buttons = [a for a in _formactions(page.text) if a.endswith("/like")]
    if form is None or not buttons:
        return page
    after = browser.post(lane, rng.choice(buttons), form[1], "like")
    return after if after.status == 200 else page


def _formactions(text: str) -> list[str]:
    found, at = [], text.find('formaction="')
    while at >= 0:
        end = text.find('"', at + 12)
        found.append(text[at + 12 : end])
        at = text.find('formaction="', end)
    return found


def _complete(lane, browser, page) -> None:
    form = find_form(page.text, lambda f: f.get("action", "").endswith("/complete"))
    if form and form[1].get("complete") == "1":  # quizzes and tests complete by their answers
        browser.post(lane, form[0], form[1], "complete")


def _first_look(lane, person) -> bool:
    state, steps = person.state, person.spec["steps"]
    if not state.get("signed_in"):
        return False
    for k in range(len(steps)):
        path = steps[(state["at"] + k) % len(steps)]
        if path not in state["seen"]:
            break
    else:
        return False  # this learner has opened every step
    state["at"] += k + 1
    state["seen"].add(path)
    person.browser.get(lane, path, "first_look")
    return True


# --- the scenario ------------------------------------------------------------------------------


def measure(pool: Pool, server: Server, name: str, task, seconds: float | None, memory: bool = True) -> dict:
    """One phase, with the CPU time of the workers, the client and PostgreSQL's backends read
    before and after, and the workers' memory sampled (not while people sign in: Argon2
    holds 64 MiB for a moment, which the workers' high-water mark reports)."""
    workers, client, database = server.worker_cpu(), cpu_seconds(pool.pids()), database_cpu(server.database_url)
    with sampling_memory(server) if memory else nullcontext():
        phase = pool.run(task, server.port, seconds)
    workers, client = server.worker_cpu() - workers, cpu_seconds(pool.pids()) - client
    database = sum(now - database.get(pid, 0.0) for pid, now in database_cpu(server.database_url).items())
    served = max(1, phase["requests"])
    phase.update(
        worker_cpu_s=round(workers, 2),
        worker_cpu_ms=round(workers / served * 1000, 2),
        client_cpu_ms=round(client / served * 1000, 2),
        database_cpu_ms=round(database / served * 1000, 2) if server.database_url else None,
    )
    log(
        f"{name:16} {phase['requests']:6} requests in {phase['seconds']:5.1f} s  {phase['rps']:7.1f} req/s  "
        f"worker CPU {phase['worker_cpu_ms']:6.2f} ms/req  errors {phase['errors']}"
    )
    return phase


def run(
    kind: str, app_env: dict, dataset: dict, duration: int, connections: int, processes: int, warmup: float = 1.0
) -> dict:
    steps = dataset["steps"]
    specs = [
        {"number": n, "email": email, "password": dataset["password"], "steps": steps}
        for n, email in enumerate(dataset["working_learners"])
    ]
    pool = Pool(specs, connections, processes)
    port = free_port()
    bare = Server("cohort_bare", gunicorn(VENV_BIN, "bench.references:bare()", port), {}, port)
    phases, memory = {}, {}
    try:
        pool.run(bare_page, bare.port, warmup)
        phases["bare_flask"] = measure(pool, bare, "bare_flask", bare_page, duration)
        memory["lms_cohort"] = _lms_phases(pool, app_env, duration, warmup, phases)
        # the bare page again: the machine's other load drifts, so the reference is the mean
        phases["bare_flask_after"] = measure(pool, bare, "bare_flask_after", bare_page, duration)
    finally:
        bare.stop()
        pool.close()
    settings = {
        "learners": len(specs),
        "connections": connections,
        "client_processes": processes,
        "warmup_s": warmup,
        "reload": RELOAD,
        "post": POST,
        "like": LIKE,
    }
    reference = {
        key: (phases["bare_flask"][key] + phases["bare_flask_after"][key]) / 2 for key in ("rps", "worker_cpu_ms")
    }
    ratios = {name: _ratio(phases[name], reference) for name in ("mix", "first_look")}
    return {
        "settings": settings,
        "phases": phases,
        "bare_reference": reference,
        "ratios": ratios,
        "memory": memory,
        "targets": targets(kind, ratios),
    }


def _lms_phases(pool: Pool, app_env: dict, duration: int, warmup: float, phases: dict) -> dict:
    """Sign everyone in, warm up, then the mix and the first looks; returns the workers' memory."""
    lms = lms_server("lms_cohort", app_env)
    try:
        phases["sign_in"] = measure(pool, lms, "sign_in", signing_in, SIGN_IN_LIMIT, memory=False)
        pool.run(working, lms.port, warmup)
        phases["mix"] = measure(pool, lms, "mix", working, duration)
        phases["first_look"] = measure(pool, lms, "first_look", first_looks, duration)
        return lms.memory()
    finally:
        lms.stop()


def _ratio(phase: dict, bare: dict) -> dict:
    """Requests per second against the bare page's; and the bare page's server CPU per request
    against this phase's (workers, and PostgreSQL's backends), which the client's share of the
    machine does not move."""
    server = phase["worker_cpu_ms"] + (phase["database_cpu_ms"] or 0.0)
    return {
        "rps": round(phase["rps"] / bare["rps"], 2) if bare["rps"] else 0.0,
        "cpu": round(bare["worker_cpu_ms"] / server, 2) if server else 0.0,
    }


def targets(kind: str, ratios: dict) -> list[dict]:
    mix, first = TARGETS[kind]
    found = []
    for name, label, at_least in (("mix", "cohort mix", mix), ("first_look", "first look at a step page", first)):
        value = ratios[name]
        found.append(
            {
                "target": f"{label} >= {at_least}x the bare page ({kind})",
                "scenario": f"cohort_{name}",
                "reference": "bare_flask",
                "at_least": at_least,
                "ratios": {"rps": value["rps"]},
                "pass": value["rps"] >= at_least,
                "detail": f"{value['rps']:.2f}x req/s; {value['cpu']:.2f}x by server CPU per request",
            }
        )
    return found


def table(result: dict) -> str:
    s, bare = result["settings"], result["bare_reference"]
    lines = [
        f"cohort: {s['learners']} learners, {s['connections']} connections, {s['client_processes']} client "
        f"processes; the bare page's reference is the mean of before and after: {bare['rps']:.1f} req/s, "
        f"{bare['worker_cpu_ms']:.2f} ms worker CPU per request",
        f"{'phase':16} {'requests':>8} {'seconds':>7} {'req/s':>8} {'worker CPU ms/req':>17} "
        f"{'PostgreSQL CPU ms/req':>21} {'client CPU ms/req':>17} {'errors':>6}",
    ]
    for name, p in result["phases"].items():
        database = "-" if p["database_cpu_ms"] is None else p["database_cpu_ms"]
        lines.append(
            f"{name:16} {p['requests']:>8} {p['seconds']:>7} {p['rps']:>8} {p['worker_cpu_ms']:>17} "
            f"{database:>21} {p['client_cpu_ms']:>17} {p['errors']:>6}"
        )
    lines += [
        "",
        f"{'phase':16} {'kind of request':18} {'count':>6} {'304s':>5} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}",
    ]
    for name in ("sign_in", "mix", "first_look"):
        kinds = result["phases"][name]["kinds"]
        for kind, k in sorted(kinds.items(), key=lambda item: (KINDS + (item[0],)).index(item[0])):
            lines.append(
                f"{name:16} {kind:18} {k['count']:>6} {k['not_modified']:>5} {k['p50_ms']!s:>7} "
                f"{k['p99_ms']!s:>7} {k['errors']:>6}"
            )
    return "\n".join(lines)
