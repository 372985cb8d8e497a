"""Walk each demo learner through the course with the learners' own services: steps marked
complete, quizzes and the final test answered, self-assessments taken, so completion,
scores, certificates and the cohort's figures are exactly what real use makes."""

from __future__ import annotations

import hashlib

from lms.accounts.models import User
from lms.assessment import service as assessment
from lms.assessment.scoring import correct_keys, option_keys
from lms.content import service as content
from lms.content.outline import CourseOutline, StepSummary
from lms.demo.conversations import conversations
from lms.demo.people import M2, Journey
from lms.extensions import db
from lms.learning import completion
from lms.learning import service as learning
from lms.reflection import service as reflection

RETAKEN = (M2, "my-compassionate-leadership")  # the action plan asks finishers to take it again


def wobble(*parts: str) -> float:
    """A steady number in -1..1 for these words: the same answers every run, different per person."""
    digest = hashlib.blake2b("/".join(parts).encode(), digest_size=2).digest()
    return int.from_bytes(digest, "big") / 32767.5 - 1


def reached(journey: Journey, outline: CourseOutline) -> tuple[list[StepSummary], StepSummary | None]:
    """The steps the learner has done, in course order, and the one they are on (None: finished)."""
    steps = list(outline.steps)
    if journey.finished:
        return steps, None
    index = outline.index_of(*journey.at)
    if index is None:  # a course without that step: go as far in by share
        index = min(int(len(steps) * journey.share), len(steps) - 1)
    return steps[:index], steps[index]


def walk(journey: Journey, user: User, outline: CourseOutline, posts_on: set[int]) -> list[StepSummary]:
    """Do the learner's steps; a discussion step they post on is left for the post to complete.
    Returns every step they visited, in order (the one they are on last)."""
    done, current = reached(journey, outline)
    for step in done:
        if step.type in assessment.QUIZ_TYPES:
            _answer_quiz(journey, user, step)
        elif step.type == assessment.SELF_ASSESSMENT:
            _rate(journey, user, step, journey.outlook)
        elif (journey.key, step.key) in conversations().reflections:  # saving it completes the step
            reflection.save(user.id, step.id, conversations().reflections[(journey.key, step.key)], {}, True)
        elif step.type != "discussion" or step.id not in posts_on:
            completion.complete_step(user.id, step.id)  # as "Mark as complete" does, committed below
    db.session.commit()  # once per learner, not per step: the demo stays quick to make
    if current is not None:
        learning.record_visit(user.id, current.id)
        return [*done, current]
    again = outline.index_of(*RETAKEN)
    if again is not None:
        _rate(journey, user, outline.steps[again], journey.outlook + 0.5)
    return done


def _rate(journey: Journey, user: User, step: StepSummary, outlook: float) -> None:
    settings = content.get_step_settings(step.id)
    sheet = {}
    for statement in settings["statements"]:
        rating = min(5, max(1, round(outlook + wobble(journey.key, statement["id"]))))
        sheet[statement["id"]] = [str(6 - rating if statement.get("reverse") else rating)]
    assessment.take_self_assessment(user.id, step, str(step.id), sheet)


def _answer_quiz(journey: Journey, user: User, step: StepSummary) -> None:
    questions = content.get_step_settings(step.id)["questions"]
    tries = journey.test_tries if step.type == "test" else 1
    for attempt in range(1, tries + 1):
        # Before the last try, half the answers are wrong (a fail); then only their usual slips.
        slips = len(questions) // 2 if attempt < tries else journey.quiz_slips
        wrong = sorted(range(len(questions)), key=lambda i: wobble(journey.key, step.slug, str(attempt), str(i)))
        sheet = {q["id"]: _answer(q, i in wrong[:slips]) for i, q in enumerate(questions)}
        assessment.answer_quiz(user.id, step, str(step.id), sheet)


def _answer(question: dict, slip: bool) -> list[str]:
    right = correct_keys(question)
    if not slip:
        return right
    wrong = [key for key in option_keys(question) if key not in right]
    return wrong[:1] or right
