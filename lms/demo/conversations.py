"""What the demo's learners and facilitator say on the course's discussion steps.

The words are in conversations.yaml beside this file, written for this course in the voices
of the made-up people in lms.demo.people; this module reads them into plain values. The
welcome below goes on the first discussion step of any course (the small one the tests use
too), so it lives here rather than beside a step.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

FACILITATOR = "facilitator"
TEXTS = Path(__file__).with_name("conversations.yaml")

OPENING = (
    "Welcome to the discussion. There are no wrong answers here: share what you have *seen*, and be kind to each other."
)
OPENING_REPLY = (
    "Thank you. On our unit the best example is the nurse in charge who asks every new starter how they are."
)


@dataclass(frozen=True)
class Say:
    author: str
    text: str
    after: float = 6  # hours after the comment before it (a reply)
    liked_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Thread:
    step: tuple[str, str]
    comments: tuple[Say, ...]  # the first opens the thread; the rest reply to it
    highlighted: bool = False  # the facilitator highlights the opening comment


@dataclass(frozen=True)
class Complaint:
    """A reply someone reports: it waits in the moderation queue."""

    step: tuple[str, str]
    opener: str  # whose thread it is posted in
    say: Say
    reporter: str
    reason: str
    details: str


@dataclass(frozen=True)
class Conversations:
    threads: tuple[Thread, ...]
    complaint: Complaint
    follows: tuple[tuple[str, str], ...]  # (follower, followed)
    bookmarks: tuple[tuple[str, tuple[str, str], str], ...]  # (who, step, the thread's opener)
    reflections: dict[tuple[str, tuple[str, str]], str]  # (who, step) -> their private reflection


def _step(identity: str) -> tuple[str, str]:
    module, step = identity.split("/")
    return module, step


def _say(data: dict) -> Say:
    return Say(data["author"], " ".join(data["text"].split()), data.get("after", 6), tuple(data.get("liked_by", ())))


@cache
def conversations() -> Conversations:
    """The texts, read once."""
    data = yaml.safe_load(TEXTS.read_text(encoding="utf-8"))
    threads = tuple(
        Thread(_step(t["step"]), tuple(_say(c) for c in t["comments"]), t.get("highlighted", False))
        for t in data["threads"]
    )
    c = data["complaint"]
    complaint = Complaint(_step(c["step"]), c["thread_of"], _say(c["reply"]), c["reporter"], c["reason"], c["details"])
    return Conversations(
        threads,
        complaint,
        tuple((a, b) for a, b in data["follows"]),
        tuple((who, _step(step), opener) for who, step, opener in data["bookmarks"]),
        {(r["who"], _step(r["step"])): " ".join(r["text"].split()) for r in data.get("reflections", ())},
    )
