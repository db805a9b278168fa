"""Fixtures of the view tests: ``one_judge`` (a judging contest with its round open, judge j1 with a
code) and ``ready``, the same judge ready to score."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from judging.services import declarations


@pytest.fixture()
def one_judge(session, make_contest, make_user):
    """A judging contest with its round open and judge j1 with a code, not yet pledged."""
    contest = make_contest(status="judging")
    rnd = contest.rounds[0]
    rnd.status = "open"
    rnd.criteria[0].guidance = "지역 욕구 조사에 근거했는지 봅니다."
    session.commit()
    judge, code = make_user("judge", contest=contest, judge_key="j1")
    return SimpleNamespace(contest=contest, round=rnd, judge=judge, code=code,
                           entries={e.key: e.entry for e in contest.entrants},
                           criteria={c.key: c for c in rnd.criteria})


@pytest.fixture()
def ready(one_judge, session):
    """j1 has pledged and declared no conflict."""
    declarations.pledge(session, one_judge.judge)
    declarations.declare_conflicts(session, one_judge.judge, dict.fromkeys(
        r.entry_id for r in declarations.declaration(session, one_judge.judge).pending))
    session.commit()
    return one_judge
