"""Load and fault test: simulated learners against the app under gunicorn, on PostgreSQL with
Redis rate-limit storage; then the same while PostgreSQL restarts.

    .venv/bin/python loadtest/run.py                 # both runs, 200 learners, 60 s each
    .venv/bin/python loadtest/run.py --no-fault      # the plain run only
    .venv/bin/python loadtest/run.py --learners 50 --seconds 20

    .venv/bin/python loadtest/run.py --fault-only --fault-runs 3   # the restart run, three times

Each learner signs in (from an address of its own, forwarded as a proxy would), then browses
the to-do list and steps, marks steps complete, comments, replies, likes and answers quizzes,
with a pause between actions. Every write the app acknowledged (a redirect after the POST) is
noted, and looked for in the database afterwards. A run passes when no request failed (in the
fault run: none but clean 503 pages while the database was away), every acknowledged write is
in the database, and the app served again after the restart without being restarted itself.

After the plain run, with the same server still up, three more checks (each in the report):

- resent forms: a comment form, a quiz and the final test, each sent twice and six times at
  once (the same form, the same submission key, as a double click or a browser's resend
  sends it). Each burst must create exactly one row and answer every send without an error.
- ended sign-ins: a learner's sign-in is ended elsewhere (signed out in another tab, or every
  sign-in ended as a password change or deactivation does) while a reflection is open; the
  learner saves it, signs in again, and the text must be saved or offered back to them.
- memory: 10,000 distinct long URLs (query strings of 1,500 characters, and many spellings
  of a static file's path); every worker must stay under 120 MB.

It needs nothing manual: it creates the database itself when it is missing (PostgreSQL's
CREATE DATABASE), then the tables, imports the course and makes the learners (through the
app's services). Standard library only on the client side, so nothing here patches the app's
process. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import html
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load test passphrase 2026"
DATABASE = os.environ.get("LMS_LOAD_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/lms_load")
REDIS = os.environ.get("LMS_LOAD_REDIS_URL", "redis://127.0.0.1:6379/9")
UNAVAILABLE = "Sorry, the service is unavailable"
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
MEMORY_LIMIT_MB = 120  # what the README promises for a worker
RESEND_LEARNERS = 12  # each sends one burst: 3 forms x (twice, six times) x 2
ENDED_LEARNERS = 10


def app_environment(port: int) -> dict[str, str]:
    return {
        **os.environ,
        "LMS_ENV": "production",
        "LMS_BASE_URL": "http://127.0.0.1",
        "LMS_DATABASE_URL": DATABASE,
        "LMS_SECRET_KEY": "load-test-" + "k" * 40,
        "LMS_RATELIMIT_STORAGE_URL": REDIS,
        "LMS_RATELIMIT_ENABLED": "true",
        "LMS_TRUSTED_PROXIES": "1",
    }


# -- Setting up: schema, course, learners, through the app itself ---------------------------


@dataclass(frozen=True)
class Plan:
    """What the learners act on: ids and slugs read from the database once."""

    learners: list[tuple[int, str]]  # (user id, email)
    steps: list[tuple[int, str, str]]  # (step id, url, type)
    quizzes: dict[str, dict]  # url -> form fields of a full answer sheet (quizzes and tests)
    resenders: list[tuple[int, str]] = field(default_factory=list)  # learners of the resent forms
    ended: list[tuple[int, str]] = field(default_factory=list)  # learners whose sign-in is ended


def create_database_if_missing(url: str = DATABASE) -> bool:
    """CREATE DATABASE when it does not exist yet (on the same server, through its `postgres`
    database); True when it was made."""
    import sqlalchemy as sa

    target = sa.engine.make_url(url)
    if target.get_backend_name() != "postgresql":
        return False
    engine = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            found = connection.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
            ).first()
            if found is None:
                quoted = connection.dialect.identifier_preparer.quote(target.database)
                connection.execute(sa.text(f"CREATE DATABASE {quoted}"))
        return found is None
    finally:
        engine.dispose()


def prepare(count: int) -> Plan:
    if create_database_if_missing():
        print(f"Created the database {DATABASE.rsplit('/', 1)[-1]}.", flush=True)
    sys.path.insert(0, str(ROOT))
    os.environ.update(app_environment(0))
    from flask_migrate import upgrade

    from lms import create_app
    from lms.accounts import service as accounts
    from lms.accounts.models import Role
    from lms.content import service as content
    from lms.extensions import db
    from lms.learning import service as learning

    app = create_app()
    with app.app_context():
        upgrade(revision="heads")
        content.import_content(Path(app.config["LMS_CONTENT_DIR"]))
        outline = content.get_outline()

        def learners_named(prefix: str, number: int) -> list[tuple[int, str]]:
            made = []
            for n in range(number):
                email = f"{prefix}{n:03d}@load.example.org"
                user = accounts.find_by_email(email) or accounts.create_user(
                    email=email, display_name=f"Load {prefix.title()} {n:03d}", password=PASSWORD, role=Role.LEARNER
                )
                learning.join_course(user.id, outline.course.id)
                made.append((user.id, email))
            return made

        learners = learners_named("learner", count)
        resenders, ended = learners_named("resender", RESEND_LEARNERS), learners_named("ended", ENDED_LEARNERS)
        steps, quizzes = [], {}
        for step in outline.steps:
            url = f"/steps/{step.module_slug}/{step.slug}"
            steps.append((step.id, url, step.type))
            if step.type in ("quiz", "test"):
                questions = content.get_step_settings(step.id)["questions"]
                quizzes[url] = {"step": str(step.id), **{f"question-{q['id']}": "1" for q in questions}}
        db.engine.dispose()
    return Plan(learners, steps, quizzes, resenders, ended)


def reset_rate_limits() -> None:
    import redis

    redis.Redis.from_url(REDIS).flushdb()  # our own database number: counters of earlier runs


# -- The app under gunicorn -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


SERVER_LOG = Path(os.environ.get("TMPDIR", "/tmp")) / "lms-loadtest-server.log"


def start_server(port: int, workers: int, threads: int) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "gunicorn"),  # beside this Python: the app's own virtualenv
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "60",
        "--keep-alive",
        "75",
        "--log-level",
        "warning",
        "lms:create_app()",
    ]
    log = SERVER_LOG.open("w")  # the app's own log: warnings for each 503, and any traceback
    server = subprocess.Popen(
        command, cwd=ROOT, env=app_environment(port), start_new_session=True, stdout=log, stderr=subprocess.STDOUT
    )
    for _ in range(300):  # until every worker has booted and answers
        try:
            answered = 0
            for _ in range(workers * 2):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/", headers={"X-Forwarded-Proto": "https"})
                answered += connection.getresponse().status == 200
                connection.close()
            if answered == workers * 2:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def workers_of(server: subprocess.Popen) -> set[int]:
    found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(server.pid)], capture_output=True, text=True)
    return {int(pid) for pid in found.stdout.split()}


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


# -- One simulated learner ------------------------------------------------------------------


@dataclass
class Record:
    """What every learner saw: timings, outcomes, and the writes the app acknowledged."""

    started: float = field(default_factory=time.monotonic)
    timings: list[tuple[float, str, float, str]] = field(default_factory=list)  # (at, kind, seconds, outcome)
    failures: list[str] = field(default_factory=list)
    completed: set = field(default_factory=set)  # (user id, step id)
    comments: list = field(default_factory=list)  # (user id, step id, parent id or None, text)
    likes: set = field(default_factory=set)  # (user id, comment id)
    attempts: Counter = field(default_factory=Counter)  # (user id, step id) -> acknowledged attempts
    lock: threading.Lock = field(default_factory=threading.Lock)


class Browser:
    """A learner's browser: one kept-alive connection, its cookies, its own forwarded address."""

    def __init__(self, port: int, address: str, record: Record):
        self.port, self.address, self.record = port, address, record
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(self, kind: str, method: str, path: str, form: dict | None = None, expect=(200,)):
        body = urlencode(form or {}, doseq=True) if form is not None else None
        headers = {
            "X-Forwarded-For": self.address,
            "X-Forwarded-Proto": "https",
            "Connection": "keep-alive",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if body is not None:  # as a browser sends it: CSRF over HTTPS also checks the referrer
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        began = time.monotonic()
        for retry in (True, False):
            reused = self.connection is not None
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (OSError, http.client.HTTPException) as error:
                self.connection = None
                # A kept-alive connection the server had just closed: a browser sends a GET again.
                if (
                    retry
                    and reused
                    and method == "GET"
                    and isinstance(error, (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError))
                ):
                    continue
                self._note(kind, began, "error", f"{method} {path}: {type(error).__name__} {error}")
                return None, ""
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        if response.status in expect:
            outcome = "ok"
        elif response.status == 503 and UNAVAILABLE in text and "Traceback" not in text:
            outcome = "unavailable"  # the clean page for a database that is away
        else:
            outcome = "error"
        self._note(kind, began, outcome, f"{method} {path}: {response.status} {text[:120]!r}")
        return response, text

    def _note(self, kind: str, began: float, outcome: str, detail: str) -> None:
        with self.record.lock:
            now = time.monotonic()
            self.record.timings.append((now - self.record.started, kind, now - began, outcome))
            if outcome == "error":
                self.record.failures.append(detail)


class Learner:
    POSTS_A_MINUTE = 5  # the app allows 6 comments and replies a minute per person

    def __init__(self, browser: Browser, user_id: int, email: str, plan: Plan, rng: random.Random):
        self.b, self.user_id, self.email, self.plan, self.rng = browser, user_id, email, plan, rng
        self.token = ""
        self.posted: list[float] = []

    def sign_in(self, deadline: float) -> bool:
        while time.monotonic() < deadline:
            response, page = self.b.request("sign-in page", "GET", "/login")
            if response is not None and response.status == 200 and TOKEN.search(page):
                response, _ = self.b.request(
                    "sign in",
                    "POST",
                    "/login",
                    {"email": self.email, "password": PASSWORD, "csrf_token": TOKEN.search(page)[1]},
                    expect=(302,),
                )
                if response is not None and response.status == 302:
                    self.token = TOKEN.search(page)[1]
                    return True
            time.sleep(1)
        return False

    def act(self) -> None:
        step_id, url, kind = self.rng.choice(self.plan.steps)
        roll = self.rng.random()
        if roll < 0.15:
            self.b.request("to-do list", "GET", "/todo")
        elif kind == "quiz" and roll < 0.6:
            self.answer_quiz(step_id, url)
        else:
            response, page = self.b.request("step page", "GET", url)
            if response is None or response.status != 200:
                return
            self.token = (TOKEN.search(page) or [None, self.token])[1]
            if kind == "discussion" and roll < 0.55:
                self.comment(step_id, url, page)
            elif roll < 0.65:
                self.like(page)
            elif kind in ("article", "video", "discussion", "reflection") and roll < 0.9:
                self.complete(step_id, url)

    def _may_post(self) -> bool:
        now = time.monotonic()
        self.posted = [t for t in self.posted if now - t < 60]
        return len(self.posted) < self.POSTS_A_MINUTE

    def comment(self, step_id: int, url: str, page: str) -> None:
        if not self._may_post():
            return
        text = f"Load comment {uuid.uuid4().hex}"
        replies = re.findall(r'href="/comments/(\d+)/reply', page)
        if replies and self.rng.random() < 0.4:
            parent = int(self.rng.choice(replies))
            path, kind = f"/comments/{parent}/reply", "reply"
        else:
            parent, path, kind = None, f"{url}/comments", "comment"
        self.posted.append(time.monotonic())
        form = {"body": text, "submission": uuid.uuid4().hex, "next": url, "csrf_token": self.token}
        response, _ = self.b.request(kind, "POST", path, form, expect=(302,))
        if response is not None and response.status == 302:
            with self.b.record.lock:
                self.b.record.comments.append((self.user_id, step_id, parent, text))
            self.follow(response)

    def like(self, page: str) -> None:
        likeable = re.findall(r'action="/comments/(\d+)/like"', page)
        if likeable:
            comment_id = int(self.rng.choice(likeable))
            response, _ = self.b.request(
                "like", "POST", f"/comments/{comment_id}/like", {"csrf_token": self.token}, expect=(302,)
            )
            if response is not None and response.status == 302:
                with self.b.record.lock:
                    self.b.record.likes.add((self.user_id, comment_id))

    def complete(self, step_id: int, url: str) -> None:
        response, _ = self.b.request(
            "mark complete", "POST", f"{url}/complete", {"complete": "1", "csrf_token": self.token}, expect=(302,)
        )
        if response is not None and response.status == 302:
            with self.b.record.lock:
                self.b.record.completed.add((self.user_id, step_id))
            self.follow(response)

    def answer_quiz(self, step_id: int, url: str) -> None:
        response, page = self.b.request("step page", "GET", url)
        if response is None or response.status != 200:
            return
        self.token = (TOKEN.search(page) or [None, self.token])[1]
        response, _ = self.b.request(
            "answer quiz", "POST", f"{url}/answers", {**self.plan.quizzes[url], "csrf_token": self.token}, expect=(302,)
        )
        if response is not None and response.status == 302:
            with self.b.record.lock:
                self.b.record.attempts[(self.user_id, step_id)] += 1
            self.follow(response)

    def follow(self, response) -> None:
        """A browser follows the redirect after a POST (PRG)."""
        location = response.getheader("Location", "").split("#")[0]
        if location.startswith("/"):
            self.b.request("after a post", "GET", location)


def sign_in_everyone(
    people: list[tuple[int, str]], plan: Plan, port: int, record: Record, concurrency: int = 8
) -> list[Learner]:
    """Sign every learner in before the measured window (Argon2 is slow on purpose)."""
    learners = [
        Learner(Browser(port, f"10.{n // 250}.{n % 250}.7", record), user_id, email, plan, random.Random(n))
        for n, (user_id, email) in enumerate(people)
    ]
    queue = list(learners)
    lock = threading.Lock()

    def work():
        while True:
            with lock:
                if not queue:
                    return
                learner = queue.pop()
            if not learner.sign_in(time.monotonic() + 120):
                raise SystemExit(f"{learner.email} could not sign in")

    workers = [threading.Thread(target=work) for _ in range(concurrency)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return learners


def run_learner(learner: Learner, start: float, deadline: float, think: float) -> None:
    time.sleep(learner.rng.uniform(0, think))  # arrive spread out, not all at once
    while time.monotonic() < deadline:
        learner.act()
        time.sleep(learner.rng.uniform(0.5, 1.5) * think)


# -- Resent forms, ended sign-ins and memory: after the plain run, on the same server --------


class FormFields(HTMLParser):
    """The hidden inputs of the page's form that posts to `action`."""

    def __init__(self, action: str):
        super().__init__(convert_charrefs=True)
        self.action, self.inside, self.found, self.fields = action, False, False, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = (attrs.get("action") or "").split("#")[0] == self.action
            self.found |= self.inside
        elif self.inside and tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def form_fields(page: str, action: str) -> dict | None:
    parser = FormFields(action)
    parser.feed(page)
    return parser.fields if parser.found else None


def comment_ids(most: int = 200) -> list[int]:
    import sqlalchemy as sa

    engine = sa.create_engine(DATABASE)
    try:
        with engine.connect() as connection:
            query = "SELECT id FROM comments WHERE deleted_at IS NULL ORDER BY id DESC LIMIT :n"
            return list(connection.execute(sa.text(query), {"n": most}).scalars())
    finally:
        engine.dispose()


def count_rows(sql: str, **params) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(DATABASE)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text(sql), params).scalar_one()
    finally:
        engine.dispose()


def burst(browser: Browser, kind: str, path: str, form: dict, times: int) -> list[int]:
    """The same form sent `times` times at once, each on a connection of its own, with the
    learner's cookies: a double click, or a browser sending it again."""
    barrier = threading.Barrier(times)
    statuses: list[int] = []

    def send():
        tab = Browser(browser.port, browser.address, browser.record)
        tab.cookies = dict(browser.cookies)
        barrier.wait()
        response, _ = tab.request(kind, "POST", path, form, expect=(302,))
        with browser.record.lock:
            statuses.append(response.status if response is not None else 0)

    threads = [threading.Thread(target=send) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return sorted(statuses)


def resent_forms(learners: list[Learner], plan: Plan) -> dict:
    """Each form twice and six times at once: one row per burst, every send answered."""
    discussion = next((s for s in plan.steps if s[2] == "discussion"), None)
    quiz = next((s for s in plan.steps if s[2] == "quiz"), None)
    test = next((s for s in plan.steps if s[2] == "test"), None)
    forms = [("comment", discussion), ("quiz", quiz), ("final test", test)]
    results: dict = {
        name: {"bursts": 0, "sends": 0, "statuses": Counter(), "rows_created": [], "errors": 0} for name, _ in forms
    }
    jobs = [(name, step, times) for times in (2, 6) for name, step in forms if step is not None] * 2
    clear_attempts([learner.user_id for learner in learners])
    spare = iter(learners)
    for name, step, times in jobs:
        learner, page = _learner_with_a_form(spare, step[1], name)
        if learner is None:
            results[name]["errors"] += 1  # no learner left who could open the form
            continue
        step_id, url, _ = step
        if name == "comment":
            fields = form_fields(page, f"{url}/comments")
            text = f"Load resent comment {uuid.uuid4().hex}"
            form, path = {**(fields or {}), "body": text}, f"{url}/comments"
            count = lambda text=text: count_rows("SELECT count(*) FROM comments WHERE body_md = :t", t=text)  # noqa: E731
        else:
            fields = form_fields(page, f"{url}/answers")
            form, path = {**(fields or {}), **plan.quizzes[url]}, f"{url}/answers"
            count = lambda user=learner.user_id, step=step_id: count_rows(  # noqa: E731
                "SELECT count(*) FROM quiz_attempts WHERE user_id = :u AND step_id = :s", u=user, s=step
            )
        if fields is None:
            results[name]["errors"] += 1  # the form was not on the page
            continue
        before = count()
        statuses = burst(learner.b, f"resend: {name}", path, form, times)
        created = count() - before
        entry = results[name]
        entry["bursts"] += 1
        entry["sends"] += times
        entry["statuses"].update(str(code) for code in statuses)
        entry["rows_created"].append(created)
        entry["errors"] += sum(1 for code in statuses if code >= 500 or code == 0)
    report = {}
    for name, entry in results.items():
        created = entry["rows_created"]
        report[name] = {
            "bursts": entry["bursts"],
            "sends": entry["sends"],
            "responses": dict(sorted(entry["statuses"].items())),
            "rows_created_per_burst": created,
            "duplicate_rows": sum(max(0, n - 1) for n in created),
            "lost_submissions": sum(1 for n in created if n == 0),
            "errors": entry["errors"],
            # A resend is answered as the first send was: the redirect after the POST.
            "not_answered_as_the_first": sum(v for k, v in entry["statuses"].items() if k != "302"),
        }
        report[name]["passed"] = bool(created) and not (
            report[name]["duplicate_rows"]
            or report[name]["lost_submissions"]
            or report[name]["errors"]
            or report[name]["not_answered_as_the_first"]
        )
    return report


def clear_attempts(user_ids: list[int]) -> None:
    """The resending learners start with no attempts: the database outlives a run, and a test's
    attempts used up by an earlier run would leave no form to send."""
    import sqlalchemy as sa

    engine = sa.create_engine(DATABASE)
    try:
        with engine.begin() as connection:
            table = sa.table("quiz_attempts", sa.column("user_id"))
            connection.execute(sa.delete(table).where(table.c.user_id.in_(user_ids)))
    finally:
        engine.dispose()


def _learner_with_a_form(learners, url: str, name: str):
    """The next learner whose page at url shows the form (a test's attempts may be used up by
    the load run: such a learner has no form to resend), with the page."""
    action = f"{url}/comments" if name == "comment" else f"{url}/answers"
    for learner in learners:
        response, page = learner.b.request("resend: open the form", "GET", url)
        if response is not None and response.status == 200 and form_fields(page, action) is not None:
            return learner, page
    return None, None


def end_sign_in(learner: Learner, how: str) -> bool:
    """End the learner's sign-in from elsewhere: signed out in another tab (the same cookie),
    or every sign-in of theirs ended, as a password change or deactivation does."""
    if how == "signed out in another tab":
        tab = Browser(learner.b.port, learner.b.address, learner.b.record)
        tab.cookies = dict(learner.b.cookies)
        response, page = tab.request("ended sign-in: other tab", "GET", "/todo")
        token = TOKEN.search(page or "")
        if response is None or token is None:
            return False
        response, _ = tab.request("ended sign-in: sign out", "POST", "/logout", {"csrf_token": token[1]}, expect=(302,))
        return response is not None and response.status == 302
    import sqlalchemy as sa

    engine = sa.create_engine(DATABASE)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM user_sessions WHERE user_id = :u"), {"u": learner.user_id})
        return True
    finally:
        engine.dispose()


def ended_sign_ins(learners: list[Learner], plan: Plan) -> dict:
    """A reflection is saved after the sign-in ended elsewhere; after signing in again, the
    text must be saved or offered back. Lost: neither."""
    reflection_steps = [s for s in plan.steps if s[2] == "reflection"]
    outcomes: list[dict] = []
    for n, learner in enumerate(learners):
        step_id, url, _ = reflection_steps[n % len(reflection_steps)]
        how = ("signed out in another tab", "every sign-in ended")[n % 2]
        outcome = {"how": how, "errors": []}
        outcomes.append(outcome)
        response, page = learner.b.request("ended sign-in: open", "GET", url)
        fields = form_fields(page or "", f"{url}/reflection")
        if response is None or response.status != 200 or fields is None:
            outcome["errors"].append("the reflection form was not on the page")
            continue
        if not end_sign_in(learner, how):
            outcome["errors"].append("could not end the sign-in")
            continue
        text = f"Load reflection {uuid.uuid4().hex}"
        response, page = learner.b.request(
            "ended sign-in: save", "POST", f"{url}/reflection", {**fields, "body": text}, expect=(200, 302, 303, 401)
        )
        if response is None or response.status >= 500:
            outcome["errors"].append(f"save answered {response.status if response else 'nothing'}")
            continue
        outcome["save_answered"] = response.status
        seen = []  # the pages after signing in again: where the text must come back
        location = response.getheader("Location", "") if response.status in (302, 303) else ""
        if location.split("?")[0].endswith("/login"):
            path = location.split("://", 1)[-1].split("/", 1)[-1] if "://" in location else location.lstrip("/")
            response, login_page = learner.b.request("ended sign-in: sign-in page", "GET", "/" + path)
            token = TOKEN.search(login_page or "")
            form_action = "/" + path
            if response is None or token is None:
                outcome["errors"].append("no sign-in page")
                continue
            response, page = learner.b.request(
                "ended sign-in: sign in again",
                "POST",
                form_action,
                {"email": learner.email, "password": PASSWORD, "csrf_token": token[1]},
                expect=(302,),
            )
            if response is None or response.status != 302:
                outcome["errors"].append(f"signing in again answered {response.status if response else 'nothing'}")
                continue
            after = response.getheader("Location", "/").split("#")[0]
            response, page = learner.b.request("ended sign-in: back", "GET", after, expect=(200,))
            outcome["after_signing_in"] = f"{after.split('?')[0]}: {response.status if response else 'nothing'}"
            if response is None or response.status != 200:
                outcome["errors"].append(
                    f"the page after signing in answered {response.status if response else 'nothing'}"
                )
            seen.append(page)
        response, page = learner.b.request("ended sign-in: the step again", "GET", url)
        seen.append(page)
        offered = any(text in html.unescape(p or "") for p in seen)
        saved = count_rows(
            "SELECT count(*) FROM reflections WHERE user_id = :u AND step_id = :s AND body_md LIKE :t",
            u=learner.user_id,
            s=step_id,
            t=f"%{text}%",
        )
        outcome["kept"] = "saved" if saved else "offered back" if offered else "lost"
    lost = sum(1 for o in outcomes if o.get("kept") == "lost")
    errors = sum(len(o["errors"]) for o in outcomes)
    return {
        "learners": len(outcomes),
        "kept": dict(Counter(o.get("kept", "not tried") for o in outcomes)),
        "lost_submissions": lost,
        "errors": errors,
        "first_errors": [e for o in outcomes for e in o["errors"]][:10],
        "answers": dict(
            Counter(f"{o['how']}: save {o.get('save_answered')}, {o.get('after_signing_in', '-')}" for o in outcomes)
        ),
        "passed": bool(outcomes) and lost == 0 and errors == 0,
    }


def worker_memory_mb(server: subprocess.Popen) -> dict[int, float]:
    """Each worker's resident memory (VmRSS), in MB."""
    sizes = {}
    for pid in workers_of(server):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        if found:
            sizes[pid] = round(int(found[1]) / 1024, 1)
    return sizes


def distinct_urls(learners: list[Learner], plan: Plan, server: subprocess.Popen, count: int) -> dict:
    """`count` URLs never asked for before, through pages that keep parts of themselves: long
    query strings of no meaning to the app, and many spellings of a static file's path."""
    comments = comment_ids()
    people = [user_id for user_id, _ in plan.learners[:50]]
    pages = [url for _, url, kind in plan.steps if kind in ("discussion", "article", "reflection")]
    before = worker_memory_mb(server)
    record = Record()
    rng = random.Random(24)

    def junk() -> str:
        return f"ref={rng.getrandbits(6000):01500x}"[:1504]

    def url(n: int) -> str:
        kind = n % 6
        if kind == 0:
            return f"{rng.choice(pages)}?sort={rng.choice(('newest', 'oldest', 'liked'))}&{junk()}"
        if kind == 1 and comments:
            return f"/comments/{rng.choice(comments)}?{junk()}"
        if kind == 2:
            return f"/people/{rng.choice(people)}?{junk()}"
        if kind == 3:
            return f"/todo?{junk()}"
        if kind == 4:
            return "/static/" + "./" * rng.randint(1, 700) + f"css/app.css?{junk()}"
        return f"{rng.choice(pages)}?{junk()}"

    urls = [url(n) for n in range(count)]
    queue, lock = list(enumerate(urls)), threading.Lock()
    askers = learners[:8]
    for learner in askers:
        learner.b.record = record

    def work(learner: Learner):
        while True:
            with lock:
                if not queue:
                    return
                _, path = queue.pop()
            learner.b.request("distinct URL", "GET", path)

    began = time.monotonic()
    threads = [threading.Thread(target=work, args=(learner,)) for learner in askers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    after = worker_memory_mb(server)
    outcomes = Counter(outcome for *_, outcome in record.timings)
    highest = max(after.values(), default=0.0)
    return {
        "urls": len(set(urls)),
        "seconds": round(time.monotonic() - began, 1),
        "ok": outcomes["ok"],
        "errors": outcomes["error"],
        "first_errors": record.failures[:5],
        "worker_rss_mb_before": sorted(before.values()),
        "worker_rss_mb_after": sorted(after.values()),
        "highest_worker_rss_mb": highest,
        "limit_mb": MEMORY_LIMIT_MB,
        "passed": outcomes["error"] == 0 and 0 < highest < MEMORY_LIMIT_MB,
    }


# -- Checking the database and reporting ----------------------------------------------------


def missing_writes(record: Record) -> dict[str, int]:
    """Acknowledged writes that are not in the database (all must be there)."""
    import sqlalchemy as sa

    engine = sa.create_engine(DATABASE)
    missing = Counter({"completions": 0, "comments and replies": 0, "likes": 0, "quiz attempts": 0})
    with engine.connect() as connection:
        done = set(
            connection.execute(
                sa.text("SELECT user_id, step_id FROM step_progress WHERE completed_at IS NOT NULL")
            ).all()
        )
        missing["completions"] = len(record.completed - done)
        bodies = {
            r.body_md: r
            for r in connection.execute(
                sa.text(
                    "SELECT author_id, step_id, parent_id, body_md FROM comments WHERE body_md LIKE 'Load comment %'"
                )
            )
        }
        for user_id, step_id, parent, text in record.comments:
            row = bodies.get(text)
            if row is None or row.author_id != user_id or (parent is None and row.step_id != step_id):
                missing["comments and replies"] += 1
        likes = set(connection.execute(sa.text("SELECT user_id, comment_id FROM comment_likes")).all())
        missing["likes"] = len(record.likes - likes)
        attempts = dict(
            ((u, s), c)
            for u, s, c in connection.execute(
                sa.text("SELECT user_id, step_id, count(*) FROM quiz_attempts GROUP BY user_id, step_id")
            )
        )
        missing["quiz attempts"] = sum(max(0, n - attempts.get(key, 0)) for key, n in record.attempts.items())
    engine.dispose()
    return dict(missing)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def summarise(name: str, record: Record, seconds: float, extra: dict) -> dict:
    timings = record.timings
    outcomes = Counter(outcome for *_, outcome in timings)
    latency = [t for _, _, t, outcome in timings if outcome == "ok"]
    by_kind = defaultdict(list)
    for _, kind, t, outcome in timings:
        if outcome == "ok":
            by_kind[kind].append(t)
    acknowledged = {
        "completions": len(record.completed),
        "comments and replies": len(record.comments),
        "likes": len(record.likes),
        "quiz attempts": sum(record.attempts.values()),
    }
    return {
        "run": name,
        "seconds": round(seconds, 1),
        "requests": len(timings),
        "requests_per_second": round(len(timings) / seconds, 1) if seconds else 0,
        "ok": outcomes["ok"],
        "clean_503": outcomes["unavailable"],
        "errors": outcomes["error"],
        "latency_ms": {
            p: round(percentile(latency, q) * 1000)
            for p, q in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99), ("max", 1.0))
        },
        "latency_ms_by_kind": {
            k: {"n": len(v), "p50": round(percentile(v, 0.5) * 1000), "p95": round(percentile(v, 0.95) * 1000)}
            for k, v in sorted(by_kind.items())
        },
        "acknowledged_writes": acknowledged,
        "missing_writes": missing_writes(record),
        "first_errors": record.failures[:10],
        **extra,
    }


def restart_database(command: list[str], record: Record, at: float, out: dict) -> None:
    time.sleep(max(0.0, record.started + at - time.monotonic()))
    began = time.monotonic()
    out["restart_at_s"] = round(began - record.started, 1)
    out["restart_command"] = " ".join(command)
    result = subprocess.run(command, capture_output=True, text=True)
    out["restart_took_s"] = round(time.monotonic() - began, 1)
    out["restart_exit_code"] = result.returncode


def default_restart_command() -> list[str]:
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    if not versions:
        raise SystemExit("no /etc/postgresql: pass --restart-command")
    return ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "restart"]


