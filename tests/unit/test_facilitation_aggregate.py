"""The five-response rule, the spread and the band counts of a cohort's self-assessments."""

from __future__ import annotations

import pytest

from lms.facilitation.aggregate import (
    MIN_RESPONSES,
    responses_needed,
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
