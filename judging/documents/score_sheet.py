"""The per-judge score sheet (채점표), printed for the judge's signature.

The only document that carries a judge's name; it is never shown to entrants.
"""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, PolyLine
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table

from judging.formatting import date_dot, datetime_dot

from ._flow import (
    CELL,
    CELL_C,
    CELL_R,
    CENTRE,
    CONTENT_W,
    HEAD,
    HEAD_BG,
    SMALL,
    SUBTITLE,
    TITLE,
    build_pdf,
    grid_style,
    key_values,
    label,
    label_size,
    p,
)
from .data import ScoreSheetData, SignatureData

__all__ = ["render_score_sheet", "render_score_sheets"]

SIGN_HINT = SMALL.clone("sign_hint", alignment=TA_RIGHT, textColor="#777777")
SIGN_NOTE = SMALL.clone("sign_note", alignment=TA_RIGHT)
SIGN_W, SIGN_H = 36 * mm, 16 * mm


def render_score_sheet(data: ScoreSheetData) -> bytes:
    """Render one judge's score sheet as an A4 PDF.

    Raises ValueError if a scored row has a different number of scores than ``data.criteria``.
    """
    return build_pdf(
        _story(data), f"채점표 {data.round_title} {data.judge_name}", f"{data.contest_title} · 채점표 · {data.judge_name}"
    )


def render_score_sheets(sheets: list[ScoreSheetData], title: str) -> bytes:
    """Several judges' score sheets in one PDF (the signed sheets for the file), each from a new page.

    Raises ValueError as ``render_score_sheet``, or when ``sheets`` is empty.
    """
    if not sheets:
        raise ValueError("no score sheets")
    story: list[Flowable] = []
    for i, data in enumerate(sheets):
        if i:
            story.append(PageBreak())
        story += _story(data)
    return build_pdf(story, title, title)


def signature_drawing(signature: SignatureData, width: float = SIGN_W, height: float = SIGN_H) -> Drawing:
    """The drawn signature as vector lines, scaled into ``width`` x ``height`` (aspect kept, centred)."""
    box_w, box_h = signature.box
    scale = min(width / box_w, height / box_h)
    dx, dy = (width - box_w * scale) / 2, (height - box_h * scale) / 2
    drawing = Drawing(width, height)
    for stroke in signature.strokes:
        points: list[float] = []
        for x, y in stroke if len(stroke) > 1 else (stroke[0], (stroke[0][0] + 1, stroke[0][1])):
            points += [dx + x * scale, dy + (box_h - y) * scale]  # the pad's y runs downwards
        drawing.add(PolyLine(points, strokeColor=colors.HexColor("#102a6b"), strokeWidth=1.1,
                             strokeLineCap=1, strokeLineJoin=1))
    return drawing


def _signature_note(signature: SignatureData | None) -> str:
    if signature is None:
        return "서명: 이 종이에 직접 서명"
    how = "태블릿 서명" if signature.method == "tablet" else "종이 채점표에 서명 (가져옴)"
    state = "서명 당시 내용과 같음" if signature.matches else "서명 뒤 내용이 바뀜 — 이 서명은 지금 내용을 보증하지 않음"
    return f"{how} · {datetime_dot(signature.signed_at)} · 내용 해시(SHA-256) {signature.content_hash} · {state}"


def _story(data: ScoreSheetData) -> list[Flowable]:
    k = len(data.criteria)
    no_w, total_w = 9 * mm, 15 * mm
    crit_w = min(18 * mm, (CONTENT_W - no_w - total_w - 45 * mm) / max(k, 1))
    entry_w = CONTENT_W - no_w - total_w - crit_w * k
    size = label_size(data.criteria, HEAD, crit_w)
    header = [label("번호", HEAD, no_w), label("참가 단위 / 사업명", HEAD, entry_w)]
    header += [label(c, HEAD, crit_w, size) for c in data.criteria]
    header.append(label(f"합계 ({data.max_total})" if data.max_total else "합계", HEAD, total_w))
    rows: list[list] = [header]
    extra: list[tuple] = []
    for i, row in enumerate(data.rows, 1):
        entry = [p(row.entrant, CELL, entry_w)]
        if row.title:
            entry.append(p(row.title, SMALL, entry_w))
        r = len(rows)
        if row.recused:
            rows.append([p(str(i), CELL_C), entry, p("이해충돌 회피 (채점하지 않음)", CELL_C)] + [""] * k)
            extra.append(("SPAN", (2, r), (-1, r)))
        else:
            if len(row.scores) != k:
                raise ValueError(f"{row.entrant}: {len(row.scores)} scores for {k} criteria")
            rows.append(
                [p(str(i), CELL_C), entry, *(p(s, CELL_R, crit_w) for s in row.scores), p(row.total, CELL_R)]
            )
        if row.comment:
            rows.append(["", p(f"의견: {row.comment}", SMALL)] + [""] * k)
            extra.append(("SPAN", (1, r + 1), (-1, r + 1)))
            extra.append(("SPAN", (0, r), (0, r + 1)))
    table = Table(rows, colWidths=[no_w, entry_w, *([crit_w] * k), total_w], repeatRows=1)
    table.setStyle(grid_style(1, extra))

    submitted = datetime_dot(data.submitted_at) if data.submitted_at else "미제출"
    # The signature box: label, printed name, and an empty cell to sign in, "(서명)" in its corner.
    signature = data.signature
    if signature is not None and signature.method == "tablet":
        mark: Flowable | str = signature_drawing(signature)
    elif signature is not None:
        mark = p("(종이에 서명함)", SIGN_HINT)
    else:
        mark = p("(서명)", SIGN_HINT)
    sign = Table(
        [[p("심사위원", HEAD), p(data.judge_name, CENTRE), mark]],
        colWidths=[22 * mm, 40 * mm, SIGN_W],
        rowHeights=[SIGN_H],
        hAlign="RIGHT",
    )
    sign.setStyle(grid_style(0, [("BACKGROUND", (0, 0), (0, 0), HEAD_BG), ("VALIGN", (2, 0), (2, 0), "BOTTOM"),
                                 ("LEFTPADDING", (2, 0), (2, 0), 0), ("RIGHTPADDING", (2, 0), (2, 0), 0),
                                 ("TOPPADDING", (2, 0), (2, 0), 0), ("BOTTOMPADDING", (2, 0), (2, 0), 0)]))
    story: list[Flowable] = [
        p(f"{data.contest_title} · {data.round_title}", SUBTITLE),
        p("채점표", TITLE),
        Spacer(1, 4 * mm),
        key_values(
            [
                ("심사위원", f"{data.judge_name} ({data.judge_affiliation})" if data.judge_affiliation else data.judge_name),
                ("심사일", date_dot(data.held_on)),
                ("제출 시각", submitted),
            ]
        ),
        Spacer(1, 5 * mm),
        table,
        KeepTogether(
            [
                Spacer(1, 8 * mm),
                p(data.pledge, CENTRE),
                Spacer(1, 3 * mm),
                p(date_dot(data.held_on), CENTRE),
                Spacer(1, 5 * mm),
                sign,
                Spacer(1, 2 * mm),
                p(_signature_note(signature), SIGN_NOTE),
            ]
        ),
    ]
    return story
