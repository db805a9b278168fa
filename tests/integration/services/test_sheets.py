"""Judge-side services against a real database: what a judge scores, the pledge and conflict
declaration, versioned score and comment saves with every refusal, submitting and reopening."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from judging.models import (
    Assignment,
    Attachment,
    AuditEvent,
    Conflict,
    Criterion,
    EntryComment,
    RateCounter,
    Round,
    RoundEntry,
    Score,
    Sheet,
    User,
)
from judging.services import autosave, declarations, judge_screens, rate_limit, sheets
from judging.services.errors import (
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    StaleWrite,
    Throttled,
    WrongState,
)
from judging.views.judge import criterion_widget
from tests.support.sheets import fill, save, stored

# --- which entries ---------------------------------------------------------------------------

def test_every_entry_of_the_round_in_presentation_order_without_assignments(session, pledged):
    sheet = judge_screens.overview(session, pledged.judges["j1"])[0]
    assert [r.entrant_name[:2] for r in sheet.rows] == ["가동", "나동", "다동"]
    assert [r.position for r in sheet.rows] == [1, 2, 3]
    assert (sheet.done, sheet.count, sheet.conflicted) == (0, 3, 0)
    assert all(r.state == judge_screens.NOT_STARTED for r in sheet.rows)


def test_presentation_order_follows_round_positions_not_ids(session, pledged):
    rows = session.scalars(sa.select(RoundEntry).where(RoundEntry.round_id == pledged.round.id)).all()
    by_entry = {r.entry_id: r for r in rows}
    # Move gamma to the front: positions are unique, so shift through free numbers.
    by_entry[pledged.entries["gamma"].id].position = 10
    session.flush()
    by_entry[pledged.entries["alpha"].id].position = 11
    session.flush()
    by_entry[pledged.entries["gamma"].id].position = 1
    session.flush()
    sheet = judge_screens.overview(session, pledged.judges["j1"])[0]
    assert [r.entrant_name[:2] for r in sheet.rows] == ["다동", "나동", "가동"]


def test_conflicted_entry_is_hidden_and_left_out_of_progress(session, pledged):
    sheet = judge_screens.overview(session, pledged.judges["j3"])[0]
    assert [r.entrant_name[:2] for r in sheet.rows] == ["가동", "나동"]
    assert (sheet.count, sheet.conflicted) == (2, 1)


def test_assignments_restrict_the_judge_to_their_entries(session, pledged):
    session.add(Assignment(round_id=pledged.round.id, judge_id=pledged.judges["j1"].id, entry_id=pledged.entries["beta"].id))
    session.flush()
    assert [r.entry_id for r in judge_screens.overview(session, pledged.judges["j1"])[0].rows] == [pledged.entries["beta"].id]
    # The round has assignments now, none for j2: j2 has nothing to score there.
    assert judge_screens.overview(session, pledged.judges["j2"])[0].rows == ()
    with pytest.raises(Forbidden) as refused:
        save(session, pledged, "j2", "alpha")
    assert refused.value.details["code"] == "not_assigned"
    with pytest.raises(NotFound):
        judge_screens.entry_screen(session, pledged.judges["j2"], pledged.round.id, pledged.entries["alpha"].id)


def test_only_open_rounds_are_shown(session, pledged):
    pledged.round.status = "closed"
    session.flush()
    assert judge_screens.overview(session, pledged.judges["j1"]) == []
    with pytest.raises(NotFound):
        judge_screens.entry_screen(session, pledged.judges["j1"], pledged.round.id, pledged.entries["alpha"].id)


def test_states_and_totals_follow_the_judges_own_scores(session, pledged):
    save(session, pledged, "j1", "alpha", "need", "18")
    fill(session, pledged, "j1", ["beta"])
    save(session, pledged, "j2", "alpha", "need", "12")
    sheet = judge_screens.overview(session, pledged.judges["j1"])[0]
    alpha, beta, gamma = sheet.rows
    assert (alpha.state, alpha.scored, alpha.total) == (judge_screens.IN_PROGRESS, 1, Decimal("18"))
    assert alpha.missing == ("민관협력", "성과")
    assert (beta.state, beta.total) == (judge_screens.COMPLETE, Decimal("42.5"))
    assert (gamma.state, gamma.total) == (judge_screens.NOT_STARTED, None)
    assert (sheet.done, sheet.count, sheet.max_total) == (1, 3, Decimal("50"))


# --- pledge and conflicts ------------------------------------------------------------------------

def test_declaration_needs_the_pledge_first(session, make_contest):
    contest = make_contest(status="judging")
    contest.rounds[0].status = "open"
    judge = session.scalar(sa.select(User).where(User.contest_id == contest.id, User.judge_key == "j1"))
    assert declarations.needs_pledge(judge) and declarations.needs_declaration(session, judge)
    with pytest.raises(Forbidden):
        declarations.declare_conflicts(session, judge, {})
    declarations.pledge(session, judge, address="10.0.0.1")
    assert judge.pledged_at is not None
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "judge.pledged"))
    assert event.actor_id == judge.id and event.contest_id == contest.id


def test_declaring_one_conflict_hides_the_entry_and_tells_the_organizer(session, make_contest):
    contest = make_contest(status="judging")
    contest.rounds[0].status = "open"
    judge = session.scalar(sa.select(User).where(User.contest_id == contest.id, User.judge_key == "j1"))
    entries = {e.key: e.entry for e in contest.entrants}
    declarations.pledge(session, judge)
    pending = [r.entry_id for r in declarations.declaration(session, judge).pending]
    assert pending == [entries["alpha"].id, entries["beta"].id, entries["gamma"].id]
    with pytest.raises(DomainError, match="모든 사업"):
        declarations.declare_conflicts(session, judge, {entries["alpha"].id: None})
    with pytest.raises(DomainError, match="사유"):
        declarations.declare_conflicts(session, judge, {entries["alpha"].id: None, entries["beta"].id: "  ",
                                                  entries["gamma"].id: None})
    with pytest.raises(NotFound):
        declarations.declare_conflicts(session, judge, {entries["delta"].id: None, **dict.fromkeys(pending)})
    created = declarations.declare_conflicts(session, judge, {entries["alpha"].id: None, entries["beta"].id: "  친족이 위원 ",
                                                        entries["gamma"].id: None})
    assert [(c.entry_id, c.source, c.reason, c.declared_by) for c in created] == [
        (entries["beta"].id, "judge", "친족이 위원", judge.id)]
    assert not declarations.needs_declaration(session, judge)
    sheet = judge_screens.overview(session, judge)[0]
    assert [r.entry_id for r in sheet.rows] == [entries["alpha"].id, entries["gamma"].id]
    assert sheet.conflicted == 1
    told = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "conflict.declared")).all()
    assert [(e.contest_id, e.after["entry_id"], e.after["reason"]) for e in told] == [
        (contest.id, entries["beta"].id, "친족이 위원")]


def test_organizer_conflicts_are_not_named_to_the_judge(session, pledged):
    decl = declarations.declaration(session, pledged.judges["j3"])
    assert decl.hidden == 1
    assert pledged.entries["gamma"].id not in [r.entry_id for r in decl.rows]


def test_an_entry_added_later_asks_for_a_new_declaration(session, pledged):
    judge = pledged.judges["j1"]
    assert not declarations.needs_declaration(session, judge)
    session.add(RoundEntry(round_id=pledged.round.id, entry_id=pledged.entries["delta"].id, position=4))
    session.flush()
    assert declarations.needs_declaration(session, judge)
    assert [r.entry_id for r in declarations.declaration(session, judge).pending] == [pledged.entries["delta"].id]
    declarations.declare_conflicts(session, judge, {pledged.entries["delta"].id: None})
    assert not declarations.needs_declaration(session, judge)


def test_a_judge_marked_declared_elsewhere_is_not_asked_again(session, make_contest):
    from judging.models import utcnow

    contest = make_contest(status="judging")
    contest.rounds[0].status = "open"
    judge = session.scalar(sa.select(User).where(User.contest_id == contest.id, User.judge_key == "j2"))
    judge.pledged_at = judge.conflicts_declared_at = utcnow()  # as the demo loader does
    session.flush()
    assert not declarations.needs_declaration(session, judge)


# --- saving scores ---------------------------------------------------------------------------

def test_first_save_inserts_version_one_then_each_save_bumps_it(session, pledged):
    first = save(session, pledged, value="18", version=0)
    assert (first.version, first.value, first.total) == (1, "18", Decimal("18"))
    assert stored(session, pledged) == (Decimal("18"), 1)
    second = save(session, pledged, value=Decimal("20"), version=1)
    assert (second.version, second.value) == (2, "20")
    cleared = save(session, pledged, value=None, version=2)
    assert (cleared.version, cleared.value, cleared.total) == (3, None, Decimal("0"))
    assert stored(session, pledged) == (None, 3)


def test_total_adds_the_judges_other_criteria_exactly(session, pledged):
    save(session, pledged, criterion="outcome", value="7.5")
    save(session, pledged, criterion="partnership", value=13)
    result = save(session, pledged, criterion="need", value="18")
    assert result.total == Decimal("38.5")
    save(session, pledged, "j2", "alpha", "need", "12")  # another judge's score never counts
    assert save(session, pledged, criterion="need", value="16", version=1).total == Decimal("36.5")


def test_each_change_is_audited_with_before_and_after(session, pledged):
    save(session, pledged, value="18")
    save(session, pledged, value="20", version=1)
    save(session, pledged, value="20", version=2)  # same value: accepted, not audited again
    events = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "score.saved")
                             .order_by(AuditEvent.id)).all()
    assert [(e.before, e.after) for e in events] == [
        ({"value": None, "version": 0}, {"value": "18", "version": 1}),
        ({"value": "18", "version": 1}, {"value": "20", "version": 2}),
    ]
    assert events[0].target_id == f"{pledged.entries['alpha'].id}:{pledged.criteria['need'].id}"


def test_stale_version_is_refused_with_the_current_value_and_nothing_changes(session, pledged):
    save(session, pledged, value="18")
    with pytest.raises(StaleWrite) as refused:
        save(session, pledged, value="12", version=0)
    assert isinstance(refused.value, WrongState)
    assert refused.value.details == {"code": "stale", "current": {"value": "18", "version": 1}}
    assert "18점" in refused.value.message
    with pytest.raises(StaleWrite):
        save(session, pledged, value="12", version=5)
    with pytest.raises(StaleWrite) as no_row:
        save(session, pledged, criterion="partnership", value="12", version=3)
    assert no_row.value.details["current"] == {"value": None, "version": 0}
    assert stored(session, pledged) == (Decimal("18"), 1)


@pytest.mark.parametrize(("criterion", "value", "reason"), [
    ("need", "17", "등급 점수(20, 18, 16, 14, 12) 중 하나여야 합니다."),
    ("need", "22", "최대 20점을 넘습니다."),
    ("partnership", "21", "최대 20점을 넘습니다."),
    ("partnership", "12.5", "정수 점수만 허용됩니다."),
    ("outcome", "2.3", "0.5점 단위만 허용됩니다."),
    ("outcome", "-1", "0점보다 작을 수 없습니다."),
    ("outcome", "열", "숫자가 아닙니다"),
    ("outcome", 7.5, "정확한 십진수"),
    ("outcome", True, "정확한 십진수"),
    ("outcome", "NaN", "숫자가 아닙니다"),
])
def test_values_off_the_scale_are_refused_with_the_reason(session, pledged, criterion, value, reason):
    save(session, pledged, criterion=criterion, value={"need": "20", "partnership": "10", "outcome": "5"}[criterion])
    with pytest.raises(Invalid) as refused:
        save(session, pledged, criterion=criterion, value=value, version=1)
    assert isinstance(refused.value, Invalid) and refused.value.details["code"] == "invalid_value"
    assert reason in refused.value.message
    assert stored(session, pledged, criterion=criterion)[1] == 1


def test_criterion_of_another_round_is_refused(session, pledged):
    other = Round(contest_id=pledged.contest.id, key="screening", title="서면심사", position=2, status="open")
    other.criteria.append(Criterion(key="doc", title="서류", max_points=Decimal(10), scale="points", position=1))
    other.round_entries.append(RoundEntry(entry_id=pledged.entries["delta"].id, position=1))
    session.add(other)
    session.flush()
    with pytest.raises(Invalid) as refused:
        autosave.save_score(session, pledged.judges["j1"], entry_id=pledged.entries["alpha"].id,
                          criterion_id=other.criteria[0].id, value="5", version=0)
    assert refused.value.details["code"] == "other_round"
    assert session.scalar(sa.select(sa.func.count()).select_from(Score)) == 0


def test_unknown_entry_or_criterion_or_another_contests_criterion_is_not_found(session, pledged, make_contest):
    judge = pledged.judges["j1"]
    with pytest.raises(NotFound):
        autosave.save_score(session, judge, entry_id=999_999, criterion_id=pledged.criteria["need"].id, value="18",
                          version=0)
    with pytest.raises(NotFound):
        autosave.save_score(session, judge, entry_id=pledged.entries["alpha"].id, criterion_id=999_999, value="18",
                          version=0)
    other = make_contest(slug="other-2024", status="judging")
    other.rounds[0].status = "open"
    session.flush()
    other_alpha = next(e.entry for e in other.entrants if e.key == "alpha")
    with pytest.raises(NotFound):
        autosave.save_score(session, judge, entry_id=other_alpha.id, criterion_id=other.rounds[0].criteria[0].id,
                          value="18", version=0)


def test_conflicted_judge_cannot_score_or_see_the_entry(session, pledged):
    with pytest.raises(Forbidden) as refused:
        save(session, pledged, "j3", "gamma")
    assert refused.value.details["code"] == "conflict"
    with pytest.raises(Forbidden):
        judge_screens.entry_screen(session, pledged.judges["j3"], pledged.round.id, pledged.entries["gamma"].id)
    assert stored(session, pledged, "j3", "gamma") is None


@pytest.mark.parametrize(("change", "code"), [
    (lambda w: setattr(w.round, "status", "closed"), "round_closed"),
    (lambda w: setattr(w.round, "status", "pending"), "round_closed"),
    (lambda w: setattr(w.contest, "status", "locked"), "not_judging"),
    (lambda w: setattr(w.contest, "status", "open"), "not_judging"),
    (lambda w: setattr(w.judges["j1"], "pledged_at", None), "pledge_required"),
    (lambda w: setattr(w.judges["j1"], "conflicts_declared_at", None), "pledge_required"),
])
def test_writes_outside_the_scoring_window_are_refused(session, pledged, change, code):
    save(session, pledged, value="18")
    change(pledged)
    session.flush()
    with pytest.raises(Forbidden) as refused:
        save(session, pledged, value="20", version=1)
    assert refused.value.details["code"] == code
    assert stored(session, pledged) == (Decimal("18"), 1)


def test_concurrent_writers_with_the_same_version_only_one_wins(fresh_url):
    """Two database connections race on the same criterion: the guarded UPDATE lets one through."""
    import threading

    from judging.db import Database
    from judging.services import contest_file
    from tests.support.contests import SMALL_CONTEST

    database = Database(fresh_url)
    s = database.session()
    contest = contest_file.load(s, SMALL_CONTEST.format(slug="race-2024"))
    contest.status = "judging"
    contest.rounds[0].status = "open"
    judge = s.scalar(sa.select(User).where(User.contest_id == contest.id, User.judge_key == "j1"))
    declarations.pledge(s, judge)
    declarations.declare_conflicts(s, judge, dict.fromkeys(r.entry_id for r in declarations.declaration(s, judge).pending))
    entry_id = contest.rounds[0].round_entries[0].entry_id
    criterion_id = contest.rounds[0].criteria[1].id
    judge_id = judge.id
    autosave.save_score(s, judge, entry_id=entry_id, criterion_id=criterion_id, value="10", version=0)
    s.commit()
    s.close()

    outcomes: list[str] = []
    barrier = threading.Barrier(8)

    def writer(value: int) -> None:
        session = database.session()
        try:
            me = session.get(User, judge_id)
            barrier.wait()
            autosave.save_score(session, me, entry_id=entry_id, criterion_id=criterion_id, value=str(value), version=1)
            session.commit()
            outcomes.append(f"won:{value}")
        except StaleWrite:
            session.rollback()
            outcomes.append("stale")
        except sa.exc.OperationalError:
            session.rollback()  # SQLite busy: refused, nothing written
            outcomes.append("busy")
        finally:
            session.close()

    threads = [threading.Thread(target=writer, args=(v,)) for v in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [o for o in outcomes if o.startswith("won")]
    assert len(winners) == 1, outcomes
    check = database.session()
    value, version = check.execute(sa.select(Score.value, Score.version).where(
        Score.judge_id == judge_id, Score.criterion_id == criterion_id, Score.entry_id == entry_id)).one()
    assert (f"won:{int(value)}", version) == (winners[0], 2)
    check.close()
    database.engine.dispose()


# --- comments --------------------------------------------------------------------------------

def test_comment_saves_with_versions_and_refuses_stale_or_long(session, pledged):
    judge, rid, eid = pledged.judges["j1"], pledged.round.id, pledged.entries["alpha"].id
    first = autosave.save_comment(session, judge, round_id=rid, entry_id=eid, body="  지역 연계가 좋음 ", version=0)
    assert (first.version, first.value) == (1, "지역 연계가 좋음")
    with pytest.raises(StaleWrite) as refused:
        autosave.save_comment(session, judge, round_id=rid, entry_id=eid, body="다른 내용", version=0)
    assert refused.value.details["current"] == {"value": "지역 연계가 좋음", "version": 1}
    with pytest.raises(Invalid):
        autosave.save_comment(session, judge, round_id=rid, entry_id=eid, body="가" * 4001, version=1)
    with pytest.raises(DomainError):
        autosave.save_comment(session, judge, round_id=rid, entry_id=eid, body=["목록"], version=1)
    with pytest.raises(Forbidden):
        autosave.save_comment(session, pledged.judges["j3"], round_id=rid, entry_id=pledged.entries["gamma"].id,
                            body="충돌", version=0)
    comment = session.scalar(sa.select(EntryComment).where(EntryComment.judge_id == judge.id))
    assert (comment.body, comment.version) == ("지역 연계가 좋음", 1)


# --- submit and reopen ---------------------------------------------------------------------------

def test_incomplete_sheet_cannot_be_submitted(session, pledged):
    fill(session, pledged, "j1", ["alpha", "beta"])
    with pytest.raises(DomainError) as refused:
        sheets.submit_sheet(session, pledged.judges["j1"], pledged.round.id)
    assert refused.value.details == {"code": "incomplete", "missing": 3}
    assert session.scalar(sa.select(Sheet).where(Sheet.judge_id == pledged.judges["j1"].id)) is None


def test_submit_makes_the_sheet_read_only_and_reopen_makes_it_editable(session, pledged, make_user):
    judge = pledged.judges["j1"]
    fill(session, pledged, "j1")
    sheet = sheets.submit_sheet(session, judge, pledged.round.id, address="10.1.1.1")
    assert (sheet.status, sheet.submitted_at is not None) == ("submitted", True)
    assert judge_screens.overview(session, judge)[0].editable is False
    with pytest.raises(Forbidden) as refused:
        save(session, pledged, value="18", version=1)
    assert refused.value.details["code"] == "submitted"
    with pytest.raises(Forbidden):
        autosave.save_comment(session, judge, round_id=pledged.round.id, entry_id=pledged.entries["alpha"].id,
                            body="늦은 의견", version=0)
    with pytest.raises(Forbidden):
        sheets.submit_sheet(session, judge, pledged.round.id)

    organizer, _ = make_user("organizer")
    with pytest.raises(Forbidden):
        sheets.reopen_sheet(session, judge, pledged.round, "사유", judge)
    with pytest.raises(DomainError, match="사유"):
        sheets.reopen_sheet(session, judge, pledged.round, "   ", organizer)
    reopened = sheets.reopen_sheet(session, judge, pledged.round.id, "점수 입력 실수 정정 요청", organizer)
    assert (reopened.status, reopened.reopen_reason, reopened.submitted_at) == ("draft", "점수 입력 실수 정정 요청", None)
    assert judge_screens.overview(session, judge)[0].editable is True
    assert save(session, pledged, value="18", version=1).version == 2
    with pytest.raises(DomainError):
        sheets.reopen_sheet(session, reopened, None, "다시", organizer)  # not submitted any more

    events = session.scalars(sa.select(AuditEvent).where(AuditEvent.action.in_(["sheet.submitted", "sheet.reopened"]))
                             .order_by(AuditEvent.id)).all()
    assert [(e.action, e.actor_id) for e in events] == [("sheet.submitted", judge.id),
                                                        ("sheet.reopened", organizer.id)]
    assert events[0].after["totals"][str(pledged.entries["alpha"].id)] == "42.5"
    assert events[1].after["reason"] == "점수 입력 실수 정정 요청"


def test_reopen_unknown_sheet_is_not_found(session, pledged, make_user):
    organizer, _ = make_user("organizer")
    with pytest.raises(NotFound):
        sheets.reopen_sheet(session, pledged.judges["j2"], pledged.round, "사유", organizer)


# --- rate limit --------------------------------------------------------------------------------

def test_rate_counter_lives_in_the_database_and_resets_each_window(session, tx_database):
    for n in range(1, 4):
        assert rate_limit.hit_rate(session, "autosave:1", 3, now=1_000_020.0) == n
    with pytest.raises(Throttled) as refused:
        rate_limit.hit_rate(session, "autosave:1", 3, now=1_000_030.0)
    assert refused.value.details["retry_after"] == 60 - 1_000_030 % 60
    # A second session (as another worker would) sees the same count.
    other = tx_database.session()
    with pytest.raises(Throttled):
        rate_limit.hit_rate(other, "autosave:1", 3, now=1_000_031.0)
    other.close()
    assert rate_limit.hit_rate(session, "autosave:2", 3, now=1_000_031.0) == 1  # per key
    assert rate_limit.hit_rate(session, "autosave:1", 3, now=1_000_080.0) == 1  # next window
    assert session.get(RateCounter, "autosave:1").count == 1


# --- materials and confidentiality -----------------------------------------------------------

def _attachment(session, entry, name="사례 보고서.pdf", content_type="application/pdf"):  # noqa: ANN001, ANN202
    import uuid

    att = Attachment(entry_id=entry.id, original_name=name, stored_name=uuid.uuid4().hex, kind="report",
                     content_type=content_type, size=10, sha256="0" * 64)
    session.add(att)
    session.flush()
    return att


def test_materials_only_for_the_judges_unconflicted_entries(session, pledged):
    att = _attachment(session, pledged.entries["gamma"])
    assert judge_screens.attachment_for_judge(session, pledged.judges["j1"], att.id) is att
    with pytest.raises(Forbidden):
        judge_screens.attachment_for_judge(session, pledged.judges["j3"], att.id)
    delta = _attachment(session, pledged.entries["delta"])  # not in the round
    with pytest.raises(Forbidden):
        judge_screens.attachment_for_judge(session, pledged.judges["j1"], delta.id)
    with pytest.raises(NotFound):
        judge_screens.attachment_for_judge(session, pledged.judges["j1"], 999_999)
    screen = judge_screens.entry_screen(session, pledged.judges["j1"], pledged.round.id, pledged.entries["gamma"].id)
    assert [(m.name, m.kind) for m in screen.materials] == [("사례 보고서.pdf", "pdf")]


def test_entry_screen_shows_only_the_judges_own_values(session, pledged):
    save(session, pledged, "j2", "alpha", "need", "12")
    autosave.save_comment(session, pledged.judges["j2"], round_id=pledged.round.id, entry_id=pledged.entries["alpha"].id,
                        body="둘째 위원의 비밀 의견", version=0)
    screen = judge_screens.entry_screen(session, pledged.judges["j1"], pledged.round.id, pledged.entries["alpha"].id)
    assert [c.value for c in screen.criteria] == [None, None, None]
    assert [c.version for c in screen.criteria] == [0, 0, 0]
    assert screen.comment == "" and screen.comment_version == 0
    need = screen.criteria[0]
    assert [(c.label, c.value) for c in need.choices] == [("매우 우수", "20"), ("우수", "18"), ("보통", "16"),
                                                          ("부족", "14"), ("매우 부족", "12")]
    assert criterion_widget(need).control == "grades" and criterion_widget(screen.criteria[1]).control == "segments"
    assert [c.value for c in screen.criteria[2].choices][:3] == ["0", "0.5", "1"]
    assert screen.previous is None and screen.next.entrant_name.startswith("나동")


# --- check, then write: what changes in between is caught by the write itself -----------------

@pytest.mark.parametrize("change", [
    lambda s, w: s.add(Sheet(judge_id=w.judges["j1"].id, round_id=w.round.id, status="submitted",
                             submitted_at=w.round.contest.created_at)),
    lambda s, w: setattr(w.round, "status", "closed"),
    lambda s, w: setattr(w.contest, "status", "locked"),
    lambda s, w: s.add(Conflict(judge_id=w.judges["j1"].id, entry_id=w.entries["alpha"].id,
                                       source="organizer", reason="뒤늦게 확인된 관계")),
])
def test_a_lock_or_conflict_between_check_and_write_writes_nothing(session, pledged, change):
    save(session, pledged, value="18")
    for version, value in ((1, "20"), (None, "7")):  # an update and a first insert
        criterion = "need" if version else "outcome"
        prepared = autosave.prepare_score(session, pledged.judges["j1"], entry_id=pledged.entries["alpha"].id,
                                        criterion_id=pledged.criteria[criterion].id, value=value,
                                        version=version or 0)
        nested = session.begin_nested()
        change(session, pledged)
        session.flush()
        with pytest.raises(Forbidden):
            autosave.apply_score(session, pledged.judges["j1"], prepared)
        assert stored(session, pledged) == (Decimal("18"), 1)  # checked before the change is undone
        assert stored(session, pledged, criterion="outcome") is None
        nested.rollback()
        session.expire_all()
    assert stored(session, pledged) == (Decimal("18"), 1)
    assert stored(session, pledged, criterion="outcome") is None


def test_another_write_between_check_and_write_is_stale(session, pledged):
    save(session, pledged, value="18")
    prepared = autosave.prepare_score(session, pledged.judges["j1"], entry_id=pledged.entries["alpha"].id,
                                    criterion_id=pledged.criteria["need"].id, value="12", version=1)
    save(session, pledged, value="20", version=1)  # a second tablet got there first
    with pytest.raises(StaleWrite) as refused:
        autosave.apply_score(session, pledged.judges["j1"], prepared)
    assert refused.value.details["current"] == {"value": "20", "version": 2}
    first = autosave.prepare_score(session, pledged.judges["j1"], entry_id=pledged.entries["beta"].id,
                                 criterion_id=pledged.criteria["need"].id, value="12", version=0)
    save(session, pledged, entry="beta", value="16")
    with pytest.raises(StaleWrite):
        autosave.apply_score(session, pledged.judges["j1"], first)
    assert stored(session, pledged, entry="beta") == (Decimal("16"), 1)
