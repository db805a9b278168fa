"""The result report as HWPX: the package is checked by readers other than the writer — unzip and
XML checks here (package layout, every shape reference defined, table grids whole) and python-hwpx
(an independent OWPML library: it opens the file, validates it against the OWPML schema and its
"will 한글 open it" checks) — and its text is compared with the PDF report's."""

import io
import xml.etree.ElementTree as ET
import zipfile

import pytest

from judging.documents import render_result_report, render_result_report_hwpx
from judging.documents.data import ReportRow
from tests.support.document_data import report
from tests.support.documents import pdf_text, squeeze

HP = "{http://www.hancom.co.kr/hwpml/2011/paragraph}"
HH = "{http://www.hancom.co.kr/hwpml/2011/head}"
OPF = "{http://www.idpf.org/2007/opf/}"
OCF = "{urn:oasis:names:tc:opendocument:xmlns:container}"


@pytest.fixture(scope="module")
def hwpx() -> bytes:
    return render_result_report_hwpx(report())


def _zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def test_package_layout_is_what_hangul_reads(hwpx):
    z = _zip(hwpx)
    first = z.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert z.read("mimetype") == b"application/hwp+zip"
    # The mimetype's bytes sit at the fixed offset readers look at (30-byte header + 8-byte name).
    assert hwpx[30:38] == b"mimetype" and hwpx[38:57] == b"application/hwp+zip"
    container = ET.fromstring(z.read("META-INF/container.xml"))
    roots = [r.get("full-path") for r in container.iter(f"{OCF}rootfile")]
    assert roots[0] == "Contents/content.hpf"
    package = ET.fromstring(z.read("Contents/content.hpf"))
    items = {i.get("id"): i.get("href") for i in package.iter(f"{OPF}item")}
    assert set(items.values()) <= set(z.namelist())
    assert [i.get("idref") for i in package.iter(f"{OPF}itemref")] == ["header", "section0"]
    assert package.find(f"{OPF}metadata/{OPF}title").text == "2024년 복지업무 우수 동 성과보고회 심사 결과 보고"
    for name in z.namelist():
        if name.endswith((".xml", ".hpf")):
            ET.fromstring(z.read(name))  # every part is well-formed XML


def test_every_shape_the_body_uses_is_defined_in_the_header(hwpx):
    z = _zip(hwpx)
    header = ET.fromstring(z.read("Contents/header.xml"))
    section = ET.fromstring(z.read("Contents/section0.xml"))
    defined = {
        "charPrIDRef": {e.get("id") for e in header.iter(f"{HH}charPr")},
        "paraPrIDRef": {e.get("id") for e in header.iter(f"{HH}paraPr")},
        "borderFillIDRef": {e.get("id") for e in header.iter(f"{HH}borderFill")},
        "styleIDRef": {e.get("id") for e in header.iter(f"{HH}style")},
    }
    for kind, ids in defined.items():
        used = {e.get(kind) for e in section.iter() if e.get(kind) is not None}
        assert used and used <= ids, kind
    for group in ("charProperties", "paraProperties", "borderFills", "fontfaces", "styles"):
        element = header.find(f"{HH}refList/{HH}{group}")
        assert int(element.get("itemCnt")) == len(list(element)), group
    # Korean wraps between words (어절), never inside one.
    assert {e.get("breakNonLatinWord") for e in header.iter(f"{HH}breakSetting")} == {"KEEP_WORD"}
    # The page: A4 portrait, set once at the start of the section.
    assert [(p.get("width"), p.get("height")) for p in section.iter(f"{HP}pagePr")] == [("59528", "84186")]


def test_every_table_grid_is_whole(hwpx):
    section = ET.fromstring(_zip(hwpx).read("Contents/section0.xml"))
    tables = list(section.iter(f"{HP}tbl"))
    assert len(tables) == 4  # 결재란, overview, ranking, special awards
    for tbl in tables:
        rows, cols = int(tbl.get("rowCnt")), int(tbl.get("colCnt"))
        covered = []
        for tc in tbl.iter(f"{HP}tc"):
            addr, span = tc.find(f"{HP}cellAddr"), tc.find(f"{HP}cellSpan")
            r, c = int(addr.get("rowAddr")), int(addr.get("colAddr"))
            covered += [(r + dr, c + dc) for dr in range(int(span.get("rowSpan")))
                        for dc in range(int(span.get("colSpan")))]
        assert sorted(covered) == [(r, c) for r in range(rows) for c in range(cols)]
        assert int(tbl.find(f"{HP}sz").get("width")) <= 59528 - 2 * 8504


def test_python_hwpx_opens_and_validates_it(hwpx, tmp_path):
    from hwpx import HwpxDocument
    from hwpx.tools.package_validator import validate_editor_open_safety
    from hwpx.tools.validator import validate_document

    path = tmp_path / "report.hwpx"
    path.write_bytes(hwpx)
    schema = validate_document(path)
    assert schema.ok, schema.issues
    safety = validate_editor_open_safety(path)
    assert safety.ok, safety.issues
    text = HwpxDocument.open(path).text.plain()
    assert "심사 결과 보고" in text and "고봉동 지역사회보장협의체" in text


def _hwpx_lines(data: bytes) -> list[str]:
    """The document's text read back with python-hwpx, one paragraph or table cell a line."""
    from hwpx import HwpxDocument

    doc = HwpxDocument.open(io.BytesIO(data))
    return [part for line in doc.text.plain().splitlines() for part in line.split("\t") if part.strip()]


def test_its_text_is_the_pdf_reports_text(hwpx):
    pdf = squeeze(pdf_text(render_result_report(report())))
    lines = _hwpx_lines(hwpx)
    for expected in ("심사 결과 보고", "1. 심사 개요", "최고점·최저점 제외 없이 평균하였습니다.", "95.00", "최우수",
                     "주엽1동 지역사회보장협의체", "위와 같이 심사 결과를 보고합니다.", "담당", "과장"):
        assert any(expected in line for line in lines), expected
    assert len(lines) > 60
    missing = [line for line in lines if squeeze(line) not in pdf]
    assert missing == []


def test_a_row_with_the_wrong_number_of_scores_is_refused():
    data = report()
    bad = ReportRow(rank=1, entrant="가동", title="", criteria=("1",), total="1.00", n=1)
    with pytest.raises(ValueError, match="criterion values"):
        render_result_report_hwpx(type(data)(**{**{f: getattr(data, f) for f in data.__slots__}, "rows": (bad,)}))
