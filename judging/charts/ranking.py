"""The ranking: each entry's final score, its judges' totals (trimmed ones hollow), the tier bands
and their cut-off scores."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from markupsafe import Markup

from judging.charts.data import RankingChart
from judging.charts.scale import Axis, label, value_range
from judging.charts.svg import (
    ALERT,
    GRID,
    INK,
    MUTED,
    PALETTE,
    coordinate,
    ellipsis,
    escaped,
    pattern_defs,
    svg_open,
    text,
    tier_colour,
    tier_fill,
    word,
)

ROW_H = 34
LEFT = 340
RIGHT_TEXT = 88


def ranking_axis(chart: RankingChart, width: int = 980) -> Axis:
    values = [r.value for r in chart.rows if r.value is not None]
    values += [t.cutoff for t in chart.tiers if t.cutoff is not None]
    if chart.dots:
        values += [d.value for r in chart.rows for d in r.dots]
    lo, hi = value_range(values, chart.scale_max)
    return Axis(lo, hi, LEFT + 10, width - RIGHT_TEXT - 10)


def svg_ranking(chart: RankingChart, words: Mapping[str, str] | None = None, prefix: str = "rank") -> Markup:
    """The ranking: a row per entry, its final score as a bar-mark, its judges' totals as dots
    (hollow when trimmed), tier bands behind, a dashed cut-off line per tier, ties bracketed."""
    width = 980
    top = 58
    rows = chart.rows
    height = top + ROW_H * max(len(rows), 1) + 86
    axis = ranking_axis(chart, width)
    tier_index = {t.key: i for i, t in enumerate(chart.tiers)}
    lo, hi = label(axis.lo), label(axis.hi)
    desc_parts = [word(words, "ranking_desc"), word(words, "axis_from") % {"lo": lo, "hi": hi}]
    if chart.total > len(rows):
        desc_parts.append(word(words, "top_only") % {"total": chart.total, "shown": len(rows)})
    for row in rows:
        bits = [f"{row.rank or '—'}. {row.name}", row.display or "—", row.tier_title]
        if row.tied:
            bits.append(word(words, "tie"))
        if row.disagreement:
            bits.append(word(words, "disagreement"))
        if row.dots:
            bits.append(word(words, "judge_totals") + " " + ", ".join(
                d.display + ("" if d.counted else f" ({word(words, 'trimmed')})") for d in row.dots))
        desc_parts.append(" ".join(bits) + ".")
    for band in chart.tiers:
        if band.cutoff_display:
            desc_parts.append(f"{band.title} {word(words, 'cutoff')} {band.cutoff_display}.")
    out = svg_open(prefix, width, height, chart.caption or word(words, "ranking_title"), " ".join(desc_parts), "chart--ranking")
    out.append(pattern_defs(prefix))

    # tier bands: consecutive rows of one tier share a band
    y0 = top
    for tier, group in itertools.groupby(enumerate(rows), key=lambda pair: pair[1].tier):
        members = list(group)
        first, count = members[0][0], len(members)
        y = y0 + first * ROW_H
        if tier is None:
            continue
        index = None if tier == "pending" else tier_index.get(tier)
        # a light tint behind the text, the tier's pattern in a strip at the left (tells tiers apart in print)
        out.append(f'<rect x="0" y="{y}" width="{width}" height="{ROW_H * count}" fill="{tier_colour(index)}" '
                   f'fill-opacity="0.10" data-tier="{escaped(tier)}"/>')
        out.append(f'<rect x="0" y="{y}" width="30" height="{ROW_H * count}" fill="{tier_fill(index, prefix)}" '
                   f'stroke="{tier_colour(index)}" stroke-width="1.5"/>')
        out.append(f'<line x1="0" y1="{y}" x2="{width}" y2="{y}" stroke="{tier_colour(index)}" stroke-width="1.5"/>')
    # grid and axis
    for tick in axis.ticks():
        x = axis.at(tick)
        out.append(f'<line x1="{coordinate(x)}" y1="{top - 6}" x2="{coordinate(x)}" y2="{top + ROW_H * len(rows)}" stroke="{GRID}" '
                   'stroke-width="1"/>')
        out.append(text(x, top - 12, label(tick), anchor="middle", size=13, fill=MUTED))
    # cut-offs
    for i, band in enumerate(chart.tiers):
        if band.cutoff is None:
            continue
        x = axis.at(band.cutoff)
        out.append(f'<line x1="{coordinate(x)}" y1="{top - 4}" x2="{coordinate(x)}" y2="{top + ROW_H * len(rows) + 6}" '
                   f'stroke="{tier_colour(i)}" stroke-width="2" stroke-dasharray="6 4" data-cutoff="{escaped(band.key)}" '
                   f'data-value="{escaped(band.cutoff_display)}"/>')
        out.append(text(x, top + ROW_H * len(rows) + 22 + 16 * (i % 2), f"{band.title} {band.cutoff_display}",
                         anchor="middle", size=13, fill=INK))
    # rows
    for i, row in enumerate(rows):
        cy = top + i * ROW_H + ROW_H / 2
        rank = "—" if row.rank is None else str(row.rank)
        out.append(f'<g data-entry="{escaped(row.key)}">')
        out.append(text(40, cy + 5, rank + ("=" if row.tied else ""), size=15, weight="bold"))
        out.append(text(84, cy + 5, ellipsis(row.name, 14), size=15))
        if row.tier == "pending":
            out.append(text(LEFT - 6, cy + 5, word(words, "pending"), anchor="end", size=12, fill=ALERT,
                             weight="bold"))
        elif row.tier_title:
            out.append(text(LEFT - 6, cy + 5, row.tier_title, anchor="end", size=12, fill=MUTED))
        if row.dots and chart.dots:
            xs = [axis.at(d.value) for d in row.dots]
            colour = ALERT if row.disagreement else MUTED
            stroke = "3" if row.disagreement else "1.5"
            out.append(f'<line x1="{coordinate(min(xs))}" y1="{coordinate(cy)}" x2="{coordinate(max(xs))}" y2="{coordinate(cy)}" stroke="{colour}" '
                       f'stroke-width="{stroke}"/>')
            for dot, x in zip(row.dots, xs, strict=True):
                fill = INK if dot.counted else "#ffffff"
                title = f"{dot.judge} {dot.display}".strip()
                out.append(f'<circle cx="{coordinate(x)}" cy="{coordinate(cy)}" r="5.5" fill="{fill}" stroke="{INK}" '
                           f'stroke-width="1.6" data-value="{escaped(dot.display)}" '
                           f'data-counted="{"yes" if dot.counted else "no"}"><title>{escaped(title)}</title></circle>')
        if row.value is not None:
            x = axis.at(row.value)
            out.append(f'<rect x="{coordinate(x - 3)}" y="{coordinate(cy - 12)}" width="6" height="24" fill="{PALETTE[0]}" '
                       f'stroke="{INK}" stroke-width="1" data-value="{escaped(row.display)}" data-final="yes"/>')
            out.append(text(width - 10, cy + 5, row.display or "", anchor="end", size=15, weight="bold"))
        if row.disagreement:
            out.append(text(width - RIGHT_TEXT - 4, cy - 7, "!", anchor="end", size=14, weight="bold", fill=ALERT))
        out.append("</g>")
    # tie brackets: rows sharing a rank
    for _rank, group in itertools.groupby(enumerate(rows), key=lambda pair: pair[1].rank):
        members = [i for i, r in group if r.tied]
        if len(members) > 1:
            y1 = top + members[0] * ROW_H + 8
            y2 = top + members[-1] * ROW_H + ROW_H - 8
            out.append(f'<path d="M76 {y1}H72V{y2}H76" fill="none" stroke="{ALERT}" stroke-width="2.5" data-tie="yes"/>')
    # legend
    ly = height - 14
    out.append(f'<rect x="{LEFT + 10}" y="{ly - 12}" width="6" height="16" fill="{PALETTE[0]}" stroke="{INK}"/>')
    out.append(text(LEFT + 22, ly, word(words, "final_score"), size=13))
    out.append(f'<circle cx="{LEFT + 130}" cy="{ly - 4}" r="5.5" fill="{INK}"/>')
    out.append(text(LEFT + 142, ly, word(words, "counted"), size=13))
    out.append(f'<circle cx="{LEFT + 250}" cy="{ly - 4}" r="5.5" fill="#ffffff" stroke="{INK}" stroke-width="1.6"/>')
    out.append(text(LEFT + 262, ly, word(words, "trimmed"), size=13))
    out.append(f'<path d="M{LEFT + 370} {ly - 12}H{LEFT + 366}V{ly + 2}H{LEFT + 370}" fill="none" stroke="{ALERT}" '
               'stroke-width="2.5"/>')
    out.append(text(LEFT + 378, ly, word(words, "tie"), size=13))
    out.append(text(LEFT + 440, ly, "! " + word(words, "disagreement"), size=13, fill=ALERT))
    out.append("</svg>")
    return Markup("".join(out))
