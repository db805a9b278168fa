"""Certificates (상장 / 표창장): A4 portrait, Nanum Myeongjo, seal over the issuer's name, QR to verify.

Top to bottom (DOMAIN.md, "Documents"): number "제 2024-001 호" top left; the title "상 장"
letter-spaced; the award name; the recipient, optionally preceded by the district path; the body,
justified and broken only at spaces; the date "2024년 12월 4일"; the issuer title and name with
the red seal (직인) stamped over the end of the name; a QR code to the public verification page.

Rendering is cached where it can be: fonts are registered once per process, a seal PNG is decoded
once per distinct bytes, and inside one PDF the frame and each seal are drawn once as form
XObjects and reused on every page.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import segno
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from judging.formatting import date_korean
from judging.messages import N_
from judging.steps import Progress, counted

from .data import CertificateData
from .fonts import SERIF, SERIF_BOLD, register_fonts
from .text import fit_lines

__all__ = ["render_certificate", "render_certificates", "draw_certificate", "layout_certificate"]

PAGE_W, PAGE_H = A4

INK = HexColor("#1b1b1b")
FRAME = HexColor("#7a5c2e")
FRAME_LIGHT = HexColor("#b89a5e")

# Text column shared by the award, the recipient block and the body.
LEFT = 82.0
RIGHT = PAGE_W - 82.0
COLUMN = RIGHT - LEFT

NUMBER_SIZE = 12.0
TITLE_SIZE = 50.0
TITLE_SPACING = 34.0
AWARD_SIZE = 26.0
DISTRICT_SIZE = 16.0
RECIPIENT_MAX, RECIPIENT_MIN, RECIPIENT_TWO_LINE_MIN = 24.0, 16.0, 11.0
BODY_MAX, BODY_MIN = 19.0, 12.0
BODY_LEADING = 1.85
MAX_JUSTIFY_SPACING = 0.3  # of the type size
DATE_SIZE = 19.0
ISSUER_SIZE = 26.0
ISSUER_NAME_SPACING = 6.0
SEAL_SIZE = 74.0  # points: about 26 mm, the usual size of a city head's seal
QR_SIZE = 62.0
QR_X, QR_Y = 60.0, 74.0

Y_NUMBER = PAGE_H - 70
Y_TITLE = PAGE_H - 170
Y_AWARD = PAGE_H - 250
Y_RECIPIENT_TOP = PAGE_H - 300
BODY_BOTTOM = 250.0
Y_DATE = 208.0
Y_ISSUER = 132.0


@dataclass(frozen=True, slots=True)
class TextLine:
    """One positioned line; ``char_space`` is added after every character (letter-spacing)."""

    text: str
    x: float
    y: float
    font: str
    size: float
    align: str = "left"  # left | right | centre
    char_space: float = 0.0


@dataclass(frozen=True, slots=True)
class CertificateLayout:
    """Every string with its position and size, and where the seal and QR go."""

    lines: tuple[TextLine, ...]
    seal: tuple[float, float, float, float] | None  # x, y, width, height
    qr: tuple[float, float, float] | None  # x, y, size


def _justify(line: str, font: str, size: float, y: float) -> TextLine:
    """Justify by spreading the slack evenly between all characters (배분 정렬, as HWP does), so
    a line holding a long word gets even letter spacing rather than a few wide holes. If the slack
    is too large for that to look like text, the line stays ragged."""
    slack = COLUMN - stringWidth(line, font, size)
    spacing = slack / (len(line) - 1) if len(line) > 1 else 0.0
    if spacing > MAX_JUSTIFY_SPACING * size:
        spacing = 0.0
    return TextLine(line, LEFT, y, font, size, char_space=spacing)


def _body_lines(body: str, top: float) -> list[TextLine]:
    """Wrap and justify the body between ``top`` and BODY_BOTTOM, shrinking type to fit."""
    paragraphs = [p for p in (" ".join(part.split()) for part in body.split("\n")) if p]
    size = BODY_MAX
    while True:
        # A paragraph with a word wider than the column comes back at its own smaller size.
        fitted = [fit_lines(p, SERIF, COLUMN, size, size) for p in paragraphs]
        n_lines = sum(len(lines) for _, lines in fitted)
        if top - (n_lines - 1) * size * BODY_LEADING - size * 0.3 >= BODY_BOTTOM or size <= BODY_MIN:
            break
        size -= 0.5
    out: list[TextLine] = []
    y = top
    for psize, lines in fitted:
        for i, line in enumerate(lines):
            if i == len(lines) - 1:
                out.append(TextLine(line, LEFT, y, SERIF, psize))
            else:
                out.append(_justify(line, SERIF, psize, y))
            y -= size * BODY_LEADING
    return out


def layout_certificate(data: CertificateData) -> CertificateLayout:
    """Compute the position and size of everything on the page (pure; no drawing)."""
    register_fonts()
    lines: list[TextLine] = [
        TextLine(data.number, LEFT - 12, Y_NUMBER, SERIF, NUMBER_SIZE),
        TextLine(data.title, PAGE_W / 2, Y_TITLE, SERIF_BOLD, TITLE_SIZE, "centre", TITLE_SPACING),
    ]
    award_size, _ = fit_lines(data.award_title, SERIF_BOLD, COLUMN, AWARD_SIZE, AWARD_SIZE)
    lines.append(TextLine(data.award_title, LEFT, Y_AWARD, SERIF_BOLD, award_size))

    y = Y_RECIPIENT_TOP
    if data.district:
        dsize, dlines = fit_lines(data.district, SERIF, COLUMN, DISTRICT_SIZE, DISTRICT_SIZE)
        for text in dlines:
            lines.append(TextLine(text, RIGHT, y, SERIF, dsize, "right"))
            y -= dsize * 1.6
        y -= 6
    else:
        y -= 10
    # A long name shrinks on one line first; only below RECIPIENT_MIN does it take two lines.
    rsize, rlines = fit_lines(data.recipient, SERIF_BOLD, COLUMN, RECIPIENT_MAX, RECIPIENT_MIN, max_lines=1)
    if len(rlines) > 1:
        rsize, rlines = fit_lines(
            data.recipient, SERIF_BOLD, COLUMN, RECIPIENT_MIN, RECIPIENT_TWO_LINE_MIN, max_lines=2
        )
    y -= rsize - DISTRICT_SIZE if data.district else 0
    for text in rlines:
        lines.append(TextLine(text, RIGHT, y, SERIF_BOLD, rsize, "right"))
        y -= rsize * 1.45

    lines.extend(_body_lines(data.body, y - 42))
    lines.append(TextLine(date_korean(data.issued_on), PAGE_W / 2, Y_DATE, SERIF, DATE_SIZE, "centre"))

    # Issuer: "고양특례시장 ○○○", the name letter-spaced, the seal over its last character.
    title_w = stringWidth(data.issuer_title, SERIF_BOLD, ISSUER_SIZE)
    name = data.issuer_name
    name_w = stringWidth(name, SERIF_BOLD, ISSUER_SIZE) + ISSUER_NAME_SPACING * max(len(name) - 1, 0)
    gap = ISSUER_SIZE * 0.7
    # The seal is stamped over the right half of the name's last character, as by hand.
    seal_overhang = SEAL_SIZE * 0.62 if data.seal_png else 0.0
    total = title_w + gap + name_w + seal_overhang
    x0 = (PAGE_W - total) / 2
    lines.append(TextLine(data.issuer_title, x0, Y_ISSUER, SERIF_BOLD, ISSUER_SIZE))
    name_x = x0 + title_w + gap
    lines.append(TextLine(name, name_x, Y_ISSUER, SERIF_BOLD, ISSUER_SIZE, char_space=ISSUER_NAME_SPACING))
    seal = None
    if data.seal_png:
        w, h = _seal_size(data.seal_png)
        cx = name_x + name_w + seal_overhang - w / 2
        cy = Y_ISSUER + ISSUER_SIZE * 0.35
        seal = (cx - w / 2, cy - h / 2, w, h)
    qr = (QR_X, QR_Y, QR_SIZE) if data.verify_url else None
    if data.verify_url:
        lines.append(TextLine("진위 확인", QR_X + QR_SIZE / 2, QR_Y - 10, SERIF, 7.5, "centre"))
    return CertificateLayout(tuple(lines), seal, qr)


@lru_cache(maxsize=32)
def _seal_reader(png: bytes) -> ImageReader:
    """Decode a seal PNG once per distinct bytes. Raises OSError if it is not an image."""
    reader = ImageReader(io.BytesIO(png))
    reader.getRGBData()  # decode now, and fail here rather than mid-batch
    return reader


def _seal_size(png: bytes) -> tuple[float, float]:
    iw, ih = _seal_reader(png).getSize()
    scale = SEAL_SIZE / max(iw, ih)
    return iw * scale, ih * scale


@lru_cache(maxsize=32)
def _seal_key(png: bytes) -> str:
    return "seal" + hashlib.sha1(png).hexdigest()[:16]


@lru_cache(maxsize=4096)
def _qr_runs(value: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """Encode ``value`` (error correction M) as (module count, dark runs (row, col, length)).

    segno encodes about twice as fast as reportlab's pure-Python encoder, which was most of a
    certificate's time."""
    matrix = segno.make(value, error="m", boost_error=False, micro=False).matrix
    runs = []
    for r, row in enumerate(matrix):
        c, n = 0, len(row)
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                runs.append((r, start, c - start))
            else:
                c += 1
    return len(matrix), tuple(runs)


