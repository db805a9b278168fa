"""The intake tab: entries accepted or returned with a reason, the entry page, a round's entries and
the top N of a screening round."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from judging.models import Attachment, Score, User, utcnow
from tests.support.contests import SCREENING
from tests.support.pages import flashes


def _judge(session, contest, key):  # noqa: ANN001, ANN202
    return session.scalar(sa.select(User).where(User.contest_id == contest.id, User.judge_key == key))


def test_accept_and_return_with_a_reason_and_the_entry_page(client, organizer, make_contest, session):
    contest = make_contest(slug="elig-2024", status="open")
    delta = next(e for e in contest.entrants if e.key == "delta").entry
    delta.title, delta.summary, delta.status, delta.submitted_at = "라동 사업", "요약", "submitted", utcnow()
    delta.receipt_number = "2024-001"
    delta.attachments.append(Attachment(original_name="보고서.pdf", stored_name="a" * 32 + ".pdf", kind="pdf",
                                        content_type="application/pdf", size=10, sha256="0" * 64))
    session.commit()
    base = f"/organizer/c/{contest.slug}"
    page = client.get(f"{base}/entries/{delta.id}").get_data(as_text=True)
    assert "라동 사업" in page and "보고서.pdf" in page and "2024-001" in page
    response = client.post(f"{base}/entries/{delta.id}/return", data={f"ret{delta.id}-reason": ""},
                           follow_redirects=True)
    assert any("반려 사유" in f for f in flashes(response))
    response = client.post(f"{base}/entries/{delta.id}/return",
                           data={f"ret{delta.id}-reason": "동의서 서명 누락", "back": f"{base}/entries/{delta.id}"},
                           follow_redirects=True)
    assert "'라동 지역사회보장협의체'을(를) 반려했습니다. 협의체에 사유가 보입니다." in flashes(response)
    assert "동의서 서명 누락" in response.get_data(as_text=True)
    response = client.post(f"{base}/entries/{delta.id}/accept", follow_redirects=True)
    assert "'라동 지역사회보장협의체'을(를) 접수 확인했습니다." in flashes(response)
    session.expire_all()
    assert delta.status == "accepted"
    # A missing file on disk is a clear 404, not a crash.
    response = client.get(f"{base}/attachments/{delta.attachments[0].id}")
    assert response.status_code == 404 and "저장소에 없습니다" in response.get_data(as_text=True)


def test_round_entries_and_the_top_n_of_a_screening_round(client, organizer, make_contest, session):
    contest = make_contest(text=SCREENING, status="judging")
    document, final = contest.rounds
    judge = _judge(session, contest, "j1")
    ids = {e.entrant.key: e.id for e in contest.entries}
    for key, value in (("a", 7), ("b", 9), ("c", 8)):
        session.add(Score(judge_id=judge.id, entry_id=ids[key], criterion_id=document.criteria[0].id,
                          value=Decimal(value)))
    session.commit()
    base = f"/organizer/c/{contest.slug}"
    assert "상위 작품 진출" in client.get(f"{base}/intake").get_data(as_text=True)
    response = client.post(f"{base}/rounds/advance", data={"source": document.id, "target": final.id, "count": 2},
                           follow_redirects=True)
    assert "상위 2곳을 다음 라운드 심사 대상으로 정했습니다." in flashes(response)
    session.refresh(final)
    assert [re.entry.entrant.key for re in final.round_entries] == ["b", "c"]
    response = client.post(f"{base}/rounds/{final.id}/entries", data={f"fin{final.id}-entries": [ids["a"], ids["c"]]},
                           follow_redirects=True)
    assert any("심사 대상을 저장했습니다" in f for f in flashes(response))
    session.refresh(final)
    assert [re.entry.entrant.key for re in final.round_entries] == ["a", "c"]
