"""What the renderers see: frozen dataclasses of display-ready values.

Services build these from the database (scores already aggregated, rounded and formatted as
strings where they are printed); the renderers never touch the database, Flask or the request.
Dates are ``datetime.date``/``datetime`` and are formatted by the renderer in the official style.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from judging.charts import RankingChart


@dataclass(frozen=True, slots=True)
class CertificateData:
    """One certificate (상장 or 표창장).

    number: the printed number, e.g. "제 2024-001 호" (``judging.formatting.certificate_number``).
    award_title: "최우수상". recipient: "고봉동 지역사회보장협의체". district: optional path printed
    before the recipient, e.g. "고양특례시 일산동구". body: the filled body text (``fill_body``); a
    blank line ("\\n") starts a new paragraph. issued_on: printed "2024년 12월 4일".
    issuer_title / issuer_name: "고양특례시장" / "이동환". seal_png: the uploaded seal (직인) as PNG
    bytes, transparency kept; None prints no seal. verify_url: encoded in the QR code; None prints no
    QR. contest_title: the contest, used in the PDF metadata. title: the document title, "상 장" or
    "표 창 장".
    """

    number: str
    award_title: str
    recipient: str
    district: str | None
    body: str
    issued_on: dt.date
    issuer_title: str
    issuer_name: str
    seal_png: bytes | None
    verify_url: str | None
    contest_title: str
    title: str = "상 장"


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One ranked (or unranked) entry on the result report.

    rank: None for an entry outside the rank order. criteria: per-criterion aggregates already
    formatted to 2 decimals, in the order of ``ReportData.criteria``. total: e.g. "87.25".
    n: the number of judges whose scores count for this entry. tier: "최우수" or None.
    note: e.g. "심사위원 1인 이해충돌 회피로 3인 평균".
    """

    rank: int | None
    entrant: str
    title: str
    criteria: tuple[str, ...]
    total: str
    n: int
    tier: str | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class SpecialAward:
    """A designated award outside the rank order, with its recorded reason."""

    award: str
    entrant: str
    reason: str


@dataclass(frozen=True, slots=True)
class ReportData:
    """The result report for the approval file (결재). No judge names: only their count.

    criteria: column headings, e.g. ("필요성 (20)", ...). method_lines: how scores were combined,
    in Korean, one sentence each (aggregation, trimming, round weights). tie_break_order: the
    announced cascade, e.g. ("발표심사 점수", "배점이 큰 항목 점수", ...). tie_resolutions: how each
    tie was resolved, one sentence each. signatures: the approval boxes, e.g. ("담당", "팀장", "과장").
    """

    contest_title: str
    round_title: str
    held_on: dt.date
    venue: str
    judge_count: int
    method_lines: tuple[str, ...]
    tie_break_order: tuple[str, ...]
    criteria: tuple[str, ...]
    rows: tuple[ReportRow, ...]
    tie_resolutions: tuple[str, ...] = ()
    special_awards: tuple[SpecialAward, ...] = ()
    notes: tuple[str, ...] = ()
    organizer: str = ""
    signatures: tuple[str, ...] = ("담당", "팀장", "과장")
    # What is printed inside a signature box: (label, "name\ndate") for approvals given in the app.
    approvals: tuple[tuple[str, str], ...] = ()
    ranking_chart: RankingChart | None = None  # drawn under the ranked table (judging.charts)
    # a weighted final: each component's announced vs effective weight, and sentences on the
    # margin, its warnings and the audience's turnout
    weights: tuple[WeightRow, ...] = ()
    weight_notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class WeightRow:
    """One component of a weighted final on the result report: percentages as text ("70.00")."""

    component: str
    announced: str
    effective: str
    departure: str
    warning: bool = False


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One entry on a judge's score sheet: that judge's scores, formatted, per criterion.

    scores: one string per criterion ("18", "17.5"; "" if not scored). recused: the judge declared
    a conflict for this entry (회피); the row prints as such and has no scores.
    """

    entrant: str
    title: str
    scores: tuple[str, ...]
    total: str
    comment: str = ""
    recused: bool = False


@dataclass(frozen=True, slots=True)
class SignatureData:
    """The judge's signature on a sheet. method: "tablet" (``strokes``: lists of (x, y) points in a
    ``box`` = (1000, 400) area, y downwards) or "paper" (signed on the printed sheet, imported).
    content_hash: SHA-256 of the sheet's content when signed; matches: the content is still the same."""

    method: str
    strokes: tuple[tuple[tuple[int, int], ...], ...]
    box: tuple[int, int]
    signed_at: dt.datetime
    content_hash: str
    matches: bool


@dataclass(frozen=True, slots=True)
class ScoreSheetData:
    """A per-judge score sheet (채점표) printed for the judge's signature.

    criteria: column headings with maxima, e.g. ("필요성 (20)", "발표력 (10×0.5)"). submitted_at: printed
    "2024. 12. 4. 15:20"; None prints "미제출".
    """

    contest_title: str
    round_title: str
    held_on: dt.date
    judge_name: str
    judge_affiliation: str
    criteria: tuple[str, ...]
    rows: tuple[SheetRow, ...]
    submitted_at: dt.datetime | None
    max_total: str = ""  # the highest total, printed in the total column's heading ("합계 (40)")
    signature: SignatureData | None = None
    pledge: str = (
        "본인은 위 평가를 공정하게 수행하였으며, 평가 대상과 이해관계가 없음을 확인합니다."
    )


@dataclass(frozen=True, slots=True)
class ResultLine:
    """One line of the "결과" sheet. score: the aggregate as Decimal (None if not scored)."""

    rank: int | None
    entrant: str
    district: str
    title: str
    score: Decimal | None
    n: int
    tier: str | None = None


@dataclass(frozen=True, slots=True)
class JudgeScore:
    """One judge's score for one entry on one criterion (organizer's per-round sheet)."""

    judge: str
    entrant: str
    criterion: str
    score: Decimal | None


@dataclass(frozen=True, slots=True)
class JudgeTotal:
    """One judge's total for one entry, as the scoring core added it (None: sheet not complete)."""

    judge: str
    entrant: str
    total: Decimal | None


@dataclass(frozen=True, slots=True)
class RoundScores:
    """All judges' scores of one round, for the organizer's workbook, with each judge's total per
    entry and the round's highest total (``max_total``, printed in the total column's heading)."""

    title: str
    criteria: tuple[str, ...]
    scores: tuple[JudgeScore, ...]
    totals: tuple[JudgeTotal, ...] = ()
    max_total: str = ""


@dataclass(frozen=True, slots=True)
class WorkbookData:
    """The Excel export. rounds: empty unless the organizer exports (judges' scores inside)."""

    contest_title: str
    results: tuple[ResultLine, ...]
    rounds: tuple[RoundScores, ...] = field(default=())


@dataclass(frozen=True)
class BallotCard:
    serial: int
    url: str


@dataclass(frozen=True)
class BallotCardsData:
    contest_title: str
    round_title: str
    organizer: str
    held_on: str  # "2024. 12. 4."
    cards: tuple[BallotCard, ...]
    scale: tuple[tuple[int, str], ...]  # (5, "매우 좋음"), ... as printed
    digits: int = 4
