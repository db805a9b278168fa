"""The day tab: from the live board through locking, decisions and publishing to a re-published
result, and one judge's sheet reopened only with a reason."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from judging.models import (
    AuditEvent,
    ResultSnapshot,
    Score,
    Sheet,
    User,
    utcnow,
)
from tests.support.contests import DAY_CONTEST
from tests.support.pages import flashes, page_text


def _score_all(session, contest, values):  # noqa: ANN001, ANN202
    """values: {(judge key, entry key): value for every criterion}; sheets submitted."""
    rnd = contest.rounds[0]
    judges = {u.judge_key: u for u in session.scalars(sa.select(User).where(User.contest_id == contest.id,
                                                                           User.role == "judge"))}
    entries = {e.key: e.entry for e in contest.entrants}
    for (judge_key, entry_key), fraction in values.items():
        for crit in rnd.criteria:
            session.add(Score(judge_id=judges[judge_key].id, entry_id=entries[entry_key].id, criterion_id=crit.id,
                              value=Decimal(crit.max_points) * Decimal(fraction)))
    for judge in judges.values():
        session.add(Sheet(judge_id=judge.id, round_id=rnd.id, status="submitted", submitted_at=utcnow()))
    session.commit()


def test_the_day_from_the_board_to_a_republished_result(client, organizer, make_contest, session):
    contest = make_contest(text=DAY_CONTEST.format(slug="day-2024"), status="judging")
    base = f"/organizer/c/{contest.slug}"
    rnd = contest.rounds[0]
    response = client.post(f"{base}/rounds/{rnd.id}/open", follow_redirects=True)
    assert "'발표심사' 라운드를 열었습니다. 심사위원이 채점할 수 있습니다." in flashes(response)
    board = client.get(f"{base}/progress.json").get_json()["board"]
    assert board["cells_complete"] == 0 and board["cells_expected"] == 8
    # alpha and beta exactly tied (1.0 and 1.0 from everyone), gamma lower.
    _score_all(session, contest, {("j1", "alpha"): 1, ("j1", "beta"): 1, ("j1", "gamma"): "0.8",
                                  ("j2", "alpha"): "0.9", ("j2", "beta"): "0.9", ("j2", "gamma"): "0.8",
                                  ("j3", "alpha"): 1, ("j3", "beta"): 1})
    payload = client.get(f"{base}/progress.json").get_json()
    board = payload["board"]
    assert board["cells_complete"] == 8 and board["submitted"] == 3
    assert "value" not in str(payload) and "18.00" not in str(payload)
    response = client.post(f"{base}/status", data={"target": "locked"}, follow_redirects=True)
    assert any("라운드가 열려 있습니다" in f for f in flashes(response))  # needs confirming
    response = client.post(f"{base}/status", data={"target": "locked", "confirm": "y"}, follow_redirects=True)
    assert "점수를 확정했습니다. 결과 화면에서 동점을 정리하고 공개하세요." in flashes(response)
    page = page_text(client.get(f"{base}/results"))
    assert "결정이 필요한 동점" in page and "'최우수' 남은 1자리를 두고 동점입니다" in page
    response = client.post(f"{base}/results/publish", data={"note": ""}, follow_redirects=True)
    assert "공개할 내용을 확인했다고 표시해 주세요." in " ".join(flashes(response))  # the confirmation is required
    response = client.post(f"{base}/results/publish", data={"note": "", "confirm": "y"}, follow_redirects=True)
    assert "아직 공개할 수 없습니다." in flashes(response)
    response = client.post(f"{base}/results/tier", data={
        "tier_key": "best", "tie-best-tier": "best", "tie-best-entries": ["alpha"],
        "tie-best-reason": "심사위원 협의", "tie-best-minutes": "2024. 12. 4. 심사위원 4인 협의 결과 고봉동"},
        follow_redirects=True)
    assert "동점 결정을 기록했습니다." in flashes(response)
    response = client.post(f"{base}/results/special", data={"award": "special", "entry": "delta",
                                                            "reason": "1인 가구 안부 확인"}, follow_redirects=True)
    assert "특별상을 지정했습니다." in flashes(response)
    response = client.post(f"{base}/results/publish", data={"note": "본 발표", "confirm": "y"}, follow_redirects=True)
    assert "결과를 제1판으로 공개했습니다." in flashes(response)
    snapshot = session.scalar(sa.select(ResultSnapshot).where(ResultSnapshot.contest_id == contest.id))
    tiers = {e["entry"]: e["tier"] for e in snapshot.payload["entries"]}
    assert tiers == {"alpha": "best", "beta": "excellence", "gamma": "excellence"}
    assert snapshot.payload["special_awards"][0]["entry"] == "delta"
    # A correction: unlock, change a score, lock again, publish a second version showing the difference.
    client.post(f"{base}/unlock", data={"reason": "원신동 점수 오기 정정"})
    score = session.scalar(sa.select(Score).join(User, User.id == Score.judge_id)
                           .where(User.judge_key == "j2", Score.entry_id == contest.entrants[2].entry.id))
    score.value = Decimal(score.value) - 2
    session.commit()
    client.post(f"{base}/status", data={"target": "locked", "confirm": "y"})
    page = page_text(client.get(f"{base}/results"))
    assert "지금 공개하면 제2판이 되며" in page and "원신동 지역사회보장협의체" in page
    response = client.post(f"{base}/results/publish", data={"note": "정정", "confirm": "y"}, follow_redirects=True)
    assert "결과를 제2판으로 공개했습니다." in flashes(response)
    page = page_text(response)
    assert "제1판과 달라진 점" in page and "점수" in page
    actions = set(session.scalars(sa.select(AuditEvent.action).where(AuditEvent.contest_id == contest.id)))
    assert {"round.open", "scores.lock", "scores.unlock", "result.publish"} <= actions


def _judge(session, contest, key):  # noqa: ANN001, ANN202
    return session.scalar(sa.select(User).where(User.contest_id == contest.id, User.judge_key == key))


def test_reopening_one_judges_sheet_needs_a_reason(client, organizer, make_contest, session):
    contest = make_contest(slug="reopen-2024", status="judging")
    rnd = contest.rounds[0]
    rnd.status = "open"
    j1 = _judge(session, contest, "j1")
    session.add(Sheet(judge_id=j1.id, round_id=rnd.id, status="submitted", submitted_at=utcnow()))
    session.commit()
    base = f"/organizer/c/{contest.slug}"
    assert "채점표 다시 열기" in client.get(f"{base}/day").get_data(as_text=True)
    response = client.post(f"{base}/rounds/{rnd.id}/reopen-sheet", data={"judge": j1.id, "reason": ""},
                           follow_redirects=True)
    assert any("사유" in f for f in flashes(response))
    response = client.post(f"{base}/rounds/{rnd.id}/reopen-sheet",
                           data={"judge": j1.id, "reason": "민관협력 점수 오기"}, follow_redirects=True)
    assert "심사위원 하나 심사위원의 채점표를 다시 열었습니다." in flashes(response)
    session.expire_all()
    sheet = session.scalar(sa.select(Sheet).where(Sheet.judge_id == j1.id))
    assert sheet.status == "draft" and sheet.reopen_reason == "민관협력 점수 오기"
    response = client.post(f"{base}/rounds/{rnd.id}/close", follow_redirects=True)
    assert "'발표심사' 라운드를 닫았습니다." in flashes(response)
