"""Charts drawn by the server as accessible inline SVG, from plain chart data.

The chart data (the dataclasses below) is filled by ``judging.services.charts`` from the scoring
core's results: every value plotted here is a figure the core returned, with the text the core's
display rule gave it (2 decimals). This module only places them: it turns values into coordinates
and writes SVG; nothing here adds, averages or ranks. Templates include the returned markup and
the data table beside it (``rows`` of each chart), so they do no arithmetic either.

Every chart is ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` (what the chart shows, with
its main figures) and is meant to sit next to an HTML table of the same figures. Colours come from
the Okabe–Ito palette (safe for the common colour-vision deficiencies) and every colour is paired
with a pattern or a shape, so the chart reads in black-and-white print and on a washed-out projector.
No style attribute is written (the pages' Content-Security-Policy forbids inline styles): colours
are SVG presentation attributes and the text size follows the viewBox.

The words a chart prints come from ``words`` (the view passes them translated); ``WORDS`` holds the
Korean defaults.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from markupsafe import Markup

from judging.formatting import time_24

# Okabe & Ito (2008), "Color Universal Design": distinguishable with any common colour deficiency.
INK = "#1a1a1a"
MUTED = "#5f6368"
GRID = "#c9ccd1"
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
ALERT = "#D55E00"  # vermillion: disagreement, pending tie
#: one fill pattern per tier (paired with PALETTE by position); "pending" gets its own hatching
PATTERNS = ("solid", "diagonal", "dots", "cross", "vertical", "horizontal", "grid")

def N_(message: str) -> str:
    """Mark ``message`` for extraction (``make translations``) without translating it here."""
    return message


WORDS: dict[str, str] = {
    "ranking_title": N_("순위와 심사위원별 점수"),
    "ranking_desc": N_("참가작마다 최종 점수(굵은 세로 막대)와 심사위원 합계(점)를 보입니다. "
                    "빈 점은 최고점·최저점 제외로 빠진 점수입니다. 배경은 등급, 세로 점선은 등급 경계 점수입니다."),
    "score": N_("점수"),
    "judge_totals": N_("심사위원 합계"),
    "trimmed": N_("제외된 점수"),
    "counted": N_("집계된 점수"),
    "final_score": N_("최종 점수"),
    "cutoff": N_("경계"),
    "tie": N_("동점"),
    "pending": N_("동점 결정 필요"),
    "disagreement": N_("의견 차이 큼"),
    "no_tier": N_("등급 없음"),
    "axis_from": N_("가로축은 %(lo)s점부터 %(hi)s점까지입니다."),
    "top_only": N_("전체 %(total)s곳 가운데 상위 %(shown)s곳을 그렸습니다."),
    "judges_title": N_("심사위원별 경향"),
    "judges_desc": N_("심사위원마다 전체 평균과의 차이(왼쪽이 엄격, 오른쪽이 후함)와 점수의 표준편차를 보입니다."),
    "offset": N_("전체 평균과의 차이"),
    "spread": N_("표준편차"),
    "harsh": N_("엄격"),
    "lenient": N_("후함"),
    "no_scores": N_("채점 없음"),
    "agreement": N_("심사위원 간 일치도"),
    "agreement_none": N_("일치도를 계산하지 않았습니다"),
    "disagreements": N_("의견이 크게 갈린 참가작"),
    "day_title": N_("채점 진행"),
    "day_desc": N_("시간에 따라 끝난 채점 칸 수와 채점표 제출 시각을 보입니다."),
    "cells_done": N_("끝난 채점 칸"),
    "submitted": N_("제출"),
    "nothing_yet": N_("아직 끝난 채점이 없습니다"),
    "weights_title": N_("구성 요소별 반영 비율"),
    "weights_desc": N_("공고한 반영 비율과 실제 점수 차이에 따른 유효 반영 비율을 비교합니다."),
    "announced": N_("공고 비율"),
    "effective": N_("유효 비율"),
    "turnout": N_("투표율"),
    "ballots": N_("투표 %(cast)s / 유효 투표권 %(valid)s"),
}


def _w(words: Mapping[str, str] | None, key: str) -> str:
    if words and key in words:
        return str(words[key])
    return WORDS[key]


def _x(text: object) -> str:
    return escape(str(text), {'"': "&quot;"})


def _n(value: float) -> str:
    """A coordinate with at most one decimal (short, stable SVG)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


