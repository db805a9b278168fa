"""A judge on a tablet (Chromium 820×1180, touch): pledge, declare a conflict, score by tapping,
survive reloads, going offline and an expired session, meet a second tablet's change, submit and be
reopened. Screenshots of home, entry and review in both orientations go to tests/browser/screenshots/."""

from __future__ import annotations

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from judging.models import AuditEvent, Conflict, EntryComment, User
from judging.services import organizations, sheets
from tests.support.browser import TABLET, TABLET_LANDSCAPE, screenshot
from tests.support.judge_browser import (
    criterion,
    draw_signature,
    entry_url,
    go_offline,
    go_online,
    make_contest,
    pledge_and_declare,
    saved,
    scores,
    sign_in_by_code,
)


def test_pledge_conflict_score_three_entries_by_tapping_and_reload(live_server, new_context):
    world = make_contest(live_server)
    page = new_context(TABLET).new_page()
    sign_in_by_code(page, live_server, world.codes["j1"])
    expect(page).to_have_url(re.compile(r"/judge/pledge$"))
    expect(page.get_by_role("heading", name="공정·비밀유지 서약")).to_be_visible()
    pledge_and_declare(page, world, conflict_with="wonsin")

    # Home: the conflicted entry is gone and only counted; the rest in presentation order.
    expect(page.get_by_text("이해충돌로 제외된 사업 1건")).to_be_visible()
    expect(page.get_by_text("원신동 지역사회보장협의체")).to_have_count(0)
    names = page.locator(".entry-link__name").all_inner_texts()
    assert [n[:3] for n in names] == ["고봉동", "대화동", "탄현1", "가좌동"]
    expect(page.locator(".progress-line")).to_contain_text("0 / 4")
    s = live_server.session()
    conflict = s.scalar(sa.select(Conflict).where(Conflict.judge_id == world.judges["j1"]))
    assert (conflict.entry_id, conflict.source) == (world.entries["wonsin"], "judge")
    s.close()

    page.locator("a.entry-link").first.tap()
    expect(page.get_by_role("heading", name="고봉동 지역사회보장협의체")).to_be_visible()
    expect(page.get_by_text("지역 욕구 조사에 근거했는지")).to_be_visible()
    taps = {
        "gobong": [("사업의 필요성", "매우 우수 20점"), ("민관협력", "17"), ("성과", "8.5")],
        "daehwa": [("사업의 필요성", "우수 18점"), ("민관협력", "14"), ("성과", "7")],
        "tanhyeon1": [("사업의 필요성", "보통 16점"), ("민관협력", "12"), ("성과", "9.5")],
    }
    for key, choices in taps.items():
        if key != "gobong":
            page.get_by_role("link", name=re.compile("^다음")).tap()
            expect(page.get_by_role("heading", name=world.names[key])).to_be_visible()
        for title, label in choices:
            criterion(page, title).get_by_role("radio", name=label, exact=True).tap()
        saved(page)
    expect(page.locator(".savebar__total .js-total")).to_have_text("37.5")

    page.reload()
    saved(page)
    expect(criterion(page, "사업의 필요성").get_by_role("radio", name="보통 16점")).to_be_checked()
    expect(criterion(page, "민관협력").get_by_role("radio", name="12", exact=True)).to_be_checked()
    expect(criterion(page, "성과").get_by_role("radio", name="9.5", exact=True)).to_be_checked()
    assert scores(live_server, world) == {
        ("gobong", "need"): ("20", 1), ("gobong", "partnership"): ("17", 1), ("gobong", "outcome"): ("8.5", 1),
        ("daehwa", "need"): ("18", 1), ("daehwa", "partnership"): ("14", 1), ("daehwa", "outcome"): ("7", 1),
        ("tanhyeon1", "need"): ("16", 1), ("tanhyeon1", "partnership"): ("12", 1),
        ("tanhyeon1", "outcome"): ("9.5", 1),
    }
    page.goto(live_server.url + "/judge/")
    expect(page.locator(".progress-line")).to_contain_text("3 / 4")
    expect(page.locator(".state--complete")).to_have_count(3)

    # A mis-tap is undone by tapping the same value again.
    page.goto(entry_url(live_server, world, "gajwa"))
    grade = criterion(page, "사업의 필요성").get_by_role("radio", name="부족 14점")
    grade.tap()
    saved(page)
    grade.tap()
    expect(grade).not_to_be_checked()
    saved(page)
    assert scores(live_server, world)[("gajwa", "need")] == (None, 2)


