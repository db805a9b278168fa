import dataclasses
import io

import pytest
from PIL import Image
from reportlab.pdfbase.pdfmetrics import stringWidth

from judging.documents import render_certificate, render_certificates
from judging.documents.certificate import COLUMN, LEFT, PAGE_W, RIGHT, layout_certificate
from tests.support.document_data import JUDGES, LONG_RECIPIENT, SEAL, certificate
from tests.support.documents import pdf_pages, pdf_text, squeeze

A4_PT = (595.2756, 841.8898)


def test_certificate_is_one_a4_portrait_page():
    pages = pdf_pages(render_certificate(certificate()))
    assert len(pages) == 1
    box = pages[0].mediabox
    assert float(box.width) == pytest.approx(A4_PT[0], abs=0.01)
    assert float(box.height) == pytest.approx(A4_PT[1], abs=0.01)


def test_certificate_prints_every_part_in_reading_order():
    text = squeeze(pdf_text(render_certificate(certificate())))
    parts = ["제2024-001호", "상장", "최우수상", "고양특례시일산동구", "고봉동지역사회보장협의체",
             "위단체는「2024년복지업무우수동성과보고회」에서", "이에최우수상을수여합니다.",
             "2024년12월4일", "고양특례시장", "이동환"]
    positions = [text.index(part) for part in parts]
    assert positions == sorted(positions)


def test_nanum_myeongjo_is_embedded_as_a_truetype_subset():
    page = pdf_pages(render_certificate(certificate()))[0]
    fonts = page["/Resources"]["/Font"]
    nanum = [f.get_object() for f in fonts.values() if "NanumMyeongjo" in str(f.get_object()["/BaseFont"])]
    assert {str(f["/BaseFont"]).split("+")[-1] for f in nanum} == {"NanumMyeongjo", "NanumMyeongjoBold"}
    for font in nanum:
        assert font["/Subtype"] == "/TrueType"
        assert "/FontFile2" in font["/FontDescriptor"]


def test_seal_is_drawn_with_its_transparency():
    page = pdf_pages(render_certificate(certificate()))[0]
    images = [
        img
        for form in page["/Resources"]["/XObject"].values()
        for img in form.get_object().get("/Resources", {}).get("/XObject", {}).values()
        if img.get_object()["/Subtype"] == "/Image"
    ]
    assert len(images) == 1
    assert "/SMask" in images[0].get_object()  # the alpha channel, so the paper shows through


def test_certificate_without_seal_or_qr_still_renders():
    data = dataclasses.replace(certificate(), seal_png=None, verify_url=None, district=None)
    text = squeeze(pdf_text(render_certificate(data)))
    assert "고봉동지역사회보장협의체" in text and "진위확인" not in text


def test_batch_has_one_page_per_certificate_each_with_its_own_number():
    items = [certificate(seq) for seq in range(1, 13)]
    pages = pdf_pages(render_certificates(items))
    assert len(pages) == 12
    numbers = [squeeze(page.extract_text()).split("호")[0] + "호" for page in pages]
    assert numbers == [f"제2024-{seq:03d}호" for seq in range(1, 13)]
    assert len(set(numbers)) == 12


def test_regenerating_gives_identical_bytes():
    items = [certificate(seq) for seq in range(1, 4)]
    assert render_certificates(items) == render_certificates(list(items))
    assert render_certificate(items[0]) == render_certificate(items[0])


def test_no_judge_name_is_printed_on_a_certificate():
    text = pdf_text(render_certificates([certificate(seq) for seq in range(1, 4)]))
    for name in JUDGES:
        assert name not in text


def test_long_recipient_name_fits_the_column_without_breaking_a_word():
    layout = layout_certificate(certificate(recipient=LONG_RECIPIENT))
    recipient_lines = [ln for ln in layout.lines if ln.text and set(ln.text.split()) <= set(LONG_RECIPIENT.split())
                       and ln.font.endswith("Bold") and ln.align == "right"]
    assert " ".join(ln.text for ln in recipient_lines).split() == LONG_RECIPIENT.split()
    for ln in recipient_lines:
        assert stringWidth(ln.text, ln.font, ln.size) <= COLUMN + 1e-6
    text = squeeze(pdf_text(render_certificate(certificate(recipient=LONG_RECIPIENT))))
    assert squeeze(LONG_RECIPIENT) in text


