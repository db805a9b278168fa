"""The judge app offline (Chromium 820×1180, touch, Playwright's offline mode): once signed in and
opened online, the tablet reloads, moves between entries, closes and reopens the page and scores
with the network gone; back online, every change reaches the server in the order it was made.
Also: a conflict on one score never holds up another, sign-out with unsent changes warns and loses
nothing, and a browser that cannot keep changes (private mode) warns before the judge starts."""

from __future__ import annotations

import re
import threading

import sqlalchemy as sa
from playwright.sync_api import expect

from judging.models import AuditEvent
from tests.browser.conftest import TABLET, screenshot
from tests.browser.judge_support import (
    criterion,
    entry_url,
    go_offline,
    go_online,
    make_contest,
    pledge_and_declare,
    scores,
    sign_in_by_code,
)


class Requests:
    """Counts the requests that reach the live server (to prove the offline pages came from the tablet)."""

    def __init__(self, app) -> None:  # noqa: ANN001
        self.wsgi = app.wsgi_app
        self.paths: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):  # noqa: ANN001, ANN204
        with self.lock:
            self.paths.append(environ.get("PATH_INFO", ""))
        return self.wsgi(environ, start_response)


def count_requests(live):  # noqa: ANN001, ANN201
    counter = Requests(live.app)
    live.app.wsgi_app = counter
    return counter


def stop_counting(live, counter) -> None:  # noqa: ANN001
    live.app.wsgi_app = counter.wsgi


def saved(page) -> None:  # noqa: ANN001
    expect(page.locator("#save-text")).to_have_text("저장됨")


def ready_offline(page) -> None:  # noqa: ANN001
    """Wait until the service worker controls the page and the offline copy is stored."""
    expect(page.locator("#judge-app")).to_have_attribute("data-offline", "ready", timeout=20_000)
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null")


def signed_in_judge(live, context, world):  # noqa: ANN001, ANN201
    page = context.new_page()
    sign_in_by_code(page, live, world.codes["j1"])
    pledge_and_declare(page, world)
    ready_offline(page)
    return page


def test_offline_reload_move_close_reopen_and_score_then_sync_in_order(live_server, new_context):
    world = make_contest(live_server)
    context = new_context(TABLET)
    page = signed_in_judge(live_server, context, world)
    expect(page.locator("#offline-ready")).to_contain_text("화면 9개")
    page.goto(entry_url(live_server, world, "gobong"))
    saved(page)
    ready_offline(page)

    counter = count_requests(live_server)
    try:
        go_offline(context)
        page.reload()
        expect(page.get_by_role("heading", name="고봉동 지역사회보장협의체")).to_be_visible()
        banner = page.locator("#offline-banner")
        expect(banner).to_have_text("오프라인입니다 — 이 기기에 저장된 화면으로 계속 채점할 수 있습니다.")
        criterion(page, "사업의 필요성").get_by_role("radio", name="우수 18점").tap()
        expect(page.locator("#save-text")).to_have_text("오프라인 — 1건 대기")
        expect(banner).to_contain_text("보내지 못한 변경 1건")

        page.get_by_role("link", name=re.compile("^다음")).tap()
        expect(page.get_by_role("heading", name="원신동 지역사회보장협의체")).to_be_visible()
        criterion(page, "민관협력").get_by_role("radio", name="15", exact=True).tap()
        page.get_by_label(re.compile("^의견")).fill("어르신 건강 밥상 참여가 꾸준함")
        page.get_by_label(re.compile("^의견")).blur()
        expect(page.locator("#save-text")).to_have_text("오프라인 — 3건 대기")
        screenshot(page, "judge-offline-entry")

        page.get_by_role("link", name=re.compile("^이전")).tap()
        expect(page.get_by_role("heading", name="고봉동 지역사회보장협의체")).to_be_visible()
        expect(criterion(page, "사업의 필요성").get_by_role("radio", name="우수 18점")).to_be_checked()

        # Close the page and open the app again, still offline.
        page.close()
        page = context.new_page()
        page.goto(live_server.url + "/judge/")
        expect(page.get_by_role("heading", name="2024년 복지업무 우수 동 성과보고회")).to_be_visible()
        expect(page.locator("#offline-banner")).to_contain_text("보내지 못한 변경 3건")
        page.locator("a.entry-link").nth(1).tap()
        expect(page.get_by_role("heading", name="원신동 지역사회보장협의체")).to_be_visible()
        expect(criterion(page, "민관협력").get_by_role("radio", name="15", exact=True)).to_be_checked()
        expect(page.get_by_label(re.compile("^의견"))).to_have_value("어르신 건강 밥상 참여가 꾸준함")
        criterion(page, "성과").get_by_role("radio", name="7.5", exact=True).tap()
        page.get_by_role("link", name=re.compile("^다음")).tap()
        expect(page.get_by_role("heading", name="대화동 지역사회보장협의체")).to_be_visible()
        criterion(page, "민관협력").get_by_role("radio", name="11", exact=True).tap()
        expect(page.locator("#save-text")).to_have_text("오프라인 — 5건 대기")
        assert scores(live_server, world) == {}
        # Every page came from the tablet. (The browser's own check for a new worker script is a
        # request Playwright's offline mode does not reach; on a tablet without Wi-Fi it just fails.)
        assert [p for p in counter.paths if p != "/judge/sw.js"] == [], counter.paths
    finally:
        stop_counting(live_server, counter)

    go_online(context)
    saved(page)
    assert scores(live_server, world) == {
        ("gobong", "need"): ("18", 1), ("wonsin", "partnership"): ("15", 1), ("wonsin", "outcome"): ("7.5", 1),
        ("daehwa", "partnership"): ("11", 1)}
    s = live_server.session()
    order = s.execute(sa.select(AuditEvent.action, AuditEvent.target_id).where(
        AuditEvent.action.in_(["score.saved", "comment.saved"]), AuditEvent.actor_id == world.judges["j1"])
        .order_by(AuditEvent.id)).all()
    s.close()
    e, c = world.entries, world.criteria
    assert [tuple(row) for row in order] == [
        ("score.saved", f"{e['gobong']}:{c['need']}"),
        ("score.saved", f"{e['wonsin']}:{c['partnership']}"),
        ("comment.saved", f"{world.round_id}:{e['wonsin']}"),
        ("score.saved", f"{e['wonsin']}:{c['outcome']}"),
        ("score.saved", f"{e['daehwa']}:{c['partnership']}"),
    ]
    expect(page.locator("#offline-banner")).to_be_hidden()
