"""The ceremony on a 1920×1080 projector: stepping with keys and clickers, still stepping after the
network drops, the presenter window following along, nothing shown before publication; and the
public verification and results pages."""

from __future__ import annotations

import re

import pytest

from tests.support.browser import PROJECTOR, TABLET, screenshot
from tests.support.demo import DEMO_JUDGE_NAMES, TOP_SCORE, publish_demo

SMALL = """
[contest]
slug = "unpub-2024"
title = "공개 전 공모전"
organizer = "테스트시"
issuer = "테스트시장"
held_on = 2024-12-04

[[rounds]]
key = "final"
title = "발표심사"
criteria = [{ key = "need", title = "필요성", max = 20, scale = "points" }]

[[tiers]]
key = "best"
title = "최우수"
count = 1

[[entrants]]
key = "alpha"
name = "비밀동 지역사회보장협의체"
title = "비밀 사업"
"""


@pytest.fixture(scope="module")
def arranged(live_server):  # noqa: ANN001, ANN201
    """The demo published (with its certificates numbered, one revoked) and a contest not yet published."""
    from judging.services import certificates, contest_file

    s = live_server.session()
    contest = publish_demo(s, live_server.app.config["SECRET_KEY"])
    created = certificates.allocate(s, contest)
    certificates.revoke(s, contest, created[2].id, "수상 단체 정정")
    contest_file.load(s, SMALL)
    s.commit()
    tokens = {"real": created[0].verify_token, "revoked": created[2].verify_token,
              "real_number": created[0].number, "revoked_number": created[2].number}
    s.close()
    return tokens


def sign_in(page, base: str) -> None:  # noqa: ANN001
    page.goto(base + "/sign-in")
    page.get_by_label("아이디").fill("organizer")
    page.get_by_label("비밀번호").fill("demo-organizer-2024")
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url("**/organizer/**")


def current(page) -> dict:  # noqa: ANN001
    return page.evaluate("""() => {
        const s = document.querySelector('#stage .slide');
        const text = sel => { const n = s.querySelector(sel); return n ? n.textContent.trim() : null; };
        return {kind: s.dataset.kind, index: Number(s.dataset.index), award: text('.slide__award') || text('.slide__award-big'),
                recipient: text('.slide__recipient'), heading: text('.slide__heading'),
                position: document.getElementById('position').textContent};
    }""")


def open_ceremony(live_server, new_context, arranged):  # noqa: ANN001, ANN202
    context = new_context(PROJECTOR)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, live_server.url)
    reset_position(live_server)
    page.goto(live_server.url + "/ceremony/goyang-2024")
    page.wait_for_selector("body.is-ready")
    page.evaluate("document.fonts.ready")
    return context, page, errors


def reset_position(live_server) -> None:  # noqa: ANN001
    """Each test starts a ceremony from its first slide: forget where the last test left the reveal
    (a new window adopts the position kept on the server)."""
    import sqlalchemy as sa

    from judging.models import CeremonyPosition

    s = live_server.session()
    s.execute(sa.delete(CeremonyPosition))
    s.commit()
    s.close()


def test_keys_step_forward_and_back(live_server, new_context, arranged):
    _context, page, errors = open_ceremony(live_server, new_context, arranged)
    first = current(page)
    assert first["kind"] == "title" and first["heading"] == "2024년 복지업무 우수 동 성과보고회"
    assert first["position"] == "1 / 18"
    screenshot(page, "ceremony-1-title")

    page.keyboard.press("ArrowRight")
    assert current(page)["kind"] == "award" and current(page)["award"] == "장려상"
    page.keyboard.press("Space")
    reveal = current(page)
    assert (reveal["kind"], reveal["award"], reveal["recipient"]) == ("reveal", "장려상", "가좌동 지역사회보장협의체")
    page.wait_for_timeout(700)  # the entrance transition
    screenshot(page, "ceremony-2-reveal")
    page.keyboard.press("PageDown")
    assert current(page)["recipient"] == "장항1동 지역사회보장협의체"
    page.keyboard.press("ArrowLeft")
    assert current(page)["recipient"] == "가좌동 지역사회보장협의체"
    page.keyboard.press("PageUp")
    assert current(page)["kind"] == "award"
    page.keyboard.press("End")
    assert current(page)["kind"] == "closing" and current(page)["position"] == "18 / 18"
    page.keyboard.press("ArrowRight")  # past the end: stays
    assert current(page)["index"] == 17
    page.keyboard.press("Home")
    assert current(page)["kind"] == "title"
    page.keyboard.press("ArrowLeft")  # before the start: stays
    assert current(page)["index"] == 0
    assert errors == []


