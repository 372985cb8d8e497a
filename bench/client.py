"""A small browser-like load client for the cohort and write scenarios.

- `Browser`: one person's browser against 127.0.0.1: it keeps cookies, asks for gzip,
  revalidates pages it holds an ETag for (If-None-Match; a reload also sends
  `Cache-Control: max-age=0`) and follows a redirect with a GET, as browsers do.
- `Lane`: one connection (http.client) sending one request at a time and timing it.
- `Pool`: a few forked processes, each running threads ("lanes"); `connections` lanes in
  all, so that many requests are in flight at once. Each lane takes its share of the people
  in turn, one task step at a time, until the phase's deadline. The processes keep their
  people (cookies, cached pages) from one phase to the next.

Nothing here is timed but the request itself (from sending it to reading the whole body).
"""

from __future__ import annotations

import html
import http.client
import multiprocessing
import re
import threading
import time
import traceback
import urllib.parse
import zlib
from collections import Counter, defaultdict

REDIRECTS = (301, 302, 303, 307, 308)


class Deadline(Exception):
    """The phase is over: no more requests."""


class Response:
    __slots__ = ("status", "headers", "raw", "_text")

    def __init__(self, status: int, headers: dict[str, str], raw: bytes):
        self.status, self.headers, self.raw, self._text = status, headers, raw, None

    @property
    def text(self) -> str:
        """The body, unzipped and decoded only when something reads it."""
        if self._text is None:
            raw = zlib.decompress(self.raw, 31) if self.headers.get("content-encoding") == "gzip" else self.raw
            self._text = raw.decode("utf-8", "replace")
        return self._text


class Lane:
    """One connection, one request at a time, every request timed and recorded by kind."""

    def __init__(self, port: int, until: float):
        self.port, self.until = port, until
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.records: list[tuple[str, int, float]] = []  # (kind, status, seconds)
        self.started = self.ended = time.monotonic()

    def exchange(self, kind: str, method: str, path: str, body: bytes | None, headers: dict) -> Response:
        if time.monotonic() >= self.until:
            raise Deadline
        start = time.perf_counter()
        try:
            self.connection.request(method, path, body, headers)
            reply = self.connection.getresponse()
            raw = reply.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()  # the caller records the error
            raise
        self.records.append((kind, reply.status, time.perf_counter() - start))
        # gunicorn's sync workers close every connection: http.client opens the next one.
        return Response(reply.status, _headers(reply), raw)

    def close(self) -> None:
        self.connection.close()


def _headers(reply: http.client.HTTPResponse) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in reply.getheaders():
        name = name.lower()
        found[name] = f"{found[name]}\n{value}" if name in found else value
    return found


class Browser:
    def __init__(self):
        self.jar: dict[str, str] = {}
        self.cache: dict[str, tuple[str, Response]] = {}  # path -> (ETag, the page)

    def get(self, lane: Lane, path: str, kind: str, reload: bool = False) -> Response:
        headers = self._headers(lane)
        cached = self.cache.get(path)
        if cached:
            headers["If-None-Match"] = cached[0]
        if reload:
            headers["Cache-Control"] = "max-age=0"
        response = self._send(lane, kind, "GET", path, None, headers)
        if response.status == 304 and cached:
            return cached[1]
        if response.status == 200:
            self._keep(path, response)
        return response

    def post(self, lane: Lane, path: str, fields: dict[str, str], kind: str, follow: bool = True) -> Response:
        headers = {
            **self._headers(lane),
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"http://127.0.0.1:{lane.port}",
        }
        return self._send(lane, kind, "POST", path, urllib.parse.urlencode(fields).encode(), headers, follow)

    def _send(self, lane, kind, method, path, body, headers, follow=True) -> Response:
        response = lane.exchange(kind, method, path, body, headers)
        for header in response.headers.get("set-cookie", "").split("\n"):
            self._set_cookie(header)
        if follow and response.status in REDIRECTS and "location" in response.headers:
            return self.get(lane, local_path(response.headers["location"]), f"after_{kind.removeprefix('after_')}")
        return response

    def _headers(self, lane: Lane) -> dict[str, str]:
        headers = {"Accept-Encoding": "gzip", "Accept": "text/html"}
        if self.jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        return headers

    def _set_cookie(self, header: str) -> None:
        if "=" not in header:
            return
        pair, _, attributes = header.partition(";")
        name, _, value = pair.partition("=")
        gone = "max-age=0" in attributes.lower().replace(" ", "") or "1970" in attributes
        if gone or not value:
            self.jar.pop(name.strip(), None)
        else:
            self.jar[name.strip()] = value.strip()

    def _keep(self, path: str, response: Response) -> None:
        etag = response.headers.get("etag")
        if etag and "no-store" not in response.headers.get("cache-control", ""):
            self.cache[path] = (etag, response)
        else:
            self.cache.pop(path, None)


def local_path(location: str) -> str:
    """A redirect's target as a path on this server, without its #fragment."""
    parts = urllib.parse.urlsplit(location)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


# --- reading forms off a page ----------------------------------------------------------------

_FORM = re.compile(r"<form\b([^>]*)>")
_INPUT = re.compile(r"<input\b([^>]*)>")
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')


