"""A group's self-assessment scores summed up so that nobody in it can be picked out.

Pure: no Flask, no database. The one rule for every aggregate shown to anyone (the
facilitator's cohort page, a learner's mirror): nothing is worked out, let alone shown,
until at least MIN_RESPONSES learners have answered, and then only the mean, the spread
and how many fall in each band.

Aggregates move only in whole batches (snapshot_due): a group's figures are worked out
when five learners have answered, then again each time at least five more have, and every
page shows the latest batch, never live rows. So comparing a page before and after one
more person answers shows nothing: the smallest change anyone can see mixes five people.

The spread is the standard deviation, taken over the whole group (population, not
sample: the cohort is everyone we describe, not a sample of something larger). The
range is not shown because its two ends are two people's own scores.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from lms.assessment.scoring import band_for, round_half_up

MIN_RESPONSES = 5
BATCH = MIN_RESPONSES  # new learners needed before the figures are worked out again


def responses_needed(responses: int, minimum: int = MIN_RESPONSES) -> int:
    """How many more responses before an aggregate may be shown (0: it may be)."""
    return max(minimum - responses, 0)


@dataclass(frozen=True)
class BandShare:
    label: str
    count: int
    percent: int  # of the responses with a score for the dimension


@dataclass(frozen=True)
class DimensionSummary:
    id: str
    title: str
    responses: int
    mean: float | None = None  # None while responses_needed(responses) > 0
    spread: float | None = None  # standard deviation, population
    bands: tuple[BandShare, ...] = ()

    @property
    def needed(self) -> int:
        return responses_needed(self.responses)

    @property
    def shown(self) -> bool:
        return self.needed == 0


def summarise_dimension(dimension: dict, scores: list[float]) -> DimensionSummary:
    """Mean, spread and band counts of one dimension's scores; only the count below the threshold."""
    if responses_needed(len(scores)):
        return DimensionSummary(dimension["id"], dimension["title"], len(scores))
    counts = [0] * len(dimension["bands"])
    for score in scores:
        band = band_for(dimension["bands"], score)
        if band is not None:
            counts[dimension["bands"].index(band)] += 1
    bands = tuple(
        BandShare(band["label"], count, int(round_half_up(100 * count / len(scores), 0)))
        for band, count in zip(dimension["bands"], counts)
    )
    return DimensionSummary(
        dimension["id"],
        dimension["title"],
        len(scores),
        round_half_up(statistics.fmean(scores)),
        round_half_up(statistics.pstdev(scores)),
        bands,
    )


@dataclass(frozen=True)
class Summary:
    """One self-assessment across a group: how many answered and, from five, each dimension."""

    responses: int
    dimensions: tuple[DimensionSummary, ...]

    @property
    def needed(self) -> int:
        return responses_needed(self.responses)

    @property
    def shown(self) -> bool:
        return self.needed == 0

    def mean_of(self, dimension_id: str) -> float | None:
        return next((d.mean for d in self.dimensions if d.id == dimension_id), None)

    def as_data(self) -> dict:
        """JSON-ready, to be kept as a batch's figures (from_data reads it back)."""
        return {
            "responses": self.responses,
            "dimensions": [
                {
                    "id": d.id,
                    "title": d.title,
                    "responses": d.responses,
                    "mean": d.mean,
                    "spread": d.spread,
                    "bands": [[b.label, b.count, b.percent] for b in d.bands],
                }
                for d in self.dimensions
            ],
        }

    @classmethod
    def from_data(cls, data: dict) -> Summary:
        return cls(
            data["responses"],
            tuple(
                DimensionSummary(
                    d["id"],
                    d["title"],
                    d["responses"],
                    d["mean"],
                    d["spread"],
                    tuple(BandShare(label, count, percent) for label, count, percent in d["bands"]),
                )
                for d in data["dimensions"]
            ),
        )


def summarise(settings: dict, responses: list[dict]) -> Summary:
    """Each of the step's dimensions across the group's latest scores ({dimension id: score} each)."""
    if responses_needed(len(responses)):
        return Summary(len(responses), ())
    return Summary(
        len(responses),
        tuple(
            summarise_dimension(d, [r[d["id"]] for r in responses if r.get(d["id"]) is not None])
            for d in settings["dimensions"]
        ),
    )


def snapshot_due(responders: int, last_counted: int | None) -> bool:
    """Whether a group's figures are to be worked out again, with this many learners answered.

    The first time at five; then once at least BATCH more learners have answered than the
    last figures counted (learners who leave or delete their account do not bring it closer).
    A learner taking it again is still one learner: their new answers join at the next batch.
    """
    if last_counted is None:
        return not responses_needed(responders)
    return responders >= last_counted + BATCH