# ---------------------------------------------------------------------------------------------
# Chart data


@dataclass(frozen=True)
class Dot:
    """One judge's total for an entry: ``counted`` False when trimmed (최고점·최저점 제외)."""

    judge: str  # the judge's name (organizer pages) or "" (the report names no judge)
    value: Decimal
    display: str
    counted: bool


@dataclass(frozen=True)
class RankingRow:
    """One entry of the ranking as the core placed it. ``tier`` is a tier key, ``pending`` or None;
    ``tied`` when it shares its rank; ``disagreement`` when the core flagged its judges' spread."""

    key: str
    name: str
    rank: int | None
    value: Decimal | None
    display: str | None
    tier: str | None
    tier_title: str
    tied: bool
    n: int
    recused: int = 0
    disagreement: bool = False
    dots: tuple[Dot, ...] = ()


@dataclass(frozen=True)
class TierBand:
    """A tier and where it starts: ``cutoff`` is the lowest final score holding it (None if nobody
    does); ``threshold`` the announced minimum, when the tier has one."""

    key: str
    title: str
    cutoff: Decimal | None
    cutoff_display: str | None
    threshold: Decimal | None = None


@dataclass(frozen=True)
class RankingChart:
    """The final ranking on the scale of ``scale_max`` (the last round's maximum, or 100 for a
    weighted final). ``dots`` says whether judges' totals share that scale (a last-round final).
    ``total`` counts the entries of the whole ranking; ``rows`` may hold only its top (a chart of a
    thousand rows is not read at a glance); the tiers' cut-offs are those of the whole ranking."""

    caption: str
    scale_max: Decimal
    rows: tuple[RankingRow, ...]
    tiers: tuple[TierBand, ...]
    dots: bool = True
    total: int = 0


@dataclass(frozen=True)
class JudgeBar:
    """A judge against the panel: ``offset`` = the judge's mean − the panel mean (severity), ``std``
    the spread of the judge's totals. None (with n = 0) for a judge who scored nothing."""

    key: str
    name: str
    n: int
    mean_display: str | None
    offset: Decimal | None
    offset_display: str | None
    std: Decimal | None
    std_display: str | None


@dataclass(frozen=True)
class Flagged:
    """An entry the core flagged: its judges' totals differ by ``spread`` (highest − lowest)."""

    name: str
    spread_display: str
    lowest: Decimal
    highest: Decimal
    dots: tuple[Dot, ...]


@dataclass(frozen=True)
class JudgesChart:
    """One round's judges. ``agreement`` is the ICC(2,1) the core computed (0–1), shown with
    ``agreement_display`` and the core's ``agreement_band``; ``agreement_note`` why it is missing."""

    caption: str
    scale_max: Decimal
    judges: tuple[JudgeBar, ...]
    agreement: Decimal | None
    agreement_display: str | None
    agreement_band: str | None
    agreement_note: str | None
    kendall_display: str | None
    kendall_band: str | None
    flagged: tuple[Flagged, ...]


@dataclass(frozen=True)
class DayPoint:
    at: dt.datetime  # local time
    done: int  # judge × entry cells complete by then


@dataclass(frozen=True)
class DayMark:
    at: dt.datetime  # local time
    label: str  # who submitted

    @property
    def time(self) -> str:
        return time_24(self.at)


@dataclass(frozen=True)
class DayChart:
    """A round's scoring over the day: cumulative complete cells, the cells expected, the sheets'
    submission times. ``start``/``end`` bound the time axis."""

    caption: str
    expected: int
    points: tuple[DayPoint, ...]
    submissions: tuple[DayMark, ...]
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class WeightBar:
    title: str
    announced: Decimal
    announced_display: str
    effective: Decimal | None
    effective_display: str | None
    warning: bool


@dataclass(frozen=True)
class TurnoutBar:
    """An audience round's turnout: ballots cast of the valid ones, and the core's percentage."""

    title: str
    cast: int
    valid: int
    percent: Decimal | None
    percent_display: str | None


@dataclass(frozen=True)
class WeightsChart:
    """A weighted final's components (announced and effective weight, in percent) and the turnout
    of each audience round. ``note`` says why no effective weight could be worked out."""

    caption: str
    components: tuple[WeightBar, ...]
    turnouts: tuple[TurnoutBar, ...] = ()
    note: str | None = None


# ---------------------------------------------------------------------------------------------
# Scales


