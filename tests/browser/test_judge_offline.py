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
from tests.support.browser import TABLET, screenshot
from tests.support.judge_browser import (
    criterion,
    entry_url,
    go_offline,
    go_online,
    make_contest,
    pledge_and_declare,
    saved,
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


def test_two_tablets_one_offline_a_conflict_on_one_score_never_holds_up_the_other(live_server, new_context):
    world = make_contest(live_server)
    first_context, second_context = new_context(TABLET), new_context(TABLET)
    first = signed_in_judge(live_server, first_context, world)
    second = second_context.new_page()
    sign_in_by_code(second, live_server, world.codes["j1"])
    for page in (first, second):
        page.goto(entry_url(live_server, world, "gajwa"))
        saved(page)

    go_offline(first_context)
    criterion(first, "사업의 필요성").get_by_role("radio", name="우수 18점").tap()  # X
    criterion(first, "민관협력").get_by_role("radio", name="15", exact=True).tap()  # Y
    expect(first.locator("#save-text")).to_have_text("오프라인 — 2건 대기")
    criterion(second, "사업의 필요성").get_by_role("radio", name="매우 우수 20점").tap()  # X, online
    saved(second)
    go_online(first_context)

    need = criterion(first, "사업의 필요성")
    message = need.locator(".crit__msg")
    expect(message).to_be_visible()
    expect(message).to_contain_text("다른 기기나 창에서 먼저 바뀌었습니다")
    expect(message).to_contain_text("20점")
    expect(need.get_by_role("radio", name="매우 우수 20점")).to_be_checked()
    saved(first)
    assert scores(live_server, world) == {("gajwa", "need"): ("20", 1), ("gajwa", "partnership"): ("15", 1)}
    screenshot(first, "judge-conflict-choice")

    # The judge keeps their own value: it is saved over the other tablet's, knowingly.
    need.get_by_role("button", name="내 값(18)으로 저장").tap()
    saved(first)
    expect(message).to_be_hidden()
    expect(need.get_by_role("radio", name="우수 18점")).to_be_checked()
    assert scores(live_server, world)[("gajwa", "need")] == ("18", 2)


def test_a_save_that_keeps_failing_is_shown_and_the_others_go_on(live_server, new_context):
    world = make_contest(live_server)
    context = new_context(TABLET)
    page = signed_in_judge(live_server, context, world)
    page.goto(entry_url(live_server, world, "daehwa"))
    saved(page)
    need_id = world.criteria["need"]

    def failing(route) -> None:  # noqa: ANN001
        if route.request.post_data_json.get("criterion") == need_id:
            route.fulfill(status=500, body="Internal Server Error", content_type="text/plain")
        else:
            route.continue_()

    context.route("**/judge/api/scores", failing)
    criterion(page, "사업의 필요성").get_by_role("radio", name="보통 16점").tap()
    criterion(page, "민관협력").get_by_role("radio", name="13", exact=True).tap()
    criterion(page, "성과").get_by_role("radio", name="8", exact=True).tap()
    expect(criterion(page, "사업의 필요성").locator(".crit__msg")).to_contain_text(
        "이 변경을 서버가 저장하지 못했습니다", timeout=15_000)
    expect(page.locator("#save-text")).to_contain_text("저장하지 못한 변경이 있습니다")
    expect(criterion(page, "민관협력")).not_to_have_class(re.compile("is-pending"))
    expect(criterion(page, "성과")).not_to_have_class(re.compile("is-pending"))
    assert scores(live_server, world) == {("daehwa", "partnership"): ("13", 1), ("daehwa", "outcome"): ("8", 1)}

    context.unroute("**/judge/api/scores", failing)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    saved(page)
    assert scores(live_server, world)[("daehwa", "need")] == ("16", 1)


def _stored_pages(page) -> list[str]:  # noqa: ANN001
    return page.evaluate("() => caches.keys().then(names => names.filter(n => n.startsWith('judging-judge-')))")


def test_sign_out_with_an_unsent_change_warns_keeps_it_and_sends_it_after_signing_in(live_server, new_context):
    world = make_contest(live_server)
    context = new_context(TABLET)
    page = signed_in_judge(live_server, context, world)
    assert _stored_pages(page) == [f"judging-judge-{world.judges['j1']}"]
    page.goto(entry_url(live_server, world, "tanhyeon1"))
    saved(page)
    context.route("**/judge/api/scores", lambda route: route.abort("internetdisconnected"))
    criterion(page, "민관협력").get_by_role("radio", name="17", exact=True).tap()
    expect(page.locator("#save-text")).to_contain_text("1건 대기")

    page.get_by_role("button", name="로그아웃").tap()
    dialog = page.get_by_role("dialog", name="로그아웃하기 전에")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("아직 서버에 저장되지 않은 변경이 1건 있습니다.")
    screenshot(page, "judge-sign-out-warning")
    dialog.get_by_role("button", name="취소").tap()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("heading", name="탄현1동 지역사회보장협의체")).to_be_visible()

    page.get_by_role("button", name="로그아웃").tap()
    dialog.get_by_role("button", name="이 기기에 남겨 두고 로그아웃").tap()
    page.wait_for_url(re.compile(r"/sign-in|/$"))
    assert _stored_pages(page) == []  # the judge's pages and materials are gone from the device
    assert scores(live_server, world) == {}

    context.unroute("**/judge/api/scores")
    sign_in_by_code(page, live_server, world.codes["j1"])
    page.goto(entry_url(live_server, world, "tanhyeon1"))
    saved(page)
    assert scores(live_server, world) == {("tanhyeon1", "partnership"): ("17", 1)}


def test_sign_out_sends_the_unsent_change_first(live_server, new_context):
    world = make_contest(live_server)
    context = new_context(TABLET)
    page = signed_in_judge(live_server, context, world)
    page.goto(entry_url(live_server, world, "gobong"))
    saved(page)
    context.route("**/judge/api/scores", lambda route: route.abort("internetdisconnected"))
    criterion(page, "성과").get_by_role("radio", name="9", exact=True).tap()
    expect(page.locator("#save-text")).to_contain_text("1건 대기")
    page.get_by_role("button", name="로그아웃").tap()
    context.unroute("**/judge/api/scores")
    page.get_by_role("dialog", name="로그아웃하기 전에").get_by_role("button", name="보내고 로그아웃").tap()
    page.wait_for_url(re.compile(r"/sign-in|/$"))
    assert scores(live_server, world) == {("gobong", "outcome"): ("9", 1)}
    assert _stored_pages(page) == []


def test_a_browser_that_cannot_keep_changes_warns_before_the_judge_starts(live_server, new_context):
    world = make_contest(live_server)
    context = new_context(TABLET)
    # Private browsing in some browsers: IndexedDB refuses to open.
    context.add_init_script("""Object.defineProperty(window, 'indexedDB', {configurable: true, get() {
        return {open() { throw new DOMException('The user denied permission to access the database.',
                                                 'InvalidStateError'); }}; }});""")
    page = context.new_page()
    sign_in_by_code(page, live_server, world.codes["j1"])
    pledge_and_declare(page, world)
    warning = page.get_by_role("alert").filter(has_text="이 브라우저는 변경을 기기에 보관할 수 없습니다")
    expect(warning).to_be_visible()
    screenshot(page, "judge-private-mode-warning")
    page.goto(entry_url(live_server, world, "wonsin"))
    expect(warning).to_be_visible()
    criterion(page, "민관협력").get_by_role("radio", name="12", exact=True).tap()  # scoring still works online
    saved(page)
    assert scores(live_server, world) == {("wonsin", "partnership"): ("12", 1)}
