"""The charts as people see them: the demo's results and day pages at 1366×900, each chart drawn,
named for assistive technology by its title, its figures in a table behind it, and still there when
printed. Screenshots land in tests/browser/screenshots/ (charts-*.png) for a person to look at."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import SCREENSHOTS

LAPTOP = {"viewport": {"width": 1366, "height": 900}, "locale": "ko-KR"}


@pytest.fixture(scope="module")
def demo_loaded(live_server):  # noqa: ANN001, ANN201
    from judging.services import demo

    s = live_server.session()
    demo.load_demo(s, live_server.app.config["SECRET_KEY"])
    s.commit()
    s.close()
    return live_server


def _signed_in(new_context, live):  # noqa: ANN001, ANN202
    page = new_context(LAPTOP).new_page()
    page.goto(live.url + "/sign-in")
    page.get_by_label("아이디").fill("organizer")
    page.get_by_label("비밀번호").fill("demo-organizer-2024")
    page.get_by_role("button", name="로그인").click()
    expect(page.get_by_role("heading", name="공모전 목록")).to_be_visible()
    return page


def _shot(locator, name: str) -> None:  # noqa: ANN001
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    locator.scroll_into_view_if_needed()
    locator.screenshot(path=str(SCREENSHOTS / f"charts-{name}.png"))


def test_the_results_page_draws_the_ranking_and_the_judges(demo_loaded, new_context):
    page = _signed_in(new_context, demo_loaded)
    page.goto(demo_loaded.url + "/organizer/c/goyang-2023/results")
    ranking = page.get_by_role("img", name="최종 순위")
    expect(ranking).to_be_visible()
    box = ranking.bounding_box()
    assert box["width"] > 900 and box["height"] > 300  # drawn at the card's width, every row readable
    assert page.locator("svg.chart--ranking circle[data-value]").count() == 11 * 4 - 1  # 4 judges, one recusal
    _shot(page.locator("#ranking-chart"), "ranking-1366")

    card = page.locator("#ranking-chart")
    card.get_by_text("그래프의 수치를 표로 보기").click()
    table = card.get_by_role("table", name="순위 그래프의 수치")
    expect(table).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(12)

    judges = page.get_by_role("img", name="발표심사")
    expect(judges).to_be_visible()
    _shot(judges, "judges-1366")

    page.emulate_media(media="print")
    expect(page.get_by_role("img", name="최종 순위")).to_be_visible()
    assert page.get_by_role("img", name="최종 순위").bounding_box()["width"] > 500


def test_the_day_page_draws_the_scoring_over_time(demo_loaded, new_context):
    page = _signed_in(new_context, demo_loaded)
    page.goto(demo_loaded.url + "/organizer/c/goyang-2024/day")
    day = page.get_by_role("img", name="채점 진행")
    expect(day).to_be_visible()
    assert page.locator("svg.chart--day path[data-measure='done']").get_attribute("data-count") == "40"
    _shot(page.locator("svg.chart--day"), "day-1366")