@dataclass(frozen=True)
class Axis:
    """A linear map of the values ``lo``..``hi`` onto ``left``..``right`` pixels, with round ticks."""

    lo: Decimal
    hi: Decimal
    left: float
    right: float

    def at(self, value: Decimal) -> float:
        if self.hi == self.lo:
            return self.left
        share = float((value - self.lo) / (self.hi - self.lo))
        return self.left + (self.right - self.left) * min(1.0, max(0.0, share))

    def ticks(self, most: int = 10) -> list[Decimal]:
        span = self.hi - self.lo
        if span <= 0:
            return [self.lo]
        step = next((Decimal(s) for s in ("0.05", "0.1", "0.2", "0.25", "0.5", "1", "2", "2.5", "5", "10", "20",
                                          "25", "50", "100", "200", "250", "500", "1000")
                     if span / Decimal(s) <= most), Decimal(10) ** len(str(int(span))))
        first = (self.lo / step).to_integral_value(rounding="ROUND_CEILING") * step
        out = []
        value = first
        while value <= self.hi:
            out.append(value)
            value += step
        return out


def value_range(values: Sequence[Decimal], scale_max: Decimal) -> tuple[Decimal, Decimal]:
    """The part of 0..``scale_max`` worth drawing: from a round number below the lowest value (so
    close scores are told apart) to the maximum. Starts at 0 when the values spread over most of it."""
    if not values or scale_max <= 0:
        return Decimal(0), max(scale_max, Decimal(1))
    low = min(values)
    if low <= scale_max * Decimal("0.4"):
        return Decimal(0), scale_max
    step = Decimal(10) if scale_max >= 50 else Decimal(1)
    lo = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    if lo == low:
        lo -= step
    return max(Decimal(0), lo), scale_max


def label(value: Decimal) -> str:
    """A tick label: the value without trailing zeros."""
    text = format(value.normalize(), "f")
    return text


# ---------------------------------------------------------------------------------------------
# SVG pieces


def _defs(prefix: str) -> str:
    """Fill patterns, one per tier colour, plus the hatching of pending ties."""
    parts = ["<defs>"]
    for i, (colour, kind) in enumerate(zip(PALETTE, PATTERNS, strict=True)):
        pid = f"{prefix}-p{i}"
        mark = {
            "solid": "",
            "diagonal": f'<path d="M0 8L8 0" stroke="{colour}" stroke-width="1.4"/>',
            "dots": f'<circle cx="4" cy="4" r="1.4" fill="{colour}"/>',
            "cross": f'<path d="M0 0L8 8M8 0L0 8" stroke="{colour}" stroke-width="1"/>',
            "vertical": f'<path d="M4 0V8" stroke="{colour}" stroke-width="1.4"/>',
            "horizontal": f'<path d="M0 4H8" stroke="{colour}" stroke-width="1.4"/>',
            "grid": f'<path d="M4 0V8M0 4H8" stroke="{colour}" stroke-width="1"/>',
        }[kind]
        parts.append(f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">'
                     f'<rect width="8" height="8" fill="{colour}" fill-opacity="0.16"/>{mark}</pattern>')
    parts.append(f'<pattern id="{prefix}-pending" width="6" height="6" patternUnits="userSpaceOnUse" '
                 f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
                 f'<path d="M0 0V6" stroke="{ALERT}" stroke-width="2.2"/></pattern>')
    parts.append("</defs>")
    return "".join(parts)


def _open(prefix: str, width: int, height: int, title: str, desc: str, css: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{prefix}-t {prefix}-d" font-family="inherit" font-size="15" '
        f'data-chart="{css}">',
        f'<title id="{prefix}-t">{_x(title)}</title>',
        f'<desc id="{prefix}-d">{_x(desc)}</desc>',
    ]


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: float | None = None,
          weight: str | None = None, fill: str = INK, extra: str = "") -> str:
    attrs = f'x="{_n(x)}" y="{_n(y)}" fill="{fill}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if size:
        attrs += f' font-size="{_n(size)}"'
    if weight:
        attrs += f' font-weight="{weight}"'
    return f"<text {attrs}{extra}>{_x(text)}</text>"


def tier_fill(index: int | None, prefix: str) -> str:
    """The fill of a tier band: its pattern, or the pending hatching (index None)."""
    if index is None:
        return f"url(#{prefix}-pending)"
    return f"url(#{prefix}-p{index % len(PALETTE)})"


