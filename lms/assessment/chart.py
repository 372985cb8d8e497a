"""The self-assessment chart as numbers: a horizontal bar per dimension and attempt, which
the template draws as SVG with size attributes (the CSP forbids inline style).

Pure: no Flask, no database. Every bar carries its own words ("4.2 now"), so colour is
never the only way to tell the attempts apart; the page's table repeats the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_SCORE = 5
WIDTH = 640
PLOT = 460  # the width a score of 5 fills; the rest holds the bar's words
TITLE = 22  # room for a dimension's title above its bars
BAR = 20
GAP = 4
ROW_GAP = 18
LEGEND = 34
AXIS = 24  # below the bars: the scores 1 to 5 under their grid lines
# NHS blue, mid grey and purple: each at least 3:1 against white (WCAG 1.4.11).
COLOURS = ("#005eb8", "#768692", "#330072")


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    colour: str
    words: str  # "4.2 now"


@dataclass(frozen=True)
class Row:
    title: str
    title_y: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot: int
    series: tuple[tuple[str, str], ...]  # (name, colour), for the legend
    rows: tuple[Row, ...]
    ticks: tuple[tuple[float, int], ...]  # (x, score) for the grid lines
    axis_y: float  # where the grid lines end and their scores are written below


def _x(score: float) -> float:
    return round(PLOT * score / MAX_SCORE, 1)


def score_chart(series: list[str], dimensions: list[tuple[str, list[float | None]]]) -> Chart:
    """Lay out one row per dimension with a bar per series (a missing score draws none)."""
    colours = COLOURS[: len(series)]
    rows, y = [], LEGEND
    for title, scores in dimensions:
        bars, bar_y = [], y + TITLE
        for name, colour, score in zip(series, colours, scores):
            if score is not None:
                bars.append(Bar(bar_y, _x(score), colour, f"{score:.1f} {name}"))
                bar_y += BAR + GAP
        rows.append(Row(title, y + TITLE - 7, tuple(bars)))
        y = bar_y + ROW_GAP
    return Chart(
        WIDTH,
        int(y + AXIS),
        PLOT,
        tuple(zip(series, colours)),
        tuple(rows),
        tuple((_x(score), score) for score in range(1, MAX_SCORE + 1)),
        y,
    )