def test_offline_changes_queue_and_are_sent_in_order_when_back_online(live_server, new_context):
    world = make_contest(live_server)
    context = new_context(TABLET)
    page = context.new_page()
    sign_in_by_code(page, live_server, world.codes["j1"])
    pledge_and_declare(page, world)
    page.goto(entry_url(live_server, world, "gobong"))
    saved(page)

    go_offline(context)
    criterion(page, "사업의 필요성").get_by_role("radio", name="우수 18점").tap()
    criterion(page, "민관협력").get_by_role("radio", name="15", exact=True).tap()
    expect(page.locator("#save-text")).to_have_text("오프라인 — 2건 대기")
    expect(page.locator("fieldset.crit.is-pending")).to_have_count(2)
    assert scores(live_server, world) == {}
    go_online(context)
    saved(page)
    assert scores(live_server, world) == {("gobong", "need"): ("18", 1), ("gobong", "partnership"): ("15", 1)}
    s = live_server.session()
    order = s.execute(sa.select(AuditEvent.target_id, AuditEvent.after).where(
        AuditEvent.action == "score.saved", AuditEvent.actor_id == world.judges["j1"]).order_by(AuditEvent.id)).all()
    s.close()
    assert [(t, a["value"]) for t, a in order] == [
        (f"{world.entries['gobong']}:{world.criteria['need']}", "18"),
        (f"{world.entries['gobong']}:{world.criteria['partnership']}", "15")]

    # Two changes of the same criterion while offline: the later one wins, versions follow on.
    go_offline(context)
    need = criterion(page, "사업의 필요성")
    need.get_by_role("radio", name="보통 16점").tap()
    need.get_by_role("radio", name="매우 부족 12점").tap()
    expect(page.locator("#save-text")).to_have_text("오프라인 — 2건 대기")
    go_online(context)
    saved(page)
    assert scores(live_server, world)[("gobong", "need")] == ("12", 3)

    # The queue survives a reload: block the API, change, reload, then let it through.
    # The service worker makes the request: route it on the context (see conftest).
    context.route("**/judge/api/scores", lambda route: route.abort("internetdisconnected"))
    criterion(page, "성과").get_by_role("radio", name="6.5", exact=True).tap()
    expect(page.locator("#save-text")).to_contain_text("1건 대기")
    page.reload()
    expect(criterion(page, "성과").get_by_role("radio", name="6.5", exact=True)).to_be_checked()
    expect(page.locator("#save-text")).to_contain_text("1건 대기")
    assert ("gobong", "outcome") not in scores(live_server, world)
    context.unroute("**/judge/api/scores")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    saved(page)
    assert scores(live_server, world)[("gobong", "outcome")] == ("6.5", 1)


def test_expired_session_keeps_the_queue_and_resends_after_signing_in_again(live_server, new_context):
    world = make_contest(live_server)
    context = new_context(TABLET)
    page = context.new_page()
    sign_in_by_code(page, live_server, world.codes["j1"])
    pledge_and_declare(page, world)
    page.goto(entry_url(live_server, world, "daehwa"))
    context.clear_cookies()  # the session ends (timeout, another device signed the code out, ...)
    criterion(page, "민관협력").get_by_role("radio", name="19", exact=True).tap()
    expect(page.locator("#save-text")).to_contain_text("로그인이 만료되었습니다 — 1건 대기")
    link = page.get_by_role("link", name="다시 로그인")
    expect(link).to_be_visible()
    assert scores(live_server, world) == {}
    link.tap()
    page.get_by_label("심사위원 코드").fill(world.codes["j1"])
    with page.expect_response(lambda r: r.url.endswith("/judge/api/scores")) as sent:
        page.get_by_role("button", name="코드로 입장").tap()  # any judge page picks the queue up again
    assert sent.value.status == 200
    saved(page)
    assert scores(live_server, world) == {("daehwa", "partnership"): ("19", 1)}


def test_a_second_tablet_with_a_stale_value_gets_the_conflict_message(live_server, new_context):
    world = make_contest(live_server)
    first, second = new_context(TABLET).new_page(), new_context(TABLET).new_page()
    sign_in_by_code(first, live_server, world.codes["j1"])
    pledge_and_declare(first, world)
    sign_in_by_code(second, live_server, world.codes["j1"])
    for page in (first, second):
        page.goto(entry_url(live_server, world, "gajwa"))
    criterion(first, "사업의 필요성").get_by_role("radio", name="매우 우수 20점").tap()
    saved(first)
    criterion(second, "사업의 필요성").get_by_role("radio", name="부족 14점").tap()
    message = criterion(second, "사업의 필요성").locator(".crit__msg")
    expect(message).to_be_visible()
    expect(message).to_contain_text("다른 기기나 창에서 먼저 바뀌었습니다")
    expect(message).to_contain_text("20점")
    expect(criterion(second, "사업의 필요성").get_by_role("radio", name="매우 우수 20점")).to_be_checked()
    saved(second)
    assert scores(live_server, world)[("gajwa", "need")] == ("20", 1)
    # The second tablet now holds the current version: its next change goes through.
    criterion(second, "사업의 필요성").get_by_role("radio", name="우수 18점").tap()
    saved(second)
    assert scores(live_server, world)[("gajwa", "need")] == ("18", 2)