def test_every_line_stays_inside_the_text_column():
    layout = layout_certificate(certificate(recipient=LONG_RECIPIENT))
    for ln in layout.lines:
        width = stringWidth(ln.text, ln.font, ln.size) + ln.char_space * (len(ln.text) - 1)
        left = {"left": ln.x, "right": ln.x - width, "centre": ln.x - width / 2}[ln.align]
        if ln.text.startswith("제 ") or ln.text == "진위 확인":
            continue  # the number and the QR caption sit outside the column, inside the frame
        assert left >= LEFT - 1e-6 and left + width <= RIGHT + 1e-6, ln


def test_body_lines_break_only_between_words():
    body = certificate().body
    layout = layout_certificate(certificate())
    body_lines = [ln for ln in layout.lines if ln.size < 20 and ln.x == LEFT and not ln.font.endswith("Bold")]
    assert " ".join(ln.text for ln in body_lines).split() == body.split()


def test_a_word_wider_than_the_line_shrinks_its_paragraph_instead_of_breaking():
    giant = "가" * 60
    layout = layout_certificate(certificate(body=f"짧은 문장 {giant} 끝."))
    line = next(ln for ln in layout.lines if giant in ln.text)
    assert line.text == giant
    assert stringWidth(giant, line.font, line.size) <= COLUMN + 1e-6


def test_seal_sits_over_the_end_of_the_issuer_name_and_clear_of_the_date_and_qr():
    layout = layout_certificate(certificate())
    name = next(ln for ln in layout.lines if ln.text == "이동환")
    name_end = name.x + stringWidth("이동환", name.font, name.size) + name.char_space * 2
    x, y, w, h = layout.seal
    assert x < name_end < x + w  # overlaps the last character
    assert y < name.y < y + h
    date = next(ln for ln in layout.lines if ln.text == "2024년 12월 4일")
    assert y + h < date.y
    qx, qy, qs = layout.qr
    assert qx + qs < x
    assert x + w < PAGE_W - 34  # inside the frame


def test_seal_aspect_ratio_is_kept():
    buf = io.BytesIO()
    Image.new("RGBA", (400, 200), (200, 30, 30, 255)).save(buf, "PNG")
    layout = layout_certificate(certificate(seal=buf.getvalue()))
    _, _, w, h = layout.seal
    assert w / h == pytest.approx(2.0)


def test_a_seal_that_is_not_an_image_is_refused():
    with pytest.raises(OSError):
        render_certificate(certificate(seal=b"not a png" + SEAL[:10]))


def test_an_empty_batch_is_refused():
    with pytest.raises(ValueError):
        render_certificates([])


def test_the_verification_qr_code_is_a_well_formed_symbol():
    """The runs drawn are a QR symbol of the URL: version 1-40 size, the three finder patterns."""
    from judging.documents.certificate import _qr_runs

    count, runs = _qr_runs("https://judging.goyang.go.kr/v/2024-001")
    assert (count - 17) % 4 == 0 and 21 <= count <= 177
    rows: dict[int, set[int]] = {}
    for row, col, length in runs:
        rows.setdefault(row, set()).update(range(col, col + length))
    finder = [set(range(7)), {0, 6}, {0, 2, 3, 4, 6}, {0, 2, 3, 4, 6}, {0, 2, 3, 4, 6}, {0, 6}, set(range(7))]
    for r, expected in enumerate(finder):
        assert {c for c in rows.get(r, set()) if c < 8} == expected  # top left
        assert {c - (count - 7) for c in rows.get(r, set()) if c >= count - 8} == expected  # top right
        assert {c for c in rows.get(count - 7 + r, set()) if c < 8} == expected  # bottom left
