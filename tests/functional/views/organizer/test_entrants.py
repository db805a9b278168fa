"""One entrant added and corrected in the browser: before judging it can be added; its display fields
stay editable after judging starts (audited, the council account's name follows); a bad input is
shown again as typed with the error beside its field, and nothing is saved."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa

from judging.models import AuditEvent, Entrant, Entry, User
from tests.support.files import make_xlsx
from tests.support.lifecycle import contest_in
from tests.support.pages import flashes, page_text


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


def test_entrant_import_through_the_page(client, organizer, make_contest, session):
    contest = make_contest(slug="import-2024", status="draft")
    count = lambda: session.scalar(sa.select(sa.func.count()).select_from(Entrant)  # noqa: E731
                                   .where(Entrant.contest_id == contest.id))
    before = count()
    bad = "이름,이메일\n화정1동 지역사회보장협의체,ok@example.org\n,x@example.org\n화정2동,wrong\n"
    response = client.post(f"/organizer/c/{contest.slug}/entrants/import",
                           data={"file": (io.BytesIO(bad.encode()), "entrants.csv")},
                           content_type="multipart/form-data", follow_redirects=True)
    messages = flashes(response)
    assert "참가자 파일에 문제가 있어 아무것도 불러오지 않았습니다. 고친 뒤 다시 올려 주세요." in messages
    assert "3행: 이름이 비어 있습니다." in messages
    assert "4행: 이메일 'wrong'의 형식이 올바르지 않습니다." in messages
    assert count() == before
    good = make_xlsx([["이름", "행정구역", "담당자", "이메일"], ["화정1동 지역사회보장협의체", "덕양구 화정1동", "김", "a@example.org"]])
    response = client.post(f"/organizer/c/{contest.slug}/entrants/import",
                           data={"file": (io.BytesIO(good), "entrants.xlsx")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert "참가자 1곳을 불러왔습니다." in flashes(response)
    assert count() == before + 1
    assert "화정1동 지역사회보장협의체" in response.get_data(as_text=True)


def test_invitations_print_a_qr_and_a_link_that_leads_to_choosing_a_password(app, client, organizer, make_contest,
                                                                           session):
    contest = make_contest(slug="invite-2024", status="open")
    response = client.post(f"/organizer/c/{contest.slug}/entrants/accounts", follow_redirects=True)
    assert "협의체 계정 4개를 만들었습니다. 초대장을 인쇄하거나 보내 주세요." in flashes(response)
    page = client.get(f"/organizer/c/{contest.slug}/entrants/invitations").get_data(as_text=True)
    links = re.findall(r"http://localhost/j/[0-9a-f]{40}", page)
    assert len(set(links)) == 4
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == 4 and 'role="img"' in page
    council = app.test_client()
    link = links[0].replace("http://localhost", "")
    assert council.get(link).status_code == 200  # the invitation's page: one button
    response = council.post(link)
    assert response.status_code == 302 and response.headers["Location"].endswith("/council/")
    home = council.get("/council/").get_data(as_text=True)
    assert "비밀번호 정하기" in home
    assert council.get("/council/entry").status_code == 302  # nothing else until a password is set
    response = council.post("/council/password", data={"password": "새비밀번호-2024", "confirm": "새비밀번호-2024"})
    assert response.status_code == 303
    assert council.get("/council/entry").status_code == 200
    council.post("/sign-out")
    assert council.get(link).status_code == 400  # the link is used up
    assert council.post(link).status_code == 400


def test_the_invitation_mail_is_the_korean_letter_with_the_link_and_the_login(client, organizer, make_contest, session):
    from html import unescape
    from urllib.parse import parse_qs, unquote, urlsplit

    contest = make_contest(slug="mail-2024", status="open")
    first = contest.entrants[0]
    first.contact_email = "first & co@example.org"
    first.name = "가동 & 나동 <협의체>"  # plain text: nothing escaped
    session.commit()
    client.post(f"/organizer/c/{contest.slug}/entrants/accounts")
    page = client.get(f"/organizer/c/{contest.slug}/entrants/invitations?entrant={first.id}").get_data(as_text=True)
    (href,) = re.findall(r'href="(mailto:[^"]+)"', page)
    mail = urlsplit(unescape(href))
    query = parse_qs(mail.query)
    link = re.findall(r"http://localhost/j/[0-9a-f]{40}", page)[0]
    login = session.scalar(sa.select(User.login).where(User.entrant_id == first.id))
    assert unquote(mail.path) == "first & co@example.org"
    assert query["subject"] == [f"[{contest.title}] 참가 안내"]
    assert query["body"] == [f"{first.name} 담당자님께\n\n{contest.title} 참가작 제출 안내입니다.\n"
                             f"아래 링크로 처음 로그인한 뒤 비밀번호를 정해 주세요.\n{link}\n\n아이디: {login}"]
