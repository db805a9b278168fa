"""A weighted final's components (announced against effective weight) and the audience rounds' turnout."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from markupsafe import Markup

from judging.charts.data import WeightsChart
from judging.charts.scale import Axis, label
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


def svg_weights(chart: WeightsChart, words: Mapping[str, str] | None = None, prefix: str = "weights") -> Markup:
    """Announced against effective weight of each component, in percent (two bars per component:
    solid = announced, patterned = effective)."""
    width = 980
    row_h = 54
    top = 40
    turnout_top = top + row_h * max(len(chart.components), 1) + 50
    height = turnout_top + (36 * len(chart.turnouts) + 30 if chart.turnouts else 0) + 10
    axis = Axis(Decimal(0), Decimal(100), 240, 900)
    desc = [word(words, "weights_desc")]
    desc += [f"{c.title}: {word(words, 'announced')} {c.announced_display}%, {word(words, 'effective')} "
             f"{c.effective_display or '—'}%." for c in chart.components]
    if chart.note:
        desc.append(chart.note)
    desc += [f"{t.title} {word(words, 'turnout')} {t.percent_display or '—'}% "
             f"({word(words, 'ballots') % {'cast': t.cast, 'valid': t.valid}})." for t in chart.turnouts]
    out = svg_open(prefix, width, height, chart.caption or word(words, "weights_title"), " ".join(desc), "chart--weights")
    out.append(pattern_defs(prefix))
    for tick in axis.ticks(10):
        x = axis.at(tick)
        out.append(f'<line x1="{coordinate(x)}" y1="{top - 4}" x2="{coordinate(x)}" y2="{top + row_h * len(chart.components)}" '
                   f'stroke="{GRID}"/>')
        out.append(text(x, top - 10, label(tick) + "%", anchor="middle", size=12, fill=MUTED))
    for i, c in enumerate(chart.components):
        y = top + i * row_h
        out.append(text(10, y + 30, ellipsis(c.title, 16), size=15, fill=ALERT if c.warning else INK,
                         weight="bold" if c.warning else None))
        x = axis.at(c.announced)
        out.append(f'<rect x="{axis.left}" y="{y + 6}" width="{coordinate(x - axis.left)}" height="18" fill="{PALETTE[0]}" '
                   f'data-value="{escaped(c.announced_display)}" data-measure="announced"/>')
        out.append(text(x + 6, y + 20, f"{c.announced_display}%", size=13))
        if c.effective is not None:
            x = axis.at(c.effective)
            out.append(f'<rect x="{axis.left}" y="{y + 28}" width="{coordinate(x - axis.left)}" height="18" '
                       f'fill="url(#{prefix}-p1)" stroke="{PALETTE[1]}" data-value="{escaped(c.effective_display)}" '
                       'data-measure="effective"/>')
            out.append(text(x + 6, y + 42, f"{c.effective_display}%", size=13))
    if chart.turnouts:
        out.append(text(10, turnout_top, word(words, "turnout"), size=14, weight="bold"))
        for i, t in enumerate(chart.turnouts):
            y = turnout_top + 14 + i * 36
            out.append(text(10, y + 16, ellipsis(t.title, 16), size=14))
            out.append(f'<rect x="{axis.left}" y="{y}" width="{coordinate(axis.right - axis.left)}" height="20" '
                       f'fill="#f1f3f4" stroke="{GRID}"/>')
            if t.percent is not None:
                x = axis.at(t.percent)
                out.append(f'<rect x="{axis.left}" y="{y}" width="{coordinate(x - axis.left)}" height="20" '
                           f'fill="url(#{prefix}-p2)" stroke="{PALETTE[2]}" data-value="{escaped(t.percent_display)}" '
                           'data-measure="turnout"/>')
            label_text = f"{t.percent_display or '—'}% · " + word(words, "ballots") % {"cast": t.cast, "valid": t.valid}
            out.append(text(axis.right, y + 15, label_text, anchor="end", size=13))
    ly = top + row_h * max(len(chart.components), 1) + 26
    out.append(f'<rect x="{axis.left}" y="{ly - 12}" width="16" height="14" fill="{PALETTE[0]}"/>')
    out.append(text(axis.left + 22, ly, word(words, "announced"), size=13))
    out.append(f'<rect x="{axis.left + 140}" y="{ly - 12}" width="16" height="14" fill="url(#{prefix}-p1)" '
               f'stroke="{PALETTE[1]}"/>')
    out.append(text(axis.left + 162, ly, word(words, "effective"), size=13))
    out.append("</svg>")
    return Markup("".join(out))
