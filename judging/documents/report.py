"""The result report (심사 결과 보고) for the approval file (결재).

It names no judge, only how many there were; scores arrive already aggregated and formatted.
Long tables continue on the next page with their header row repeated.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from judging.formatting import date_dot

from ._flow import (
    CELL,
    CELL_C,
    CELL_R,
    CENTRE,
    CONTENT_W,
    H2,
    HEAD,
    ITEM,
    SMALL,
    SUBTITLE,
    TITLE,
    approval_boxes,
    build_pdf,
    grid_style,
    key_values,
    label,
    label_size,
    p,
)
from .chart import ranking_drawing
from .data import ReportData

__all__ = ["SCORE_NOTE", "overview", "render_result_report"]

# The report's wording, shared with its HWPX twin (documents/report_hwpx.py).
SCORE_NOTE = "점수는 소수점 둘째 자리까지 표기하며, n은 점수가 집계된 심사위원 수입니다."


def overview(data: ReportData) -> list[tuple[str, str]]:
    """The "1. 심사 개요" rows: (label, value)."""
    tie_order = " → ".join(f"{i}. {t}" for i, t in enumerate(data.tie_break_order, 1)) or "정하지 않음"
    return [
        ("일시", date_dot(data.held_on)),
        ("장소", data.venue),
        ("심사 단계", data.round_title),
        ("심사위원", f"{data.judge_count}인"),
        ("집계 방법", " ".join(data.method_lines)),
        ("동점 처리 순서", tie_order),
    ]


MIN_HEAD_SIZE = 6.5


def _circled(i: int) -> str:
    """①..⑳ for 1..20, then "(21)"."""
    return chr(0x2460 + i - 1) if 1 <= i <= 20 else f"({i})"


def _ranking(data: ReportData) -> tuple[Table, str | None, list[str]]:
    """The ranked table, the criterion legend if headings were numbered, and the row notes the
    table refers to as 주1, 주2, ..."""
    k = len(data.criteria)
    fixed = {"rank": 10 * mm, "total": 14 * mm, "n": 11 * mm, "tier": 14 * mm}
    crit_w = min(17 * mm, (CONTENT_W - sum(fixed.values()) - 42 * mm) / max(k, 1))
    entry_w = CONTENT_W - sum(fixed.values()) - crit_w * k
    header = [p("순위", HEAD, fixed["rank"]), p("참가 단위 / 사업명", HEAD, entry_w)]
    # Full criterion names when they fit at a readable size; else ①②... with a legend below.
    size = label_size(data.criteria, HEAD, crit_w)
    legend = size < MIN_HEAD_SIZE
    if legend:
        header += [label(f"{_circled(i)}", HEAD, crit_w) for i in range(1, k + 1)]
    else:
        header += [label(c, HEAD, crit_w, size) for c in data.criteria]
    header += [p("총점", HEAD, fixed["total"]), p("n", HEAD, fixed["n"]), p("시상", HEAD, fixed["tier"])]
    rows = [header]
    marks: list[str] = []
    for row in data.rows:
        if len(row.criteria) != k:
            raise ValueError(f"{row.entrant}: {len(row.criteria)} criterion values for {k} criteria")
        n_text = str(row.n)
        if row.note:
            marks.append(row.note)
            n_text += f" 주{len(marks)}"
        entry = p(row.entrant, CELL, entry_w)
        title = p(row.title, SMALL, entry_w) if row.title else None
        rows.append(
            [
                p("" if row.rank is None else str(row.rank), CELL_C, fixed["rank"]),
                [entry, title] if title else entry,
                *(p(v, CELL_R, crit_w) for v in row.criteria),
                p(row.total, CELL_R, fixed["total"]),
                p(n_text, CELL_C, fixed["n"]),
                p(row.tier or "", CELL_C, fixed["tier"]),
            ]
        )
    widths = [fixed["rank"], entry_w, *([crit_w] * k), fixed["total"], fixed["n"], fixed["tier"]]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(grid_style(1))
    legend_text = "  ".join(f"{_circled(i)} {c}" for i, c in enumerate(data.criteria, 1)) if legend else None
    return table, legend_text, marks


def render_result_report(data: ReportData) -> bytes:
    """Render the result report as an A4 PDF.

    Raises ValueError if a row has a different number of criterion values than ``data.criteria``.
    """
    title_block = Table(
        [[[p(data.contest_title, SUBTITLE), p("심사 결과 보고", TITLE)],
          approval_boxes(data.signatures, marks=dict(data.approvals))]],
        colWidths=[CONTENT_W - 20 * mm * len(data.signatures), 20 * mm * len(data.signatures)],
    )
    title_block.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                          ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    story: list[Flowable] = [
        title_block,
        Spacer(1, 6 * mm),
        p("1. 심사 개요", H2),
        key_values(overview(data)),
        p("2. 심사 결과", H2),
    ]
    ranking, legend, notes = _ranking(data)
    story.append(ranking)
    story.append(Spacer(1, 2 * mm))
    if legend:
        story.append(p(f"평가 항목: {legend}", SMALL))
    story.append(p(SCORE_NOTE, SMALL))
    for i, note in enumerate(notes, 1):
        story.append(p(f"주{i}. {note}", SMALL))
    if data.ranking_chart is not None and data.ranking_chart.rows:
        caption = "그림. 최종 점수(막대)와 심사위원 합계(점; 빈 점은 최고점·최저점 제외), 등급과 등급 경계 점수(점선)"
        if not data.ranking_chart.dots:
            caption = "그림. 최종 점수(막대), 등급과 등급 경계 점수(점선)"
        if data.ranking_chart.total > len(data.ranking_chart.rows):
            caption += f" — 전체 {data.ranking_chart.total}곳 가운데 상위 {len(data.ranking_chart.rows)}곳"
        story.append(KeepTogether([Spacer(1, 3 * mm), ranking_drawing(data.ranking_chart, CONTENT_W),
                                   p(caption, SMALL)]))

    if data.weights:
        story.append(p("2-1. 구성 요소별 반영 비율 (발표 가중치와 실제 가중치)", H2))
        widths = [CONTENT_W - 96 * mm, 32 * mm, 32 * mm, 32 * mm]
        rows = [[p(h, HEAD, w) for h, w in zip(("구성 요소", "발표 가중치", "실제 가중치", "차이"), widths, strict=True)]]
        rows += [
            [p(w.component + (" (경고)" if w.warning else ""), CELL, widths[0]), p(f"{w.announced}%", CELL_R, widths[1]),
             p(f"{w.effective}%" if w.effective != "-" else "-", CELL_R, widths[2]),
             p(f"{w.departure}%p" if w.departure != "-" else "-", CELL_R, widths[3])]
            for w in data.weights
        ]
        t = Table(rows, colWidths=widths, repeatRows=1)
        t.setStyle(grid_style(1))
        story.append(t)
        story.extend(p(line, SMALL) for line in data.weight_notes)

    story.append(p("3. 동점 처리", H2))
    if data.tie_resolutions:
        story.extend(p(f"- {line}", ITEM) for line in data.tie_resolutions)
    else:
        story.append(p("동점자가 없었습니다.", ITEM))

    story.append(p("4. 특별상", H2))
    if data.special_awards:
        widths = [24 * mm, 45 * mm, CONTENT_W - 69 * mm]
        rows = [[p(h, HEAD, w) for h, w in zip(("상", "수상", "선정 사유"), widths, strict=True)]]
        rows += [
            [p(s.award, CELL_C, widths[0]), p(s.entrant, CELL, widths[1]), p(s.reason, CELL, widths[2])]
            for s in data.special_awards
        ]
        t = Table(rows, colWidths=widths, repeatRows=1)
        t.setStyle(grid_style(1))
        story.append(t)
    else:
        story.append(p("해당 없음", ITEM))

    if data.notes:
        story.append(p("5. 참고 사항", H2))
        story.extend(p(f"- {line}", ITEM) for line in data.notes)

    closing = [
        Spacer(1, 8 * mm),
        p("위와 같이 심사 결과를 보고합니다.", CENTRE),
        Spacer(1, 3 * mm),
        p(date_dot(data.held_on), CENTRE),
    ]
    if data.organizer:
        closing.append(p(data.organizer, CENTRE))
    story.append(KeepTogether(closing))
    return build_pdf(story, f"{data.contest_title} 심사 결과 보고", f"{data.contest_title} · 심사 결과 보고")

