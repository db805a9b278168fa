"""Assignments: everyone scores everything by default; the automatic balanced assignment (R judges
per entry, loads within one, conflicts respected, deterministic); hand edits; organizer conflicts."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from judging.models import Assignment, AuditEvent, Score, User
from judging.services import assignments
from judging.services.errors import DomainError


def _plan(n_judges: int, n_entries: int, conflicts=(), per_entry: int = 2):  # noqa: ANN001, ANN202
    judges = [(i, f"j{i}") for i in range(1, n_judges + 1)]
    entries = [(100 + i, f"e{i:03d}") for i in range(1, n_entries + 1)]
    return assignments.plan_balanced(judges, entries, conflicts, per_entry)


def _check(plan, n_judges, n_entries, conflicts, per_entry):  # noqa: ANN001, ANN202
    per = {}
    for judge, entry in plan.pairs:
        per.setdefault(entry, set()).add(judge)
        assert (judge, entry) not in set(conflicts)
    assert len(per) == n_entries
    assert all(len(js) == per_entry for js in per.values())
    loads = [sum(1 for j, _ in plan.pairs if j == i) for i in range(1, n_judges + 1)]
    assert sum(loads) == per_entry * n_entries
    return loads


def test_forty_three_entries_three_judges_each_out_of_seven_with_conflicts():
    conflicts = {(1, 101), (2, 101), (3, 105), (7, 142), (4, 120)}
    plan = _plan(7, 43, conflicts, per_entry=3)
    loads = _check(plan, 7, 43, conflicts, 3)
    assert max(loads) - min(loads) <= 1
    assert plan.spread <= 1
    # Deterministic: the same input, in any order, gives the same plan.
    again = assignments.plan_balanced(list(reversed([(i, f"j{i}") for i in range(1, 8)])),
                                      list(reversed([(100 + i, f"e{i:03d}") for i in range(1, 44)])),
                                      sorted(conflicts), 3)
    assert again.pairs == plan.pairs


@settings(max_examples=120, deadline=None)
@given(n_judges=st.integers(2, 8), n_entries=st.integers(1, 30), per_entry=st.integers(1, 4),
       conflict_seed=st.lists(st.tuples(st.integers(1, 8), st.integers(1, 30)), max_size=12))
def test_balanced_plans_keep_every_promise(n_judges, n_entries, per_entry, conflict_seed):
    per_entry = min(per_entry, n_judges)
    conflicts = {(j, 100 + e) for j, e in conflict_seed if j <= n_judges and e <= n_entries}
    eligible = {e: n_judges - sum(1 for j, x in conflicts if x == 100 + e) for e in range(1, n_entries + 1)}
    if any(count < per_entry for count in eligible.values()):
        with pytest.raises(DomainError, match="이해충돌이 없는 심사위원이"):
            _plan(n_judges, n_entries, conflicts, per_entry)
        return
    plan = _plan(n_judges, n_entries, conflicts, per_entry)
    loads = _check(plan, n_judges, n_entries, conflicts, per_entry)
    if not conflicts:
        assert max(loads) - min(loads) <= 1
    assert plan == _plan(n_judges, n_entries, conflicts, per_entry)


@settings(max_examples=150, deadline=None)
@given(n_judges=st.integers(2, 5), n_entries=st.integers(1, 4), per_entry=st.integers(1, 3),
       conflict_seed=st.lists(st.tuples(st.integers(1, 5), st.integers(1, 4)), max_size=8))
def test_with_conflicts_the_loads_are_as_even_as_any_assignment_can_make_them(n_judges, n_entries, per_entry,
                                                                               conflict_seed):
    """Checked against every possible assignment (small cases): conflicts can force uneven loads
    (a judge conflicted with everything scores nothing), but never more uneven than necessary."""
    import itertools

    per_entry = min(per_entry, n_judges)
    conflicts = {(j, 100 + e) for j, e in conflict_seed if j <= n_judges and e <= n_entries}
    options = []
    for e in range(1, n_entries + 1):
        eligible = [j for j in range(1, n_judges + 1) if (j, 100 + e) not in conflicts]
        options.append(list(itertools.combinations(eligible, per_entry)))
    if any(not o for o in options):
        return
    best = min(
        max(loads) - min(loads)
        for combo in itertools.product(*options)
        for loads in [[sum(1 for c in combo if j in c) for j in range(1, n_judges + 1)]]
    )
    plan = _plan(n_judges, n_entries, conflicts, per_entry)
    _check(plan, n_judges, n_entries, conflicts, per_entry)
    assert plan.spread == best


def test_infeasible_requests_name_the_problem():
    with pytest.raises(DomainError, match="심사위원이 3명뿐"):
        _plan(3, 5, per_entry=4)
    with pytest.raises(DomainError, match="'e001'"):
        _plan(2, 5, conflicts={(1, 101)}, per_entry=2)


def _judge(session, contest, key):  # noqa: ANN001, ANN202
    return session.scalar(sa.select(User).where(User.contest_id == contest.id, User.judge_key == key))


def test_everyone_scores_everything_by_default_except_conflicts(session, make_contest):
    contest = make_contest(status="judging")
    rnd = contest.rounds[0]
    expected = assignments.expected_pairs(session, rnd)
    ids = {e.entrant.key: e.id for e in assignments.round_entries(session, rnd)}
    j3 = _judge(session, contest, "j3")
    assert expected[j3.id] == [ids["alpha"], ids["beta"]]  # gamma is conflicted
    assert all(len(v) == 3 for k, v in expected.items() if k != j3.id)


def test_balanced_assignment_then_hand_edits(session, make_contest):
    contest = make_contest(status="judging")
    rnd = contest.rounds[0]
    plan = assignments.balanced_assign(session, rnd, 2)
    assert len(plan.pairs) == 6 and plan.spread <= 1
    rows = session.scalars(sa.select(Assignment).where(Assignment.round_id == rnd.id)).all()
    assert len(rows) == 6
    j3 = _judge(session, contest, "j3")
    gamma = next(e for e in contest.entrants if e.key == "gamma").entry
    assert (j3.id, gamma.id) not in plan.pairs
    with pytest.raises(DomainError, match="이해충돌"):
        assignments.set_assignment(session, rnd, j3, gamma, True)
    pairs = set(plan.pairs)
    with pytest.raises(DomainError, match="한 명도 없는"):
        assignments.replace_assignments(session, rnd, {p for p in pairs if p[1] != gamma.id})
    assignments.clear_assignments(session, rnd)
    assert assignments.assignment_pairs(session, rnd) == set()
    actions = set(session.scalars(sa.select(AuditEvent.action).where(AuditEvent.contest_id == contest.id)))
    assert {"assignment.balanced", "assignment.clear"} <= actions


def test_work_already_done_is_protected(session, make_contest):
    contest = make_contest(status="judging")
    rnd = contest.rounds[0]
    j1 = _judge(session, contest, "j1")
    alpha = next(e for e in contest.entrants if e.key == "alpha").entry
    session.add(Score(judge_id=j1.id, entry_id=alpha.id, criterion_id=rnd.criteria[0].id, value=Decimal(20)))
    session.flush()
    with pytest.raises(DomainError, match="이미 입력된 점수"):
        assignments.balanced_assign(session, rnd, 2)
    with pytest.raises(DomainError, match="이미 점수를 입력해"):
        assignments.set_assignment(session, rnd, j1, alpha, False)


def test_an_organizer_conflict_removes_the_judges_scores_for_that_entry_and_keeps_them_in_the_log(
        session, make_contest):
    contest = make_contest(status="judging")
    rnd = contest.rounds[0]
    j1 = _judge(session, contest, "j1")
    beta = next(e for e in contest.entrants if e.key == "beta").entry
    session.add(Score(judge_id=j1.id, entry_id=beta.id, criterion_id=rnd.criteria[0].id, value=Decimal(18)))
    session.flush()
    with pytest.raises(DomainError, match="사유"):
        assignments.add_conflict(session, j1, beta, "  ")
    assignments.add_conflict(session, j1, beta, "가족이 협의체 위원")
    assert session.scalar(sa.select(sa.func.count()).select_from(Score).where(Score.judge_id == j1.id)) == 0
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "conflict.add"))
    assert list(event.before["scores"].values()) == ["18.00"]
    assert beta.id not in assignments.expected_pairs(session, rnd)[j1.id]
    with pytest.raises(DomainError, match="이미 기록"):
        assignments.add_conflict(session, j1, beta, "다시")
    contest.status = "locked"
    conflict = session.scalar(sa.select(assignments.Conflict).where(assignments.Conflict.judge_id == j1.id))
    with pytest.raises(DomainError, match="확정된 뒤"):
        assignments.remove_conflict(session, conflict)


def test_create_judge_issues_credentials_and_picks_a_free_key(session, make_contest):
    contest = make_contest(status="open")
    judge = assignments.create_judge(session, contest, "secret", name="최심사", affiliation="나대학교")
    assert judge.judge_key == "j4" and judge.code_digest and judge.link_digest
    with pytest.raises(DomainError, match="이미 있습니다"):
        assignments.create_judge(session, contest, "secret", name="다른", key="j4")