def _fill_by_api(page, live, world, keys) -> None:  # noqa: ANN001
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    for key in keys:
        for crit, value in (("need", "16"), ("partnership", "13"), ("outcome", "6")):
            response = page.request.post(live.url + "/judge/api/scores", headers={"X-CSRFToken": token}, data={
                "entry": world.entries[key], "criterion": world.criteria[crit], "value": value, "version": 0})
            assert response.status == 200, response.text()


def test_submit_makes_the_sheet_read_only_until_the_organizer_reopens(live_server, new_context):
    world = make_contest(live_server)
    context = new_context(TABLET)
    page = context.new_page()
    sign_in_by_code(page, live_server, world.codes["j1"])
    pledge_and_declare(page, world)
    _fill_by_api(page, live_server, world, ["gobong", "wonsin", "daehwa", "tanhyeon1"])
    page.goto(entry_url(live_server, world, "gajwa"))
    for title, label in (("사업의 필요성", "우수 18점"), ("민관협력", "16"), ("성과", "9")):
        criterion(page, title).get_by_role("radio", name=label, exact=True).tap()
    page.get_by_label("의견 (선택 · 담당자가 읽습니다. 참가 단체에는 보이지 않습니다)").fill("안심 귀갓길 참여 주민이 많음")
    page.get_by_label("의견 (선택 · 담당자가 읽습니다. 참가 단체에는 보이지 않습니다)").blur()
    saved(page)
    s = live_server.session()
    assert s.scalar(sa.select(EntryComment.body).where(EntryComment.judge_id == world.judges["j1"])) == (
        "안심 귀갓길 참여 주민이 많음")
    s.close()
    page.get_by_role("link", name=re.compile("^검토 및 제출")).tap()
    expect(page.get_by_role("heading", name=re.compile("^검토 및 제출"))).to_be_visible()
    page.get_by_role("link", name="채점표 제출").tap()
    dialog = page.get_by_role("dialog", name="채점표를 제출할까요?")
    expect(dialog).to_be_visible()
    draw_signature(page, context)  # the judge signs on the tablet (see test_judge_signing)
    dialog.get_by_role("button", name="서명하고 제출합니다").tap()
    expect(page.locator("#sheet-state")).to_contain_text("제출 완료")

    page.goto(entry_url(live_server, world, "gajwa"))
    expect(page.get_by_text("채점표를 제출해 더 이상 바꿀 수 없습니다")).to_be_visible()
    expect(criterion(page, "민관협력").get_by_role("radio", name="16", exact=True)).to_be_disabled()
    expect(page.get_by_label("의견 (선택 · 담당자가 읽습니다. 참가 단체에는 보이지 않습니다)")).not_to_be_editable()

    s = live_server.session()
    organizer = User(role="organizer", login=f"org-{world.contest_id}", name="복지정책과 담당자",
                     password_hash="x", org_role="manager",
                     organization_id=organizations.sole_organization(s).id)
    s.add(organizer)
    s.flush()
    sheets.reopen_sheet(s, world.judges["j1"], world.round_id, "민관협력 점수 정정 요청", organizer)
    s.commit()
    s.close()
    page.reload()
    expect(page.get_by_text("채점표를 제출해 더 이상 바꿀 수 없습니다")).to_have_count(0)
    criterion(page, "민관협력").get_by_role("radio", name="17", exact=True).tap()
    saved(page)
    assert scores(live_server, world)[("gajwa", "partnership")] == ("17", 2)
    s = live_server.session()
    events = s.execute(sa.select(AuditEvent.action, AuditEvent.actor_id).where(
        AuditEvent.contest_id == world.contest_id, AuditEvent.action.in_(["sheet.submitted", "sheet.reopened"]))
        .order_by(AuditEvent.id)).all()
    s.close()
    assert [tuple(e) for e in events] == [("sheet.submitted", world.judges["j1"]), ("sheet.reopened", organizer.id)]