def _draw_qr(c: Canvas, value: str, x: float, y: float, size: float) -> None:
    count, runs = _qr_runs(value)
    box = size / (count + 2)  # quiet zone of one module is enough on a white page
    path = c.beginPath()
    top = y + size - box
    for r, col, length in runs:
        path.rect(x + (col + 1) * box, top - (r + 1) * box, length * box, box * 1.02)
    c.setFillColor(INK)
    c.drawPath(path, stroke=0, fill=1)


def _draw_frame(c: Canvas) -> None:
    """A double frame with corner ornaments, in the warm brown of printed certificates."""
    c.saveState()
    c.setStrokeColor(FRAME)
    c.setLineWidth(3)
    c.rect(26, 26, PAGE_W - 52, PAGE_H - 52)
    c.setLineWidth(0.8)
    c.rect(34, 34, PAGE_W - 68, PAGE_H - 68)
    c.setStrokeColor(FRAME_LIGHT)
    c.setLineWidth(0.5)
    c.rect(38, 38, PAGE_W - 76, PAGE_H - 76)
    c.setFillColor(FRAME)
    for cx, cy in ((34, 34), (PAGE_W - 34, 34), (34, PAGE_H - 34), (PAGE_W - 34, PAGE_H - 34)):
        # A small lozenge with a square inside at each corner.
        p = c.beginPath()
        p.moveTo(cx, cy - 9)
        p.lineTo(cx + 9, cy)
        p.lineTo(cx, cy + 9)
        p.lineTo(cx - 9, cy)
        p.close()
        c.drawPath(p, stroke=0, fill=1)
        c.setFillColor(Color(1, 1, 1))
        c.rect(cx - 2.5, cy - 2.5, 5, 5, stroke=0, fill=1)
        c.setFillColor(FRAME)
    c.restoreState()


