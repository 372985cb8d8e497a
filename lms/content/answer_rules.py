"""Rules that keep quizzes and tests honest: feedback on a wrong answer must not give the right
one away, and the right option must not stand out by its length. Pure: no Flask, no database.

Feedback is shown after every attempt, so a wrong option's feedback that quotes the right
option hands the answer to anyone who guesses wrong once: `content check` refuses it. A right
option much longer than the others is a cue that test-wise learners follow: reported as a
warning, since a longer right answer is sometimes the honest one.
"""

from __future__ import annotations

import re

NOT_WORD = re.compile(r"[\W_]+")
LONGER = 1.3  # a right option at least 30% longer (in characters) than the longest wrong one


def normalised(text: str) -> str:
    """Lower case, punctuation and runs of space as single spaces: how two texts are compared."""
    return " ".join(NOT_WORD.sub(" ", text.lower()).split())


def _contains(haystack: str, needle: str) -> bool:
    return bool(needle) and f" {needle} " in f" {haystack} "


def giveaways(question: dict) -> list[tuple[int, str]]:
    """(option index, message) for each wrong option whose feedback contains a right option's text."""
    rights = [normalised(o["text"]) for o in question.get("options", []) if o.get("correct")]
    found = []
    for index, option in enumerate(question.get("options", [])):
        if option.get("correct"):
            continue
        feedback = normalised(option.get("feedback") or "")
        if any(_contains(feedback, right) for right in rights):
            found.append(
                (
                    index,
                    "gives the right answer away: feedback on a wrong option must not contain a right option's text",
                )
            )
    return found


def long_right_option(question: dict) -> str | None:
    """Why the question's right option stands out by its length, or None when it does not."""
    options = question.get("options", [])
    right = max((len(o["text"]) for o in options if o.get("correct")), default=0)
    wrong = max((len(o["text"]) for o in options if not o.get("correct")), default=0)
    if wrong and right >= LONGER * wrong:
        return (
            f"the right option is {right} characters, {right / wrong - 1:.0%} longer than the longest "
            f"wrong one ({wrong}): make the options of similar length"
        )
    return None
