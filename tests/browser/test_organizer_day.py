"""The organizer's day in a browser (projector 1920×1080): open the round → a judge scores on a
tablet in a second browser context → the progress board shows it without a reload → lock → resolve
the tie at the 최우수 boundary → designate 특별상 → publish → the public results page shows it.
Screenshots of the board and the results page at 1920×1080 and 820×1180 go to tests/browser/screenshots/."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

import sqlalchemy as sa
from playwright.sync_api import expect

from judging.models import Contest, ResultSnapshot, Score, Sheet, User, utcnow
from judging.services import auth, contest_file
from tests.support.browser import PROJECTOR, TABLET, screenshot
from tests.support.contests import DAY_CONTEST
from tests.support.judge_browser import criterion, pledge_and_declare, sign_in_by_code

ORGANIZER_PASSWORD = "organizer-pass-2024"


def arrange(live) -> dict:  # noqa: ANN001
    """A judging contest (round not yet open); j2 and j3 have scored and submitted: alpha and beta
    got full marks from j3 and 90 % from j2, gamma less. j1 will score in the browser."""
    slug = f"day-{uuid.uuid4().hex[:6]}"
    s = live.session()
    contest = contest_file.load(s, DAY_CONTEST.format(slug=slug))
    contest.status = "judging"
    s.flush()
    login = f"org-{uuid.uuid4().hex[:6]}"
    s.add(User(role="organizer", login=login, name="복지정책과 김담당", password_hash=auth.hash_password(ORGANIZER_PASSWORD),
               organization_id=contest.organization_id, org_role="manager"))
    rnd = contest.rounds[0]
    secret = live.app.config["SECRET_KEY"]
    judges = {u.judge_key: u for u in s.scalars(sa.select(User).where(User.contest_id == contest.id))}
    codes = {key: auth.issue_credentials(s, secret, judge)[1] for key, judge in judges.items()}
    entries = {e.key: e.entry for e in contest.entrants}
    plan = {"j2": {"alpha": "0.9", "beta": "0.9", "gamma": "0.8"}, "j3": {"alpha": "1", "beta": "1"}}
    now = utcnow()
    for key, row in plan.items():
        judge = judges[key]
        judge.pledged_at = judge.conflicts_declared_at = judge.last_sign_in_at = now
        for entry_key, fraction in row.items():
            for crit in rnd.criteria:
                s.add(Score(judge_id=judge.id, entry_id=entries[entry_key].id, criterion_id=crit.id,
                            value=Decimal(crit.max_points) * Decimal(fraction)))
        s.add(Sheet(judge_id=judge.id, round_id=rnd.id, status="submitted", submitted_at=now))
    s.commit()
    world = {"slug": slug, "login": login, "codes": codes, "round_id": rnd.id,
             "entries": {k: e.id for k, e in entries.items()}, "contest_id": contest.id}
    s.close()
    return world


def cell(page, judge: str, index: int):  # noqa: ANN001, ANN201
    return page.locator(f'tr[data-judge="{judge}"] td').nth(index).locator(".cell")


def test_the_organizers_day_from_open_round_to_public_results(live_server, new_context):
    world = arrange(live_server)
    base = f"{live_server.url}/organizer/c/{world['slug']}"

    org = new_context(PROJECTOR).new_page()
    org.goto(live_server.url + "/sign-in")
    org.get_by_label("아이디").fill(world["login"])
    org.get_by_label("비밀번호").fill(ORGANIZER_PASSWORD)
    org.get_by_role("button", name="로그인").click()
    expect(org.get_by_role("heading", name="공모전 목록")).to_be_visible()
    org.get_by_role("link", name="2024년 복지업무 우수 동 성과보고회").click()
    org.get_by_role("navigation", name="공모전 메뉴").get_by_role("link", name="심사 당일").click()
    expect(org.get_by_role("heading", name="심사 당일 — 발표심사")).to_be_visible()

    # Open the round.
    org.get_by_role("button", name="라운드 열기").click()
    expect(org.get_by_text("'발표심사' 라운드를 열었습니다. 심사위원이 채점할 수 있습니다.")).to_be_visible()
    expect(org.get_by_role("button", name="라운드 닫기")).to_be_visible()
    expect(cell(org, "j3", 2)).to_have_attribute("data-state", "conflict")
    expect(org.locator('[data-board="submitted"]')).to_have_text("2")
    expect(cell(org, "j1", 0)).to_have_attribute("data-state", "not_started")
    org.evaluate("window.__sameDocument = 'yes'")

    # The judge scores on a tablet, in a second browser context.
    tablet = new_context(TABLET).new_page()
    sign_in_by_code(tablet, live_server, world["codes"]["j1"])
    pledge_and_declare(tablet, None)
    taps = {
        "alpha": [("사업의 필요성", "매우 우수 20점"), ("민관협력", "매우 우수 20점"), ("성과", "매우 우수 10점")],
        "beta": [("사업의 필요성", "매우 우수 20점"), ("민관협력", "매우 우수 20점"), ("성과", "매우 우수 10점")],
        "gamma": [("사업의 필요성", "보통 16점"), ("민관협력", "보통 16점"), ("성과", "보통 8점")],
    }
    for index, (key, choices) in enumerate(taps.items()):
        tablet.goto(f"{live_server.url}/judge/rounds/{world['round_id']}/entries/{world['entries'][key]}")
        for title, label in choices[:2]:
            criterion(tablet, title).get_by_role("radio", name=label, exact=True).tap()
        expect(tablet.locator("#save-text")).to_have_text("저장됨")
        if index == 0:
            # Two of three criteria: the board turns the cell to "in progress" on its own.
            expect(cell(org, "j1", 0)).to_have_attribute("data-state", "in_progress", timeout=15_000)
            expect(cell(org, "j1", 0)).to_have_text("2/3")
        title, label = choices[2]
        criterion(tablet, title).get_by_role("radio", name=label, exact=True).tap()
        expect(tablet.locator("#save-text")).to_have_text("저장됨")
        expect(cell(org, "j1", index)).to_have_attribute("data-state", "complete", timeout=15_000)
    tablet.goto(f"{live_server.url}/judge/rounds/{world['round_id']}/submit")
    tablet.get_by_role("button", name="제출합니다").tap()
    expect(org.locator('[data-board="submitted"]')).to_have_text("3", timeout=15_000)
    expect(org.locator('tr[data-judge="j1"]')).to_contain_text("제출함")
    expect(org.locator('[data-board="cells_complete"]')).to_have_text("8")
    expect(org.locator('[data-board="missing"]')).to_have_text("남은 채점이 없습니다.")
    assert org.evaluate("window.__sameDocument") == "yes"  # updated without a reload
    cells = org.locator("#board .cell").all_inner_texts()
    assert cells and all(re.fullmatch(r"완료|회피|—|\d+/\d+|", c.strip()) for c in cells)  # never a score
    screenshot(org, "org-board-1920x1080")
    org.set_viewport_size({"width": 820, "height": 1180})
    screenshot(org, "org-board-820x1180")
    org.set_viewport_size({"width": 1920, "height": 1080})

    # Lock: the open round is closed by the lock, which asks for confirmation.
    lock = org.get_by_role("region", name="점수 확정(잠금)")
    expect(lock).to_contain_text("'발표심사' 라운드가 열려 있습니다. 확정하면 닫힙니다.")
    expect(lock).not_to_contain_text("제출하지 않았습니다")  # the card followed the board, no reload
    lock.get_by_label("위 확인 사항을 알고 입력된 점수로 확정합니다").check()
    lock.get_by_role("button", name="점수 확정").click()
    expect(org.get_by_text("점수를 확정했습니다. 결과 화면에서 동점을 정리하고 공개하세요.")).to_be_visible()

    # Resolve the boundary tie.
    org.goto(base + "/results")
    ties = org.locator("#ties")
    expect(ties).to_contain_text("공동 1위 2곳이 '최우수' 남은 1자리를 두고 동점입니다.")
    ties.get_by_label("고봉동 지역사회보장협의체").check()
    ties.get_by_label("결정 사유").fill("동점 처리 기준으로도 같아 심사위원 협의로 결정")
    ties.get_by_label("회의록").fill("2024. 12. 4. 15:20 심사위원 3인 협의: 지역 확산 가능성을 들어 고봉동을 최우수로 정함")
    ties.get_by_role("button", name="동점 결정 기록").click()
    expect(org.get_by_text("동점 결정을 기록했습니다.")).to_be_visible()
    expect(org.locator("#ties")).to_have_count(0)

    # Designate 특별상 (not a finalist), with a reason.
    specials = org.locator("#specials")
    specials.get_by_role("combobox", name="특별상", exact=True).select_option(label="특별상")
    specials.get_by_label("받을 참가작").select_option(label="주엽1동 지역사회보장협의체")
    specials.get_by_label("선정 사유").fill("1인 가구 안부 확인 사업이 돋보임")
    specials.get_by_role("button", name="특별상 지정").click()
    expect(org.get_by_text("특별상을 지정했습니다.")).to_be_visible()
    expect(org.locator("#specials")).to_contain_text("주엽1동 지역사회보장협의체")

    # Publish: a confirmation page shows what becomes public before anything is published.
    org.locator("#publish").get_by_role("link", name="결과 공개…").click()
    expect(org.get_by_role("heading", name="결과 공개 확인")).to_be_visible()
    expect(org.get_by_role("table", name="공개될 수상 결과")).to_contain_text("고봉동 지역사회보장협의체")
    org.get_by_label("위 내용이 공개되는 것을 확인했습니다").check()
    org.get_by_role("button", name="공개합니다").click()
    expect(org.get_by_text("결과를 제1판으로 공개했습니다.")).to_be_visible()
    expect(org.locator("#versions")).to_contain_text("제1판")
    rows = org.locator(".results-table tbody tr")
    expect(rows.nth(0)).to_contain_text("고봉동 지역사회보장협의체")
    expect(rows.nth(0)).to_contain_text("최우수")
    expect(rows.nth(1)).to_contain_text("우수")
    screenshot(org, "org-results-1920x1080")
    org.set_viewport_size({"width": 820, "height": 1180})
    screenshot(org, "org-results-820x1180")

    s = live_server.session()
    snapshot = s.scalar(sa.select(ResultSnapshot).where(ResultSnapshot.contest_id == world["contest_id"]))
    assert {e["entry"]: e["tier"] for e in snapshot.payload["entries"]} == {
        "alpha": "best", "beta": "excellence", "gamma": "excellence"}
    assert s.scalar(sa.select(Contest.status).where(Contest.id == world["contest_id"])) == "published"
    s.close()

    # The public results page.
    public = new_context(PROJECTOR).new_page()
    public.goto(f"{live_server.url}/results/{world['slug']}")
    expect(public.get_by_role("heading", name=re.compile("결과$"))).to_be_visible()
    best = public.get_by_role("region", name=re.compile("^최우수"))
    expect(best).to_contain_text("고봉동 지역사회보장협의체")
    special = public.get_by_role("region", name=re.compile("^특별상"))
    expect(special).to_contain_text("주엽1동 지역사회보장협의체")
    expect(special).to_contain_text("1인 가구 안부 확인 사업이 돋보임")
    assert "김정희" not in public.content()  # no judge's name on a public page


def test_the_demo_board_at_projector_and_tablet_sizes(live_server, new_context):
    """The board of a real-sized round (the Goyang demo: 11 finalists, 4 judges, one still scoring,
    one recusal), looked at on a projector and on a tablet."""
    from judging.services import demo

    s = live_server.session()
    demo.load_demo(s, live_server.app.config["SECRET_KEY"])
    s.commit()
    s.close()
    page = new_context(PROJECTOR).new_page()
    page.goto(live_server.url + "/sign-in")
    page.get_by_label("아이디").fill(demo.ORGANIZER[0])
    page.get_by_label("비밀번호").fill(demo.ORGANIZER[1])
    page.get_by_role("button", name="로그인").click()
    expect(page.get_by_role("heading", name="공모전 목록")).to_be_visible()
    page.goto(f"{live_server.url}/organizer/c/{demo.SLUG}/day")
    expect(page.locator(".board thead th")).to_have_count(13)  # judge + 11 entries + what is left
    expect(page.locator('tr[data-judge="j4"]')).to_contain_text("채점 중")
    expect(page.locator('tr[data-judge="j4"] .cell--not_started')).to_have_count(3)
    expect(page.locator('tr[data-judge="j2"] .cell--conflict')).to_have_count(1)
    expect(page.locator('[data-board="missing"]')).to_contain_text("탄현1동")
    screenshot(page, "org-board-demo-1920x1080")
    tablet = new_context(TABLET).new_page()
    tablet.goto(live_server.url + "/sign-in")
    tablet.get_by_label("아이디").fill(demo.ORGANIZER[0])
    tablet.get_by_label("비밀번호").fill(demo.ORGANIZER[1])
    tablet.get_by_role("button", name="로그인").tap()
    expect(tablet.get_by_role("heading", name="공모전 목록")).to_be_visible()
    tablet.goto(f"{live_server.url}/organizer/c/{demo.SLUG}/day")
    expect(tablet.locator('tr[data-judge="j4"]')).to_be_visible()
    screenshot(tablet, "org-board-demo-820x1180")
    tablet.goto(f"{live_server.url}/organizer/c/{demo.SLUG}/results")
    expect(tablet.get_by_role("heading", name="순위")).to_be_visible()
    screenshot(tablet, "org-results-demo-820x1180")
    page.goto(f"{live_server.url}/organizer/c/{demo.SLUG}/results")
    screenshot(page, "org-results-demo-1920x1080")
