"""Chromium for the browser tests: the window sizes (tablet, phone-sized tablet turned, projector), a
fontconfig without the machine's Korean fonts, and screenshots kept in tests/browser/screenshots."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
TABLET = {"viewport": {"width": 820, "height": 1180}, "has_touch": True, "is_mobile": True,
          "device_scale_factor": 1, "locale": "ko-KR"}
TABLET_LANDSCAPE = {**TABLET, "viewport": {"width": 1180, "height": 820}}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}, "locale": "ko-KR"}
SCREENSHOTS = Path(__file__).resolve().parents[1] / "browser" / "screenshots"


SYSTEM_FONT_DIRS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
                    Path.home() / ".local" / "share" / "fonts", Path.home() / ".fonts"]
FONT_SUFFIXES = {".ttf", ".otf", ".ttc", ".otc", ".pfb", ".pcf", ".woff", ".woff2"}
HANGUL_PROBES = (0xAC00, 0xD55C)  # 가, 한


def has_hangul(path: Path) -> bool:
    """Whether any face in the font file maps a Hangul syllable (unreadable files count as yes)."""
    from fontTools.ttLib import TTCollection, TTFont

    if path.suffix.lower() in {".pfb", ".pcf"}:
        return False  # bitmap and Type 1 fonts carry no Hangul on any Debian package
    try:
        # Read lazily, and closed when done (a lazy font keeps its file open until closed).
        if path.suffix.lower() in {".ttc", ".otc"}:
            with TTCollection(str(path), lazy=True) as collection:
                return any(_maps_hangul(face) for face in collection.fonts)
        with TTFont(str(path), lazy=True, fontNumber=0) as face:
            return _maps_hangul(face)
    except Exception:  # noqa: BLE001 - a font we cannot read is one we do not offer
        return True


def _maps_hangul(face) -> bool:  # noqa: ANN001
    return any(cp in (face.getBestCmap() or {}) for cp in HANGUL_PROBES)


def isolated_fontconfig(directory: Path, extra_fonts: tuple[Path, ...] = ()) -> Path:
    """Write a fonts.conf whose only font folder links the system fonts that have no Hangul, plus
    ``extra_fonts``; pass it to Chromium as FONTCONFIG_FILE."""
    fonts = directory / "fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    for root in SYSTEM_FONT_DIRS:
        if not root.is_dir():
            continue
        for path in root.rglob("*"):
            if path.suffix.lower() in FONT_SUFFIXES and path.is_file() and not has_hangul(path):
                link = fonts / f"{len(list(fonts.iterdir())):04d}-{path.name}"
                link.symlink_to(path)
    for path in extra_fonts:
        shutil.copyfile(path, fonts / path.name)
    config = directory / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{fonts}</dir>\n  <cachedir>{directory / 'cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8")
    return config


def launch_chromium(playwright, fontconfig: Path):  # noqa: ANN001, ANN201
    executable = shutil.which("chromium")
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS,
                                      env={**os.environ, "FONTCONFIG_FILE": str(fontconfig)})


def screenshot(page, name: str) -> Path:  # noqa: ANN001
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
