"""Two organizers in two browsers (결재): the first asks for approval of the locked result; the second
sees what will become public and refuses with a reason — the result stays unpublished; the first asks
again; the second approves; the first publishes. The report's 결재란 names both."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from playwright.sync_api import expect

from judging.models import Contest, ResultSnapshot, User
from judging.services import auth, decisions, lifecycle
from tests.support.browser import PROJECTOR, screenshot
from tests.support.demo import SPECIAL_REASON, complete_demo_scores, load_demo

PASSWORD = "organizer-pass-2024"


def arrange(live) -> dict:  # noqa: ANN001
    s = live.session()
    contest = load_demo(s, live.app.config["SECRET_KEY"])
    complete_demo_scores(s, contest)
    decisions.designate_special(s, contest, "juyeop1", "special", SPECIAL_REASON)
    contest.organization.approval_required = True  # the organization asks it of every contest
    lifecycle.lock(s, contest, confirm=True, actor_label="test")
    logins = {}
    for who, name in (("first", "복지정책과 김담당"), ("second", "복지정책과 이팀장")):
        login = f"{who}-{uuid.uuid4().hex[:6]}"
        s.add(User(role="organizer", login=login, name=name, password_hash=auth.hash_password(PASSWORD),
                   organization_id=contest.organization_id, org_role="manager"))
        logins[who] = login
    s.commit()
    world = {"slug": contest.slug, "contest_id": contest.id, **logins}
    s.close()
    return world


def sign_in(page, url: str, login: str) -> None:  # noqa: ANN001
    page.goto(url + "/sign-in")
    page.get_by_label("아이디").fill(login)
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    expect(page.get_by_role("heading", name="공모전 목록")).to_be_visible()


def _published(live, contest_id: int) -> tuple[str, int]:  # noqa: ANN001
    s = live.session()
    status = s.scalar(sa.select(Contest.status).where(Contest.id == contest_id))
    versions = s.scalar(sa.select(sa.func.count()).select_from(ResultSnapshot)
                        .where(ResultSnapshot.contest_id == contest_id))
    s.close()
    return status, versions


def test_two_organizers_request_refuse_request_approve_publish(live_server, new_context):
    world = arrange(live_server)
    confirm = f"{live_server.url}/organizer/c/{world['slug']}/results/publish"
    first = new_context(PROJECTOR).new_page()
    second = new_context(PROJECTOR).new_page()
    sign_in(first, live_server.url, world["first"])
    sign_in(second, live_server.url, world["second"])

    # The first organizer cannot publish alone: the page asks for 결재 and offers no publish button.
    first.goto(confirm)
    approval = first.get_by_role("region", name="결재 (2인 승인)")
    expect(approval).to_be_visible()
    expect(first.get_by_role("button", name="공개합니다")).to_have_count(0)
    approval.get_by_label("결재 요청 메모").fill("2024년 결과 결재 바랍니다")
    approval.get_by_role("button", name="결재 요청").click()
    expect(first.get_by_text("결재를 요청했습니다.", exact=False)).to_be_visible()
    expect(first.get_by_role("button", name="승인")).to_have_count(0)  # not one's own

    # The second organizer sees what becomes public, and refuses with a reason.
    second.goto(confirm)
    expect(second.get_by_role("table", name="공개될 수상 결과")).to_contain_text("고봉동 지역사회보장협의체")
    approval2 = second.get_by_role("region", name="결재 (2인 승인)")
    expect(approval2).to_contain_text("결재 대기 중")
    expect(approval2).to_contain_text("복지정책과 김담당")
    screenshot(second, "approval-pending-1920x1080")
    approval2.get_by_label("반려 사유").fill("특별상 선정 사유를 보완해 주세요")
    approval2.get_by_role("button", name="반려").click()
    expect(second.get_by_text("결재를 반려했습니다. 결과는 공개되지 않습니다.")).to_be_visible()
    assert _published(live_server, world["contest_id"]) == ("locked", 0)

    # The first sees the refusal and asks again; the second approves; the first publishes.
    first.goto(confirm)
    expect(first.get_by_role("region", name="결재 (2인 승인)")).to_contain_text("특별상 선정 사유를 보완해 주세요")
    first.get_by_role("region", name="결재 (2인 승인)").get_by_role("button", name="결재 요청").click()
    expect(first.get_by_text("결재를 요청했습니다.", exact=False)).to_be_visible()
    second.goto(confirm)
    second.get_by_role("region", name="결재 (2인 승인)").get_by_role("button", name="승인").click()
    expect(second.get_by_text("결재를 승인했습니다. 이제 공개할 수 있습니다.")).to_be_visible()
    first.goto(confirm)
    expect(first.get_by_role("region", name="결재 (2인 승인)")).to_contain_text("복지정책과 이팀장")
    first.get_by_label("위 내용이 공개되는 것을 확인했습니다").check()
    first.get_by_role("button", name="공개합니다").click()
    expect(first.get_by_text("결과를 제1판으로 공개했습니다.")).to_be_visible()
    assert _published(live_server, world["contest_id"]) == ("published", 1)

    # The audit page tells the story in sentences, and the chain verifies.
    first.goto(f"{live_server.url}/organizer/audit?contest={world['slug']}&action=result.")
    expect(first.locator("#chain-state")).to_contain_text("온전합니다")
    expect(first.locator(".audit-sentence", has_text="복지정책과 이팀장 님이 결과 공개 결재를 반려했습니다: "
                                                     "특별상 선정 사유를 보완해 주세요")).to_be_visible()

    # The report's 결재란 names the requester and the approver.
    response = first.request.get(f"{live_server.url}/organizer/c/{world['slug']}/report.hwpx")
    assert response.ok
    import io
    import zipfile

    section = zipfile.ZipFile(io.BytesIO(response.body())).read("Contents/section0.xml").decode("utf-8")
    assert "기안" in section and "복지정책과 김담당" in section and "복지정책과 이팀장" in section
