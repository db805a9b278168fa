"""Set-up services: building a contest in the browser and the score-safety freeze (the status steps
are tested in test_lifecycle)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from judging.models import AuditEvent, Contest, Score, User
from judging.services import setup
from judging.services.errors import DomainError


def _new(session, slug="new-2025"):  # noqa: ANN001, ANN202
    return setup.create_contest(session, slug=slug, title="2025년 성과보고회", organizer="고양특례시",
                                issuer="고양특례시장", held_on=dt.date(2025, 12, 3))


def test_a_contest_is_built_step_by_step_and_every_step_is_audited(session):
    contest = _new(session)
    rnd = setup.add_round(session, contest, key="final", title="발표심사", aggregation="trimmed_mean", trim=1)
    setup.add_criterion(session, rnd, key="need", title="사업의 필요성", max_points="20", scale="grades")
    setup.add_criterion(session, rnd, key="partnership", title="민관협력", max_points="20", scale="points")
    setup.add_tier(session, contest, key="best", title="최우수", count=1)
    setup.add_tier(session, contest, key="excellence", title="우수", count=3)
    setup.add_special(session, contest, key="special", title="특별상")
    setup.set_tie_break(session, contest, ["criterion:partnership", "untrimmed_mean", "decision"])
    assert [c.key for c in rnd.criteria] == ["need", "partnership"]
    assert contest.tiers[0].award_name == "최우수상"
    assert contest.tie_break == ["criterion:partnership", "untrimmed_mean", "decision"]
    actions = set(session.scalars(sa.select(AuditEvent.action).where(AuditEvent.contest_id == contest.id)))
    assert {"contest.create", "round.add", "criterion.add", "tier.add", "special_award.add",
            "contest.tie_break"} <= actions


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"max_points": "10.5", "scale": "points"}, "정수"),
    ({"max_points": "15.25", "scale": "half_points"}, "0.5"),
    ({"max_points": "abc", "scale": "points"}, "숫자"),
    ({"max_points": "20", "scale": "stars"}, "척도"),
])
def test_a_criterion_whose_maximum_does_not_fit_its_scale_is_refused_with_the_reason(session, kwargs, message):
    contest = _new(session)
    rnd = setup.add_round(session, contest, key="final", title="발표심사")
    with pytest.raises(DomainError) as info:
        setup.add_criterion(session, rnd, key="need", title="필요성", **kwargs)
    assert message in info.value.message


def test_round_rules_are_checked(session):
    contest = _new(session)
    with pytest.raises(DomainError, match="제외 개수가 1 이상"):
        setup.add_round(session, contest, key="final", title="발표심사", aggregation="trimmed_mean", trim=0)
    with pytest.raises(DomainError, match="키는"):
        setup.add_round(session, contest, key="발표", title="발표심사")
    setup.add_round(session, contest, key="final", title="발표심사")
    with pytest.raises(DomainError, match="이미 있습니다"):
        setup.add_round(session, contest, key="final", title="다시")


def test_tie_break_steps_must_name_existing_rounds_and_criteria(session):
    contest = _new(session)
    setup.add_round(session, contest, key="final", title="발표심사")
    with pytest.raises(DomainError, match="criterion:nope"):
        setup.set_tie_break(session, contest, ["criterion:nope"])
    with pytest.raises(DomainError, match="마지막"):
        setup.set_tie_break(session, contest, ["decision", "untrimmed_mean"])


def _score_one(session, contest):  # noqa: ANN001, ANN202
    judge = session.scalar(sa.select(User).where(User.contest_id == contest.id, User.judge_key == "j1"))
    entry = contest.entrants[0].entry
    crit = contest.rounds[0].criteria[0]
    session.add(Score(judge_id=judge.id, entry_id=entry.id, criterion_id=crit.id, value=Decimal(20)))
    session.flush()


@pytest.mark.parametrize("how", ["status", "scores"])
def test_once_judging_started_nothing_that_changes_scores_can_change_and_the_refusal_says_why(
        session, make_contest, how):
    contest = make_contest(status="judging" if how == "status" else "open")
    if how == "scores":
        _score_one(session, contest)
    rnd = contest.rounds[0]
    crit = rnd.criteria[0]
    tier = contest.tiers[0]
    expected = "심사가 시작된" if how == "status" else "이미 입력된 점수"
    refusals = [
        lambda: setup.update_criterion(session, crit, title=crit.title, max_points="25", scale=crit.scale),
        lambda: setup.update_criterion(session, crit, title=crit.title, max_points=crit.max_points, scale="points"),
        lambda: setup.update_round(session, rnd, title=rnd.title, aggregation="mean", trim=0, weight=1, advance=None),
        lambda: setup.add_criterion(session, rnd, key="extra", title="추가", max_points="5", scale="points"),
        lambda: setup.delete_criterion(session, crit),
        lambda: setup.add_round(session, contest, key="second", title="둘째"),
        lambda: setup.update_tier(session, tier, title=tier.title, count=2),
        lambda: setup.set_tie_break(session, contest, ["untrimmed_mean"]),
        lambda: setup.update_contest(session, contest, final_mode="weighted"),
    ]
    for refuse in refusals:
        with pytest.raises(DomainError) as info:
            refuse()
        assert expected in info.value.message
        assert "달라지므로 바꿀 수 없습니다" in info.value.message
    # Names and guidance are not scores: they may still change.
    setup.update_criterion(session, crit, title="사업의 필요성·적절성", max_points=crit.max_points, scale=crit.scale,
                           guidance="지역 욕구 조사 근거")
    setup.update_round(session, rnd, title="본선 발표심사", aggregation=rnd.aggregation, trim=rnd.trim,
                       weight=rnd.weight, advance=rnd.advance)
    setup.update_tier(session, tier, title="대상", count=tier.count)
    assert (crit.title, rnd.title, tier.title) == ("사업의 필요성·적절성", "본선 발표심사", "대상")
    assert Decimal(crit.max_points) == 20


def test_a_taken_slug_is_refused(session, make_contest):
    make_contest(slug="taken-2024")
    with pytest.raises(DomainError, match="이미 쓰이고"):
        _new(session, slug="taken-2024")
    assert session.scalar(sa.select(sa.func.count()).select_from(Contest).where(Contest.slug == "taken-2024")) == 1


def test_deleting_a_criterion_used_by_the_tie_break_is_refused(session, make_contest):
    contest = make_contest(status="draft")
    crit = next(c for c in contest.rounds[0].criteria if c.key == "partnership")
    with pytest.raises(DomainError, match="동점 처리 순서"):
        setup.delete_criterion(session, crit)
    other = next(c for c in contest.rounds[0].criteria if c.key == "outcome")
    setup.delete_criterion(session, other)
    assert [c.position for c in contest.rounds[0].criteria] == [1, 2]