def tier_colour(index: int | None) -> str:
    return ALERT if index is None else PALETTE[index % len(PALETTE)]


def _ellipsis(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


# ---------------------------------------------------------------------------------------------
# The ranking


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
    desc_parts = [_w(words, "ranking_desc"), _w(words, "axis_from") % {"lo": lo, "hi": hi}]
    if chart.total > len(rows):
        desc_parts.append(_w(words, "top_only") % {"total": chart.total, "shown": len(rows)})
    for row in rows:
        bits = [f"{row.rank or '—'}. {row.name}", row.display or "—", row.tier_title]
        if row.tied:
            bits.append(_w(words, "tie"))
        if row.disagreement:
            bits.append(_w(words, "disagreement"))
        if row.dots:
            bits.append(_w(words, "judge_totals") + " " + ", ".join(
                d.display + ("" if d.counted else f" ({_w(words, 'trimmed')})") for d in row.dots))
        desc_parts.append(" ".join(bits) + ".")
    for band in chart.tiers:
        if band.cutoff_display:
            desc_parts.append(f"{band.title} {_w(words, 'cutoff')} {band.cutoff_display}.")
    out = _open(prefix, width, height, chart.caption or _w(words, "ranking_title"), " ".join(desc_parts), "chart--ranking")
    out.append(_defs(prefix))

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
                   f'fill-opacity="0.10" data-tier="{_x(tier)}"/>')
        out.append(f'<rect x="0" y="{y}" width="30" height="{ROW_H * count}" fill="{tier_fill(index, prefix)}" '
                   f'stroke="{tier_colour(index)}" stroke-width="1.5"/>')
        out.append(f'<line x1="0" y1="{y}" x2="{width}" y2="{y}" stroke="{tier_colour(index)}" stroke-width="1.5"/>')
    # grid and axis
    for tick in axis.ticks():
        x = axis.at(tick)
        out.append(f'<line x1="{_n(x)}" y1="{top - 6}" x2="{_n(x)}" y2="{top + ROW_H * len(rows)}" stroke="{GRID}" '
                   'stroke-width="1"/>')
        out.append(_text(x, top - 12, label(tick), anchor="middle", size=13, fill=MUTED))
    # cut-offs
    for i, band in enumerate(chart.tiers):
        if band.cutoff is None:
            continue
        x = axis.at(band.cutoff)
        out.append(f'<line x1="{_n(x)}" y1="{top - 4}" x2="{_n(x)}" y2="{top + ROW_H * len(rows) + 6}" '
                   f'stroke="{tier_colour(i)}" stroke-width="2" stroke-dasharray="6 4" data-cutoff="{_x(band.key)}" '
                   f'data-value="{_x(band.cutoff_display)}"/>')
        out.append(_text(x, top + ROW_H * len(rows) + 22 + 16 * (i % 2), f"{band.title} {band.cutoff_display}",
                         anchor="middle", size=13, fill=INK))
    # rows
    for i, row in enumerate(rows):
        cy = top + i * ROW_H + ROW_H / 2
        rank = "—" if row.rank is None else str(row.rank)
        out.append(f'<g data-entry="{_x(row.key)}">')
        out.append(_text(40, cy + 5, rank + ("=" if row.tied else ""), size=15, weight="bold"))
        out.append(_text(84, cy + 5, _ellipsis(row.name, 14), size=15))
        if row.tier == "pending":
            out.append(_text(LEFT - 6, cy + 5, _w(words, "pending"), anchor="end", size=12, fill=ALERT,
                             weight="bold"))
        elif row.tier_title:
            out.append(_text(LEFT - 6, cy + 5, row.tier_title, anchor="end", size=12, fill=MUTED))
        if row.dots and chart.dots:
            xs = [axis.at(d.value) for d in row.dots]
            colour = ALERT if row.disagreement else MUTED
            stroke = "3" if row.disagreement else "1.5"
            out.append(f'<line x1="{_n(min(xs))}" y1="{_n(cy)}" x2="{_n(max(xs))}" y2="{_n(cy)}" stroke="{colour}" '
                       f'stroke-width="{stroke}"/>')
            for dot, x in zip(row.dots, xs, strict=True):
                fill = INK if dot.counted else "#ffffff"
                title = f"{dot.judge} {dot.display}".strip()
                out.append(f'<circle cx="{_n(x)}" cy="{_n(cy)}" r="5.5" fill="{fill}" stroke="{INK}" '
                           f'stroke-width="1.6" data-value="{_x(dot.display)}" '
                           f'data-counted="{"yes" if dot.counted else "no"}"><title>{_x(title)}</title></circle>')
        if row.value is not None:
            x = axis.at(row.value)
            out.append(f'<rect x="{_n(x - 3)}" y="{_n(cy - 12)}" width="6" height="24" fill="{PALETTE[0]}" '
                       f'stroke="{INK}" stroke-width="1" data-value="{_x(row.display)}" data-final="yes"/>')
            out.append(_text(width - 10, cy + 5, row.display or "", anchor="end", size=15, weight="bold"))
        if row.disagreement:
            out.append(_text(width - RIGHT_TEXT - 4, cy - 7, "!", anchor="end", size=14, weight="bold", fill=ALERT))
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
    out.append(_text(LEFT + 22, ly, _w(words, "final_score"), size=13))
    out.append(f'<circle cx="{LEFT + 130}" cy="{ly - 4}" r="5.5" fill="{INK}"/>')
    out.append(_text(LEFT + 142, ly, _w(words, "counted"), size=13))
    out.append(f'<circle cx="{LEFT + 250}" cy="{ly - 4}" r="5.5" fill="#ffffff" stroke="{INK}" stroke-width="1.6"/>')
    out.append(_text(LEFT + 262, ly, _w(words, "trimmed"), size=13))
    out.append(f'<path d="M{LEFT + 370} {ly - 12}H{LEFT + 366}V{ly + 2}H{LEFT + 370}" fill="none" stroke="{ALERT}" '
               'stroke-width="2.5"/>')
    out.append(_text(LEFT + 378, ly, _w(words, "tie"), size=13))
    out.append(_text(LEFT + 440, ly, "! " + _w(words, "disagreement"), size=13, fill=ALERT))
    out.append("</svg>")
    return Markup("".join(out))


