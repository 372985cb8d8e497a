"""The completion rule and a step's place in its module (issue 18): plain logic, no requests."""

from __future__ import annotations

import pytest

from lms.certificates.rules import Eligibility
from lms.content.outline import ActivityOutline, ModuleOutline, StepSummary
from lms.learning import completion
from lms.learning import service as learning
from lms.steps.service import module_place


@pytest.mark.parametrize(
    "step_type, mark, undo",
    [
        ("article", True, True),
        ("video", True, True),
        ("discussion", True, True),  # posting marks it too, and it can be undone
        ("reflection", True, True),  # saving marks it too
        ("quiz", False, True),  # sending answers marks it; the mark can be undone
        ("self-assessment", False, True),
        ("test", False, False),  # complete exactly when passed: no button either way
    ],
)
def test_which_steps_the_learner_marks_by_hand(step_type, mark, undo):
    assert completion.may_set(step_type, True) is mark
    assert completion.may_set(step_type, False) is undo


def test_each_kind_of_step_has_one_way_to_be_completed_for_the_learner():
    by = (completion.COMPLETED_BY_POSTING, completion.COMPLETED_BY_SAVING, completion.COMPLETED_BY_SUBMISSION)
    kinds = [kind for group in by for kind in group]
    assert len(kinds) == len(set(kinds))
    assert set(completion.COMPLETED_BY_PASSING) <= set(completion.COMPLETED_BY_SUBMISSION)


@pytest.mark.parametrize("text, ids", [(None, set()), ("", set()), ("7", {7}), ("3,12,5", {3, 5, 12})])
def test_the_module_completions_column_is_read_back_as_step_ids(text, ids):
    assert learning.completed_among(text) == frozenset(ids)


def _step(n: int, module: str = "m") -> StepSummary:
    return StepSummary(n, module, f"s{n}", f"1.{n}", f"Step {n}", "article", 5, True)


MODULE = ModuleOutline(
    1,
    "m",
    1,
    "First",
    "",
    1.0,
    True,
    (ActivityOutline("a", "A", (_step(1), _step(2))), ActivityOutline("b", "B", (_step(3),))),
)


def test_a_step_knows_its_place_and_the_module_its_progress():
    place = module_place(MODULE, _step(2)).with_completed(frozenset({1, 3, 99}))  # 99: another module's
    assert (place.position, place.total, place.completed) == (2, 3, 2)
    assert place.step_ids == [1, 2, 3] and place.ticks == (True, False, True)


def test_the_kept_list_is_keyed_by_all_it_shows_and_no_more_of_the_learner():
    at_two = module_place(MODULE, _step(2))
    assert at_two.with_completed(frozenset({1})).key == at_two.with_completed(frozenset({1, 42})).key
    assert at_two.with_completed(frozenset({1})).key != at_two.with_completed(frozenset({3})).key
    assert at_two.key != module_place(MODULE, _step(3)).key
    renamed = ModuleOutline(1, "m", 1, "Renamed", "", 1.0, True, MODULE.activities)
    assert module_place(renamed, _step(2)).key != at_two.key


def test_an_eligibility_names_no_steps_unless_given_them():
    assert Eligibility(9, 10, ()).not_complete == ()
