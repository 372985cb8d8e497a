"""xAPI 1.0.3 statements, built from the drafts the outbox keeps. Pure: no Flask, no database.

A draft is what was true when the learner acted: the statement's own id (a UUID, so a resend
is harmless), its verb, its timestamp, what it was about (`{"step": id}`, `{"module": id}` or
`{"course": id}`) and its result. The outbox keeps drafts, not whole statements, so queuing
one costs one INSERT and no read: the actor, the object's URL and its course and module
around it are filled in when the statement is sent (`build`), from the course outline and
the learner's row, which the delivery reads once per batch.

Verbs are ADL's (those cmi5 also uses where it has them: completed, passed, failed), and
"earned" from the xAPI vocabulary's registry for the certificate.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

VERSION = "1.0.3"
ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = {
    "registered": ADL + "registered",  # joined the course
    "experienced": ADL + "experienced",  # opened a step (once a day)
    "completed": ADL + "completed",  # a step, or a self-assessment
    "answered": ADL + "answered",  # a quiz or a test, with its score
    "passed": ADL + "passed",  # a test
    "failed": ADL + "failed",
    "commented": ADL + "commented",  # on a step's discussion (never the text)
    "earned": "http://id.tincanapi.com/verb/earned",  # the course's certificate
}
ACTIVITY = "http://adlnet.gov/expapi/activities/"
STEP_TYPES = {"quiz": "assessment", "test": "assessment", "self-assessment": "assessment", "video": "media"}
# Where this platform's own extensions are named: under its public address.
EXTENSIONS_PATH = "/xapi/extensions/"


@dataclass(frozen=True)
class Place:
    """What a statement says of a course, module or step: its URL, name and type, and the
    URLs of the course and module it sits in."""

    url: str
    name: str
    type: str
    parents: tuple[tuple[str, str, str], ...] = ()  # (url, name, type) of the module, then the course


@dataclass(frozen=True)
class Learner:
    """Who a statement is about, as the delivery read them."""

    user_id: int
    email: str
    shares_scores: bool


def actor_id(secret: str, user_id: int) -> str:
    """The learner's stable opaque name in the record store: an HMAC of their id with the
    site's secret key (the same for as long as the key is), never their email."""
    return hmac.new(secret.encode(), f"xapi-actor:{user_id}".encode(), hashlib.sha256).hexdigest()[:32]


def actor(learner: Learner, *, by: str, home_page: str, secret: str) -> dict:
    """An Agent by account (homePage and the opaque name), or by mailbox when the
    organisation chose `LMS_XAPI_ACTOR=mbox`."""
    if by == "mbox":
        return {"objectType": "Agent", "mbox": f"mailto:{learner.email}"}
    return {"objectType": "Agent", "account": {"homePage": home_page, "name": actor_id(secret, learner.user_id)}}


def _activity(url: str, name: str, kind: str) -> dict:
    return {
        "objectType": "Activity",
        "id": url,
        "definition": {"name": {"en-GB": name}, "type": ACTIVITY + kind},
    }


def build(draft: dict, place: Place, who: dict, learner: Learner, *, platform: str, extensions_base: str) -> dict:
    """The statement a draft stands for, ready to POST."""
    statement = {
        "id": draft["id"],
        "actor": who,
        "verb": {"id": VERBS[draft["verb"]], "display": {"en-GB": draft["verb"]}},
        "object": _activity(place.url, place.name, place.type),
        "timestamp": draft["timestamp"],
        "version": VERSION,
        "context": {"platform": platform, "language": "en-GB"},
    }
    if place.parents:
        statement["context"]["contextActivities"] = {
            "parent": [_activity(*place.parents[0])],
            "grouping": [_activity(*parent) for parent in place.parents[1:]],
        }
        if not statement["context"]["contextActivities"]["grouping"]:
            del statement["context"]["contextActivities"]["grouping"]
    result = dict(draft.get("result") or {})
    scores = draft.get("dimension_scores")
    if scores and learner.shares_scores:  # the learner agreed to share them; otherwise only that they took it
        result["extensions"] = {extensions_base + "self-assessment-scores": scores}
    if draft.get("certificate"):
        statement["context"]["extensions"] = {extensions_base + "certificate": draft["certificate"]}
    if result:
        statement["result"] = result
    return statement


def quiz_result(correct: int, total: int, passed: bool | None) -> dict:
    """result for an answered quiz or test: scaled, raw, min, max, and success (a test's pass)."""
    result = {
        "score": {"scaled": round(correct / total, 4) if total else 0, "raw": correct, "min": 0, "max": total},
        "completion": True,
    }
    if passed is not None:
        result["success"] = passed
    return result