# ---------------------------------------------------------------------------------------------
# The judges


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
    desc = [_w(words, "judges_desc")]
    for j in judges:
        if j.n == 0:
            desc.append(f"{j.name}: {_w(words, 'no_scores')}.")
        else:
            desc.append(f"{j.name}: n {j.n}, {_w(words, 'offset')} {j.offset_display}, "
                        f"{_w(words, 'spread')} {j.std_display}.")
    if chart.agreement_display:
        desc.append(f"{_w(words, 'agreement')} ICC(2,1) {chart.agreement_display} ({chart.agreement_band}).")
    else:
        desc.append(f"{_w(words, 'agreement')}: {chart.agreement_note or _w(words, 'agreement_none')}.")
    for f in flagged:
        totals = ", ".join(f"{d.judge} {d.display}".strip() for d in f.dots)
        desc.append(f"{_w(words, 'disagreements')}: {f.name} {f.spread_display} ({totals}).")
    out = _open(prefix, width, height, chart.caption or _w(words, "judges_title"), " ".join(desc), "chart--judges")

    offsets = [abs(j.offset) for j in judges if j.offset is not None]
    reach = max(offsets, default=Decimal(1))
    reach = max(Decimal(1), (reach / Decimal(5)).to_integral_value(rounding="ROUND_CEILING") * 5)
    off_axis = Axis(-reach, reach, 230, 620)
    stds = [j.std for j in judges if j.std is not None]
    std_hi = max(stds, default=Decimal(1))
    std_hi = max(Decimal(1), (std_hi / Decimal(5)).to_integral_value(rounding="ROUND_CEILING") * 5)
    std_axis = Axis(Decimal(0), std_hi, 700, 940)
    out.append(_text(off_axis.left, top - 30, _w(words, "offset"), size=13, weight="bold"))
    out.append(_text(std_axis.left, top - 30, _w(words, "spread"), size=13, weight="bold"))
    out.append(_text(off_axis.left, top - 12, "← " + _w(words, "harsh"), size=12, fill=MUTED))
    out.append(_text(off_axis.right, top - 12, _w(words, "lenient") + " →", anchor="end", size=12, fill=MUTED))
    zero = off_axis.at(Decimal(0))
    for tick in off_axis.ticks(6):
        x = off_axis.at(tick)
        out.append(f'<line x1="{_n(x)}" y1="{top}" x2="{_n(x)}" y2="{body}" stroke="{GRID}"/>')
        out.append(_text(x, body + 16, label(tick), anchor="middle", size=12, fill=MUTED))
    for tick in std_axis.ticks(5):
        x = std_axis.at(tick)
        out.append(f'<line x1="{_n(x)}" y1="{top}" x2="{_n(x)}" y2="{body}" stroke="{GRID}"/>')
        out.append(_text(x, body + 16, label(tick), anchor="middle", size=12, fill=MUTED))
    out.append(f'<line x1="{_n(zero)}" y1="{top - 4}" x2="{_n(zero)}" y2="{body + 2}" stroke="{INK}" stroke-width="1.5"/>')
    for i, j in enumerate(judges):
        y = top + i * row_h
        cy = y + row_h / 2
        out.append(f'<g data-judge="{_x(j.key)}">')
        out.append(_text(10, cy + 5, _ellipsis(j.name, 14), size=15))
        out.append(_text(200, cy + 5, f"n {j.n}", anchor="end", size=12, fill=MUTED))
        if j.offset is None:
            out.append(_text(zero + 8, cy + 5, _w(words, "no_scores"), size=13, fill=MUTED))
        else:
            x = off_axis.at(j.offset)
            left, right = sorted((zero, x))
            harsh = j.offset < 0
            # harsher: vermillion with a dashed outline; more lenient: blue, plain (colour and line differ)
            fill = PALETTE[5] if harsh else PALETTE[0]
            pattern = f' stroke="{INK}" stroke-dasharray="3 2"' if harsh else ""
            out.append(f'<rect x="{_n(left)}" y="{_n(cy - 9)}" width="{_n(max(right - left, 1.5))}" height="18" '
                       f'fill="{fill}"{pattern} data-value="{_x(j.offset_display)}" data-measure="offset"/>')
            tx = x - 6 if harsh else x + 6
            out.append(_text(tx, cy + 5, j.offset_display or "", anchor="end" if harsh else "start", size=13))
        if j.std is not None:
            x = std_axis.at(j.std)
            out.append(f'<rect x="{_n(std_axis.left)}" y="{_n(cy - 7)}" width="{_n(max(x - std_axis.left, 1.5))}" '
                       f'height="14" fill="{PALETTE[2]}" data-value="{_x(j.std_display)}" data-measure="spread"/>')
            out.append(_text(x + 6, cy + 5, j.std_display or "", size=13))
        out.append("</g>")
    # agreement gauge 0..1
    gauge = Axis(Decimal(0), Decimal(1), 230, 940)
    out.append(_text(10, gauge_y + 4, _w(words, "agreement"), size=14, weight="bold"))
    out.append(_text(10, gauge_y + 22, "ICC(2,1)", size=12, fill=MUTED))
    out.append(f'<rect x="{gauge.left}" y="{gauge_y - 10}" width="{_n(gauge.right - gauge.left)}" height="20" '
               f'fill="#f1f3f4" stroke="{GRID}"/>')
    for tick in (Decimal(0), Decimal("0.25"), Decimal("0.5"), Decimal("0.75"), Decimal(1)):
        x = gauge.at(tick)
        out.append(_text(x, gauge_y + 28, label(tick), anchor="middle", size=12, fill=MUTED))
    if chart.agreement is not None:
        x = gauge.at(chart.agreement)
        out.append(f'<rect x="{gauge.left}" y="{gauge_y - 10}" width="{_n(x - gauge.left)}" height="20" '
                   f'fill="url(#{prefix}-p2)" stroke="{PALETTE[2]}"/>')
        out.append(f'<path d="M{_n(x)} {gauge_y - 16}l-7 -10h14z" fill="{INK}" data-value="{_x(chart.agreement_display)}" '
                   'data-measure="agreement"/>')
        out.append(_text(x, gauge_y - 30, f"{chart.agreement_display} · {chart.agreement_band}",
                         anchor="end" if x > 700 else "start", size=14, weight="bold"))
    else:
        out.append(_text(gauge.left + 10, gauge_y + 5, chart.agreement_note or _w(words, "agreement_none"), size=13,
                         fill=MUTED))
    # flagged entries
    if flagged:
        axis = Axis(*value_range([d.value for f in flagged for d in f.dots], chart.scale_max), 230, 900)
        out.append(_text(10, flag_top + 4, _w(words, "disagreements"), size=14, weight="bold", fill=ALERT))
        for tick in axis.ticks(8):
            x = axis.at(tick)
            out.append(_text(x, flag_top + 4, label(tick), anchor="middle", size=12, fill=MUTED))
        for i, f in enumerate(flagged):
            cy = flag_top + 24 + i * row_h
            out.append(_text(10, cy + 5, _ellipsis(f.name, 14), size=14))
            x1, x2 = axis.at(f.lowest), axis.at(f.highest)
            out.append(f'<line x1="{_n(x1)}" y1="{_n(cy)}" x2="{_n(x2)}" y2="{_n(cy)}" stroke="{ALERT}" '
                       f'stroke-width="4" data-value="{_x(f.spread_display)}" data-measure="disagreement"/>')
            for dot in f.dots:
                out.append(f'<circle cx="{_n(axis.at(dot.value))}" cy="{_n(cy)}" r="5" fill="{INK}" '
                           f'data-value="{_x(dot.display)}"><title>{_x(dot.judge)} {_x(dot.display)}</title></circle>')
            out.append(_text(940, cy + 5, f.spread_display, anchor="end", size=14, weight="bold", fill=ALERT))
    out.insert(3, _defs(prefix))
    out.append("</svg>")
    return Markup("".join(out))


