"""The self-assessment chart as numbers: a horizontal bar per dimension and attempt, which
the template draws as SVG with size attributes (the CSP forbids inline style).

Pure: no Flask, no database. Every bar carries its own words ("4.2 now"), so colour is
never the only way to tell the attempts apart; the page's table repeats the numbers.

Laid out for a phone: the drawing is as wide as the page's column on a 320-pixel screen
(288 CSS pixels once the page's margins are taken), so its text is drawn at its own size
there and never smaller than 12 pixels; wider screens scale it up a little (app.css caps
it). Titles wrap onto lines short enough for that width and the legend is one series a line.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

MAX_SCORE = 5
NARROWEST = 288  # the page's column on a 320-pixel screen (16-pixel margins either side)
WIDTH = NARROWEST
PLOT = 176  # the width a score of 5 fills; the rest holds the bar's words ("2.8 first time")
TEXT = 14  # font sizes, in the drawing's units: CSS pixels on a 320-pixel screen
TITLE_TEXT = 15
TITLE_LINE = 19  # from one line of a wrapped title to the next
TITLE_CHARACTERS = 30  # a title line at TITLE_TEXT in bold fits the width with room to spare
LEGEND_LINE = 22
BAR = 20
GAP = 4
ROW_GAP = 18
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
    title_lines: tuple[tuple[float, str], ...]  # (y, words): the title wrapped to the width
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot: int
    series: tuple[tuple[str, str, float], ...]  # (name, colour, y), for the legend
    rows: tuple[Row, ...]
    ticks: tuple[tuple[float, int], ...]  # (x, score) for the grid lines
    axis_y: float  # where the grid lines end and their scores are written below
    grid_top: float  # where the grid lines begin, below the legend
    text: int = TEXT
    title_text: int = TITLE_TEXT

    def smallest_text_at(self, shown_width: float) -> float:
        """The smallest font size in CSS pixels when the drawing is shown this wide."""
        return min(self.text, self.title_text) * shown_width / self.width


def _x(score: float) -> float:
    return round(PLOT * score / MAX_SCORE, 1)


def title_lines(title: str) -> list[str]:
    return textwrap.wrap(title, TITLE_CHARACTERS, break_long_words=True) or [""]


def score_chart(series: list[str], dimensions: list[tuple[str, list[float | None]]]) -> Chart:
    """Lay out one row per dimension with a bar per series (a missing score draws none)."""
    colours = COLOURS[: len(series)]
    legend = tuple((name, colour, 4 + n * LEGEND_LINE) for n, (name, colour) in enumerate(zip(series, colours)))
    rows, y = [], 4 + len(series) * LEGEND_LINE + 8
    grid_top = y
    for title, scores in dimensions:
        words = title_lines(title)
        lines = tuple((y + TITLE_TEXT + n * TITLE_LINE, line) for n, line in enumerate(words))
        bars, bar_y = [], lines[-1][0] + 8
        for name, colour, score in zip(series, colours, scores):
            if score is not None:
                bars.append(Bar(bar_y, _x(score), colour, f"{score:.1f} {name}"))
                bar_y += BAR + GAP
        rows.append(Row(title, lines, tuple(bars)))
        y = bar_y + ROW_GAP
    return Chart(
        WIDTH,
        int(y + AXIS),
        PLOT,
        legend,
        tuple(rows),
        tuple((_x(score), score) for score in range(1, MAX_SCORE + 1)),
        y,
        grid_top,
    )
