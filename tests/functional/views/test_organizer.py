"""The organizer's pages through the test client: set-up, contest file, entrants and invitations,
intake, judges, the day's board, locking, decisions, publishing and re-publishing, the audit log."""

from __future__ import annotations

import io
import re
import tomllib
from decimal import Decimal

import sqlalchemy as sa

from judging.models import AuditEvent, Contest, Entrant, ResultSnapshot, Score, Sheet, User, utcnow
from tests.support.contests import DAY_CONTEST
from tests.support.files import make_xlsx
from tests.support.pages import field_errors, flashes, page_text


def test_every_organizer_page_renders_in_every_status(client, organizer, make_contest, session):
    contest = make_contest(slug="pages-2024")
    base = f"/organizer/c/{contest.slug}"
    pages = ["/organizer/", f"{base}/", f"{base}/setup", f"{base}/entrants", f"{base}/entrants/invitations",
             f"{base}/intake", f"{base}/judges", f"{base}/judges/cards", f"{base}/assignments", f"{base}/day",
             f"{base}/results", "/organizer/audit", f"/organizer/audit?contest={contest.slug}",
             f"{base}/entries/{contest.entrants[0].entry.id}"]
    for status in ("draft", "open", "judging", "locked"):
        contest.status = status
        session.commit()
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, (status, page)
            html = response.get_data(as_text=True)
            assert 'lang="ko"' in html and "<main" in html
            assert 'aria-label="공모전 메뉴"' in html or page.startswith("/organizer/audit") or page == "/organizer/"


