"""The organizer's audit page: events read as sentences with names (who did what to which entry,
before → after), the hash chain's verdict is shown, a change made behind the app's back is named,
the raw record is there on demand, and the page reads in English in English mode."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from judging.messages import Message
from judging.models import AuditEvent
from judging.services import audit, lifecycle
from tests.support.lifecycle import contest_in


def page_text(response) -> str:  # noqa: ANN001
    return html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


@pytest.fixture()
def story(session, make_contest, make_user, organizer):  # noqa: ANN001, ANN201
    contest = make_contest(slug="story-2024", status="judging")
    judge, _ = make_user("judge", contest=contest, judge_key="j1")
    entry = contest.rounds[0].round_entries[0].entry
    criterion = contest.rounds[0].criteria[0]
    audit.record(session, "score.saved", actor=judge, contest_id=contest.id, target_type="score",
                 target_id=f"{entry.id}:{criterion.id}", before={"value": "16", "version": 1},
                 after={"value": "18", "version": 2})
    audit.record(session, "entry.accept", actor=organizer, contest_id=contest.id, target_type="entry",
                 target_id=entry.id, before={"status": "submitted"}, after={"status": "accepted"})
    session.commit()
    return contest, judge, entry


def test_events_read_as_sentences_with_names(client, story):
    contest, judge, entry = story
    response = client.get(f"/organizer/audit?contest={contest.slug}")
    assert response.status_code == 200
    text = page_text(response)
    assert f"심사위원 {judge.name} 님이 가동 지역사회보장협의체 · 사업의 필요성 점수를 바꿨습니다: 16 → 18" in text
    assert "님이 가동 지역사회보장협의체 상태를 바꿨습니다: 제출 → 접수 확인" in text
    # Raw detail on demand, internal ids included.
    body = response.get_data(as_text=True)
    assert "<details" in body and "원본 보기" in body and f'"target_id": "{entry.id}"' in html.unescape(body)
    assert "해시 체인 검증: 온전합니다." in text


def test_the_filter_still_narrows_the_sentences(client, story):
    contest, judge, _ = story
    text = page_text(client.get(f"/organizer/audit?contest={contest.slug}&action=score.saved"))
    assert "점수를 바꿨습니다" in text and "상태를 바꿨습니다" not in text
    text = page_text(client.get(f"/organizer/audit?contest={contest.slug}&actor={judge.judge_key}"))
    assert "점수를 바꿨습니다" in text and "상태를 바꿨습니다" not in text


def test_a_change_behind_the_apps_back_is_named_on_the_page(client, session, story):
    contest, _, _ = story
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP TRIGGER audit_events_no_change ON audit_events")
    else:
        conn.exec_driver_sql("DROP TRIGGER audit_events_no_update")
    target = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "score.saved",
                                                        AuditEvent.contest_id == contest.id))
    session.execute(sa.update(AuditEvent).where(AuditEvent.id == target.id).values(after={"value": "20"}))
    session.commit()
    response = client.get(f"/organizer/audit?contest={contest.slug}")
    text = page_text(response)
    assert "해시 체인 검증: 앱 밖에서 바뀐 기록이 있습니다." in text
    assert f"감사 기록 #{target.seq} (id {target.id}, score.saved" in text
    assert 'role="alert" id="chain-state"' in response.get_data(as_text=True)


def test_the_audit_page_reads_in_english(client, story):
    contest, judge, _ = story
    text = page_text(client.get(f"/organizer/audit?contest={contest.slug}&lang=en"))
    assert f"Judge {judge.name} changed the score for 가동 지역사회보장협의체 · 사업의 필요성: 16 → 18" in text
    assert "Hash chain check: intact." in text
    assert "changed the status of 가동 지역사회보장협의체: Submitted → " in text


def test_the_audit_log_filters_and_has_no_route_that_changes_it(app, client, organizer, make_contest):
    contest = make_contest(slug="audit-2024", status="open")
    client.post(f"/organizer/c/{contest.slug}/intake/deadline", data={"deadline": "2024-11-20T18:00"})
    page = client.get(f"/organizer/audit?contest={contest.slug}&action=intake.deadline").get_data(as_text=True)
    assert "접수 마감 변경" in page and "2024-11-20T09:00:00" in page  # 18:00 KST stored as 09:00 UTC
    page = client.get("/organizer/audit?action=auth.sign_in&actor=organizer").get_data(as_text=True)
    assert "로그인" in page
    assert client.get("/organizer/audit?date_from=not-a-date").status_code == 200
    for rule in app.url_map.iter_rules():
        if "audit" in rule.rule:
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule.rule


def test_warnings_and_reasons_the_app_recorded_read_in_the_readers_language(client, session, organizer):
    """A lock's warnings and an accepted objection's unlock reason are kept as messages: each
    language tells them in its own words. An old record that kept only the Korean text shows it."""
    contest = contest_in(session, "judging")  # its round open, one judge's sheet not submitted
    lifecycle.lock(session, contest, confirm=True, actor_label="test")
    lifecycle.unlock(session, contest, Message("이의신청 #{id} 인용: {answer}", {"id": 3, "answer": "합산 정정"}),
                     actor_label="test")
    audit.record(session, "scores.lock", actor_label="test", contest_id=contest.id, target_type="contest",
                 target_id=contest.slug, before={"status": "judging"},
                 after={"status": "locked", "warnings": ["예전 경고 문장"]})
    session.commit()
    title = contest.rounds[0].title
    korean = page_text(client.get(f"/organizer/audit?contest={contest.slug}"))
    assert f"경고: — → '{title}' 라운드가 열려 있습니다. 확정하면 닫힙니다." in korean
    assert "사유: — → 이의신청 #3 인용: 합산 정정" in korean
    english = page_text(client.get(f"/organizer/audit?contest={contest.slug}&lang=en"))
    assert f"Warning: — → Round '{title}' is open. Making the scores final closes it." in english
    assert "Objection #3 accepted: 합산 정정" in english
    assert '["예전 경고 문장"]' in english  # an old record: the text it kept
