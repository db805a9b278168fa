"""The UI shell in a real browser: landmarks, labels, keyboard focus, Korean by default, and
sign-in landing each role on its home, from phone to projector."""

from __future__ import annotations

import pytest

from tests.support.browser import PROJECTOR, TABLET, screenshot

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "locale": "ko-KR"}


@pytest.fixture(scope="module")
def organizer(live_server):  # noqa: ANN001, ANN201
    from judging.models import User
    from judging.services import auth, organizations

    s = live_server.session()
    s.add(User(role="organizer", login="shell-organizer", name="담당 주무관",
               password_hash=auth.hash_password("shell-password-1"),
               organization_id=organizations.sole_organization(s).id, org_role="manager"))
    s.commit()
    s.close()
    return "shell-organizer", "shell-password-1"


def unnamed_controls(page) -> list[str]:  # noqa: ANN001
    """Controls without an accessible name (label, aria-label or aria-labelledby)."""
    return page.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                      && !el.getAttribute('aria-labelledby') && !(el.tagName === 'BUTTON' && el.textContent.trim())
                      && !(el.type === 'submit' && el.value))
        .map(el => el.outerHTML)""")


@pytest.mark.parametrize("size", [PHONE, TABLET, PROJECTOR], ids=["phone", "tablet", "projector"])
def test_sign_in_page_is_korean_labelled_and_has_landmarks(live_server, new_context, size):
    page = new_context(size).new_page()
    page.goto(live_server.url + "/")
    assert page.url.endswith("/sign-in")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.get_by_role("banner").count() == 1
    assert page.get_by_role("main").count() == 1
    assert page.get_by_role("contentinfo").count() == 1
    assert page.get_by_role("heading", name="로그인").is_visible()
    assert page.get_by_label("심사위원 코드").is_visible()
    assert page.get_by_label("아이디").is_visible()
    assert unnamed_controls(page) == []
    no_overflow = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_overflow, "the page scrolls sideways"
    screenshot(page, f"shell-sign-in-{size['viewport']['width']}")


def test_keyboard_reaches_the_controls_with_a_visible_focus(live_server, new_context):
    page = new_context(PROJECTOR).new_page()
    page.goto(live_server.url + "/sign-in")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.get_by_label("심사위원 코드").focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_organizer_signs_in_and_sees_the_korean_home_then_english(live_server, new_context, organizer):
    page = new_context(TABLET).new_page()
    page.goto(live_server.url + "/sign-in")
    page.get_by_label("아이디").fill(organizer[0])
    page.get_by_label("비밀번호").fill(organizer[1])
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url("**/organizer/**")
    assert page.get_by_role("button", name="로그아웃").is_visible()
    page.goto(live_server.url + "/judge/")
    assert page.get_by_role("heading", name="접근할 수 없습니다").is_visible()
    page.goto(live_server.url + "/organizer/?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in")
    assert page.get_by_role("heading", name="Sign in").is_visible()
