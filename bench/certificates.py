"""Benchmark: render N certificates and compare with a bare reportlab drawing of the same pages.

    .venv/bin/python bench/certificates.py [--n 1000] [--single 200]

Prints (in CPU seconds of the process, see ``timed``), for the batch PDF (``render_certificates``): time, time per certificate, output size;
for separate PDFs (``render_certificate``): time per certificate; the same for a "bare" drawing —
plain reportlab canvas calls putting the same strings at the same positions with the same seal,
frame and QR code, written without any of our layout code, its line breaks worked out beforehand
and outside the timing — and the ratio of the two. Peak Python memory of each batch is measured
in a separate pass under tracemalloc (which slows code down, so it is not timed), plus the
process's peak RSS.

Three bare drawings:
- ``bare``: reportlab's QR widget for the code, the seal drawn on each page;
- ``bare+segno``: the same, but the QR code encoded by segno (the fastest QR encoder at hand, about
  twice reportlab's) and drawn as one path — the reference of the goal below;
- ``lean``: also the seal in one form XObject and segno's QR as one path, as our renderer does; the
  ratio against it is the cost of our layout code alone.

Goals: the batch within 2x of ``bare+segno`` (the exit status is 1 if missed); within 1.5x of the
faster of ``bare`` and ``lean`` (an earlier goal, reported).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import itertools
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import segno  # noqa: E402
from reportlab.graphics import renderPDF  # noqa: E402
from reportlab.graphics.barcode.qr import QrCodeWidget  # noqa: E402
from reportlab.graphics.shapes import Drawing  # noqa: E402
from reportlab.lib.colors import Color, HexColor  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.utils import ImageReader  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from judging.documents.certificate import layout_certificate, render_certificate, render_certificates  # noqa: E402
from judging.documents.data import CertificateData  # noqa: E402
from judging.documents.fonts import register_fonts  # noqa: E402
from judging.documents.text import fill_body  # noqa: E402
from judging.formatting import certificate_number  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEAL = (ROOT / "judging" / "demo" / "seal.png").read_bytes()

DISTRICTS = {
    "덕양구": "주교동 원신동 흥도동 성사1동 성사2동 효자동 삼송1동 삼송2동 창릉동 고양동 관산동 능곡동 화정1동 "
    "화정2동 행주동 행신1동 행신2동 행신3동 화전동 대덕동",
    "일산동구": "식사동 중산1동 중산2동 정발산동 풍산동 백석1동 백석2동 마두1동 마두2동 장항1동 장항2동 고봉동",
    "일산서구": "일산1동 일산2동 일산3동 탄현1동 탄현2동 주엽1동 주엽2동 대화동 송포동 송산동 가좌동",
}
AWARDS = ("최우수상", "우수상", "장려상", "특별상")
TEMPLATE = (
    "위 단체는 「{contest}」에서 민관협력에 기반한 특화사업을 모범적으로 추진하여 지역 복지 증진에 "
    "크게 기여하였으므로 이에 {award}을 수여합니다."
)
CONTEST = "2024년 복지업무 우수 동 성과보고회"


def make_certificates(n: int, seed: int = 6) -> list[CertificateData]:
    """N demo certificates: Goyang dongs, now and then a long recipient name."""
    rng = random.Random(seed)
    dongs = [(gu, dong) for gu, names in DISTRICTS.items() for dong in names.split()]
    out = []
    for i in range(n):
        gu, dong = rng.choice(dongs)
        recipient = f"{dong} 지역사회보장협의체"
        if i % 10 == 0:
            recipient += " 민관협력 특화사업추진단 및 행정복지센터 맞춤형복지팀"
        award = rng.choice(AWARDS)
        out.append(
            CertificateData(
                number=certificate_number(2024, i + 1),
                award_title=award,
                recipient=recipient,
                district=f"고양특례시 {gu}",
                body=fill_body(TEMPLATE, contest=CONTEST, award=award, recipient=recipient, date=""),
                issued_on=dt.date(2024, 12, 4),
                issuer_title="고양특례시장",
                issuer_name="이동환",
                seal_png=SEAL,
                verify_url=f"https://judging.goyang.go.kr/v/2024-{i + 1:03d}",
                contest_title=CONTEST,
            )
        )
    return out


# ---- the bare drawing: plain reportlab, same strings and positions, no abstraction ----------


def bare_pages(items: list[CertificateData]) -> list[list[tuple]]:
    """The line breaks and positions, worked out before timing (a hand-written drawing would
    hard-code them): (font, size, x, y, text, align, char_space) per string."""
    pages = []
    for data in items:
        layout = layout_certificate(data)
        pages.append(
            [(ln.font, ln.size, ln.x, ln.y, ln.text, ln.align, ln.char_space) for ln in layout.lines]
            + [("seal", layout.seal), ("qr", layout.qr, data.verify_url)]
        )
    return pages


def _segno_path(c: Canvas, url: str, x: float, y: float, size: float) -> None:
    matrix = segno.make(url, error="m", boost_error=False, micro=False).matrix
    box = size / (len(matrix) + 2)
    path = c.beginPath()
    for r, row in enumerate(matrix):
        col = 0
        for dark, run in itertools.groupby(row):
            k = len(list(run))
            if dark:
                path.rect(x + (col + 1) * box, y + size - box - (r + 1) * box, k * box, box * 1.02)
            col += k
    c.drawPath(path, stroke=0, fill=1)


def bare_render(pages: list[list[tuple]], lean: bool = False, segno_qr: bool = False) -> bytes:
    """Draw the pages with plain canvas calls. ``lean`` applies the two tricks any careful
    reportlab user would (the seal as one form XObject, the QR code as one path) so that the ratio
    against it isolates the cost of our layout code alone."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1, pageCompression=1)
    seal = ImageReader(io.BytesIO(SEAL))
    w, h = A4
    brown, light = HexColor("#7a5c2e"), HexColor("#b89a5e")
    for page in pages:
        c.setStrokeColor(brown)
        c.setLineWidth(3)
        c.rect(26, 26, w - 52, h - 52)
        c.setLineWidth(0.8)
        c.rect(34, 34, w - 68, h - 68)
        c.setStrokeColor(light)
        c.setLineWidth(0.5)
        c.rect(38, 38, w - 76, h - 76)
        for cx, cy in ((34, 34), (w - 34, 34), (34, h - 34), (w - 34, h - 34)):
            c.setFillColor(brown)
            p = c.beginPath()
            p.moveTo(cx, cy - 9)
            p.lineTo(cx + 9, cy)
            p.lineTo(cx, cy + 9)
            p.lineTo(cx - 9, cy)
            p.close()
            c.drawPath(p, stroke=0, fill=1)
            c.setFillColor(Color(1, 1, 1))
            c.rect(cx - 2.5, cy - 2.5, 5, 5, stroke=0, fill=1)
        c.setFillColor(HexColor("#1b1b1b"))
        for item in page:
            if item[0] == "seal" and lean:
                x, y, sw, sh = item[1]
                if not c.hasForm("seal"):
                    c.beginForm("seal", 0, 0, sw, sh)
                    c.drawImage(seal, 0, 0, sw, sh, mask="auto")
                    c.endForm()
                c.saveState()
                c.translate(x, y)
                c.doForm("seal")
                c.restoreState()
            elif item[0] == "seal":
                x, y, sw, sh = item[1]
                c.drawImage(seal, x, y, sw, sh, mask="auto")
            elif item[0] == "qr" and (lean or segno_qr):
                (x, y, size), url = item[1], item[2]
                _segno_path(c, url, x, y, size)
            elif item[0] == "qr":
                (x, y, size), url = item[1], item[2]
                d = Drawing(size, size)
                d.add(QrCodeWidget(url, barWidth=size, barHeight=size, barBorder=1, barLevel="M"))
                renderPDF.draw(d, c, x, y)
            else:
                font, size, x, y, text, align, space = item
                c.setFont(font, size)
                if align == "centre":
                    c.drawCentredString(x, y, text, charSpace=space)
                elif align == "right":
                    c.drawRightString(x, y, text, charSpace=space)
                else:
                    c.drawString(x, y, text, charSpace=space)
        c.showPage()
    c.save()
    return buf.getvalue()