def test_the_reveal_is_big_readable_and_fits_the_screen(live_server, new_context, arranged):
    _context, page, _errors = open_ceremony(live_server, new_context, arranged)
    page.evaluate("window.ceremony.go(14)")  # 최우수상 winner: title 0, 장려 1-8, 우수 9-12, 최우수 13-14
    page.wait_for_timeout(700)
    slide = current(page)
    assert (slide["award"], slide["recipient"]) == ("최우수상", "고봉동 지역사회보장협의체")
    metrics = page.evaluate("""() => {
        const n = document.querySelector('.slide__recipient');
        const cs = getComputedStyle(n);
        return {size: parseFloat(cs.fontSize), fits: n.scrollWidth <= n.clientWidth + 1,
                family: cs.fontFamily, nanum: document.fonts.check('700 64px "Ceremony Myeongjo"', '고봉'),
                page: document.documentElement.scrollWidth <= innerWidth && document.documentElement.scrollHeight <= innerHeight};
    }""")
    assert metrics["size"] >= 96 and metrics["fits"] and metrics["page"]
    assert metrics["nanum"], "Nanum Myeongjo from /ceremony/fonts is loaded"
    text = page.locator("body").inner_text()
    for name in DEMO_JUDGE_NAMES:
        assert name not in text
    screenshot(page, "ceremony-3-best")


def test_stepping_keeps_working_offline(live_server, new_context, arranged):
    context, page, errors = open_ceremony(live_server, new_context, arranged)
    context.set_offline(True)
    offline = page.evaluate("""async () => {
        try { await fetch('/results/goyang-2024', {cache: 'no-store'}); return false; } catch (e) { return true; }
    }""")
    assert offline, "the browser is really offline"
    seen = []
    for _ in range(17):
        page.keyboard.press("ArrowRight")
        seen.append(current(page))
    reveals = [(s["award"], s["recipient"]) for s in seen if s["kind"] == "reveal"]
    assert len(reveals) == 12
    assert reveals[-2] == ("최우수상", "고봉동 지역사회보장협의체")
    assert reveals[-1] == ("특별상", "주엽1동 지역사회보장협의체")
    assert seen[-1]["kind"] == "closing"
    page.keyboard.press("PageUp")
    assert current(page)["recipient"] == "주엽1동 지역사회보장협의체"
    page.wait_for_timeout(700)
    screenshot(page, "ceremony-4-offline-special")
    context.set_offline(False)
    assert errors == []


def test_the_presenter_window_follows_and_leads(live_server, new_context, arranged):
    context, audience, _errors = open_ceremony(live_server, new_context, arranged)
    presenter = context.new_page()
    presenter.goto(live_server.url + "/ceremony/goyang-2024/presenter")
    presenter.wait_for_selector("body.is-ready")
    context.set_offline(True)
    presenter.get_by_role("button", name="다음 →").click()
    presenter.get_by_role("button", name="다음 →").click()
    audience.wait_for_function("document.body.dataset.index === '2'")
    assert current(audience)["recipient"] == "가좌동 지역사회보장협의체"
    assert "장항1동" in presenter.locator("#next").inner_text()
    audience.keyboard.press("ArrowRight")
    presenter.wait_for_function("document.body.dataset.index === '3'")
    assert "장항1동 지역사회보장협의체" in presenter.locator("#now").inner_text()
    assert "민관협력의 폭이 넓어졌습니다" in presenter.locator("#notes").inner_text()
    screenshot(presenter, "ceremony-5-presenter")
    context.set_offline(False)


