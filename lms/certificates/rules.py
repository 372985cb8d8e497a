"""Who has earned the certificate, and what is left to do: pure, so every edge is tested.

The rule (syllabus.md, "The certificate"): at least 90% of the course's published steps
marked complete, and every test in the course passed (its best attempt at the pass mark).
"""

from __future__ import annotations

from dataclasses import dataclass

STEPS_SHARE = 90  # percent of steps to complete


def steps_required(total: int) -> int:
    """The fewest completed steps that make at least 90% (rounded up, in whole numbers)."""
    return -(-total * STEPS_SHARE // 100)


@dataclass(frozen=True)
class Standing:
    """One test step and the learner's standing on it."""

    number: str
    title: str
    module_slug: str
    slug: str
    pass_mark: int
    attempts: int
    taken: int
    best_score: int | None
    passed: bool

    @property
    def attempts_left(self) -> int:
        return max(self.attempts - self.taken, 0)


@dataclass(frozen=True)
class StepToDo:
    """A published step the learner has not completed, to name and link on the page."""

    number: str
    title: str
    module_slug: str
    slug: str


@dataclass(frozen=True)
class Eligibility:
    completed: int
    total: int
    tests: tuple[Standing, ...]
    not_complete: tuple[StepToDo, ...] = ()  # in course order; tests are listed under `tests`

    @property
    def steps_needed(self) -> int:
        """How many more steps to complete before the 90% is reached."""
        return max(steps_required(self.total) - self.completed, 0)

    @property
    def tests_to_pass(self) -> tuple[Standing, ...]:
        return tuple(test for test in self.tests if not test.passed)

    @property
    def eligible(self) -> bool:
        return self.total > 0 and self.steps_needed == 0 and not self.tests_to_pass
