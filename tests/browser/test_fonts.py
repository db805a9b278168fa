"""Korean renders with the font the app ships wherever no system font has Hangul, and a device that
has one downloads no font at all."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from tests.support.browser import TABLET, isolated_fontconfig, launch_chromium
from tests.support.databases import IN_CI

FONTS = Path(__file__).resolve().parents[2] / "judging" / "static" / "fonts"
SAMPLE = "가나다라마"
SIZE = 40
TOLERANCE = 0.5 * len(SAMPLE)  # Chromium on Linux rounds each advance to a whole pixel
WIDTH = """([text, font]) => {
    const c = document.createElement('canvas').getContext('2d');
    c.font = font;
    return c.measureText(text).width;
}"""


def _advance(char: str, weight: int = 400) -> float:
    """The advance width of ``char`` in the shipped slice, in px at SIZE."""
    font = TTFont(FONTS / f"judging-gothic-{weight}-ui.woff2")
    glyph = font.getBestCmap()[ord(char)]
    return font["hmtx"][glyph][0] * SIZE / font["head"].unitsPerEm


def _stand_in(family: str, path: Path) -> Path:
    """The shipped face (the app's own characters) renamed ``family``, as a TrueType file."""
    font = TTFont(FONTS / "judging-gothic-400-ui.woff2")
    font.flavor = None
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = family
        elif record.nameID == 6:
            record.string = family.replace(" ", "")
    font.save(path)
    return path


def _font_requests(page) -> list[str]:  # noqa: ANN001
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url) if request.url.endswith(".woff2") else None)
    return requests


def _korean_fonts(config: Path, pattern: str = ":lang=ko") -> str:
    """What `fc-list :lang=ko` (or another pattern) prints under ``config``."""
    if shutil.which("fc-list") is None:
        if IN_CI:
            pytest.fail("CI needs fc-list (Debian's fontconfig, installed by .ci/run)")
        pytest.skip("fc-list is not installed (apt-get install fontconfig)")
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    return subprocess.run(["fc-list", pattern], env=env, capture_output=True, text=True, check=True).stdout.strip()


def test_the_browser_sees_no_korean_system_font(fontconfig_without_korean):
    """What `fc-list :lang=ko` prints on a machine without Korean fonts, whatever this machine has."""
    assert _korean_fonts(fontconfig_without_korean) == ""
    assert _korean_fonts(fontconfig_without_korean, ":charset=ac00") == ""  # not even one with 가


def test_a_machine_korean_font_is_hidden_from_the_browser(tmp_path, monkeypatch):
    """On a developer's machine with a Korean font installed, the browser's fontconfig leaves it out."""
    from tests.support import browser

    system = tmp_path / "system"
    system.mkdir()
    _stand_in("NanumGothic", system / "NanumGothic.ttf")
    latin = TTFont(FONTS / "judging-gothic-400-latin.woff2")
    latin.flavor = None
    latin.save(system / "latin.ttf")
    monkeypatch.setattr(browser, "SYSTEM_FONT_DIRS", [system])
    config = isolated_fontconfig(tmp_path / "fc")
    assert sorted(p.name.split("-", 1)[1] for p in (tmp_path / "fc" / "fonts").iterdir()) == ["latin.ttf"]
    assert _korean_fonts(config, ":charset=ac00") == ""
    # ...while fontconfig does see the stand-in's Hangul when it is offered.
    unfiltered = tmp_path / "unfiltered.conf"
    unfiltered.write_text(config.read_text(encoding="utf-8").replace(str(tmp_path / "fc" / "fonts"), str(system)),
                          encoding="utf-8")
    assert "NanumGothic" in _korean_fonts(unfiltered, ":charset=ac00")


def test_korean_is_drawn_with_the_shipped_font_when_the_system_has_none(live_server, new_context):
    page = new_context(TABLET).new_page()
    requests = _font_requests(page)
    page.goto(live_server.url + "/sign-in")
    page.evaluate("document.fonts.ready.then(() => true)")
    # Only the slice holding the app's own text was fetched for this page (one per weight it uses).
    names = sorted({url.rsplit("/", 1)[1] for url in requests})
    assert names and all(re.fullmatch(r"judging-gothic-[47]00-ui\.[0-9a-f]{12}\.woff2", name) for name in names), names
    page.evaluate(f"document.fonts.load('{SIZE}px \"Judging Gothic\"', '{SAMPLE}').then(() => true)")
    # The browser's machine fonts have no Hangul: a syllable measures exactly like a glyph nobody has
    # (U+0378 is unassigned), i.e. the empty box.
    system = page.evaluate(WIDTH, [SAMPLE, f"{SIZE}px sans-serif"])
    missing = page.evaluate(WIDTH, ["\u0378" * len(SAMPLE), f"{SIZE}px sans-serif"])
    assert system == missing
    # The page's own font stack draws Hangul with the shipped face, at the face's own advance widths.
    loaded = page.evaluate("""() => [...document.fonts]
        .filter(f => f.family.replaceAll('"', '') === 'Judging Gothic' && f.status === 'loaded').length""")
    assert loaded >= 1
    stack = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    shipped = page.evaluate(WIDTH, [SAMPLE, f"{SIZE}px {stack}"])
    expected = sum(_advance(ch) for ch in SAMPLE)
    assert abs(shipped - expected) <= TOLERANCE, (shipped, expected)
    assert abs(shipped - missing) > 1


def test_a_device_with_a_korean_system_font_downloads_no_font(live_server, playwright_driver, tmp_path):
    """A stand-in for Malgun Gothic (the shipped face renamed) installed as a system font: the pages name
    it before the shipped font, so the browser never asks for a slice."""
    path = _stand_in("Malgun Gothic", tmp_path / "malgun.ttf")
    browser = launch_chromium(playwright_driver, isolated_fontconfig(tmp_path / "fc", (path,)))
    try:
        page = browser.new_context(**TABLET).new_page()
        requests = _font_requests(page)
        page.goto(live_server.url + "/sign-in")
        page.evaluate("document.fonts.ready.then(() => true)")
        stack = page.evaluate("() => getComputedStyle(document.body).fontFamily")
        width = page.evaluate(WIDTH, [SAMPLE, f"{SIZE}px {stack}"])
        assert abs(width - sum(_advance(ch) for ch in SAMPLE)) <= TOLERANCE  # drawn with the system font
        assert requests == []
    finally:
        browser.close()