def attributes(tag: str) -> dict[str, str]:
    return {k: html.unescape(v) for k, v in _ATTR.findall(tag)}


def find_form(page: str, where) -> tuple[str, dict[str, str]] | None:
    """The first form whose attributes satisfy `where`: its action and its inputs' values."""
    for match in _FORM.finditer(page):
        found = attributes(match[1])
        if where(found):
            end = page.find("</form>", match.end())
            fields = {}
            for tag in _INPUT.findall(page, match.end(), end):
                field = attributes(tag)
                unticked = field.get("type") in ("checkbox", "radio") and not re.search(r"\bchecked\b", tag)
                if "name" in field and not unticked:  # as a browser sends it
                    fields[field["name"]] = field.get("value", "")
            return found.get("action", ""), fields
    return None


# --- the pool ------------------------------------------------------------------------------


class Person:
    """Someone using the site: their details, their browser, and what their scenario notes."""

    def __init__(self, spec: dict):
        self.spec, self.browser, self.state = spec, Browser(), {}


def in_turn(lane: Lane, people: list[Person], step) -> None:
    """Call step(lane, person) for each person in turn until the deadline; a person whose step
    returns False has nothing more to do. An error is recorded and the next person goes on."""
    active, failures = list(people), 0
    while active:
        for person in list(active):
            try:
                if step(lane, person) is False:
                    active.remove(person)
                failures = 0
            except Deadline:
                return
            except Exception as error:  # recorded, and counted against the phase
                lane.records.append((f"error:{type(error).__name__}", 0, 0.0))
                failures += 1
                if failures >= 50:
                    traceback.print_exc()
                    return


def _lane(task, port, until, people, params, lanes: list) -> None:
    lane = Lane(port, until)
    lanes.append(lane)
    try:
        task(lane, people, **params)
    except Deadline:
        pass
    finally:
        lane.ended = time.monotonic()
        lane.close()


def _child(connection, specs: list[dict], lanes: int) -> None:
    people = [Person(spec) for spec in specs]
    shares = [people[n::lanes] for n in range(lanes)]
    while (command := connection.recv()) is not None:
        task, port, seconds, params = command
        until = time.monotonic() + seconds if seconds else float("inf")
        done: list[Lane] = []
        threads = [threading.Thread(target=_lane, args=(task, port, until, share, params, done)) for share in shares]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        connection.send(_summary(done))


def _summary(lanes: list[Lane]) -> dict:
    latencies, statuses = defaultdict(list), defaultdict(Counter)
    for lane in lanes:
        for kind, status, seconds in lane.records:
            latencies[kind].append(seconds)
            statuses[kind][status] += 1
    return {
        "latencies": dict(latencies),
        "statuses": {k: dict(v) for k, v in statuses.items()},
        "started": min((lane.started for lane in lanes), default=0.0),
        "ended": max((lane.ended for lane in lanes), default=0.0),
    }


class Pool:
    def __init__(self, specs: list[dict], connections: int, processes: int):
        processes = max(1, min(processes, connections))
        context = multiprocessing.get_context("fork")
        self.pipes, self.processes = [], []
        for n in range(processes):
            lanes = connections // processes + (1 if n < connections % processes else 0)
            parent, child = context.Pipe()
            process = context.Process(target=_child, args=(child, specs[n::processes], lanes), daemon=True)
            process.start()
            self.pipes.append(parent)
            self.processes.append(process)

    def pids(self) -> list[int]:
        return [p.pid for p in self.processes]

    def run(self, task, port: int, seconds: float | None = None, **params) -> dict:
        """Run task(lane, people, **params) in every lane, for `seconds` or until every lane is
        done; returns every request's latency and status, by kind."""
        for pipe in self.pipes:
            pipe.send((task, port, seconds, params))
        return merge([pipe.recv() for pipe in self.pipes])

    def close(self) -> None:
        for pipe in self.pipes:
            try:
                pipe.send(None)
            except OSError:
                pass
        for process in self.processes:
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()


def merge(parts: list[dict]) -> dict:
    latencies, statuses = defaultdict(list), defaultdict(Counter)
    for part in parts:
        for kind, values in part["latencies"].items():
            latencies[kind] += values
        for kind, counts in part["statuses"].items():
            statuses[kind].update(counts)
    elapsed = max(p["ended"] for p in parts) - min(p["started"] for p in parts)
    kinds = {kind: describe(latencies[kind], statuses[kind]) for kind in sorted(latencies)}
    requests = sum(k["count"] for name, k in kinds.items() if not name.startswith("error:"))
    return {
        "requests": requests,
        "seconds": round(elapsed, 2),
        "rps": round(requests / elapsed, 1) if elapsed else 0.0,
        "errors": sum(k["errors"] for k in kinds.values()),
        "kinds": kinds,
    }


def describe(latencies: list[float], statuses: Counter) -> dict:
    ordered = sorted(latencies)

    def percentile(share: float) -> float | None:
        if not ordered:
            return None
        return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000, 1)

    errors = sum(n for status, n in statuses.items() if status == 0 or status >= 400)
    return {
        "count": len(ordered),
        "p50_ms": percentile(0.5),
        "p99_ms": percentile(0.99),
        "not_modified": statuses.get(304, 0),
        "errors": errors,
        "statuses": dict(sorted(statuses.items())),
    }