# ---------------------------------------------------------------------------------------------
# The day


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
    desc = [_w(words, "day_desc"), f"{_w(words, 'cells_done')} {done}/{chart.expected}."]
    desc += [f"{m.label} {_w(words, 'submitted')} {m.at:%H:%M}." for m in chart.submissions]
    out = _open(prefix, width, height, chart.caption or _w(words, "day_title"), " ".join(desc), "chart--day")
    for tick in y_axis.ticks(5):
        y = y_axis.at(tick)
        out.append(f'<line x1="{left}" y1="{_n(y)}" x2="{right}" y2="{_n(y)}" stroke="{GRID}"/>')
        out.append(_text(left - 8, y + 5, label(tick), anchor="end", size=13, fill=MUTED))
    target = y_axis.at(Decimal(chart.expected))
    out.append(f'<line x1="{left}" y1="{_n(target)}" x2="{right}" y2="{_n(target)}" stroke="{PALETTE[2]}" '
               f'stroke-width="2" stroke-dasharray="8 4" data-count="{chart.expected}" data-measure="expected"/>')
    minutes = max(1, int(span // 60))
    step = next(s for s in (5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 10080) if minutes / s <= 8)
    first = chart.start.replace(second=0, microsecond=0)
    first += dt.timedelta(minutes=(-first.minute) % step if step < 60 else (60 - first.minute) % 60)
    tick_at = first
    while tick_at <= chart.end:
        x = tx(tick_at)
        out.append(f'<line x1="{_n(x)}" y1="{top}" x2="{_n(x)}" y2="{bottom}" stroke="{GRID}"/>')
        out.append(_text(x, bottom + 20, f"{tick_at:%H:%M}", anchor="middle", size=13, fill=MUTED))
        tick_at += dt.timedelta(minutes=step)
    if chart.points:
        path = [f"M{_n(tx(chart.start))} {_n(y_axis.at(Decimal(0)))}"]
        for point in chart.points:
            path.append(f"H{_n(tx(point.at))}V{_n(y_axis.at(Decimal(point.done)))}")
        path.append(f"H{_n(tx(chart.end))}")
        out.append(f'<path d="{"".join(path)}" fill="none" stroke="{PALETTE[0]}" stroke-width="3" '
                   f'data-count="{done}" data-measure="done"/>')
        last = chart.points[-1]
        y = y_axis.at(Decimal(last.done))
        out.append(_text(tx(chart.end) - 4, y + 22 if y - target < 24 else y - 8, f"{last.done}/{chart.expected}",
                         anchor="end", size=15, weight="bold"))
    else:
        out.append(_text(left + 12, bottom - 12, _w(words, "nothing_yet"), size=14, fill=MUTED))
    for i, mark in enumerate(chart.submissions):
        x = tx(mark.at)
        out.append(f'<path d="M{_n(x)} {bottom + 26}l-6 10h12z" fill="{PALETTE[1]}" stroke="{INK}"/>')
        # labels on three lines in turn, so sheets submitted minutes apart stay readable
        out.append(_text(x, bottom + 50 + 15 * (i % 3), f"{mark.label} {mark.time}", anchor="middle", size=12))
    out.append("</svg>")
    return Markup("".join(out))


# ---------------------------------------------------------------------------------------------
# The components of a weighted final (the audience round)


def svg_weights(chart: WeightsChart, words: Mapping[str, str] | None = None, prefix: str = "weights") -> Markup:
    """Announced against effective weight of each component, in percent (two bars per component:
    solid = announced, patterned = effective)."""
    width = 980
    row_h = 54
    top = 40
    turnout_top = top + row_h * max(len(chart.components), 1) + 50
    height = turnout_top + (36 * len(chart.turnouts) + 30 if chart.turnouts else 0) + 10
    axis = Axis(Decimal(0), Decimal(100), 240, 900)
    desc = [_w(words, "weights_desc")]
    desc += [f"{c.title}: {_w(words, 'announced')} {c.announced_display}%, {_w(words, 'effective')} "
             f"{c.effective_display or '—'}%." for c in chart.components]
    if chart.note:
        desc.append(chart.note)
    desc += [f"{t.title} {_w(words, 'turnout')} {t.percent_display or '—'}% "
             f"({_w(words, 'ballots') % {'cast': t.cast, 'valid': t.valid}})." for t in chart.turnouts]
    out = _open(prefix, width, height, chart.caption or _w(words, "weights_title"), " ".join(desc), "chart--weights")
    out.append(_defs(prefix))
    for tick in axis.ticks(10):
        x = axis.at(tick)
        out.append(f'<line x1="{_n(x)}" y1="{top - 4}" x2="{_n(x)}" y2="{top + row_h * len(chart.components)}" '
                   f'stroke="{GRID}"/>')
        out.append(_text(x, top - 10, label(tick) + "%", anchor="middle", size=12, fill=MUTED))
    for i, c in enumerate(chart.components):
        y = top + i * row_h
        out.append(_text(10, y + 30, _ellipsis(c.title, 16), size=15, fill=ALERT if c.warning else INK,
                         weight="bold" if c.warning else None))
        x = axis.at(c.announced)
        out.append(f'<rect x="{axis.left}" y="{y + 6}" width="{_n(x - axis.left)}" height="18" fill="{PALETTE[0]}" '
                   f'data-value="{_x(c.announced_display)}" data-measure="announced"/>')
        out.append(_text(x + 6, y + 20, f"{c.announced_display}%", size=13))
        if c.effective is not None:
            x = axis.at(c.effective)
            out.append(f'<rect x="{axis.left}" y="{y + 28}" width="{_n(x - axis.left)}" height="18" '
                       f'fill="url(#{prefix}-p1)" stroke="{PALETTE[1]}" data-value="{_x(c.effective_display)}" '
                       'data-measure="effective"/>')
            out.append(_text(x + 6, y + 42, f"{c.effective_display}%", size=13))
    if chart.turnouts:
        out.append(_text(10, turnout_top, _w(words, "turnout"), size=14, weight="bold"))
        for i, t in enumerate(chart.turnouts):
            y = turnout_top + 14 + i * 36
            out.append(_text(10, y + 16, _ellipsis(t.title, 16), size=14))
            out.append(f'<rect x="{axis.left}" y="{y}" width="{_n(axis.right - axis.left)}" height="20" '
                       f'fill="#f1f3f4" stroke="{GRID}"/>')
            if t.percent is not None:
                x = axis.at(t.percent)
                out.append(f'<rect x="{axis.left}" y="{y}" width="{_n(x - axis.left)}" height="20" '
                           f'fill="url(#{prefix}-p2)" stroke="{PALETTE[2]}" data-value="{_x(t.percent_display)}" '
                           'data-measure="turnout"/>')
            label_text = f"{t.percent_display or '—'}% · " + _w(words, "ballots") % {"cast": t.cast, "valid": t.valid}
            out.append(_text(axis.right, y + 15, label_text, anchor="end", size=13))
    ly = top + row_h * max(len(chart.components), 1) + 26
    out.append(f'<rect x="{axis.left}" y="{ly - 12}" width="16" height="14" fill="{PALETTE[0]}"/>')
    out.append(_text(axis.left + 22, ly, _w(words, "announced"), size=13))
    out.append(f'<rect x="{axis.left + 140}" y="{ly - 12}" width="16" height="14" fill="url(#{prefix}-p1)" '
               f'stroke="{PALETTE[1]}"/>')
    out.append(_text(axis.left + 162, ly, _w(words, "effective"), size=13))
    out.append("</svg>")
    return Markup("".join(out))
