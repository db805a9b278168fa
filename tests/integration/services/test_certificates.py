"""Certificates against a real database: numbering once per award and never reused, PDFs read back
(A4, embedded Nanum Myeongjo, numbers, no judge names), verification, and the paperwork built from
the published snapshot."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from judging.documents import (
    render_certificate,
    render_certificates,
    render_csv,
    render_result_report,
    render_score_sheet,
    render_workbook,
)
from judging.models import Certificate, Contest, Decision
from judging.services import (
    ceremony,
    certificates,
    decisions,
    exports,
    lifecycle,
    published,
    publishing,
    reports,
)
from judging.services.errors import DomainError, NotFound
from tests.support.demo import DEMO_JUDGE_NAMES, publish_demo
from tests.support.document_data import SEAL
from tests.support.documents import A4_PT, embedded_fonts, pdf_pages, pdf_text, squeeze, workbook_text

BASE = "https://contest.example.kr"


@pytest.fixture()
def demo(session):  # noqa: ANN001, ANN201
    return publish_demo(session)


def _numbers(session, contest) -> dict[tuple[int, str], str]:  # noqa: ANN001
    return {(c.entry_id, c.award_key): c.number
            for c in session.scalars(sa.select(Certificate).where(Certificate.contest_id == contest.id))}


def test_every_award_gets_a_number_in_award_order(session, demo):
    created = certificates.allocate(session, demo)
    assert [c.number for c in created] == [f"제 2024-{i:03d} 호" for i in range(1, 13)]
    assert [c.award_title for c in created] == ["최우수상"] + ["우수상"] * 3 + ["장려상"] * 7 + ["특별상"]
    assert created[0].recipient == "고봉동 지역사회보장협의체"
    assert created[-1].recipient == "주엽1동 지역사회보장협의체"
    assert len({c.verify_token for c in created}) == 12
    assert all(len(c.verify_token) >= 32 for c in created)


def test_allocating_again_changes_nothing(session, demo):
    first = certificates.allocate(session, demo)
    session.commit()
    before = _numbers(session, demo)
    assert certificates.allocate(session, demo) == []
    assert _numbers(session, demo) == before
    assert len(first) == len(before) == 12


def test_regenerated_pdfs_carry_the_same_numbers(session, demo):
    certificates.allocate(session, demo)

    def batch() -> list[str]:
        certificates.allocate(session, demo)
        data = [certificates.certificate_data(session, demo, c, BASE) for c in certificates.issuable(session, demo)]
        pages = pdf_pages(render_certificates(data))
        return [squeeze(p.extract_text()).split("호")[0] + "호" for p in pages]

    once, again = batch(), batch()
    assert once == again == [f"제2024-{i:03d}호" for i in range(1, 13)]


def test_a_revoked_number_is_never_reused(session, demo):
    certificates.allocate(session, demo)
    special = session.scalar(sa.select(Certificate).where(Certificate.contest_id == demo.id,
                                                          Certificate.award_key == "special"))
    assert special.number == "제 2024-012 호"
    certificates.revoke(session, demo, special.id, "수상 단체 정정")
    # The special award goes to another council in a new published version.
    decision = session.scalar(sa.select(Decision).where(Decision.contest_id == demo.id, Decision.kind == "special"))
    decisions.withdraw_decision(session, demo, decision.id, "수상 단체 정정")
    decisions.designate_special(session, demo, "jugyo", "special", "주민 발굴 활동")
    publishing.publish(session, demo)
    created = certificates.allocate(session, demo)
    assert [(c.number, c.recipient) for c in created] == [("제 2024-013 호", "주교동 지역사회보장협의체")]
    numbers = session.scalars(sa.select(Certificate.number).where(Certificate.contest_id == demo.id)).all()
    assert len(numbers) == len(set(numbers)) == 13


def test_an_award_missing_from_a_newer_snapshot_is_flagged_stale(session, demo):
    certificates.allocate(session, demo)
    decision = session.scalar(sa.select(Decision).where(Decision.contest_id == demo.id, Decision.kind == "special"))
    decisions.withdraw_decision(session, demo, decision.id, "특별상 취소")
    publishing.publish(session, demo)
    rows = {r.certificate.number: r.status for r in certificates.list_certificates(session, demo)}
    assert rows["제 2024-012 호"] == certificates.STALE
    assert rows["제 2024-001 호"] == certificates.VALID
    assert "제 2024-012 호" not in [c.number for c in certificates.issuable(session, demo)]


def test_revoking_needs_a_reason_and_happens_once(session, demo):
    cert = certificates.allocate(session, demo)[0]
    with pytest.raises(DomainError, match="폐기 사유"):
        certificates.revoke(session, demo, cert.id, "   ")
    assert cert.revoked_at is None
    certificates.revoke(session, demo, cert.id, "오기 정정")
    with pytest.raises(DomainError, match="이미 폐기"):
        certificates.revoke(session, demo, cert.id, "다시")
    assert cert.revoke_reason == "오기 정정"
    assert [c.number for c in certificates.allocate(session, demo)] == []


def test_another_contests_certificate_is_not_found(session, demo, make_contest):
    cert = certificates.allocate(session, demo)[0]
    other = make_contest("other-2024")
    with pytest.raises(NotFound):
        certificates.revoke(session, other, cert.id, "x")


def test_nothing_is_allocated_before_publication(session, make_contest):
    contest = make_contest("draft-2024")
    with pytest.raises(DomainError, match="공개된 결과가 없어"):
        certificates.allocate(session, contest)


def test_each_contest_numbers_its_own_series(session, demo, make_contest):
    certificates.allocate(session, demo)
    other = make_contest("second-2024")
    # Publish the small contest too (gamma is short of judges and stays unranked).
    _score_small(session, other)
    publishing.publish(session, other)
    created = certificates.allocate(session, other)
    assert created[0].number == "제 2024-001 호"
    found = certificates.verify(session, "제 2024-001 호")
    assert {v.contest_title for v in found} == {demo.title, other.title}


def _score_small(session, contest) -> None:  # noqa: ANN001
    from decimal import Decimal

    from judging.models import Score, Sheet, User, utcnow

    rnd = contest.rounds[0]
    entries = {e.key: e.entry for e in contest.entrants}
    base = {"alpha": (20, 18, 9), "beta": (16, 15, 7), "gamma": (18, 12, 8)}
    for judge in session.scalars(sa.select(User).where(User.contest_id == contest.id, User.role == "judge")):
        for key, values in base.items():
            if judge.judge_key == "j3" and key == "gamma":
                continue
            for criterion, value in zip(rnd.criteria, values, strict=True):
                session.add(Score(judge_id=judge.id, entry_id=entries[key].id, criterion_id=criterion.id,
                                  value=Decimal(value)))
        session.add(Sheet(judge_id=judge.id, round_id=rnd.id, status="submitted", submitted_at=utcnow()))
    contest.status = "locked"
    session.flush()


# --- verification ----------------------------------------------------------------------------

def test_verify_by_token_and_by_number_in_any_usual_spelling(session, demo):
    cert = certificates.allocate(session, demo)[0]
    for value in (cert.verify_token, "제 2024-001 호", "제2024-001호", "2024-001", "2024-1", " 2024 - 001 "):
        (found,) = certificates.verify(session, value)
        assert (found.number, found.recipient, found.award, found.contest_title) == (
            "제 2024-001 호", "고봉동 지역사회보장협의체", "최우수상", demo.title)
        assert found.revoked is False and found.issued_on == dt.date(2024, 12, 4)


@pytest.mark.parametrize("value", ["", "제 2024-999 호", "2023-001", "2024-000", "nonsense", "x" * 500])
def test_an_unknown_number_finds_nothing(session, demo, value):
    certificates.allocate(session, demo)
    assert certificates.verify(session, value) == []


def test_a_revoked_certificate_says_so(session, demo):
    cert = certificates.allocate(session, demo)[1]
    certificates.revoke(session, demo, cert.id, "수상 취소")
    (found,) = certificates.verify(session, cert.verify_token)
    assert found.revoked is True and found.revoked_on


# --- the PDFs --------------------------------------------------------------------------------

def test_certificate_pdf_is_a4_with_nanum_embedded_and_the_right_text(session, demo):
    certificates.allocate(session, demo)
    cert = certificates.issuable(session, demo)[0]
    data = certificates.certificate_data(session, demo, cert, BASE)
    assert data.district == "고양특례시 일산동구"
    assert data.verify_url == f"{BASE}/verify/{cert.verify_token}"
    pdf = render_certificate(data)
    (page,) = pdf_pages(pdf)
    assert float(page.mediabox.width) == pytest.approx(A4_PT[0], abs=0.01)
    assert float(page.mediabox.height) == pytest.approx(A4_PT[1], abs=0.01)
    assert {"NanumMyeongjo", "NanumMyeongjoBold"} <= embedded_fonts(pdf)
    text = squeeze(pdf_text(pdf))
    for part in ("제2024-001호", "상장", "최우수상", "고양특례시일산동구", "고봉동지역사회보장협의체",
                 "「2024년복지업무우수동성과보고회」", "2024년12월4일", "고양특례시장"):
        assert part in text


def test_no_judge_name_on_any_entrant_facing_document(session, demo):
    demo.public_scores = True
    certificates.allocate(session, demo)
    result = published.load(session, demo)
    data = [certificates.certificate_data(session, demo, c, BASE) for c in certificates.issuable(session, demo)]
    documents = {
        "certificates": pdf_text(render_certificates(data)),
        "public csv": render_csv(exports.csv_rows(demo, result, exports.PUBLIC)).decode("utf-8-sig"),
        "public xlsx": workbook_text(render_workbook(exports.workbook(session, demo, result, exports.PUBLIC))),
        "public json": json.dumps(exports.tally(demo, result, exports.PUBLIC), ensure_ascii=False),
        "ceremony": json.dumps(ceremony.sequence(demo, result), ensure_ascii=False),
    }
    assert "고봉동 지역사회보장협의체" in documents["public csv"]
    for what, text in documents.items():
        for name in DEMO_JUDGE_NAMES:
            assert name not in text, f"{name} on the {what}"
        assert '"j2"' not in text and "dropped" not in text


def test_the_organizer_workbook_has_the_judges_scores_per_round(session, demo):
    result = published.load(session, demo)
    book = workbook_text(render_workbook(exports.workbook(session, demo, result, exports.ORGANIZER)))
    for name in DEMO_JUDGE_NAMES:
        assert name in book
    assert "사업의 필요성·적절성 (20)" in book
    public = workbook_text(render_workbook(exports.workbook(session, demo, result, exports.PUBLIC)))
    assert "98" not in public  # scores are not public unless the organizer says so


def test_result_report_reads_back_with_every_finalist_and_no_judge(session, demo):
    result = published.load(session, demo)
    data = reports.report_data(demo, result)
    assert data.judge_count == 4 and len(data.rows) == 11 and len(data.criteria) == 7
    assert data.rows[0].rank == 1 and data.rows[0].tier == "최우수"
    wonsin = next(r for r in data.rows if r.entrant.startswith("원신동"))
    assert wonsin.n == 3 and "이해충돌" in wonsin.note
    pdf = render_result_report(data)
    assert all(float(p.mediabox.width) == pytest.approx(A4_PT[0], abs=0.01) for p in pdf_pages(pdf))
    assert "NanumMyeongjo" in embedded_fonts(pdf)
    text = squeeze(pdf_text(pdf))
    for row in data.rows:
        assert squeeze(row.entrant) in text
    assert "주엽1동지역사회보장협의체" in text  # the special award and its reason
    for name in DEMO_JUDGE_NAMES:
        assert name not in text


def test_score_sheet_shows_the_judges_own_scores_and_recusal(session, demo):
    rnd = reports.round_by_key(session, demo, "final")
    judge = reports.judge_by_key(session, demo, "j2")
    data = reports.score_sheet_data(session, demo, rnd, judge)
    assert data.judge_name == "박성민" and data.submitted_at is not None
    assert len(data.rows) == 11
    wonsin = next(r for r in data.rows if r.entrant.startswith("원신동"))
    assert wonsin.recused and wonsin.scores == ()
    scored = [r for r in data.rows if not r.recused]
    assert all(len(r.scores) == 7 and r.total for r in scored)
    text = squeeze(pdf_text(render_score_sheet(data)))
    assert "박성민" in text and "이해충돌회피" in text


# --- settings --------------------------------------------------------------------------------

def test_body_template_with_an_unknown_placeholder_is_refused(session, demo):
    before = demo.certificate_body
    with pytest.raises(DomainError, match=r"\{단체\}"):
        certificates.set_body(session, demo, "위 {단체}는 {award}을 받았습니다.")
    assert demo.certificate_body == before
    certificates.set_body(session, demo, "{recipient}은(는) 「{contest}」에서 {award}을 받았습니다. {date}")
    cert = certificates.allocate(session, demo)[0]
    body = certificates.certificate_data(session, demo, cert, BASE).body
    assert body == "고봉동 지역사회보장협의체은(는) 「2024년 복지업무 우수 동 성과보고회」에서 최우수상을 받았습니다. 2024년 12월 4일"


def test_seal_is_stored_exactly_as_uploaded(session, demo):
    certificates.set_seal(session, demo, SEAL)
    session.commit()
    assert session.get(Contest, demo.id).seal_png == SEAL


def test_the_published_version_stays_public_while_a_correction_is_under_way(session, demo):
    # The organizer unlocked the result for a correction: the public keeps seeing version 1 until
    # the next version is published (it was hidden before, which left councils with nothing).
    lifecycle.unlock(session, demo, "점수 오기 정정", actor_label="test")
    assert demo.status == "judging"
    assert published.load(session, demo).version == 1
    assert published.load(session, demo, public=False).version == 1
