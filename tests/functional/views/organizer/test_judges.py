"""The judges tab: sign-in cards with code and QR, and a reissued code revoking the old one."""

from __future__ import annotations

import re

import sqlalchemy as sa

from judging.models import User
from tests.support.pages import flashes


def test_judge_cards_show_code_and_qr_and_reissue_revokes(app, client, organizer, make_contest, session):
    contest = make_contest(slug="cards-2024")
    page = client.get(f"/organizer/c/{contest.slug}/judges/cards").get_data(as_text=True)
    assert "아직 카드가 없는 심사위원" in page and page.count("<svg") == 0  # a GET issues nothing
    client.post(f"/organizer/c/{contest.slug}/judges/cards")
    page = client.get(f"/organizer/c/{contest.slug}/judges/cards").get_data(as_text=True)
    codes = re.findall(r'<p class="code">([A-Z2-9]{4}-[A-Z2-9]{4})</p>', page)
    assert len(codes) == 3 and page.count("<svg") == 3
    judge = app.test_client()
    assert judge.post("/sign-in/code", data={"code": codes[0]}).status_code == 302
    j1 = session.scalar(sa.select(User).where(User.contest_id == contest.id, User.judge_key == "j1"))
    client.post(f"/organizer/c/{contest.slug}/judges/{j1.id}/reissue")
    assert judge.get("/judge/").status_code == 302  # signed out by the revocation
    response = client.post(f"/organizer/c/{contest.slug}/judges", data={"name": "최심사", "affiliation": "다대학교"},
                           follow_redirects=True)
    assert "최심사 심사위원을 등록했습니다. 안내 카드를 인쇄해 주세요." in flashes(response)
