"""The result report (심사 결과 보고) as HWPX, for offices that keep the approval file in 한글.

The same ``ReportData`` and wording as the PDF (``documents/report.py``): the 결재란, the overview
(method and precision, judges' count, tie-break order), the ranked table with tiers and n, the
tie-breaks and decisions applied, special awards with reasons, notes and the closing.
"""

from __future__ import annotations

from judging.formatting import date_dot

from .data import ReportData
from .hwpx import CONTENT_W, MM, Cell, HwpxDocument, Para, Table
from .report import SCORE_NOTE, overview

__all__ = ["render_result_report_hwpx"]


def _approval_table(data: ReportData) -> Table:
    """The 결재란: one column per signer, the label on top and a box to sign in (with the signer's
    name and date when the approval was given in the app)."""
    box = int(22 * MM)
    labels = tuple(Cell.of(label, "strong", "center") for label in data.signatures)
    signed = dict(data.approvals)
    boxes = tuple(Cell.of(signed.get(label, ""), "small", "center") for label in data.signatures)
    return Table(widths=(box,) * len(data.signatures), rows=(labels, boxes), header_rows=0, height=int(8 * MM),
                 align="right")


def _ranking(data: ReportData) -> tuple[Table, list[str]]:
    k = len(data.criteria)
    fixed = {"rank": int(10 * MM), "total": int(15 * MM), "n": int(12 * MM), "tier": int(15 * MM)}
    crit_w = int(min(17 * MM, (CONTENT_W - sum(fixed.values()) - 42 * MM) / max(k, 1)))
    entry_w = CONTENT_W - sum(fixed.values()) - crit_w * k
    header = (Cell.of("순위", "strong", "center"), Cell.of("참가 단위 / 사업명", "strong", "center"),
              *(Cell.of(c, "small", "center") for c in data.criteria),
              Cell.of("총점", "strong", "center"), Cell.of("n", "strong", "center"), Cell.of("시상", "strong", "center"))
    rows = [header]
    marks: list[str] = []
    for row in data.rows:
        if len(row.criteria) != k:
            raise ValueError(f"{row.entrant}: {len(row.criteria)} criterion values for {k} criteria")
        n_text = str(row.n)
        if row.note:
            marks.append(row.note)
            n_text += f" 주{len(marks)}"
        entry = Cell((Para(row.entrant, "body", "left"),) + ((Para(row.title, "small", "left"),) if row.title else ()))
        rows.append((Cell.of("" if row.rank is None else str(row.rank), align="center"), entry,
                     *(Cell.of(v, align="right") for v in row.criteria), Cell.of(row.total, align="right"),
                     Cell.of(n_text, align="center"), Cell.of(row.tier or "", align="center")))
    widths = (fixed["rank"], entry_w, *([crit_w] * k), fixed["total"], fixed["n"], fixed["tier"])
    return Table(widths=widths, rows=tuple(rows), header_rows=1), marks


def render_result_report_hwpx(data: ReportData) -> bytes:
    """Render the result report as an HWPX document (A4 portrait).

    Raises ValueError if a row has a different number of criterion values than ``data.criteria``.
    """
    doc = HwpxDocument(title=f"{data.contest_title} 심사 결과 보고")
    doc.add(_approval_table(data), Para(data.contest_title, "subtitle", "left"),
            Para("심사 결과 보고", "title", "center"), Para(""))
    doc.add(Para("1. 심사 개요", "heading", "heading"))
    label_w = int(32 * MM)
    doc.add(Table(widths=(label_w, CONTENT_W - label_w), header_rows=0,
                  rows=tuple((Cell.of(k, "strong", "left"), Cell.of(v)) for k, v in overview(data))))
    doc.add(Para(""), Para("2. 심사 결과", "heading", "heading"))
    ranking, notes = _ranking(data)
    doc.add(ranking, Para(SCORE_NOTE, "small", "left"))
    doc.add(*(Para(f"주{i}. {note}", "small", "left") for i, note in enumerate(notes, 1)))

    doc.add(Para(""), Para("3. 동점 처리", "heading", "heading"))
    if data.tie_resolutions:
        doc.add(*(Para(f"- {line}") for line in data.tie_resolutions))
    else:
        doc.add(Para("동점자가 없었습니다."))

    doc.add(Para(""), Para("4. 특별상", "heading", "heading"))
    if data.special_awards:
        widths = (int(24 * MM), int(45 * MM), CONTENT_W - int(24 * MM) - int(45 * MM))
        rows = [tuple(Cell.of(h, "strong", "center") for h in ("상", "수상", "선정 사유"))]
        rows += [(Cell.of(s.award, align="center"), Cell.of(s.entrant), Cell.of(s.reason)) for s in data.special_awards]
        doc.add(Table(widths=widths, rows=tuple(rows), header_rows=1))
    else:
        doc.add(Para("해당 없음"))

    if data.notes:
        doc.add(Para(""), Para("5. 참고 사항", "heading", "heading"))
        doc.add(*(Para(f"- {line}") for line in data.notes))

    doc.add(Para(""), Para("위와 같이 심사 결과를 보고합니다.", "body", "center"),
            Para(date_dot(data.held_on), "body", "center"))
    if data.organizer:
        doc.add(Para(data.organizer, "body", "center"))
    return doc.to_bytes()
