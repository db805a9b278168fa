"""An audience member on a phone (390×844): scans the card, rates every finalist with large targets,
submits once; the same card then says only that it was used. No script runs on the page."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from playwright.sync_api import expect

from judging.models import AudienceRating
from judging.services import audience, contest_file, lifecycle
from tests.support.audience import AUDIENCE_CONTEST
from tests.support.browser import PROJECTOR, screenshot

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True,
         "device_scale_factor": 2, "locale": "ko-KR"}


def arrange(live) -> tuple[str, list[str]]:  # noqa: ANN001
    slug = f"crowd-{uuid.uuid4().hex[:6]}"
    s = live.session()
    contest = contest_file.load(s, AUDIENCE_CONTEST.format(slug=slug))
    contest.status = "judging"
    aud = audience.get_round(s, contest, "crowd")
    tokens = [c.token for c in audience.issue_ballots(s, aud, 2).cards]
    lifecycle.open_voting(s, aud)
    s.commit()
    s.close()
    return slug, tokens


def test_a_phone_votes_once_with_large_targets(live_server, new_context):
    _slug, tokens = arrange(live_server)
    context = new_context(PHONE)
    page = context.new_page()
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    page.goto(f"{live_server.url}/v/{tokens[0]}")
    expect(page.get_by_role("heading", name="현장평가단 투표")).to_be_visible()
    groups = page.get_by_role("group")
    expect(groups).to_have_count(3)

    # every choice is a large touch target, and the page fits the phone's width
    first = page.locator("label[for$='-5']").first
    box = first.bounding_box()
    assert box["height"] >= 48 and box["width"] >= 48
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # submitting with one entry unrated names it and keeps the choices
    page.get_by_role("group", name="1 가동 지역사회보장협의체 가동 나눔").get_by_text("매우 좋음").click()
    page.get_by_role("group", name="2 나동 지역사회보장협의체 나동 돌봄").get_by_text("보통").click()
    page.get_by_role("button", name="투표 제출").click()
    expect(page.get_by_role("alert")).to_contain_text("모든 참가작을 평가해 주세요")
    expect(page.get_by_role("alert").get_by_role("link", name="다동 지역사회보장협의체")).to_be_visible()
    expect(page.get_by_role("radio", name="5 매우 좋음").first).to_be_checked()
    screenshot(page, "audience-vote-phone-missing")

    page.get_by_role("group", name="3 다동 지역사회보장협의체 다동 안부").get_by_text("좋음", exact=True).click()
    screenshot(page, "audience-vote-phone")
    page.get_by_role("button", name="투표 제출").click()
    expect(page.get_by_role("heading", name="투표가 완료되었습니다. 감사합니다.")).to_be_visible()
    screenshot(page, "audience-vote-phone-done")

    # the same card again: that sentence and nothing else
    page.goto(f"{live_server.url}/v/{tokens[0]}")
    expect(page.get_by_role("heading", name="이미 사용된 투표권입니다")).to_be_visible()
    expect(page.get_by_role("radio")).to_have_count(0)
    assert scripts == []

    s = live_server.session()
    ratings = sorted(r for (r,) in s.execute(sa.select(AudienceRating.rating)))
    s.close()
    assert ratings == [3, 4, 5]


def test_the_ballot_works_by_keyboard(live_server, new_context):
    _slug, tokens = arrange(live_server)
    page = new_context(PHONE).new_page()
    page.goto(f"{live_server.url}/v/{tokens[1]}")
    for name in ("1 가동 지역사회보장협의체 가동 나눔", "2 나동 지역사회보장협의체 나동 돌봄",
                 "3 다동 지역사회보장협의체 다동 안부"):
        radio = page.get_by_role("group", name=name).get_by_role("radio", name="1 매우 부족")
        radio.focus()
        page.keyboard.press("Space")
        expect(radio).to_be_checked()
    page.get_by_role("button", name="투표 제출").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="투표가 완료되었습니다. 감사합니다.")).to_be_visible()


def test_the_day_board_opens_the_vote_and_shows_turnout_live(live_server, new_context):
    from judging.models import User
    from judging.services import auth

    slug = f"crowd-{uuid.uuid4().hex[:6]}"
    s = live_server.session()
    contest = contest_file.load(s, AUDIENCE_CONTEST.format(slug=slug))
    contest.status = "judging"
    s.flush()
    login = f"org-{uuid.uuid4().hex[:6]}"
    s.add(User(role="organizer", login=login, name="복지정책과", password_hash=auth.hash_password("organizer-pass"),
               organization_id=contest.organization_id, org_role="manager"))
    aud = audience.get_round(s, contest, "crowd")
    tokens = [c.token for c in audience.issue_ballots(s, aud, 4).cards]
    s.commit()
    s.close()

    board = new_context(PROJECTOR).new_page()
    board.goto(live_server.url + "/sign-in")
    board.get_by_label("아이디").fill(login)
    board.get_by_label("비밀번호").fill("organizer-pass")
    board.get_by_role("button", name="로그인").click()
    board.goto(f"{live_server.url}/organizer/c/{slug}/day")
    turnout = board.get_by_role("region", name="현장평가단 투표율")
    turnout.get_by_role("button", name="투표 열기").click()
    turnout = board.get_by_role("region", name="현장평가단 투표율")
    expect(turnout.get_by_text("투표 중")).to_be_visible()
    expect(board.locator('[data-turnout="crowd:cast"]')).to_have_text("0")

    phone = new_context(PHONE).new_page()
    for token in tokens[:3]:
        phone.goto(f"{live_server.url}/v/{token}")
        for value in ("5", "4", "3"):
            phone.locator(f"label[for$='-{value}']").nth("543".index(value)).click()
        phone.get_by_role("button", name="투표 제출").click()
        expect(phone.get_by_role("heading", name="투표가 완료되었습니다. 감사합니다.")).to_be_visible()

    # no reload: the board's poll brings the count in
    expect(board.locator('[data-turnout="crowd:cast"]')).to_have_text("3", timeout=15_000)
    expect(board.locator('[data-turnout="crowd:percent"]')).to_have_text("75.00%")
    screenshot(board, "audience-day-board-turnout")
