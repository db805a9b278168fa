"""Sample data for the documents (certificate, result report, score sheet) as their dataclasses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from judging.documents.data import (
    CertificateData,
    ReportData,
    ReportRow,
    ScoreSheetData,
    SheetRow,
    SpecialAward,
)
from judging.documents.text import fill_body

ROOT = Path(__file__).resolve().parents[2]
SEAL = (ROOT / "judging" / "demo" / "seal.png").read_bytes()
CONTEST = "2024년 복지업무 우수 동 성과보고회"
TEMPLATE = (
    "위 단체는 「{contest}」에서 민관협력에 기반한 특화사업을 모범적으로 추진하여 지역 복지 증진에 "
    "크게 기여하였으므로 이에 {award}을 수여합니다."
)
JUDGES = ("김심사", "박평가", "이공정", "최전문")
CRITERIA = (
    "사업의 필요성·적절성 (20)",
    "민관협력·네트워크 (20)",
    "주민참여·체감도 (15)",
    "창의성·차별성 (15)",
    "성과·효과성 (15)",
    "지속가능성·확산가능성 (10)",
    "발표력 (5)",
)
DONGS = "고봉동 탄현1동 원신동 대화동 화정2동 정발산동 창릉동 장항2동 가좌동 장항1동 탄현2동".split()
LONG_RECIPIENT = "고봉동 지역사회보장협의체 민관협력 특화사업추진단 및 고봉동행정복지센터 맞춤형복지팀"


def certificate(
    seq: int = 1,
    recipient: str = "고봉동 지역사회보장협의체",
    award: str = "최우수상",
    district: str | None = "고양특례시 일산동구",
    seal: bytes | None = SEAL,
    body: str | None = None,
) -> CertificateData:
    return CertificateData(
        number=f"제 2024-{seq:03d} 호",
        award_title=award,
        recipient=recipient,
        district=district,
        body=body or fill_body(TEMPLATE, contest=CONTEST, award=award, recipient=recipient, date=""),
        issued_on=dt.date(2024, 12, 4),
        issuer_title="고양특례시장",
        issuer_name="이동환",
        seal_png=seal,
        verify_url=f"https://judging.example.kr/v/2024-{seq:03d}",
        contest_title=CONTEST,
    )


def report(n_rows: int = 11) -> ReportData:
    tiers = ["최우수"] + ["우수"] * 3 + ["장려"] * 7
    rows = tuple(
        ReportRow(
            rank=i + 1,
            entrant=f"{DONGS[i % len(DONGS)]} 지역사회보장협의체",
            title="이웃이 이웃을 돌보는 행복나눔 냉장고",
            criteria=tuple(f"{18.5 - i * 0.05:.2f}" for _ in CRITERIA),
            total=f"{95 - i * 0.75:.2f}",
            n=3 if i == 2 else 4,
            tier=tiers[i] if i < len(tiers) else None,
            note="심사위원 1인 이해충돌 회피로 3인 평균" if i == 2 else "",
        )
        for i in range(n_rows)
    )
    return ReportData(
        contest_title=CONTEST,
        round_title="발표심사",
        held_on=dt.date(2024, 12, 4),
        venue="고양시청 대회의실",
        judge_count=4,
        method_lines=("심사위원별 총점의 평균으로 순위를 정하였습니다.", "최고점·최저점 제외 없이 평균하였습니다."),
        tie_break_order=("발표심사 점수", "배점이 큰 항목 점수", "심사위원 협의(회의록)"),
        criteria=CRITERIA,
        rows=rows,
        tie_resolutions=("정발산동과 창릉동이 87.25점으로 동점이어서 발표심사 점수로 정발산동을 6위로 하였습니다.",),
        special_awards=(SpecialAward("특별상", "주엽1동 지역사회보장협의체", "고립가구 발굴 봉사 조직을 3년간 운영"),),
        notes=("심사위원 1인 이해충돌 회피로 원신동은 3인 평균입니다.",),
        organizer="고양특례시 복지정책과",
    )


def score_sheet(submitted: dt.datetime | None = dt.datetime(2024, 12, 4, 15, 20)) -> ScoreSheetData:
    rows = tuple(
        SheetRow(
            entrant=f"{dong} 지역사회보장협의체",
            title="행복나눔 냉장고",
            scores=() if i == 2 else ("18", "17.5", "13", "12", "14", "9", "4"),
            total="" if i == 2 else "87.5",
            comment="주민 참여가 돋보임" if i == 0 else "",
            recused=i == 2,
        )
        for i, dong in enumerate(DONGS)
    )
    return ScoreSheetData(
        contest_title=CONTEST,
        round_title="발표심사",
        held_on=dt.date(2024, 12, 4),
        judge_name="김심사",
        judge_affiliation="○○대학교 사회복지학과",
        criteria=CRITERIA,
        rows=rows,
        submitted_at=submitted,
    )
