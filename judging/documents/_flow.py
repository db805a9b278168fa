"""Shared platypus pieces for the A4 reports: Myeongjo paragraph styles, table styles, page frame."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from .fonts import SERIF, SERIF_BOLD, register_fonts
from .text import wrap_label

MARGIN = 18 * mm
CONTENT_W = A4[0] - 2 * MARGIN
GRID = colors.HexColor("#555555")
HEAD_BG = colors.HexColor("#e8e4da")

# Paragraphs wrap at spaces only (reportlab's default splitting): never inside a Korean word.
# splitLongWords=0: a word wider than the line overflows rather than breaks; ``p(..., width=)``
# shrinks the type so that it does not.
BODY = ParagraphStyle("body", fontName=SERIF, fontSize=10, leading=15, splitLongWords=0)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8.5, leading=12)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=8.5, leading=11)
CELL_C = ParagraphStyle("cell_c", parent=CELL, alignment=TA_CENTER)
CELL_R = ParagraphStyle("cell_r", parent=CELL, alignment=TA_RIGHT)
HEAD = ParagraphStyle("head", parent=CELL, fontName=SERIF_BOLD, alignment=TA_CENTER)
TITLE = ParagraphStyle("title", parent=BODY, fontName=SERIF_BOLD, fontSize=17, leading=24, alignment=TA_LEFT)
SUBTITLE = ParagraphStyle("subtitle", parent=BODY, fontSize=10.5, leading=15)
H2 = ParagraphStyle("h2", parent=BODY, fontName=SERIF_BOLD, fontSize=12, leading=18, spaceBefore=10, spaceAfter=4)
CENTRE = ParagraphStyle("centre", parent=BODY, alignment=TA_CENTER)
ITEM = ParagraphStyle("item", parent=BODY, leftIndent=4 * mm)


CELL_PADDING = 3


def p(text: str, style: ParagraphStyle = BODY, width: float | None = None) -> Paragraph:
    """A paragraph of plain text (escaped: data never becomes markup).

    With ``width`` (a table column's width), the type shrinks until the widest word fits inside
    the cell padding, so a narrow column never breaks a Korean word.
    """
    register_fonts()
    if width is not None:
        words = text.split()
        room = width - 2 * CELL_PADDING
        widest = max((stringWidth(w, style.fontName, style.fontSize) for w in words), default=0.0)
        if widest > room:
            ratio = room / widest
            style = ParagraphStyle(
                f"{style.name}-fit", parent=style, fontSize=style.fontSize * ratio, leading=style.leading * ratio
            )
    return Paragraph(escape(text), style)


def _pieces(text: str) -> list[str]:
    return [u for w in text.split() for u in w.replace("·", "·\n").split("\n") if u]


def label_size(texts: Sequence[str], style: ParagraphStyle, width: float) -> float:
    """The largest type size (at most the style's) at which every heading in ``texts`` fits a
    column ``width`` wide when broken by ``wrap_label``; one size keeps a header row even."""
    register_fonts()
    room = width - 2 * CELL_PADDING
    widest = max((stringWidth(u, style.fontName, 1.0) for t in texts for u in _pieces(t)), default=0.0)
    return style.fontSize if widest * style.fontSize <= room else room / widest


def label(text: str, style: ParagraphStyle, width: float, size: float | None = None) -> Paragraph:
    """A table heading broken by ``wrap_label`` (at spaces or after a middle dot) to fit ``width``,
    set at ``size`` (default: the largest that fits, see ``label_size``)."""
    register_fonts()
    size = size or label_size([text], style, width)
    if size != style.fontSize:
        ratio = size / style.fontSize
        style = ParagraphStyle(f"{style.name}-fit", parent=style, fontSize=size, leading=style.leading * ratio)
    lines = wrap_label(text, style.fontName, size, width - 2 * CELL_PADDING)
    return Paragraph("<br/>".join(escape(line) for line in lines), style)


def grid_style(header_rows: int = 1, extra: Sequence[tuple] = ()) -> TableStyle:
    """Thin grid, shaded bold header rows, vertically centred cells."""
    shade = [("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_BG)] if header_rows else []
    return TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, GRID),
            ("BOX", (0, 0), (-1, -1), 1.0, colors.black),
            *shade,
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            *extra,
        ]
    )


def key_values(pairs: Sequence[tuple[str, str]], key_width: float = 28 * mm) -> Table:
    """A two-column table of labels and values (개요)."""
    rows = [[p(k, HEAD, key_width), p(v, CELL, CONTENT_W - key_width)] for k, v in pairs]
    t = Table(rows, colWidths=[key_width, CONTENT_W - key_width])
    t.setStyle(grid_style(0, [("BACKGROUND", (0, 0), (0, -1), HEAD_BG)]))
    return t


def approval_boxes(labels: Sequence[str], box_w: float = 20 * mm, box_h: float = 15 * mm,
                   marks: dict[str, str] | None = None) -> Table:
    """The 결재란: one column per signer, label on top and a box to sign in (holding the signer's
    name and date when ``marks`` has them)."""
    marks = marks or {}
    boxes = [[p(line, CELL_C, box_w) for line in marks[label].split("\n")] if marks.get(label) else ""
             for label in labels]
    t = Table([[p(label, HEAD, box_w) for label in labels], boxes],
              colWidths=[box_w] * len(labels), rowHeights=[7 * mm, box_h])
    t.setStyle(grid_style(1))
    return t


def build_pdf(story: list[Flowable], title: str, footer: str) -> bytes:
    """Lay out ``story`` on A4 portrait pages with a footer "title · - n -" and return the PDF."""
    register_fonts()
    buf = io.BytesIO()

    def on_page(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(SERIF, 8)
        canvas.setFillColor(colors.HexColor("#444444"))
        canvas.drawString(MARGIN, 10 * mm, footer)
        canvas.drawRightString(A4[0] - MARGIN, 10 * mm, f"- {doc.page} -")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        creator="judging",
        invariant=1,
    )
    draw: Callable = on_page
    doc.build(story, onFirstPage=draw, onLaterPages=draw)
    return buf.getvalue()
