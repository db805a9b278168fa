"""Intake: drafts, submission with receipt numbers, the deadline, eligibility, round entries, the
top N of a screening round; the progress board; the audit log query."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from judging.models import Attachment, AuditEvent, Score, Sheet, User, utcnow
from judging.services import auditlog, intake, progress
from judging.services.errors import DomainError
from tests.support.contests import SCREENING


def _delta(contest):  # noqa: ANN001, ANN202
    return next(e for e in contest.entrants if e.key == "delta").entry


def _attach(session, entry, name="보고서.pdf"):  # noqa: ANN001, ANN202
    entry.attachments.append(Attachment(original_name=name, stored_name=f"{entry.id:032x}.pdf", kind="pdf",
                                        content_type="application/pdf", size=10, sha256="0" * 64))
    session.flush()


def test_a_council_drafts_then_submits_before_the_deadline_and_gets_a_receipt(session, make_contest):
    contest = make_contest(status="open")
    contest.submission_deadline = utcnow() + dt.timedelta(days=1)
    entry = _delta(contest)
    changed = intake.save_draft(session, entry, {"title": "라동 안부 사업", "summary": "", "budget": "1,000,000원"})
    assert changed == ["title", "budget"]
    with pytest.raises(DomainError) as info:
        intake.submit_entry(session, entry)
    assert "사업 요약" in info.value.message and "첨부 파일" in info.value.message
    intake.save_draft(session, entry, {"summary": "홀몸 어르신 안부 확인"})
    _attach(session, entry)
    intake.submit_entry(session, entry)
    assert entry.status == "submitted" and entry.receipt_number == "2024-001" and entry.submitted_at is not None
    with pytest.raises(DomainError, match="제출한 참가작"):
        intake.save_draft(session, entry, {"title": "바꾸기"})
    assert entry.title == "라동 안부 사업"


def test_receipt_numbers_count_up_within_a_contest(session, make_contest):
    contest = make_contest(status="open")
    numbers = []
    for key in ("alpha", "beta"):
        entry = next(e for e in contest.entrants if e.key == key).entry
        entry.status = "draft"
        intake.save_draft(session, entry, {"summary": "요약"})
        _attach(session, entry, f"{key}.pdf")
        intake.submit_entry(session, entry)
        numbers.append(entry.receipt_number)
    assert numbers == ["2024-001", "2024-002"]


def test_after_the_deadline_everything_is_read_only(session, make_contest):
    contest = make_contest(status="open")
    entry = _delta(contest)
    now = utcnow()
    contest.submission_deadline = now - dt.timedelta(minutes=1)
    assert "마감" in intake.locked_reason(entry, now)
    with pytest.raises(DomainError, match="마감"):
        intake.save_draft(session, entry, {"title": "늦은 제출"})
    with pytest.raises(DomainError, match="마감"):
        intake.submit_entry(session, entry)
    contest.submission_deadline = None
    contest.status = "judging"
    assert intake.locked_reason(entry) == "접수 기간이 끝났습니다."


def test_eligibility_accept_or_return_with_a_reason_the_council_sees(session, make_contest):
    contest = make_contest(status="open")
    entry = _delta(contest)
    intake.save_draft(session, entry, {"title": "라동", "summary": "요약"})
    _attach(session, entry)
    intake.submit_entry(session, entry)
    with pytest.raises(DomainError, match="반려 사유"):
        intake.return_entry(session, entry, "")
    intake.return_entry(session, entry, "동의서 서명이 빠졌습니다")
    assert entry.status == "returned" and entry.return_reason == "동의서 서명이 빠졌습니다"
    assert intake.locked_reason(entry) is None  # the council can fix it before the deadline
    intake.submit_entry(session, entry)
    assert entry.receipt_number == "2024-001"  # the number is kept
    intake.accept_entry(session, entry)
    assert entry.status == "accepted" and entry.return_reason == ""
    alpha = next(e for e in contest.entrants if e.key == "alpha").entry
    with pytest.raises(DomainError, match="심사 대상"):
        intake.return_entry(session, alpha, "이유")


def test_round_entries_by_hand_need_accepted_entries_and_keep_scored_ones(session, make_contest):
    contest = make_contest(status="judging")
    rnd = contest.rounds[0]
    ids = {e.entrant.key: e.id for e in contest.entries}
    with pytest.raises(DomainError, match="접수 확인되지 않아"):
        intake.set_round_entries(session, rnd, [ids["alpha"], ids["delta"]])
    judge = session.scalar(sa.select(User).where(User.contest_id == contest.id, User.judge_key == "j1"))
    session.add(Score(judge_id=judge.id, entry_id=ids["gamma"], criterion_id=rnd.criteria[0].id, value=Decimal(20)))
    session.flush()
    with pytest.raises(DomainError, match="다동"):
        intake.set_round_entries(session, rnd, [ids["alpha"], ids["beta"]])
    intake.set_round_entries(session, rnd, [ids["gamma"], ids["alpha"]])
    assert [re.entry.entrant.key for re in rnd.round_entries] == ["gamma", "alpha"]




def test_the_top_n_of_a_screening_round_advance_to_the_final(session, make_contest):
    contest = make_contest(text=SCREENING, status="judging")
    document, final = contest.rounds
    judge = session.scalar(sa.select(User).where(User.contest_id == contest.id, User.judge_key == "j1"))
    ids = {e.entrant.key: e.id for e in contest.entries}
    for key, value in (("a", 7), ("b", 9), ("c", 8)):
        session.add(Score(judge_id=judge.id, entry_id=ids[key], criterion_id=document.criteria[0].id,
                          value=Decimal(value)))
    session.flush()
    with pytest.raises(DomainError, match="설정에서 2"):
        intake.advance_top(session, document, final, 1)
    outcome = intake.advance_top(session, document, final, 2)
    assert outcome.advanced == ("b", "c")
    assert [re.entry.entrant.key for re in final.round_entries] == ["b", "c"]


def _scores(session, contest, judge_key, entry_key, count):  # noqa: ANN001, ANN202
    judge = session.scalar(sa.select(User).where(User.contest_id == contest.id, User.judge_key == judge_key))
    entry = next(e for e in contest.entrants if e.key == entry_key).entry
    for crit in contest.rounds[0].criteria[:count]:
        session.add(Score(judge_id=judge.id, entry_id=entry.id, criterion_id=crit.id, value=Decimal(10)))
    session.flush()
    return judge


def test_the_progress_board_shows_states_and_counts_but_never_a_score(session, make_contest):
    contest = make_contest(status="judging")
    rnd = contest.rounds[0]
    j1 = _scores(session, contest, "j1", "alpha", 3)
    _scores(session, contest, "j1", "beta", 1)
    session.add(Sheet(judge_id=j1.id, round_id=rnd.id, status="submitted", submitted_at=utcnow()))
    session.flush()
    board = progress.board(session, rnd)
    states = {(j.key, e.key): c.state for j in board.judges for e, c in zip(board.entries, j.cells, strict=True)}
    assert states[("j1", "alpha")] == "complete"
    assert states[("j1", "beta")] == "in_progress"
    assert states[("j1", "gamma")] == "not_started"
    assert states[("j3", "gamma")] == "conflict"
    row = next(j for j in board.judges if j.key == "j1")
    assert (row.sheet, row.complete, row.in_progress, row.not_started) == ("submitted", 1, 1, 1)
    assert row.missing == ["나동 지역사회보장협의체", "다동 지역사회보장협의체"]
    assert board.cells_expected == 8 and board.cells_complete == 1 and board.submitted == 1
    text = str(board.to_json())
    assert "'value'" not in text and "Decimal" not in text
    before = board.digest
    _scores(session, contest, "j2", "alpha", 1)
    assert progress.board(session, rnd).digest != before


def test_the_audit_log_filters_by_action_actor_and_local_date(session, make_contest):
    contest = make_contest(status="open")
    from judging.services import audit

    audit.record(session, "entry.submit", actor_label="council:gobong 고봉동", contest_id=contest.id)
    audit.record(session, "result.publish", actor_label="organizer:kim 김담당", contest_id=contest.id)
    today = (utcnow() + dt.timedelta(hours=9)).date()
    page = auditlog.query(session, auditlog.AuditFilter(contest_id=contest.id, action="entry.submit"))
    assert [e.action for e in page.events] == ["entry.submit"]
    page = auditlog.query(session, auditlog.AuditFilter(contest_id=contest.id, actor="김담당"))
    assert [e.action for e in page.events] == ["result.publish"]
    page = auditlog.query(session, auditlog.AuditFilter(contest_id=contest.id, action="result."))
    assert [e.action for e in page.events] == ["result.publish"]
    assert auditlog.query(session, auditlog.AuditFilter(contest_id=contest.id, date_from=today,
                                                        date_to=today)).total >= 2
    assert auditlog.query(session, auditlog.AuditFilter(contest_id=contest.id,
                                                        date_to=today - dt.timedelta(days=1))).total == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) >= 2