def test_building_a_contest_through_the_forms(client, organizer, session):
    response = client.post("/organizer/contests", data={
        "title": "2025년 성과보고회", "slug": "goyang-2025", "organizer": "고양특례시", "issuer": "고양특례시장",
        "held_on": "2025-12-03"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/organizer/c/goyang-2025/setup")
    base = "/organizer/c/goyang-2025/setup"
    client.post(f"{base}/rounds", data={"nr-key": "final", "nr-title": "발표심사", "nr-aggregation": "trimmed_mean",
                                         "nr-trim": "1", "nr-weight": "1"})
    contest = session.scalar(sa.select(Contest).where(Contest.slug == "goyang-2025"))
    session.refresh(contest)
    rnd = contest.rounds[0]
    assert (rnd.key, rnd.aggregation, rnd.trim) == ("final", "trimmed_mean", 1)
    response = client.post(f"{base}/rounds/{rnd.id}/criteria", data={
        f"nc{rnd.id}-key": "need", f"nc{rnd.id}-title": "사업의 필요성", f"nc{rnd.id}-max_points": "20",
        f"nc{rnd.id}-scale": "grades", f"nc{rnd.id}-weight": "1"}, follow_redirects=True)
    assert "심사 기준을 더했습니다." in flashes(response)
    response = client.post(f"{base}/rounds/{rnd.id}/criteria", data={
        f"nc{rnd.id}-key": "half", f"nc{rnd.id}-title": "반점", f"nc{rnd.id}-max_points": "7.25",
        f"nc{rnd.id}-scale": "half_points"}, follow_redirects=True)
    # The form comes back as typed, the reason beside the field.
    assert response.status_code == 400 and any("0.5점 단위" in f for f in field_errors(response))
    assert 'value="7.25"' in page_text(response) and 'value="반점"' in page_text(response)
    client.post(f"{base}/tiers", data={"nt-key": "best", "nt-title": "최우수", "nt-count": "1"})
    client.post(f"{base}/specials", data={"ns-key": "special", "ns-title": "특별상"})
    client.post(f"{base}/tie-break", data={"step1": "criterion:need", "step2": "untrimmed_mean", "step3": ""})
    session.refresh(contest)
    assert [c.key for c in contest.rounds[0].criteria] == ["need"]
    assert [t.key for t in contest.tiers] == ["best"] and [s.key for s in contest.special_awards] == ["special"]
    assert contest.tie_break == ["criterion:need", "untrimmed_mean"]
    page = client.get(base).get_data(as_text=True)
    assert "사업의 필요성" in page and "5등급" in page


def test_a_frozen_setting_is_refused_on_the_page_with_the_reason(client, organizer, make_contest):
    contest = make_contest(status="judging")
    crit = contest.rounds[0].criteria[0]
    prefix = f"c{crit.id}"
    response = client.post(f"/organizer/c/{contest.slug}/setup/criteria/{crit.id}", data={
        f"{prefix}-title": crit.title, f"{prefix}-max_points": "30", f"{prefix}-scale": crit.scale,
        f"{prefix}-weight": "1"}, follow_redirects=True)
    assert any("심사가 시작된 공모전입니다. 지금 배점을(를) 바꾸면" in f for f in field_errors(response))
    page = client.get(f"/organizer/c/{contest.slug}/setup").get_data(as_text=True)
    assert "점수나 순위를 바꿀 수 있는 항목" in page


def test_contest_file_download_and_upload_with_every_problem_shown(client, organizer, make_contest, session):
    contest = make_contest(slug="file-2024")
    response = client.get(f"/organizer/c/{contest.slug}/contest-file")
    assert response.status_code == 200
    assert "filename*=UTF-8''file-2024.toml" in response.headers["Content-Disposition"]
    data = tomllib.loads(response.get_data(as_text=True))
    assert data["contest"]["slug"] == "file-2024" and len(data["entrants"]) == 4
    bad = response.get_data(as_text=True).replace('scale = "grades"', 'scale = "stars"').replace(
        'title = "테스트 공모전"', 'title = 5')
    response = client.post(f"/organizer/c/{contest.slug}/contest-file",
                           data={"file-file": (io.BytesIO(bad.encode()), "file.toml")},
                           content_type="multipart/form-data", follow_redirects=True)
    messages = flashes(response)
    assert "공모전 파일에 문제가 있어 아무것도 바꾸지 않았습니다." in messages
    assert any(m.startswith("contest.title:") for m in messages)
    assert any("rounds[final].criteria[need].scale" in m for m in messages)
    fixed = response_text = client.get(f"/organizer/c/{contest.slug}/contest-file").get_data(as_text=True)
    fixed = response_text.replace('title = "테스트 공모전"', 'title = "고친 공모전"')
    response = client.post(f"/organizer/c/{contest.slug}/contest-file",
                           data={"file-file": (io.BytesIO(fixed.encode()), "file.toml")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert "공모전 파일을 불러왔습니다." in flashes(response)
    session.expire_all()
    assert session.scalar(sa.select(Contest.title).where(Contest.slug == "file-2024")) == "고친 공모전"
    # A new contest from a file on the home page.
    new = fixed.replace('slug = "file-2024"', 'slug = "copy-2025"')
    response = client.post("/organizer/contest-file", data={"file-file": (io.BytesIO(new.encode()), "new.toml")},
                           content_type="multipart/form-data")
    assert response.status_code == 303 and response.headers["Location"].endswith("/organizer/c/copy-2025/")


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


def test_organizer_forms_carry_the_csrf_token(csrf_app, make_user, make_contest):
    client = csrf_app.test_client()
    contest = make_contest(slug="csrf-2024")
    user, password = make_user("organizer")
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/sign-in", data={"login": user.login, "password": password, "csrf_token": token})
    assert client.post(f"/organizer/c/{contest.slug}/unlock", data={"reason": "x"}).status_code == 400
    page = client.get(f"/organizer/c/{contest.slug}/setup").get_data(as_text=True)
    forms_ = re.findall(r"<form method=\"post\".*?</form>", page, re.S)
    assert len(forms_) > 10 and all(re.search(r'name="[\w-]*csrf_token"', f) for f in forms_)
    rnd = contest.rounds[0]
    token = re.search(rf'name="r{rnd.id}-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {f"r{rnd.id}-csrf_token": token, f"r{rnd.id}-title": "본선", f"r{rnd.id}-aggregation": rnd.aggregation,
            f"r{rnd.id}-trim": str(rnd.trim), f"r{rnd.id}-weight": "1"}
    response = client.post(f"/organizer/c/{contest.slug}/setup/rounds/{rnd.id}", data=data, follow_redirects=True)
    assert "라운드를 저장했습니다." in flashes(response)


def test_judges_and_councils_cannot_reach_organizer_pages(app, make_contest, make_user):
    contest = make_contest(slug="guard-2024")
    judge, code = make_user("judge", contest=contest, judge_key="j1")
    council, password = make_user("council", contest=contest, entrant=contest.entrants[0])
    attachment_free = [f"/organizer/c/{contest.slug}/day", f"/organizer/c/{contest.slug}/progress.json",
                       f"/organizer/c/{contest.slug}/results", "/organizer/audit",
                       f"/organizer/c/{contest.slug}/judges/cards", f"/organizer/c/{contest.slug}/entrants/invitations"]
    as_judge = app.test_client()
    as_judge.post("/sign-in/code", data={"code": code})
    as_council = app.test_client()
    as_council.post("/sign-in", data={"login": council.login, "password": password})
    for path in attachment_free:
        assert as_judge.get(path).status_code == 403, path
        assert as_council.get(path).status_code == 403, path
    assert as_judge.post(f"/organizer/c/{contest.slug}/status", data={"target": "open"}).status_code == 403
