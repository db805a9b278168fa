"""The judges against the panel: severity (offset from the panel mean), spread, agreement, and the
entries the core flagged for disagreement."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from markupsafe import Markup

from judging.charts.data import JudgesChart
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
    word,
)


def svg_judges(chart: JudgesChart, words: Mapping[str, str] | None = None, prefix: str = "judges") -> Markup:
    """Each judge's offset from the panel (a bar left = harsher, right = more lenient) and spread
    (a bar from 0), the panel agreement on a 0–1 gauge with its band, and the flagged entries'
    totals on the round's scale."""
    width = 980
    row_h = 32
    top = 56
    judges = chart.judges
    flagged = chart.flagged
    body = top + row_h * max(len(judges), 1)
    gauge_y = body + 46
    flag_top = gauge_y + 70
    height = flag_top + (row_h * len(flagged) + 40 if flagged else 0) + 10
    desc = [word(words, "judges_desc")]
    for j in judges:
        if j.n == 0:
            desc.append(f"{j.name}: {word(words, 'no_scores')}.")
        else:
            desc.append(f"{j.name}: n {j.n}, {word(words, 'offset')} {j.offset_display}, "
                        f"{word(words, 'spread')} {j.std_display}.")
    if chart.agreement_display:
        desc.append(f"{word(words, 'agreement')} ICC(2,1) {chart.agreement_display} ({chart.agreement_band}).")
    else:
        desc.append(f"{word(words, 'agreement')}: {chart.agreement_note or word(words, 'agreement_none')}.")
    for f in flagged:
        totals = ", ".join(f"{d.judge} {d.display}".strip() for d in f.dots)
        desc.append(f"{word(words, 'disagreements')}: {f.name} {f.spread_display} ({totals}).")
    out = svg_open(prefix, width, height, chart.caption or word(words, "judges_title"), " ".join(desc), "chart--judges")

    offsets = [abs(j.offset) for j in judges if j.offset is not None]
    reach = max(offsets, default=Decimal(1))
    reach = max(Decimal(1), (reach / Decimal(5)).to_integral_value(rounding="ROUND_CEILING") * 5)
    off_axis = Axis(-reach, reach, 230, 620)
    stds = [j.std for j in judges if j.std is not None]
    std_hi = max(stds, default=Decimal(1))
    std_hi = max(Decimal(1), (std_hi / Decimal(5)).to_integral_value(rounding="ROUND_CEILING") * 5)
    std_axis = Axis(Decimal(0), std_hi, 700, 940)
    out.append(text(off_axis.left, top - 30, word(words, "offset"), size=13, weight="bold"))
    out.append(text(std_axis.left, top - 30, word(words, "spread"), size=13, weight="bold"))
    out.append(text(off_axis.left, top - 12, "← " + word(words, "harsh"), size=12, fill=MUTED))
    out.append(text(off_axis.right, top - 12, word(words, "lenient") + " →", anchor="end", size=12, fill=MUTED))
    zero = off_axis.at(Decimal(0))
    for tick in off_axis.ticks(6):
        x = off_axis.at(tick)
        out.append(f'<line x1="{coordinate(x)}" y1="{top}" x2="{coordinate(x)}" y2="{body}" stroke="{GRID}"/>')
        out.append(text(x, body + 16, label(tick), anchor="middle", size=12, fill=MUTED))
    for tick in std_axis.ticks(5):
        x = std_axis.at(tick)
        out.append(f'<line x1="{coordinate(x)}" y1="{top}" x2="{coordinate(x)}" y2="{body}" stroke="{GRID}"/>')
        out.append(text(x, body + 16, label(tick), anchor="middle", size=12, fill=MUTED))
    out.append(f'<line x1="{coordinate(zero)}" y1="{top - 4}" x2="{coordinate(zero)}" y2="{body + 2}" stroke="{INK}" stroke-width="1.5"/>')
    for i, j in enumerate(judges):
        y = top + i * row_h
        cy = y + row_h / 2
        out.append(f'<g data-judge="{escaped(j.key)}">')
        out.append(text(10, cy + 5, ellipsis(j.name, 14), size=15))
        out.append(text(200, cy + 5, f"n {j.n}", anchor="end", size=12, fill=MUTED))
        if j.offset is None:
            out.append(text(zero + 8, cy + 5, word(words, "no_scores"), size=13, fill=MUTED))
        else:
            x = off_axis.at(j.offset)
            left, right = sorted((zero, x))
            harsh = j.offset < 0
            # harsher: vermillion with a dashed outline; more lenient: blue, plain (colour and line differ)
            fill = PALETTE[5] if harsh else PALETTE[0]
            pattern = f' stroke="{INK}" stroke-dasharray="3 2"' if harsh else ""
            out.append(f'<rect x="{coordinate(left)}" y="{coordinate(cy - 9)}" width="{coordinate(max(right - left, 1.5))}" height="18" '
                       f'fill="{fill}"{pattern} data-value="{escaped(j.offset_display)}" data-measure="offset"/>')
            tx = x - 6 if harsh else x + 6
            out.append(text(tx, cy + 5, j.offset_display or "", anchor="end" if harsh else "start", size=13))
        if j.std is not None:
            x = std_axis.at(j.std)
            out.append(f'<rect x="{coordinate(std_axis.left)}" y="{coordinate(cy - 7)}" width="{coordinate(max(x - std_axis.left, 1.5))}" '
                       f'height="14" fill="{PALETTE[2]}" data-value="{escaped(j.std_display)}" data-measure="spread"/>')
            out.append(text(x + 6, cy + 5, j.std_display or "", size=13))
        out.append("</g>")
    # agreement gauge 0..1
    gauge = Axis(Decimal(0), Decimal(1), 230, 940)
    out.append(text(10, gauge_y + 4, word(words, "agreement"), size=14, weight="bold"))
    out.append(text(10, gauge_y + 22, "ICC(2,1)", size=12, fill=MUTED))
    out.append(f'<rect x="{gauge.left}" y="{gauge_y - 10}" width="{coordinate(gauge.right - gauge.left)}" height="20" '
               f'fill="#f1f3f4" stroke="{GRID}"/>')
    for tick in (Decimal(0), Decimal("0.25"), Decimal("0.5"), Decimal("0.75"), Decimal(1)):
        x = gauge.at(tick)
        out.append(text(x, gauge_y + 28, label(tick), anchor="middle", size=12, fill=MUTED))
    if chart.agreement is not None:
        x = gauge.at(chart.agreement)
        out.append(f'<rect x="{gauge.left}" y="{gauge_y - 10}" width="{coordinate(x - gauge.left)}" height="20" '
                   f'fill="url(#{prefix}-p2)" stroke="{PALETTE[2]}"/>')
        out.append(f'<path d="M{coordinate(x)} {gauge_y - 16}l-7 -10h14z" fill="{INK}" data-value="{escaped(chart.agreement_display)}" '
                   'data-measure="agreement"/>')
        out.append(text(x, gauge_y - 30, f"{chart.agreement_display} · {chart.agreement_band}",
                         anchor="end" if x > 700 else "start", size=14, weight="bold"))
    else:
        out.append(text(gauge.left + 10, gauge_y + 5, chart.agreement_note or word(words, "agreement_none"), size=13,
                         fill=MUTED))
    # flagged entries
    if flagged:
        axis = Axis(*value_range([d.value for f in flagged for d in f.dots], chart.scale_max), 230, 900)
        out.append(text(10, flag_top + 4, word(words, "disagreements"), size=14, weight="bold", fill=ALERT))
        for tick in axis.ticks(8):
            x = axis.at(tick)
            out.append(text(x, flag_top + 4, label(tick), anchor="middle", size=12, fill=MUTED))
        for i, f in enumerate(flagged):
            cy = flag_top + 24 + i * row_h
            out.append(text(10, cy + 5, ellipsis(f.name, 14), size=14))
            x1, x2 = axis.at(f.lowest), axis.at(f.highest)
            out.append(f'<line x1="{coordinate(x1)}" y1="{coordinate(cy)}" x2="{coordinate(x2)}" y2="{coordinate(cy)}" stroke="{ALERT}" '
                       f'stroke-width="4" data-value="{escaped(f.spread_display)}" data-measure="disagreement"/>')
            for dot in f.dots:
                out.append(f'<circle cx="{coordinate(axis.at(dot.value))}" cy="{coordinate(cy)}" r="5" fill="{INK}" '
                           f'data-value="{escaped(dot.display)}"><title>{escaped(dot.judge)} {escaped(dot.display)}</title></circle>')
            out.append(text(940, cy + 5, f.spread_display, anchor="end", size=14, weight="bold", fill=ALERT))
    out.insert(3, pattern_defs(prefix))
    out.append("</svg>")
    return Markup("".join(out))