def run(name: str, plan: Plan, args, fault: bool) -> dict:
    reset_rate_limits()
    port = free_port()
    server = start_server(port, args.workers, args.threads)
    master, workers = server.pid, workers_of(server)
    signing_in = Record()
    began = time.monotonic()
    checks = not fault  # resent forms, ended sign-ins and memory: after the plain run
    people = plan.learners + (plan.resenders + plan.ended if checks else [])
    everyone = sign_in_everyone(people, plan, port, signing_in)
    learners = everyone[: len(plan.learners)]
    resenders = everyone[len(plan.learners) : len(plan.learners) + len(plan.resenders)] if checks else []
    ended = everyone[len(plan.learners) + len(plan.resenders) :] if checks else []
    sign_ins = [t for _, kind, t, outcome in signing_in.timings if kind == "sign in" and outcome == "ok"]
    sign_in_report = {
        "seconds": round(time.monotonic() - began, 1),
        "errors": len(signing_in.failures),
        "p50_ms": round(percentile(sign_ins, 0.5) * 1000),
        "p95_ms": round(percentile(sign_ins, 0.95) * 1000),
    }
    record = Record()
    for learner in learners:
        learner.b.record = record
    deadline = record.started + args.seconds
    load_before = os.getloadavg()[0]
    threads = [
        threading.Thread(target=run_learner, daemon=True, args=(learner, record.started, deadline, args.think))
        for learner in learners
    ]
    fault_info: dict = {}
    if fault:
        command = args.restart_command.split() if args.restart_command else default_restart_command()
        threads.append(
            threading.Thread(target=restart_database, args=(command, record, args.seconds / 2, fault_info), daemon=True)
        )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.seconds + 120)
    elapsed = time.monotonic() - record.started
    extra: dict = {}
    if checks:
        for learner in resenders + ended:
            learner.b.record = Record()
        print("  resent forms ...", flush=True)
        extra["resent_forms"] = resent_forms(resenders, plan)
        print("  ended sign-ins ...", flush=True)
        extra["ended_sign_ins"] = ended_sign_ins(ended, plan)
        print(f"  {args.urls:,} distinct long URLs ...", flush=True)
        extra["memory"] = distinct_urls(learners, plan, server, args.urls)
    still_up = server.poll() is None
    extra |= {
        "learners": len(plan.learners),
        "think_time_s": args.think,
        "gunicorn": f"{args.workers} workers x {args.threads} threads",
        "server_kept_running": still_up and server.pid == master and workers_of(server) == workers,
        "sign_in_before_the_run": sign_in_report,
        "machine_load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "cpus": os.cpu_count(),
    }
    stop_server(server)
    server_log = SERVER_LOG.read_text(errors="replace")
    extra["server_log"] = {
        "tracebacks": server_log.count("Traceback"),
        "database_unavailable_warnings": server_log.count("database unavailable"),
    }
    if fault:
        restart_end = fault_info.get("restart_at_s", 0) + fault_info.get("restart_took_s", 0)
        after = sorted((at, outcome) for at, _, _, outcome in record.timings if at >= restart_end)
        first_ok = next((at for at, outcome in after if outcome == "ok"), None)
        settled = [o for at, o in after if first_ok is not None and at >= first_ok + 5]
        fault_info.update(
            first_success_after_restart_s=round(first_ok - restart_end, 2) if first_ok is not None else None,
            failures_from_5s_after_recovery=sum(1 for o in settled if o != "ok"),
        )
        extra["fault"] = fault_info
    return summarise(name, record, elapsed, extra)