def test_scoring_page_first_load_is_at_most_60_kb_compressed(live_server, new_context):
    """The entry page with its own stylesheets and scripts, on a cold cache, as transferred (compressed).
    Counted apart: the web fonts (shared by every page, fetched only where the tablet has no Korean
    font: the test browser has none) and the offline copy the page stores afterwards (the service
    worker and the pages and files it keeps)."""
    world = make_contest(live_server)
    context = new_context(TABLET)
    page = context.new_page()
    sign_in_by_code(page, live_server, world.codes["j1"])
    pledge_and_declare(page, world)
    fresh = new_context(TABLET)  # a cold cache: nothing of the app cached yet
    fresh.add_cookies(context.cookies())
    cold = fresh.new_page()
    encodings: dict[str, str | None] = {}
    cold.on("response", lambda r: encodings.setdefault(r.url, r.headers.get("content-encoding")))
    cold.goto(entry_url(live_server, world, "gobong"))
    saved(cold)
    expect(cold.locator("#judge-app")).to_have_attribute("data-offline", "ready", timeout=20_000)
    entries = cold.evaluate("""() => [performance.getEntriesByType('navigation')[0],
        ...performance.getEntriesByType('resource')].map(e => ({url: e.name, initiator: e.initiatorType,
        size: e.transferSize || e.encodedBodySize || 0, body: e.decodedBodySize || 0}))""")
    own = [e for e in entries if e["initiator"] != "fetch" and "/static/fonts/" not in e["url"]]
    fonts = [e for e in entries if "/static/fonts/" in e["url"]]
    stored = [e for e in entries if e["initiator"] == "fetch"]
    transferred = sum(e["size"] for e in own)
    print(f"\nentry page first load: {transferred} B transferred ({sum(e['body'] for e in own)} B uncompressed) "
          f"in {len(own)} responses; fonts {sum(e['size'] for e in fonts)} B in {len(fonts)}; "
          f"offline copy {sum(e['size'] for e in stored)} B in {len(stored)} requests")
    assert len(own) >= 6  # the page, three stylesheets, the scripts
    assert all(encodings.get(e["url"]) in ("zstd", "br", "gzip") for e in own), encodings
    assert transferred <= 60 * 1024, own
    assert not any(host not in live_server.url for host in cold.evaluate(
        "() => performance.getEntriesByType('resource').map(e => new URL(e.name).origin)"))


def test_screenshots_of_home_entry_and_review_in_both_orientations(live_server, new_context):
    world = make_contest(live_server)
    for name, options in (("portrait", TABLET), ("landscape", TABLET_LANDSCAPE)):
        page = new_context(options).new_page()
        sign_in_by_code(page, live_server, world.codes["j1" if name == "portrait" else "j2"])
        pledge_and_declare(page, world, conflict_with="tanhyeon1")
        _fill_by_api(page, live_server, world, ["gobong", "wonsin"])
        page.goto(entry_url(live_server, world, "daehwa"))
        criterion(page, "사업의 필요성").get_by_role("radio", name="우수 18점").tap()
        saved(page)
        page.goto(live_server.url + "/judge/")
        screenshot(page, f"judge-home-{name}")
        page.goto(entry_url(live_server, world, "gobong"))
        saved(page)
        # Nothing overflows sideways and every control is at least 44 px tall and wide.
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        small = page.evaluate("""() => [...document.querySelectorAll('.seg__face, .btn, .entry-link, .crumbs a, textarea')]
            .map(e => e.getBoundingClientRect()).filter(r => r.width > 0 && (r.height < 44 || r.width < 44)).length""")
        assert small == 0
        screenshot(page, f"judge-entry-{name}")
        page.goto(f"{live_server.url}/judge/rounds/{world.round_id}/review")
        screenshot(page, f"judge-review-{name}")


def test_a_save_whose_answer_was_lost_is_resent_without_a_false_conflict(live_server, new_context):
    """The server stores the change but the tablet never hears back (Wi-Fi drops mid-answer): the
    resend meets version 1 with the same value, which counts as saved, not as a conflict."""
    world = make_contest(live_server)
    context = new_context(TABLET)
    page = context.new_page()
    sign_in_by_code(page, live_server, world.codes["j1"])
    pledge_and_declare(page, world)
    page.goto(entry_url(live_server, world, "gobong"))
    lost = []

    def drop_answer(route):  # noqa: ANN001
        if not lost:
            route.fetch()  # the server gets it and commits
            lost.append(True)
            route.abort("connectionreset")
        else:
            route.continue_()

    context.route("**/judge/api/scores", drop_answer)  # made by the service worker: see conftest
    criterion(page, "민관협력").get_by_role("radio", name="11", exact=True).tap()
    expect(page.locator("#save-text")).to_contain_text("1건 대기")
    assert scores(live_server, world) == {("gobong", "partnership"): ("11", 1)}
    page.evaluate("window.dispatchEvent(new Event('online'))")
    saved(page)
    expect(page.locator(".crit__msg:visible")).to_have_count(0)
    criterion(page, "민관협력").get_by_role("radio", name="12", exact=True).tap()
    saved(page)
    assert scores(live_server, world) == {("gobong", "partnership"): ("12", 2)}