class _Forms:
    """Form XObjects defined in one canvas, so each is written once per PDF."""

    def __init__(self, c: Canvas) -> None:
        self.c = c
        self.names: set[str] = set()

    def frame(self) -> None:
        if "frame" not in self.names:
            self.c.beginForm("frame")
            _draw_frame(self.c)
            self.c.endForm()
            self.names.add("frame")
        self.c.doForm("frame")

    def seal(self, png: bytes, x: float, y: float, w: float, h: float) -> None:
        key = _seal_key(png)
        if key not in self.names:
            self.c.beginForm(key, 0, 0, w, h)
            self.c.drawImage(_seal_reader(png), 0, 0, w, h, mask="auto")
            self.c.endForm()
            self.names.add(key)
        self.c.saveState()
        self.c.translate(x, y)
        self.c.doForm(key)
        self.c.restoreState()


def draw_certificate(c: Canvas, data: CertificateData, forms: _Forms | None = None) -> None:
    """Draw one certificate on the current page of ``c`` (does not end the page)."""
    forms = forms or _Forms(c)
    layout = layout_certificate(data)
    forms.frame()
    c.setFillColor(INK)
    for line in layout.lines:
        c.setFont(line.font, line.size)
        if line.align == "centre":
            c.drawCentredString(line.x, line.y, line.text, charSpace=line.char_space)
        elif line.align == "right":
            c.drawRightString(line.x, line.y, line.text, charSpace=line.char_space)
        else:
            c.drawString(line.x, line.y, line.text, charSpace=line.char_space)
    if layout.seal and data.seal_png:
        forms.seal(data.seal_png, *layout.seal)
    if layout.qr and data.verify_url:
        _draw_qr(c, data.verify_url, *layout.qr)


def _canvas(buf: io.BytesIO, title: str, subject: str) -> Canvas:
    register_fonts()
    # invariant: no timestamp or random id, so re-generating gives the same bytes.
    c = Canvas(buf, pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setSubject(subject)
    c.setCreator("judging")
    return c


def render_certificate(data: CertificateData) -> bytes:
    """Render one certificate as a one-page A4 PDF. Raises OSError if the seal is not an image."""
    return render_certificates([data])


def render_certificates(items: Iterable[CertificateData], progress: Progress | None = None) -> bytes:
    """Render many certificates into one PDF, one page each, in the given order (``progress`` hears
    each page drawn, as "일괄 PDF").

    Raises ValueError for an empty list; OSError if a seal is not an image.
    """
    items = list(items)
    if not items:
        raise ValueError("no certificates to render")
    buf = io.BytesIO()
    first = items[0]
    title = first.number if len(items) == 1 else f"{first.contest_title} 상장 {len(items)}매"
    c = _canvas(buf, title, first.contest_title)
    forms = _Forms(c)
    for data in counted(items, progress, N_("일괄 PDF")):
        draw_certificate(c, data, forms)
        c.showPage()
    c.save()
    return buf.getvalue()
