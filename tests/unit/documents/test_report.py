import dataclasses

import pytest

from judging.documents import render_result_report
from judging.documents.data import ReportRow
from tests.support.document_data import CRITERIA, JUDGES, report
from tests.support.documents import base_fonts, pdf_pages, pdf_text, squeeze


def test_report_is_a4_in_nanum_myeongjo():
    pages = pdf_pages(render_result_report(report()))
    for page in pages:
        assert float(page.mediabox.width) == pytest.approx(595.2756, abs=0.01)
        assert float(page.mediabox.height) == pytest.approx(841.8898, abs=0.01)
    fonts = base_fonts(pages[0])
    assert any(name.endswith("+NanumMyeongjo") for name in fonts)
    assert all("/FontFile2" in f["/FontDescriptor"] for n, f in fonts.items() if "Nanum" in n)


def test_report_states_method_judges_ties_special_awards_and_sign_off():
    text = squeeze(pdf_text(render_result_report(report())))
    for expected in [
        "2024년복지업무우수동성과보고회",
        "심사결과보고",
        "2024.12.4.",
        "고양시청대회의실",
        "4인",
        "최고점·최저점제외없이평균하였습니다.",
        "1.발표심사점수→2.배점이큰항목점수→3.심사위원협의(회의록)",
        "발표심사점수로정발산동을6위로하였습니다.",
        "주엽1동지역사회보장협의체",
        "고립가구발굴봉사조직을3년간운영",
        "담당",
        "팀장",
        "과장",
        "위와같이심사결과를보고합니다.",
    ]:
        assert expected in text, expected


def test_ranked_rows_print_aggregates_n_tier_and_their_notes():
    text = squeeze(pdf_text(render_result_report(report())))
    assert "1고봉동지역사회보장협의체" in text
    assert "18.5018.50" in text and "95.004최우수" in text
    assert "93.503주1우수" in text  # n = 3 with its note
    assert "주1.심사위원1인이해충돌회피로3인평균" in text


def test_many_criteria_are_numbered_with_a_legend():
    text = squeeze(pdf_text(render_result_report(report())))
    assert "①②③④⑤⑥⑦" in text
    assert "①사업의필요성·적절성(20)" in text


def test_few_criteria_print_their_names_in_the_header():
    data = report()
    rows = tuple(dataclasses.replace(r, criteria=r.criteria[:3]) for r in data.rows)
    text = squeeze(pdf_text(render_result_report(dataclasses.replace(data, criteria=CRITERIA[:3], rows=rows))))
    assert "①" not in text and "민관협력·네트워크(20)" in text


def test_a_long_table_continues_with_its_header_repeated():
    pages = pdf_pages(render_result_report(report(n_rows=45)))
    assert len(pages) >= 3
    table_pages = [squeeze(p.extract_text()) for p in pages if "참가단위/사업명" in squeeze(p.extract_text())]
    assert len(table_pages) >= 2
    assert "45" in squeeze(pdf_text(render_result_report(report(n_rows=45))))


def test_no_judge_name_is_on_the_report():
    text = pdf_text(render_result_report(report()))
    for name in JUDGES:
        assert name not in text


def test_rows_must_have_one_value_per_criterion():
    data = report()
    bad = ReportRow(rank=1, entrant="고봉동", title="", criteria=("1.00",), total="1.00", n=4)
    with pytest.raises(ValueError, match="고봉동"):
        render_result_report(dataclasses.replace(data, rows=(bad,)))


def test_text_from_data_is_not_markup():
    data = dataclasses.replace(report(), venue="<b>대회의실</b> & 로비")
    assert "<b>대회의실</b>&로비" in squeeze(pdf_text(render_result_report(data)))
