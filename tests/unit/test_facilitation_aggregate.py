"""The five-response rule, the batches of five, the spread and the band counts of a cohort's
self-assessments."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.facilitation.aggregate import (
    BATCH,
    MIN_RESPONSES,
    Summary,
    responses_needed,
    snapshot_due,
    summarise,
    summarise_dimension,
)

BANDS = [
    {"up_to": 2.5, "label": "Low", "feedback": ""},
    {"up_to": 3.5, "label": "Middle", "feedback": ""},
    {"up_to": 5, "label": "High", "feedback": ""},
]
CALM = {"id": "calm", "title": "Calm", "bands": BANDS}
KIND = {"id": "kind", "title": "Kind", "bands": BANDS}
SETTINGS = {"dimensions": [CALM, KIND]}


@pytest.mark.parametrize("responses, needed", [(0, 5), (1, 4), (4, 1), (5, 0), (6, 0), (500, 0)])
def test_responses_needed_before_anything_is_shown(responses, needed):
    assert MIN_RESPONSES == 5
    assert responses_needed(responses) == needed


def test_below_five_nothing_is_worked_out():
    summary = summarise(SETTINGS, [{"calm": 1.0, "kind": 5.0}] * 4)
    assert (summary.responses, summary.needed, summary.shown, summary.dimensions) == (4, 1, False, ())
    assert summary.mean_of("calm") is None


def test_mean_spread_and_bands_from_five():
    scores = [1.0, 2.5, 3.0, 4.0, 5.0]
    summary = summarise(SETTINGS, [{"calm": s, "kind": 3.0} for s in scores])
    assert summary.shown and summary.responses == 5
    calm, kind = summary.dimensions
    assert calm.mean == 3.1  # 15.5 / 5
    assert calm.spread == 1.4  # population standard deviation: sqrt(9.2 / 5) = 1.36
    assert [(b.label, b.count, b.percent) for b in calm.bands] == [("Low", 2, 40), ("Middle", 1, 20), ("High", 2, 40)]
    assert (kind.mean, kind.spread) == (3.0, 0.0)
    assert [b.count for b in kind.bands] == [0, 5, 0]
    assert summary.mean_of("kind") == 3.0


def test_band_edges_follow_scoring():
    """A score equal to a band's up_to falls in that band, as on the learner's own results."""
    dimension = summarise_dimension(CALM, [2.5, 2.6, 3.5, 3.6, 5.0])
    assert [b.count for b in dimension.bands] == [1, 2, 2]


def test_a_dimension_added_later_follows_the_rule_on_its_own():
    responses = [{"calm": 3.0}] * 3 + [{"calm": 4.0, "kind": 4.0}] * 2
    summary = summarise(SETTINGS, responses)
    calm, kind = summary.dimensions
    assert calm.shown and calm.mean == 3.4
    assert not kind.shown and kind.needed == 3 and kind.mean is None and kind.bands == ()


@pytest.mark.parametrize(
    "responders, last_counted, due",
    [
        (4, None, False),  # no figures before five
        (5, None, True),  # the first batch
        (7, None, True),  # learners who had answered joined the cohort: the first batch at seven
        (5, 5, False),  # a retake: still five learners
        (6, 5, False),
        (9, 5, False),  # learners six to nine move nothing
        (10, 5, True),
        (11, 7, False),
        (12, 7, True),
        (9, 10, False),  # someone deleted their account: the figures stay
        (14, 10, False),  # and the next batch still needs five more than the last counted
        (15, 10, True),
        (1506, 6, True),
    ],
)
def test_a_batch_is_due_from_five_then_at_each_five_more(responders, last_counted, due):
    assert BATCH == 5
    assert snapshot_due(responders, last_counted) is due


@given(st.lists(st.sampled_from([1, 1, 1, -1, 0]), max_size=200))
def test_batches_never_differ_by_fewer_than_five_learners(changes):
    """Learners join (1), leave or delete their account (-1) or retake (0) in any order:
    whenever a batch is taken, it counts at least five more than the one before."""
    responders, taken = 0, []
    for change in changes:
        responders = max(responders + change, 0)
        if snapshot_due(responders, taken[-1] if taken else None):
            taken.append(responders)
    assert all(count >= MIN_RESPONSES for count in taken)
    assert all(later - earlier >= BATCH for earlier, later in zip(taken, taken[1:]))


def test_a_summary_reads_back_as_it_was_kept():
    responses = [{"calm": 3.0}] * 3 + [{"calm": 4.0, "kind": 4.0}] * 2
    summary = summarise(SETTINGS, responses)
    assert Summary.from_data(summary.as_data()) == summary
    assert Summary.from_data(summarise(SETTINGS, responses[:4]).as_data()) == Summary(4, ())
