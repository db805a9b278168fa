"""What every chart shares: the colours and fill patterns, the words, and the SVG pieces.

Colours come from the Okabe–Ito palette (safe for the common colour-vision deficiencies) and every
colour is paired with a pattern or a shape, so a chart reads in black-and-white print and on a
washed-out projector. No style attribute is written (the pages' Content-Security-Policy forbids
inline styles): colours are SVG presentation attributes and the text size follows the viewBox.
"""

from __future__ import annotations

from collections.abc import Mapping
from xml.sax.saxutils import escape

from judging.messages import N_

# Okabe & Ito (2008), "Color Universal Design": distinguishable with any common colour deficiency.
INK = "#1a1a1a"
MUTED = "#5f6368"
GRID = "#c9ccd1"
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
ALERT = "#D55E00"  # vermillion: disagreement, pending tie
#: one fill pattern per tier (paired with PALETTE by position); "pending" gets its own hatching
PATTERNS = ("solid", "diagonal", "dots", "cross", "vertical", "horizontal", "grid")

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


def word(words: Mapping[str, str] | None, key: str) -> str:
    if words and key in words:
        return str(words[key])
    return WORDS[key]


def escaped(text: object) -> str:
    return escape(str(text), {'"': "&quot;"})


def coordinate(value: float) -> str:
    """A coordinate with at most one decimal (short, stable SVG)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text



def pattern_defs(prefix: str) -> str:
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


def svg_open(prefix: str, width: int, height: int, title: str, desc: str, css: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{prefix}-t {prefix}-d" font-family="inherit" font-size="15" '
        f'data-chart="{css}">',
        f'<title id="{prefix}-t">{escaped(title)}</title>',
        f'<desc id="{prefix}-d">{escaped(desc)}</desc>',
    ]


def text(x: float, y: float, text: str, *, anchor: str = "start", size: float | None = None,
          weight: str | None = None, fill: str = INK, extra: str = "") -> str:
    attrs = f'x="{coordinate(x)}" y="{coordinate(y)}" fill="{fill}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if size:
        attrs += f' font-size="{coordinate(size)}"'
    if weight:
        attrs += f' font-weight="{weight}"'
    return f"<text {attrs}{extra}>{escaped(text)}</text>"


def tier_fill(index: int | None, prefix: str) -> str:
    """The fill of a tier band: its pattern, or the pending hatching (index None)."""
    if index is None:
        return f"url(#{prefix}-pending)"
    return f"url(#{prefix}-p{index % len(PALETTE)})"


def tier_colour(index: int | None) -> str:
    return ALERT if index is None else PALETTE[index % len(PALETTE)]


def ellipsis(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"
