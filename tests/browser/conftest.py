"""Browser fixtures: a live server on a real database (SQLite file, and PostgreSQL when
configured) and Chromium driven by Playwright at tablet and projector sizes.

Chromium runs on a fontconfig of its own that holds only the machine's fonts WITHOUT Hangul, so every
machine (a developer's with Korean fonts, a fresh CI image without) renders Korean with the font the
app ships, and a test never passes only because of what a machine happens to have installed."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from judging import create_app, db, migrate
from tests.support.databases import IN_CI, app_config, drop_database, fresh_database_url

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
TABLET = {"viewport": {"width": 820, "height": 1180}, "has_touch": True, "is_mobile": True,
          "device_scale_factor": 1, "locale": "ko-KR"}
TABLET_LANDSCAPE = {**TABLET, "viewport": {"width": 1180, "height": 820}}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}, "locale": "ko-KR"}
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


SYSTEM_FONT_DIRS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
                    Path.home() / ".local" / "share" / "fonts", Path.home() / ".fonts"]
FONT_SUFFIXES = {".ttf", ".otf", ".ttc", ".otc", ".pfb", ".pcf", ".woff", ".woff2"}
HANGUL_PROBES = (0xAC00, 0xD55C)  # 가, 한


def has_hangul(path: Path) -> bool:
    """Whether any face in the font file maps a Hangul syllable (unreadable files count as yes)."""
    from fontTools.ttLib import TTCollection, TTFont

    try:
        if path.suffix.lower() in {".ttc", ".otc"}:
            faces = TTCollection(str(path), lazy=True).fonts
        elif path.suffix.lower() in {".pfb", ".pcf"}:
            return False  # bitmap and Type 1 fonts carry no Hangul on any Debian package
        else:
            faces = [TTFont(str(path), lazy=True, fontNumber=0)]
        return any(any(cp in (face.getBestCmap() or {}) for cp in HANGUL_PROBES) for face in faces)
    except Exception:  # noqa: BLE001 - a font we cannot read is one we do not offer
        return True


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


def pytest_collection_modifyitems(config, items):  # noqa: ANN001
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


class LiveServer:
    def __init__(self, app, url: str) -> None:  # noqa: ANN001
        self.app = app
        self.url = url

    def session(self):  # noqa: ANN201
        """A fresh session on the live database, for arranging data and checking results."""
        return db.get_db(self.app).session()


@pytest.fixture(scope="module")
def live_server(backend: str, tmp_path_factory) -> Iterator[LiveServer]:  # noqa: ANN001
    directory = tmp_path_factory.mktemp(f"live-{backend}")
    url = fresh_database_url(backend, directory)
    migrate.upgrade(url)
    app = create_app(app_config(directory, DATABASE_URL=url, WTF_CSRF_ENABLED=True, TESTING=False))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    live = LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    app.config["PUBLIC_BASE_URL"] = live.url
    yield live
    server.shutdown()
    thread.join(timeout=5)
    db.get_db(app).engine.dispose()
    drop_database(url)


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator:
    if shutil.which("chromium") is None:
        if IN_CI:
            pytest.fail("CI must run the browser tests: Debian's chromium is not installed (see .ci/run)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Requests a service worker makes (the judge app's offline copy) become visible to
    # ``context.route``, so a test can cut them too: Playwright's offline mode does not reach them.
    os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def fontconfig_without_korean(tmp_path_factory) -> Path:  # noqa: ANN001
    return isolated_fontconfig(tmp_path_factory.mktemp("fontconfig"))


@pytest.fixture(scope="session")
def browser(playwright_driver, fontconfig_without_korean) -> Iterator:  # noqa: ANN001
    browser = launch_chromium(playwright_driver, fontconfig_without_korean)
    yield browser
    browser.close()


@pytest.fixture()
def new_context(browser) -> Iterator[Callable]:  # noqa: ANN001
    """Open browser contexts (closed after the test): ``new_context(TABLET)``."""
    contexts = []

    def make(options: dict | None = None):  # noqa: ANN202
        context = browser.new_context(**(options or TABLET))
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> Path:  # noqa: ANN001
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
