"""Charts drawn by the server as accessible inline SVG, from plain chart data.

The chart data (``data``) is filled by ``judging.services.charts`` from the scoring core's
results: every value plotted here is a figure the core returned, with the text the core's display
rule gave it (2 decimals). This package only places them: it turns values into coordinates
(``scale``) and writes SVG (``svg`` holds the shared palette, words and pieces; one module per
chart: ``ranking``, ``judges``, ``day``, ``weights``); nothing here adds, averages or ranks.
Templates include the returned markup and the data table beside it (``rows`` of each chart), so
they do no arithmetic either.

Every chart is ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` (what the chart shows, with
its main figures) and is meant to sit next to an HTML table of the same figures.

The words a chart prints come from ``words`` (the view passes them translated); ``WORDS`` holds the
Korean defaults.
"""

from judging.charts.data import (
    DayChart,
    DayMark,
    DayPoint,
    Dot,
    Flagged,
    JudgeBar,
    JudgesChart,
    RankingChart,
    RankingRow,
    TierBand,
    TurnoutBar,
    WeightBar,
    WeightsChart,
)
from judging.charts.day import svg_day
from judging.charts.judges import svg_judges
from judging.charts.ranking import ranking_axis, svg_ranking
from judging.charts.scale import Axis, label, value_range
from judging.charts.svg import ALERT, GRID, INK, MUTED, PALETTE, PATTERNS, WORDS, tier_colour, tier_fill
from judging.charts.weights import svg_weights

__all__ = [
    "ALERT", "GRID", "INK", "MUTED", "PALETTE", "PATTERNS", "WORDS",
    "Axis", "DayChart", "DayMark", "DayPoint", "Dot", "Flagged", "JudgeBar", "JudgesChart", "RankingChart",
    "RankingRow", "TierBand", "TurnoutBar", "WeightBar", "WeightsChart",
    "label", "ranking_axis", "svg_day", "svg_judges", "svg_ranking", "svg_weights", "tier_colour", "tier_fill",
    "value_range",
]