def test_an_unpublished_contest_shows_nothing(live_server, new_context, arranged):
    page = new_context(PROJECTOR).new_page()
    sign_in(page, live_server.url)
    page.goto(live_server.url + "/ceremony/unpub-2024")
    assert page.get_by_role("heading", name="아직 공개된 결과가 없습니다").is_visible()
    assert page.locator("#ceremony-data").count() == 0 and page.locator(".slide").count() == 0
    assert "비밀동" not in page.content()
    page.goto(live_server.url + "/results/unpub-2024")
    assert page.get_by_role("heading", name="아직 공개된 결과가 없습니다").is_visible()
    assert "비밀동" not in page.content()


def test_verification_of_a_real_an_unknown_and_a_revoked_certificate(live_server, new_context, arranged):
    page = new_context(TABLET).new_page()
    page.goto(f"{live_server.url}/verify/{arranged['real']}")
    assert page.get_by_role("heading", name="정상 발급된 상장입니다").is_visible()
    body = page.locator("main").inner_text()
    assert "제 2024-001 호" in body and "고봉동 지역사회보장협의체" in body and "최우수상" in body
    screenshot(page, "verify-real")

    page.goto(f"{live_server.url}/verify")
    page.get_by_label("상장 번호").fill("제 2024-404 호")
    page.get_by_role("button", name="확인").click()
    assert page.get_by_role("heading", name="등록되지 않은 번호입니다").is_visible()
    screenshot(page, "verify-unknown")

    page.get_by_label("상장 번호").fill(arranged["revoked_number"])
    page.get_by_role("button", name="확인").click()
    assert page.get_by_role("heading", name="폐기된 상장입니다").is_visible()
    assert page.get_by_role("heading", name="정상 발급된 상장입니다").count() == 0
    screenshot(page, "verify-revoked")


def test_public_results_page(live_server, new_context, arranged):
    page = new_context(TABLET).new_page()
    page.goto(f"{live_server.url}/results/goyang-2024")
    for award in ("최우수상", "우수상", "장려상", "특별상"):
        assert page.get_by_role("heading", name=re.compile("^" + award)).count() == 1
    text = page.locator("main").inner_text()
    assert "고봉동 지역사회보장협의체" in text and TOP_SCORE not in text
    for name in DEMO_JUDGE_NAMES:
        assert name not in text
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    screenshot(page, "public-results")


def test_a_presenter_on_a_second_device_follows_the_projector(live_server, new_context, arranged):
    """Two browser contexts (two devices, no shared storage): the projector laptop and the
    presenter's tablet follow each other through the position kept on the server; the projector
    keeps stepping from its keys while its network is down."""
    from playwright.sync_api import expect

    projector_context, projector, errors = open_ceremony(live_server, new_context, arranged)
    tablet_context = new_context(TABLET)
    tablet = tablet_context.new_page()
    tablet_errors: list[str] = []
    tablet.on("pageerror", lambda exc: tablet_errors.append(str(exc)))
    sign_in(tablet, live_server.url)
    tablet.goto(live_server.url + "/ceremony/goyang-2024/presenter")
    tablet.wait_for_selector("body.is-ready")
    expect(tablet.locator("#position")).to_have_text("1 / 18")

    for _ in range(3):
        projector.keyboard.press("ArrowRight")
    expect(tablet.locator("#position")).to_have_text("4 / 18", timeout=10_000)
    assert "장려상" in tablet.locator("#now").inner_text()

    tablet.get_by_role("button", name="다음 →").tap()  # the presenter leads from the tablet
    expect(projector.locator("#position")).to_have_text("5 / 18", timeout=10_000)

    projector_context.set_offline(True)
    projector.keyboard.press("ArrowRight")
    assert current(projector)["position"] == "6 / 18"  # the keys work without the network
    projector_context.set_offline(False)
    projector.keyboard.press("ArrowRight")
    expect(tablet.locator("#position")).to_have_text("7 / 18", timeout=10_000)
    screenshot(tablet, "ceremony-6-presenter-second-device")
    assert errors == [] and tablet_errors == []
