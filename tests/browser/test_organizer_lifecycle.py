"""The life cycle in a browser (projector 1920×1080): a stuck set-up (trimming 1 high and 1 low with 2
judges) is refused at the start of judging with the reason; the organizer fixes it in set-up and starts;
publishing is impossible before the lock; after the lock it asks for confirmation on a page that shows
what becomes public."""

from __future__ import annotations

import uuid
from decimal import Decimal

import sqlalchemy as sa
from playwright.sync_api import expect

from judging.models import Contest, ResultSnapshot, Score, Sheet, User, utcnow
from judging.services import auth, contest_file
from tests.support.browser import PROJECTOR, screenshot
from tests.support.lifecycle import READY_CONTEST, SCORES

PASSWORD = "organizer-pass-2024"


def arrange(live) -> dict:  # noqa: ANN001
    slug = f"life-{uuid.uuid4().hex[:6]}"
    s = live.session()
    text = READY_CONTEST.format(slug=slug).replace('[[judges]]\nkey = "j3"\nname = "심사위원 셋"\n', "")
    contest = contest_file.load(s, text)
    login = f"org-{uuid.uuid4().hex[:6]}"
    s.add(User(role="organizer", login=login, name="복지정책과", password_hash=auth.hash_password(PASSWORD),
               organization_id=contest.organization_id, org_role="manager"))
    s.commit()
    world = {"slug": slug, "login": login, "contest_id": contest.id}
    s.close()
    return world


def score_everything(live, contest_id: int) -> None:  # noqa: ANN001
    """Both judges score on paper; their sheets are submitted."""
    s = live.session()
    contest = s.get(Contest, contest_id)
    rnd = contest.rounds[0]
    crits = {c.key: c for c in rnd.criteria}
    for judge in s.scalars(sa.select(User).where(User.contest_id == contest_id, User.role == "judge")):
        for entrant in contest.entrants:
            need, outcome = SCORES[entrant.key]
            s.add(Score(judge_id=judge.id, entry_id=entrant.entry.id, criterion_id=crits["need"].id, value=Decimal(need)))
            s.add(Score(judge_id=judge.id, entry_id=entrant.entry.id, criterion_id=crits["outcome"].id,
                        value=Decimal(outcome)))
        s.add(Sheet(judge_id=judge.id, round_id=rnd.id, status="submitted", submitted_at=utcnow()))
    s.commit()
    s.close()


def status_of(live, contest_id: int) -> str:  # noqa: ANN001
    s = live.session()
    try:
        return s.scalar(sa.select(Contest.status).where(Contest.id == contest_id))
    finally:
        s.close()


def test_a_stuck_set_up_is_fixed_before_judging_and_publishing_waits_for_the_lock(live_server, new_context):
    world = arrange(live_server)
    base = f"{live_server.url}/organizer/c/{world['slug']}"
    page = new_context(PROJECTOR).new_page()
    page.goto(live_server.url + "/sign-in")
    page.get_by_label("아이디").fill(world["login"])
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.goto(base + "/")

    # The readiness check names the problem before anyone scores; judging cannot start.
    readiness = page.get_by_role("region", name="심사 시작 준비 점검")
    expect(readiness).to_contain_text("심사위원이 3명 이상 필요하지만")
    expect(readiness).to_contain_text("2명뿐")
    expect(page.get_by_role("button", name="접수 없이 바로 심사 시작")).to_be_disabled()
    screenshot(page, "lifecycle-stuck-1920x1080")

    # Publishing before the lock: no way in, and the confirmation page refuses with the reason.
    page.goto(base + "/results/publish")
    expect(page.get_by_role("heading", name="아직 공개할 수 없습니다")).to_be_visible()
    expect(page.get_by_text("점수를 확정(잠금)한 뒤에만 결과를 공개할 수 있습니다. (지금 상태: 준비)")).to_be_visible()
    expect(page.get_by_role("button", name="공개합니다")).to_have_count(0)

    # The organizer fixes the set-up: plain averages instead of trimming.
    page.goto(base + "/setup")
    round_card = page.get_by_role("region", name="1. 발표심사 (final)")
    round_card.get_by_text("라운드 고치기").click()
    round_card.get_by_label("집계 방식").select_option(label="평균")
    round_card.get_by_role("button", name="라운드 저장").click()  # trimming left at 1: refused
    # The form comes back open, as typed, the reason beside its field and in view.
    round_card = page.get_by_role("region", name="1. 발표심사 (final)")
    error = round_card.locator(".field__error").first
    expect(error).to_be_visible()
    expect(error).to_be_in_viewport()
    expect(round_card.get_by_label("집계 방식")).to_have_value("mean")
    screenshot(page, "lifecycle-setup-error-1920x1080")
    round_card.get_by_label("제외 개수 (위·아래 각각)").fill("0")
    round_card.get_by_role("button", name="라운드 저장").click()
    expect(page.get_by_text("라운드를 저장했습니다.")).to_be_visible()

    page.goto(base + "/")
    readiness = page.get_by_role("region", name="심사 시작 준비 점검")
    expect(readiness).not_to_contain_text("3명 이상 필요")
    confirm = page.locator("#skip-confirm")
    if confirm.count():
        confirm.check()
    page.get_by_role("button", name="접수 없이 바로 심사 시작").click()
    expect(page.get_by_text("심사를 시작했습니다. 심사 당일 화면에서 라운드를 여세요.")).to_be_visible()
    assert status_of(live_server, world["contest_id"]) == "judging"

    # Still judging: the results page offers no publication.
    score_everything(live_server, world["contest_id"])
    page.goto(base + "/results")
    publish = page.locator("#publish")
    expect(publish).to_contain_text("결과는 점수를 확정(잠금)한 뒤에만 공개할 수 있습니다.")
    expect(publish.get_by_role("link", name="결과 공개…")).to_have_count(0)

    # Lock, then publish through the confirmation page.
    page.goto(base + "/")
    page.get_by_role("button", name="점수 확정(잠금)").click()
    expect(page.get_by_text("점수를 확정했습니다. 결과 화면에서 동점을 정리하고 공개하세요.")).to_be_visible()
    page.get_by_role("link", name="결과 공개…").click()
    expect(page.get_by_role("heading", name="결과 공개 확인")).to_be_visible()
    table = page.get_by_role("table", name="공개될 수상 결과")
    expect(table).to_contain_text("가동 지역사회보장협의체")
    expect(table).to_contain_text("최우수")
    screenshot(page, "lifecycle-publish-confirm-1920x1080")
    page.get_by_role("button", name="공개합니다").click()  # without ticking the confirmation
    expect(page.get_by_text("공개할 내용을 확인했다고 표시해 주세요.")).to_be_visible()
    assert status_of(live_server, world["contest_id"]) == "locked"
    page.get_by_label("위 내용이 공개되는 것을 확인했습니다").check()
    page.get_by_role("button", name="공개합니다").click()
    expect(page.get_by_text("결과를 제1판으로 공개했습니다.")).to_be_visible()
    assert status_of(live_server, world["contest_id"]) == "published"
    s = live_server.session()
    assert s.scalar(sa.select(sa.func.count()).select_from(ResultSnapshot)
                    .where(ResultSnapshot.contest_id == world["contest_id"])) == 1
    s.close()
