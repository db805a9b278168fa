"""Helpers for the life-cycle tests: a small contest that is ready to judge, brought to any state
through the life-cycle service itself, and a fingerprint of everything a refused action must leave
alone."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy import orm

from judging.models import AuditEvent, Contest, ResultSnapshot, Round, Score, Sheet, User, utcnow
from judging.services import contest_file, lifecycle

READY_CONTEST = """
[contest]
slug = "{slug}"
title = "생애주기 공모전"
organizer = "테스트시"
issuer = "테스트시장"
held_on = 2024-12-04
tie_break = ["untrimmed_mean", "decision"]

[[rounds]]
key = "final"
title = "발표심사"
aggregation = "trimmed_mean"
trim = 1
entries = ["alpha", "beta", "gamma"]
criteria = [
  {{ key = "need", title = "사업의 필요성", max = 20, scale = "points" }},
  {{ key = "outcome", title = "성과", max = 10, scale = "points" }},
]

[[tiers]]
key = "best"
title = "최우수"
count = 1

[[tiers]]
key = "excellence"
title = "우수"
count = 1

[[entrants]]
key = "alpha"
name = "가동 지역사회보장협의체"
district = "테스트시 가동"
title = "가동 나눔 사업"

[[entrants]]
key = "beta"
name = "나동 지역사회보장협의체"
district = "테스트시 나동"
title = "나동 돌봄 사업"

[[entrants]]
key = "gamma"
name = "다동 지역사회보장협의체"
district = "테스트시 다동"
title = "다동 안부 사업"

[[judges]]
key = "j1"
name = "심사위원 하나"

[[judges]]
key = "j2"
name = "심사위원 둘"

[[judges]]
key = "j3"
name = "심사위원 셋"
"""

# Distinct totals per entry, so the ranking has no tie to decide: alpha > beta > gamma.
SCORES = {"alpha": (18, 9), "beta": (16, 8), "gamma": (14, 7)}


def scores_csv(bump: int = 0) -> str:
    """The paper sheets of all three judges as an import file; ``bump`` changes every value."""
    lines = ["round,judge,entry,criterion,score"]
    for judge in ("j1", "j2", "j3"):
        for entry, (need, outcome) in SCORES.items():
            lines.append(f"final,{judge},{entry},need,{need - bump}")
            lines.append(f"final,{judge},{entry},outcome,{outcome - bump}")
    return "\n".join(lines) + "\n"


def judge(session: orm.Session, contest: Contest, key: str) -> User:
    return session.scalar(sa.select(User).where(User.contest_id == contest.id, User.judge_key == key))


def _score_and_submit(session: orm.Session, contest: Contest) -> None:
    """Every judge scores everything; j1 and j2 submit their sheets, j3's stays a draft."""
    rnd = contest.rounds[0]
    crits = {c.key: c for c in rnd.criteria}
    for key in ("j1", "j2", "j3"):
        j = judge(session, contest, key)
        for entrant in contest.entrants:
            need, outcome = SCORES[entrant.key]
            session.add(Score(judge_id=j.id, entry_id=entrant.entry.id, criterion_id=crits["need"].id,
                              value=Decimal(need)))
            session.add(Score(judge_id=j.id, entry_id=entrant.entry.id, criterion_id=crits["outcome"].id,
                              value=Decimal(outcome)))
        if key == "j3":
            session.add(Sheet(judge_id=j.id, round_id=rnd.id, status="draft"))
        else:
            session.add(Sheet(judge_id=j.id, round_id=rnd.id, status="submitted", submitted_at=utcnow()))
    session.flush()


def contest_in(session: orm.Session, state: str, slug: str = "life-2024") -> Contest:
    """A ready contest brought to ``state`` by the life-cycle functions (committed). From judging on,
    every judge has scored (j3 has not submitted); the round is open while judging."""
    contest = contest_file.load(session, READY_CONTEST.format(slug=slug))
    if state == "open":
        lifecycle.open_intake(session, contest, confirm=True, actor_label="test")
    elif state != "draft":
        lifecycle.start_judging(session, contest, confirm=True, actor_label="test")
        lifecycle.open_round(session, contest.rounds[0], actor_label="test")
        _score_and_submit(session, contest)
        if state in ("locked", "published"):
            lifecycle.lock(session, contest, confirm=True, actor_label="test")
        if state == "published":
            lifecycle.publish(session, contest, actor_label="test")
    assert contest.status == state
    session.commit()
    return contest


def fingerprint(session: orm.Session, contest: Contest) -> tuple:
    """Everything a refused action must leave as it was."""
    session.expire_all()
    cid = contest.id
    rounds = tuple(session.execute(sa.select(Round.key, Round.status).where(Round.contest_id == cid)
                                   .order_by(Round.position)))
    scores = tuple(session.execute(
        sa.select(Score.judge_id, Score.entry_id, Score.criterion_id, Score.value, Score.version)
        .join(User, User.id == Score.judge_id).where(User.contest_id == cid)
        .order_by(Score.judge_id, Score.entry_id, Score.criterion_id)))
    sheets = tuple(session.execute(
        sa.select(Sheet.judge_id, Sheet.status, Sheet.submitted_at).join(Round, Round.id == Sheet.round_id)
        .where(Round.contest_id == cid).order_by(Sheet.judge_id)))
    snapshots = session.scalar(sa.select(sa.func.count()).select_from(ResultSnapshot)
                               .where(ResultSnapshot.contest_id == cid))
    events = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.contest_id == cid))
    status = session.scalar(sa.select(Contest.status).where(Contest.id == cid))
    return status, rounds, scores, sheets, snapshots, events