# ---- measuring --------------------------------------------------------------------------------


def timed(fn, *args):
    """CPU seconds of this (single-threaded) process: on a shared machine the wall clock also counts
    the other processes' turns, and the ratios below would measure the neighbours' load."""
    gc.collect()
    start = time.process_time()
    result = fn(*args)
    return time.process_time() - start, result


def peak_traced(fn, *args) -> int:
    gc.collect()
    tracemalloc.start()
    fn(*args)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="certificates in the batch (default 1000)")
    parser.add_argument("--single", type=int, default=200, help="separate PDFs to time (default 200)")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc passes")
    args = parser.parse_args(argv)

    register_fonts()
    items = make_certificates(args.n)
    pages = bare_pages(items)
    # Warm both paths (imports, font tables, first-use caches) so neither pays it in the timing.
    render_certificates(items[:3])
    bare_render(pages[:3])
    from judging.documents import certificate

    certificate._qr_runs.cache_clear()  # the QR code of every certificate is encoded in the timing

    t_ours, pdf_ours = timed(render_certificates, items)
    t_bare, pdf_bare = timed(bare_render, pages)
    t_segno, pdf_segno = timed(bare_render, pages, False, True)
    t_lean, pdf_lean = timed(bare_render, pages, True)
    certificate._qr_runs.cache_clear()
    singles = items[: args.single]
    t_single, _ = timed(lambda xs: [render_certificate(x) for x in xs], singles)

    n = args.n
    print(f"certificates: {n} (batch), {len(singles)} (separate PDFs)")
    print(f"ours  batch : {t_ours:7.2f} s  {t_ours / n * 1000:6.2f} ms/cert  {len(pdf_ours) / 1e6:6.2f} MB")
    print(f"bare  batch : {t_bare:7.2f} s  {t_bare / n * 1000:6.2f} ms/cert  {len(pdf_bare) / 1e6:6.2f} MB")
    print(f"bare+segno  : {t_segno:7.2f} s  {t_segno / n * 1000:6.2f} ms/cert  {len(pdf_segno) / 1e6:6.2f} MB")
    print(f"lean  batch : {t_lean:7.2f} s  {t_lean / n * 1000:6.2f} ms/cert  {len(pdf_lean) / 1e6:6.2f} MB")
    if singles:
        print(f"ours  single: {t_single:7.2f} s  {t_single / len(singles) * 1000:6.2f} ms/cert (one PDF each)")
    print(f"ratio ours/bare+segno (batch): {t_ours / t_segno:.2f}x   goal <= 2.00x")
    print(f"ratio ours/bare (batch): {t_ours / t_bare:.2f}x   goal <= 1.50x")
    print(f"ratio ours/lean (batch): {t_ours / t_lean:.2f}x   (bare with the same seal and QR tricks)")
    if not args.no_memory:
        certificate._qr_runs.cache_clear()
        peak_ours = peak_traced(render_certificates, items)
        peak_bare = peak_traced(bare_render, pages)
        peak_lean = peak_traced(bare_render, pages, True)
        print(
            f"peak traced memory: ours {peak_ours / 2**20:.1f} MiB, bare {peak_bare / 2**20:.1f} MiB, "
            f"lean {peak_lean / 2**20:.1f} MiB"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the process: {rss:.0f} MiB")
    return 0 if t_ours <= 2.0 * t_segno else 1


if __name__ == "__main__":
    raise SystemExit(main())
