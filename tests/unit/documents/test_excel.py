import io
from decimal import Decimal

from openpyxl import load_workbook

from judging.documents import render_csv, render_workbook
from judging.documents.data import JudgeScore, JudgeTotal, ResultLine, RoundScores, WorkbookData

RESULTS = (
    ResultLine(1, "고봉동 지역사회보장협의체", "일산동구", "행복나눔 냉장고", Decimal("87.25"), 4, "최우수"),
    ResultLine(2, "탄현1동 지역사회보장협의체", "일산서구", "이웃 돌봄", Decimal("86.5"), 3, "우수"),
    ResultLine(None, "주엽1동 지역사회보장협의체", "일산서구", "고립가구 발굴", None, 0, "특별상"),
)
ROUND = RoundScores(
    title="발표심사: 본선/2024",
    criteria=("필요성 (20)", "민관협력 (20)"),
    scores=(
        JudgeScore("김심사", "고봉동", "필요성 (20)", Decimal("18")),
        JudgeScore("김심사", "고봉동", "민관협력 (20)", Decimal("17.5")),
        JudgeScore("박평가", "고봉동", "필요성 (20)", Decimal("16")),
        JudgeScore("박평가", "고봉동", "민관협력 (20)", None),
    ),
    totals=(JudgeTotal("김심사", "고봉동", Decimal("35.5")), JudgeTotal("박평가", "고봉동", None)),
    max_total="40",
)


def _open(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_results_sheet_has_korean_bold_frozen_headers():
    ws = _open(render_workbook(WorkbookData("대회", RESULTS)))["결과"]
    assert [c.value for c in ws[1]] == ["순위", "참가 단위", "지역", "사업명", "점수", "심사위원 수", "시상"]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width


def test_scores_are_numbers_shown_with_two_decimals():
    ws = _open(render_workbook(WorkbookData("대회", RESULTS)))["결과"]
    score = ws["E2"]
    assert isinstance(score.value, float) and score.value == 87.25
    assert score.number_format == "0.00"
    assert ws["A2"].value == 1 and ws["F2"].value == 4
    assert ws["E4"].value is None and ws["A4"].value is None


def test_only_results_unless_rounds_are_given():
    wb = _open(render_workbook(WorkbookData("대회", RESULTS)))
    assert wb.sheetnames == ["결과"]


def test_round_sheets_hold_each_judges_scores():
    wb = _open(render_workbook(WorkbookData("대회", RESULTS, rounds=(ROUND, ROUND))))
    assert wb.sheetnames == ["결과", "발표심사  본선 2024", "발표심사  본선 2024 (2)"]
    ws = wb["발표심사  본선 2024"]
    assert [c.value for c in ws[1]] == ["심사위원", "참가 단위", "필요성 (20)", "민관협력 (20)", "합계 (40)"]
    # the totals are the service's (the scoring core's); an incomplete sheet has none
    assert [c.value for c in ws[2]] == ["김심사", "고봉동", 18.0, 17.5, 35.5]
    assert [c.value for c in ws[3]] == ["박평가", "고봉동", 16.0, None, None]
    assert ws["C2"].number_format == "0.00"


def test_csv_starts_with_a_bom_and_keeps_korean():
    data = render_csv([("순위", "참가 단위", "점수"), (1, "고봉동, 일산동구", Decimal("87.25")), (None, "주엽1동", None)])
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines() == ["순위,참가 단위,점수", '1,"고봉동, 일산동구",87.25', ",주엽1동,"]
