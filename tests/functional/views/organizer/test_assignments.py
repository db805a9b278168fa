"""Conflicts of interest and the assignments matrix through the pages."""

from __future__ import annotations

import sqlalchemy as sa

from judging.models import Assignment, Conflict, User
from tests.support.pages import flashes


def _judge(session, contest, key):  # noqa: ANN001, ANN202
    return session.scalar(sa.select(User).where(User.contest_id == contest.id, User.judge_key == key))


def test_conflicts_and_assignments_through_the_pages(client, organizer, make_contest, session):
    contest = make_contest(slug="assign-2024", status="judging")
    rnd = contest.rounds[0]
    base = f"/organizer/c/{contest.slug}"
    j1, j2 = _judge(session, contest, "j1"), _judge(session, contest, "j2")
    beta = next(e for e in contest.entrants if e.key == "beta").entry
    response = client.post(f"{base}/conflicts", data={"judge": j1.id, "entry": beta.id, "reason": "가족 관계"},
                           follow_redirects=True)
    assert any("이해충돌을 기록했습니다" in f for f in flashes(response))
    conflict = session.scalar(sa.select(Conflict).where(Conflict.judge_id == j1.id))
    assert conflict.source == "organizer" and conflict.declared_by == organizer.id
    response = client.post(f"{base}/assignments/{rnd.id}/balanced", data={"per_entry": 2}, follow_redirects=True)
    assert any("자동 균형 배정을 마쳤습니다" in f for f in flashes(response))
    pairs = {(a.judge_id, a.entry_id) for a in session.scalars(sa.select(Assignment).where(Assignment.round_id == rnd.id))}
    assert len(pairs) == 6 and (j1.id, beta.id) not in pairs
    page = client.get(f"{base}/assignments?round={rnd.id}").get_data(as_text=True)
    assert page.count('type="checkbox" name="pair"') == 7  # 9 cells minus two conflicts
    response = client.post(f"{base}/assignments/{rnd.id}", data={"pair": [f"{j1.id}:{beta.id}"]},
                           follow_redirects=True)
    assert any("이해충돌" in f for f in flashes(response))
    keep = [f"{j}:{e}" for j, e in sorted(pairs)] + [f"{j2.id}:{e}" for e in {p[1] for p in pairs}]
    response = client.post(f"{base}/assignments/{rnd.id}", data={"pair": keep}, follow_redirects=True)
    assert "배정을 저장했습니다." in flashes(response)
    response = client.post(f"{base}/assignments/{rnd.id}/clear", follow_redirects=True)
    assert any("모든 심사위원이 모든 참가작을 채점합니다" in f for f in flashes(response))
    response = client.post(f"{base}/conflicts/{conflict.id}/delete", follow_redirects=True)
    assert "이해충돌 기록을 지웠습니다." in flashes(response)
