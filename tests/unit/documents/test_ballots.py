"""Ballot cards (현장평가단 투표권) rendered, then looked at as a picture: 8 cards to an A4 page, each
with its number, its address and a QR code where it belongs, cut marks in the margins."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from judging.documents import ballots
from judging.documents.ballots import BallotCard, BallotCardsData, render_ballot_cards
from judging.scoring import RATING_LABELS
from tests.support.databases import IN_CI

DPI = 100
OUT = Path(__file__).resolve().parents[2] / "browser" / "screenshots"


def _data(count: int) -> BallotCardsData:
    return BallotCardsData(
        "2024년 복지업무 우수 동 성과보고회", "현장평가단", "고양특례시", "2024. 12. 4.",
        tuple(BallotCard(i, f"https://award.example.go.kr/v/{'A' * 20}{i:02d}") for i in range(1, count + 1)),
        RATING_LABELS,
    )


def _page_image(pdf: bytes, tmp_path: Path, page: int = 1) -> Image.Image:
    if shutil.which("pdftoppm") is None:
        if IN_CI:
            pytest.fail("CI must look at the PDF: poppler-utils (pdftoppm) is not installed (see .ci/run)")
        pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")
    source = tmp_path / "cards.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", "-f", str(page), "-l", str(page), str(source),
                    str(tmp_path / "page")], check=True, timeout=60)
    [png] = sorted(tmp_path.glob("page*.png"))
    OUT.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(png, OUT / f"ballot-cards-page{page}.png")
    return Image.open(png).convert("L")


def px(points: float) -> int:
    return round(points / 72 * DPI)


def _dark_share(img: Image.Image, box: tuple[int, int, int, int]) -> float:
    region = img.crop(box)
    histogram = region.histogram()  # 256 grey levels
    return sum(histogram[:128]) / (region.size[0] * region.size[1])


def test_eight_numbered_cards_a_page_with_their_addresses():
    pdf = render_ballot_cards(_data(10))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    first, second = (page.extract_text() for page in reader.pages)
    assert all(f"No. {i:04d}" in first for i in range(1, 9)) and "No. 0009" not in first
    assert "No. 0009" in second and "No. 0010" in second
    assert "https://award.example.go.kr/v/AAAAAAAAAAAAAAAAAAAA01" in first
    assert "현장평가단 투표권" in first and "5 매우 좋음" in first
    assert reader.pages[0].mediabox.width == pytest.approx(A4[0], abs=1)


def test_the_page_as_a_picture_has_qr_codes_in_every_card_and_cut_marks(tmp_path):
    img = _page_image(render_ballot_cards(_data(8)), tmp_path)
    height = img.size[1]
    assert abs(img.size[0] - px(A4[0])) <= 1 and abs(img.size[1] - px(A4[1])) <= 1
    for index in range(ballots.PER_PAGE):
        col, row = index % ballots.COLUMNS, index // ballots.COLUMNS
        card_x = ballots.MARGIN + col * ballots.CARD_W
        card_y = A4[1] - ballots.MARGIN - (row + 1) * ballots.CARD_H
        qr_left = card_x + 6 * mm - 2 * mm
        qr_bottom = card_y + 6 * mm + 2 * mm
        box = (px(qr_left) + 4, height - px(qr_bottom + ballots.QR_SIZE) + 4,
               px(qr_left + ballots.QR_SIZE) - 4, height - px(qr_bottom) - 4)
        share = _dark_share(img, box)
        assert 0.3 < share < 0.7, (index, share)  # a QR code: about half its modules dark
    # cut marks: dark at each cut line in the margins, nothing between them
    top = (px(ballots.MARGIN - ballots.MARK - 1 * mm) + 2, px(ballots.MARGIN - 1 * mm) - 2)
    for i in range(ballots.COLUMNS + 1):
        x = px(ballots.MARGIN + i * ballots.CARD_W)
        assert _dark_share(img, (x - 1, top[0], x + 2, top[1])) > 0.2, i
    between = px(ballots.MARGIN + ballots.CARD_W / 2)
    assert _dark_share(img, (between - 1, top[0], between + 2, top[1])) == 0
    left = (px(ballots.MARGIN - ballots.MARK - 1 * mm) + 2, px(ballots.MARGIN - 1 * mm) - 2)
    for j in range(ballots.ROWS + 1):
        y = height - px(ballots.MARGIN + j * ballots.CARD_H)
        assert _dark_share(img, (left[0], y - 1, left[1], y + 2)) > 0.2, j
