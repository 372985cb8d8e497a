"""Steps sort by their numbers as numbers: 2.5 before 3.5 before 10.1 (not as text)."""

from lms.content.outline import StepSummary


def step(number: str) -> StepSummary:
    return StepSummary(1, "m", "s", number, "A step", "self-assessment", 5, True)


def test_steps_sort_by_number_numerically():
    numbers = ["10.1", "3.5", "2.5", "2.10", "4.5", "2.9"]
    assert [s.number for s in sorted(map(step, numbers), key=lambda s: s.number_order)] == [
        "2.5",
        "2.9",
        "2.10",
        "3.5",
        "4.5",
        "10.1",
    ]
