"""Audience ballot cards (현장평가단 투표권): A4 portrait, 8 numbered cards a page (2 × 4), each with
a QR code of its voting address, with cut marks in the margins and crosses at the inner corners.

``render_ballot_cards(data) -> bytes`` sees only ``BallotCardsData``.
"""

from __future__ import annotations

import io

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from .data import BallotCard, BallotCardsData
from .fonts import SERIF, SERIF_BOLD, register_fonts

COLUMNS = 2
ROWS = 4
PER_PAGE = COLUMNS * ROWS
MARGIN = 12 * mm
CARD_W = (A4[0] - 2 * MARGIN) / COLUMNS
CARD_H = (A4[1] - 2 * MARGIN) / ROWS
MARK = 5 * mm  # cut-mark length in the margin
QR_SIZE = 38 * mm
INK = colors.HexColor("#222222")
FAINT = colors.HexColor("#777777")


def _fit(text: str, font: str, size: float, width: float) -> float:
    """The largest size ≤ ``size`` at which ``text`` fits ``width``."""
    wide = stringWidth(text, font, size)
    return size if wide <= width else size * width / wide


def _cut_marks(c: canvas.Canvas) -> None:
    c.setStrokeColor(INK)
    c.setLineWidth(0.3)
    xs = [MARGIN + i * CARD_W for i in range(COLUMNS + 1)]
    ys = [MARGIN + j * CARD_H for j in range(ROWS + 1)]
    for x in xs:  # vertical cut lines: marks in the top and bottom margins
        c.line(x, MARGIN - MARK - 1 * mm, x, MARGIN - 1 * mm)
        c.line(x, A4[1] - MARGIN + 1 * mm, x, A4[1] - MARGIN + MARK + 1 * mm)
    for y in ys:  # horizontal cut lines: marks in the side margins
        c.line(MARGIN - MARK - 1 * mm, y, MARGIN - 1 * mm, y)
        c.line(A4[0] - MARGIN + 1 * mm, y, A4[0] - MARGIN + MARK + 1 * mm, y)
    half = 2 * mm
    for x in xs[1:-1]:
        for y in ys[1:-1]:
            c.line(x - half, y, x + half, y)
            c.line(x, y - half, x, y + half)


def _card(c: canvas.Canvas, data: BallotCardsData, card: BallotCard, x: float, y: float) -> None:
    pad = 6 * mm
    inner_w = CARD_W - 2 * pad
    top = y + CARD_H - pad
    number = f"No. {card.serial:0{data.digits}d}"
    c.setFillColor(INK)
    c.setFont(SERIF_BOLD, 13)
    c.drawString(x + pad, top - 12, "현장평가단 투표권")
    c.setFont(SERIF_BOLD, 12)
    c.drawRightString(x + CARD_W - pad, top - 12, number)
    title_size = _fit(data.contest_title, SERIF, 8.5, inner_w)
    c.setFont(SERIF, title_size)
    c.drawString(x + pad, top - 26, data.contest_title)
    c.setFont(SERIF, 8)
    c.setFillColor(FAINT)
    c.drawString(x + pad, top - 37, f"{data.round_title} · {data.held_on} · {data.organizer}")

    widget = QrCodeWidget(card.url, barLevel="M")
    bx, by, bw, bh = widget.getBounds()
    drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / (bw - bx), 0, 0, QR_SIZE / (bh - by), 0, 0])
    drawing.add(widget)
    qr_x = x + pad - 2 * mm
    qr_y = y + pad + 2 * mm
    renderPDF.draw(drawing, c, qr_x, qr_y)

    text_x = qr_x + QR_SIZE + 3 * mm
    width = x + CARD_W - pad - text_x
    c.setFillColor(INK)
    lines = [
        ("① 휴대전화 카메라로", 9), ("    QR 코드를 찍으세요.", 9),
        ("② 참가작마다 1~5점을", 9), ("    골라 제출하세요.", 9),
        ("③ 한 장에 한 번만", 9), ("    투표할 수 있습니다.", 9),
    ]
    line_y = qr_y + QR_SIZE - 9
    for text, size in lines:
        c.setFont(SERIF, _fit(text, SERIF, size, width))
        c.drawString(text_x, line_y, text)
        line_y -= 12
    c.setFont(SERIF, 7)
    c.setFillColor(FAINT)
    half = (len(data.scale) + 1) // 2
    for offset, part in ((4, data.scale[:half]), (13, data.scale[half:])):
        c.drawString(text_x, line_y - offset, " · ".join(f"{value} {label}" for value, label in part))
    c.setFont(SERIF, _fit(card.url, SERIF, 6, inner_w))
    c.drawString(x + pad - 2 * mm, y + pad - 4, card.url)


def render_ballot_cards(data: BallotCardsData) -> bytes:
    """The cards, 8 to an A4 page, in number order."""
    register_fonts()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, pageCompression=1)
    c.setTitle(f"{data.contest_title} 현장평가단 투표권")
    c.setAuthor(data.organizer)
    cards = data.cards or ()
    for start in range(0, max(len(cards), 1), PER_PAGE):
        page = cards[start:start + PER_PAGE]
        _cut_marks(c)
        for index, card in enumerate(page):
            col, row = index % COLUMNS, index // COLUMNS
            _card(c, data, card, MARGIN + col * CARD_W, A4[1] - MARGIN - (row + 1) * CARD_H)
        c.showPage()
    c.save()
    return out.getvalue()
