"""A judge signs in on a tablet (Chromium 820×1180, touch) by the short code and by the personal link
(the QR code opens a page with their name and one "심사 시작" button), lands on their own pages only,
and a wrong code is refused in Korean."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support.browser import TABLET
from tests.support.judge_browser import make_contest


def test_judge_signs_in_by_code_on_a_tablet(live_server, new_context):
    world = make_contest(live_server)
    page = new_context(TABLET).new_page()
    page.goto(live_server.url + "/sign-in")
    field = page.get_by_label("심사위원 코드")
    assert field.bounding_box()["height"] >= 44
    field.fill(world.codes["j1"].lower().replace("-", " "))  # typed loosely on a tablet keyboard
    page.get_by_role("button", name="코드로 입장").tap()
    expect(page).to_have_url(re.compile(r"/judge/pledge$"))
    expect(page.get_by_role("heading", name="공정·비밀유지 서약")).to_be_visible()
    expect(page.get_by_text("김정희", exact=True)).to_be_visible()
    page.goto(live_server.url + "/organizer/")
    expect(page.get_by_text("(403)")).to_be_visible()


def test_judge_signs_in_by_personal_link_on_a_tablet(live_server, new_context):
    world = make_contest(live_server)
    page = new_context(TABLET).new_page()
    page.goto(f"{live_server.url}/j/{world.links['j2']}")
    expect(page.get_by_text("박성민", exact=True)).to_be_visible()  # whose card it is, before signing in
    button = page.get_by_role("button", name="심사 시작")
    assert button.bounding_box()["height"] >= 44
    button.tap()  # one tap
    expect(page).to_have_url(re.compile(r"/judge/pledge$"))
    expect(page.get_by_text("박성민", exact=True)).to_be_visible()
    # The session is remembered: a new visit the same day goes straight in.
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/judge/"))


def test_wrong_code_is_refused_in_korean(live_server, new_context):
    make_contest(live_server)
    page = new_context(TABLET).new_page()
    sign_in_page = live_server.url + "/sign-in"
    page.goto(sign_in_page)
    page.get_by_label("심사위원 코드").fill("ZZZZ-ZZZZ")
    page.get_by_role("button", name="코드로 입장").tap()
    expect(page.get_by_text("코드가 맞지 않습니다")).to_be_visible()
    assert "/judge/" not in page.url
    page.goto(live_server.url + "/j/not-a-real-token")
    expect(page.get_by_text("유효하지 않거나 회수되었습니다")).to_be_visible()


