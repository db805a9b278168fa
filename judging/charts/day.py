"""The day: scoring cells completed over time and when each sheet was submitted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from markupsafe import Markup

from judging.charts.data import DayChart
from judging.charts.scale import Axis, label
from judging.charts.svg import (
    GRID,
    INK,
    MUTED,
    PALETTE,
    coordinate,
    svg_open,
    text,
    word,
)


def svg_day(chart: DayChart, words: Mapping[str, str] | None = None, prefix: str = "day") -> Markup:
    """Cumulative complete cells over the day as a step line up to the expected count, with a tick
    per submitted sheet."""
    width, height = 980, 330
    left, right, top, bottom = 70, 950, 30, 240
    span = (chart.end - chart.start).total_seconds() or 1.0

    def tx(at: dt.datetime) -> float:
        return left + (right - left) * min(1.0, max(0.0, (at - chart.start).total_seconds() / span))

    y_axis = Axis(Decimal(0), Decimal(max(chart.expected, 1)), bottom, top)
    done = chart.points[-1].done if chart.points else 0
    desc = [word(words, "day_desc"), f"{word(words, 'cells_done')} {done}/{chart.expected}."]
    desc += [f"{m.label} {word(words, 'submitted')} {m.at:%H:%M}." for m in chart.submissions]
    out = svg_open(prefix, width, height, chart.caption or word(words, "day_title"), " ".join(desc), "chart--day")
    for tick in y_axis.ticks(5):
        y = y_axis.at(tick)
        out.append(f'<line x1="{left}" y1="{coordinate(y)}" x2="{right}" y2="{coordinate(y)}" stroke="{GRID}"/>')
        out.append(text(left - 8, y + 5, label(tick), anchor="end", size=13, fill=MUTED))
    target = y_axis.at(Decimal(chart.expected))
    out.append(f'<line x1="{left}" y1="{coordinate(target)}" x2="{right}" y2="{coordinate(target)}" stroke="{PALETTE[2]}" '
               f'stroke-width="2" stroke-dasharray="8 4" data-count="{chart.expected}" data-measure="expected"/>')
    minutes = max(1, int(span // 60))
    step = next(s for s in (5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 10080) if minutes / s <= 8)
    first = chart.start.replace(second=0, microsecond=0)
    first += dt.timedelta(minutes=(-first.minute) % step if step < 60 else (60 - first.minute) % 60)
    tick_at = first
    while tick_at <= chart.end:
        x = tx(tick_at)
        out.append(f'<line x1="{coordinate(x)}" y1="{top}" x2="{coordinate(x)}" y2="{bottom}" stroke="{GRID}"/>')
        out.append(text(x, bottom + 20, f"{tick_at:%H:%M}", anchor="middle", size=13, fill=MUTED))
        tick_at += dt.timedelta(minutes=step)
    if chart.points:
        path = [f"M{coordinate(tx(chart.start))} {coordinate(y_axis.at(Decimal(0)))}"]
        for point in chart.points:
            path.append(f"H{coordinate(tx(point.at))}V{coordinate(y_axis.at(Decimal(point.done)))}")
        path.append(f"H{coordinate(tx(chart.end))}")
        out.append(f'<path d="{"".join(path)}" fill="none" stroke="{PALETTE[0]}" stroke-width="3" '
                   f'data-count="{done}" data-measure="done"/>')
        last = chart.points[-1]
        y = y_axis.at(Decimal(last.done))
        out.append(text(tx(chart.end) - 4, y + 22 if y - target < 24 else y - 8, f"{last.done}/{chart.expected}",
                         anchor="end", size=15, weight="bold"))
    else:
        out.append(text(left + 12, bottom - 12, word(words, "nothing_yet"), size=14, fill=MUTED))
    for i, mark in enumerate(chart.submissions):
        x = tx(mark.at)
        out.append(f'<path d="M{coordinate(x)} {bottom + 26}l-6 10h12z" fill="{PALETTE[1]}" stroke="{INK}"/>')
        # labels on three lines in turn, so sheets submitted minutes apart stay readable
        out.append(text(x, bottom + 50 + 15 * (i % 3), f"{mark.label} {mark.time}", anchor="middle", size=12))
    out.append("</svg>")
    return Markup("".join(out))
