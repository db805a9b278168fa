"""Under the strict Content-Security-Policy the pages that run scripts still run them, and the browser
reports no blocked script, style or font: the judge's entry screen (autosave), the organizer's live
board and judge cards, and the ceremony."""

from __future__ import annotations

import pytest

from tests.support.browser import PROJECTOR, TABLET


@pytest.fixture(scope="module")
def demo_world(live_server):  # noqa: ANN001, ANN201
    from judging.services import demo

    s = live_server.session()
    info = demo.load_demo(s, live_server.app.config["SECRET_KEY"])
    s.commit()
    s.close()
    return info


def watch(page) -> list[str]:  # noqa: ANN001
    """Every console error and page error of ``page`` (CSP refusals are console errors)."""
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def blocked(problems: list[str]) -> list[str]:
    return [p for p in problems if "Content Security Policy" in p or "Refused to" in p]


def test_organizer_pages_with_scripts_run_under_the_policy(live_server, new_context, demo_world):
    page = new_context(PROJECTOR).new_page()
    problems = watch(page)
    page.goto(live_server.url + "/sign-in")
    page.get_by_label("아이디").fill("organizer")
    page.get_by_label("비밀번호").fill("demo-organizer-2024")
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url("**/organizer/")
    response = page.goto(live_server.url + "/organizer/c/goyang-2024/day")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    # The board's script polls and fills the progress table.
    page.wait_for_function("document.querySelector('[data-updated], #board-updated, .board') !== null")
    page.wait_for_timeout(1500)
    page.goto(live_server.url + "/organizer/c/goyang-2024/judges/cards")
    assert page.locator("button[data-print]").count() == 1
    page.goto(live_server.url + "/ceremony/goyang-2023")
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(500)
    assert blocked(problems) == [], problems


def test_the_judges_entry_screen_autosaves_under_the_policy(live_server, new_context, demo_world):
    name, code, link = demo_world.judges[-1]  # the judge still scoring
    page = new_context(TABLET).new_page()
    problems = watch(page)
    page.goto(live_server.url + link)  # the link shows one button; tapping it signs in
    page.get_by_role("button", name="심사 시작").click()
    page.wait_for_url("**/judge/**")
    page.goto(live_server.url + "/judge/")
    page.locator("a[href*='/entries/']").first.click()
    page.wait_for_url("**/entries/**")
    radio = page.locator("input.seg__input").first
    radio.check(force=True)
    page.wait_for_function("document.querySelector('[role=status]').textContent.includes('저장')")
    assert blocked(problems) == [], problems
