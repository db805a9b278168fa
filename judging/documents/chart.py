"""The ranking chart of the result report as a reportlab drawing: the same chart data and the same
value axis as the organizer page's SVG (``judging.charts``), drawn for print.

Each row: the entry's final score (a bar mark), its judges' totals (dots, hollow when trimmed),
the tier as a tint with the tier's pattern in a strip at the left (tells tiers apart in black and
white), a dashed line at each tier's lowest score, a bracket joining tied rows.
"""

from __future__ import annotations

import itertools

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors

from judging import charts

from .fonts import SERIF, SERIF_BOLD, register_fonts

ROW_H = 15.0
TOP = 26.0  # above the first row: tick labels
BOTTOM = 40.0  # below the last row: cut-off labels and the legend
INK = colors.HexColor(charts.INK)
MUTED = colors.HexColor(charts.MUTED)
GRID = colors.HexColor(charts.GRID)
WHITE = colors.white


def _colour(index: int | None) -> colors.Color:
    return colors.HexColor(charts.tier_colour(index))


def _pattern(d: Drawing, index: int | None, x: float, y: float, w: float, h: float) -> None:
    """The tier's pattern (charts.PATTERNS) drawn by hand in a strip: reportlab has no pattern fill."""
    colour = _colour(index)
    d.add(Rect(x, y, w, h, fillColor=colors.Color(colour.red, colour.green, colour.blue, 0.18), strokeColor=colour,
               strokeWidth=0.8))
    kind = "pending" if index is None else charts.PATTERNS[index % len(charts.PATTERNS)]
    step = 4.0
    if kind == "solid":
        d.add(Rect(x, y, w, h, fillColor=colour, strokeColor=None))
    elif kind in ("diagonal", "pending", "cross"):
        k = -h
        while k < w:
            x1, y1, x2, y2 = x + max(k, 0), y + max(-k, 0), x + min(k + h, w), y + min(h, w - k)
            d.add(Line(x1, y1, x2, y2, strokeColor=colour, strokeWidth=0.8 if kind != "pending" else 1.4))
            if kind == "cross":
                d.add(Line(x1, y + h - (y1 - y), x2, y + h - (y2 - y), strokeColor=colour, strokeWidth=0.6))
            k += step
    elif kind == "dots":
        for i, j in itertools.product(range(int(w // step)), range(int(h // step))):
            d.add(Circle(x + 2 + i * step, y + 2 + j * step, 0.6, fillColor=colour, strokeColor=None))
    elif kind in ("vertical", "grid"):
        for i in range(1, int(w // step) + 1):
            d.add(Line(x + i * step - 2, y, x + i * step - 2, y + h, strokeColor=colour, strokeWidth=0.8))
    if kind in ("horizontal", "grid"):
        for j in range(1, int(h // step) + 1):
            d.add(Line(x, y + j * step - 2, x + w, y + j * step - 2, strokeColor=colour, strokeWidth=0.8))


def ranking_drawing(chart: charts.RankingChart, width: float) -> Drawing:
    """The ranking chart, ``width`` points wide (its height follows the number of rows)."""
    register_fonts()
    rows = chart.rows
    height = TOP + ROW_H * max(len(rows), 1) + BOTTOM
    d = Drawing(width, height)
    left = width * 0.36
    right_text = 34.0
    values = [r.value for r in rows if r.value is not None]
    values += [t.cutoff for t in chart.tiers if t.cutoff is not None]
    if chart.dots:
        values += [dot.value for r in rows for dot in r.dots]
    lo, hi = charts.value_range(values, chart.scale_max)
    axis = charts.Axis(lo, hi, left + 6, width - right_text - 6)
    tier_index = {t.key: i for i, t in enumerate(chart.tiers)}

    def row_y(i: int) -> float:  # bottom of row i (reportlab's y grows upwards)
        return height - TOP - (i + 1) * ROW_H

    for tier, group in itertools.groupby(enumerate(rows), key=lambda pair: pair[1].tier):
        members = list(group)
        if tier is None:
            continue
        index = None if tier == "pending" else tier_index.get(tier)
        first, last = members[0][0], members[-1][0]
        y, h = row_y(last), ROW_H * len(members)
        colour = _colour(index)
        d.add(Rect(0, y, width, h, fillColor=colors.Color(colour.red, colour.green, colour.blue, 0.08),
                   strokeColor=None))
        _pattern(d, index, 0, y, 12, h)
        d.add(Line(0, y + h, width, y + h, strokeColor=colour, strokeWidth=0.8))
        del first
    bottom_of_rows = row_y(len(rows) - 1) if rows else height - TOP
    for tick in axis.ticks(8):
        x = axis.at(tick)
        d.add(Line(x, bottom_of_rows, x, height - TOP + 3, strokeColor=GRID, strokeWidth=0.4))
        d.add(String(x, height - TOP + 6, charts.label(tick), fontName=SERIF, fontSize=6.5, fillColor=MUTED,
                     textAnchor="middle"))
    for i, band in enumerate(chart.tiers):
        if band.cutoff is None:
            continue
        x = axis.at(band.cutoff)
        d.add(Line(x, bottom_of_rows - 3, x, height - TOP + 2, strokeColor=_colour(i), strokeWidth=1,
                   strokeDashArray=[3, 2]))
        d.add(String(x, bottom_of_rows - 11 - 8 * (i % 2), f"{band.title} {band.cutoff_display}", fontName=SERIF,
                     fontSize=6.5, fillColor=INK, textAnchor="middle"))
    for i, row in enumerate(rows):
        cy = row_y(i) + ROW_H / 2
        rank = "—" if row.rank is None else str(row.rank)
        d.add(String(16, cy - 2.5, rank + ("=" if row.tied else ""), fontName=SERIF_BOLD, fontSize=7.5, fillColor=INK))
        name = row.name if len(row.name) <= 16 else row.name[:15] + "…"
        d.add(String(36, cy - 2.5, name, fontName=SERIF, fontSize=7.5, fillColor=INK))
        tier_text = "동점 결정 필요" if row.tier == "pending" else row.tier_title
        if tier_text:
            d.add(String(left - 3, cy - 2.5, tier_text, fontName=SERIF, fontSize=6.5,
                         fillColor=colors.HexColor(charts.ALERT) if row.tier == "pending" else MUTED,
                         textAnchor="end"))
        if row.dots and chart.dots:
            xs = [axis.at(dot.value) for dot in row.dots]
            d.add(Line(min(xs), cy, max(xs), cy, strokeColor=colors.HexColor(charts.ALERT) if row.disagreement
                       else MUTED, strokeWidth=1.6 if row.disagreement else 0.7))
            for dot, x in zip(row.dots, xs, strict=True):
                d.add(Circle(x, cy, 2.6, fillColor=INK if dot.counted else WHITE, strokeColor=INK, strokeWidth=0.8))
        if row.value is not None:
            x = axis.at(row.value)
            d.add(Rect(x - 1.5, cy - 5.5, 3, 11, fillColor=colors.HexColor(charts.PALETTE[0]), strokeColor=INK,
                       strokeWidth=0.5))
            d.add(String(width - 2, cy - 2.5, row.display or "", fontName=SERIF_BOLD, fontSize=7.5, fillColor=INK,
                         textAnchor="end"))
    for _rank, group in itertools.groupby(enumerate(rows), key=lambda pair: pair[1].rank):
        members = [i for i, r in group if r.tied]
        if len(members) > 1:
            y1, y2 = row_y(members[0]) + ROW_H - 3, row_y(members[-1]) + 3
            d.add(PolyLine([34, y1, 32, y1, 32, y2, 34, y2], strokeColor=colors.HexColor(charts.ALERT),
                           strokeWidth=1.4))
    # legend
    ly = 5.0
    x = left
    d.add(Rect(x, ly - 1, 3, 8, fillColor=colors.HexColor(charts.PALETTE[0]), strokeColor=INK, strokeWidth=0.5))
    d.add(String(x + 6, ly, "최종 점수", fontName=SERIF, fontSize=6.5, fillColor=INK))
    if chart.dots:
        d.add(Circle(x + 52, ly + 2.5, 2.6, fillColor=INK, strokeColor=INK))
        d.add(String(x + 57, ly, "집계된 심사위원 합계", fontName=SERIF, fontSize=6.5, fillColor=INK))
        d.add(Circle(x + 132, ly + 2.5, 2.6, fillColor=WHITE, strokeColor=INK, strokeWidth=0.8))
        d.add(String(x + 137, ly, "제외된 점수", fontName=SERIF, fontSize=6.5, fillColor=INK))
    d.add(PolyLine([x + 186, ly + 7, x + 184, ly + 7, x + 184, ly - 1, x + 186, ly - 1],
                   strokeColor=colors.HexColor(charts.ALERT), strokeWidth=1.2))
    d.add(String(x + 190, ly, "동점", fontName=SERIF, fontSize=6.5, fillColor=INK))
    return d