def passed(report: dict, fault: bool) -> bool:
    ok = (
        report["errors"] == 0
        and report["sign_in_before_the_run"]["errors"] == 0
        and report["server_log"]["tracebacks"] == 0
        and not any(report["missing_writes"].values())
        and report["server_kept_running"]
    )
    if not fault:
        checks = [report["resent_forms"][form]["passed"] for form in report["resent_forms"]]
        checks += [report["ended_sign_ins"]["passed"], report["memory"]["passed"]]
        return ok and report["clean_503"] == 0 and all(checks)
    info = report["fault"]
    return (
        ok
        and info.get("restart_exit_code") == 0
        and info["first_success_after_restart_s"] is not None
        and info["failures_from_5s_after_recovery"] == 0
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=5.0, help="mean pause between a learner's actions (s)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--no-fault", action="store_true", help="skip the run with a database restart")
    parser.add_argument("--fault-only", action="store_true")
    parser.add_argument("--restart-command", help="default: pg_ctlcluster ... main restart")
    parser.add_argument("--fault-runs", type=int, default=1, help="how many runs with a restart, one after another")
    parser.add_argument("--urls", type=int, default=10_000, help="distinct long URLs for the memory check")
    parser.add_argument("--report", default=str(ROOT / "loadtest" / "last-run.json"))
    args = parser.parse_args()

    print(f"Preparing {args.learners} learners on {DATABASE} ...", flush=True)
    plan = prepare(args.learners)
    runs = [] if args.fault_only else [("load", False)]
    if not args.no_fault:
        runs += [("load with a PostgreSQL restart", True)] * args.fault_runs
    reports, success = [], True
    for name, fault in runs:
        print(f"Run: {name}, {args.learners} learners for {args.seconds:g} s ...", flush=True)
        report = run(name, plan, args, fault)
        report["passed"] = passed(report, fault)
        success &= report["passed"]
        reports.append(report)
        print(json.dumps(report, indent=2), flush=True)
    Path(args.report).write_text(json.dumps(reports, indent=2) + "\n")
    print(f"{'PASSED' if success else 'FAILED'}: report in {args.report}")
    return 0 if success else 1


if __name__ == "__main__":
    sys.exit(main())
