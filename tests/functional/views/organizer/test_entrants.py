"""One entrant added and corrected in the browser: before judging it can be added; its display fields
stay editable after judging starts (audited, the council account's name follows); a bad input is
shown again as typed with the error beside its field, and nothing is saved."""

from __future__ import annotations

import re

import sqlalchemy as sa

from judging.models import AuditEvent, Entrant, Entry, User
from tests.support.lifecycle import contest_in
from tests.support.pages import page_text


def test_an_entrant_is_added_and_a_misspelt_name_is_fixed_after_judging(client, session, make_user, login):  # noqa: ANN001
    organizer, password = make_user("organizer")
    login(organizer, password)
    contest = contest_in(session, "open", slug="ent-2024")
    base = f"/organizer/c/{contest.slug}/entrants"
    response = client.post(base, data={"name": "라동 지역사회보장협의체", "district": "테스트시 라동",
                                       "contact_name": "김담당", "contact_email": "ra@example.org"})
    assert response.status_code == 303
    added = session.scalar(sa.select(Entrant).where(Entrant.contest_id == contest.id,
                                                    Entrant.name == "라동 지역사회보장협의체"))
    assert added.key == "e001" and added.entry is not None and added.entry.status == "draft"

    # A taken key and a bad e-mail: the form comes back as typed, each error beside its field.
    response = client.post(base, data={"key": "alpha", "name": "마동 지역사회보장협의체", "contact_email": "x"})
    assert response.status_code == 400
    page = page_text(response)
    assert 'value="마동 지역사회보장협의체"' in page and 'value="alpha"' in page
    assert re.search(r'id="contact_email-error"[^>]*>이메일 형식이 아닙니다', page)
    response = client.post(base, data={"key": "alpha", "name": "마동 지역사회보장협의체"})
    assert response.status_code == 400
    assert re.search(r'id="key-error"[^>]*>키 \'alpha\'는 이미 있습니다', page_text(response))
    assert session.scalar(sa.select(sa.func.count()).select_from(Entrant)
                          .where(Entrant.contest_id == contest.id)) == 4

    # Judging starts; a misspelt name is still corrected, audited, and the council account follows.
    from judging.services import lifecycle

    alpha = next(e for e in contest.entrants if e.key == "alpha")
    council, _pw = make_user("council", contest=contest, entrant=alpha)
    lifecycle.start_judging(session, contest, confirm=True)
    session.commit()
    response = client.post(base, data={"name": "바동"}, follow_redirects=True)
    assert "심사가 시작된 공모전에는 참가자를 더할 수 없습니다" in page_text(response)
    assert "참가자 한 곳 더하기" not in page_text(response)
    prefix = f"e{alpha.id}-"
    response = client.post(f"{base}/{alpha.id}", data={prefix + "name": "가동 지역사회보장협의체(정정)",
                                                       prefix + "district": "테스트시 가동",
                                                       prefix + "contact_name": "", prefix + "contact_email": ""})
    assert response.status_code == 303
    session.expire_all()
    assert session.get(Entrant, alpha.id).name == "가동 지역사회보장협의체(정정)"
    assert session.get(User, council.id).name == "가동 지역사회보장협의체(정정)"
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "entrant.update"))
    assert event.before == {"name": "가동 지역사회보장협의체"} and event.after == {"name": "가동 지역사회보장협의체(정정)"}

    response = client.post(f"{base}/{alpha.id}", data={prefix + "name": " "})
    assert response.status_code == 400
    page = page_text(response)
    assert re.search(rf'id="{prefix}name-error"[^>]*>이름을 입력해 주세요', page)
    assert session.scalar(sa.select(sa.func.count()).select_from(Entry).where(Entry.contest_id == contest.id)) == 4
