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
from tests.support.browser import TABLET, isolated_fontconfig, launch_chromium
from tests.support.databases import IN_CI, app_config, drop_database, fresh_database_url

# The live server answers in threads of its own. A browser that is still talking when a test ends (the
# judge tablet's service worker syncing, say) can leave a request thread holding a pooled PostgreSQL
# connection past the engine's dispose; the connection is then closed by the garbage collector, which
# psycopg reports as a ResourceWarning in whichever test runs next. Only for these tests.
LIVE_SERVER_CONNECTIONS = ("ignore:Exception ignored in. <function BaseConnection.__del__"
                           ":pytest.PytestUnraisableExceptionWarning")


def pytest_collection_modifyitems(config, items):  # noqa: ANN001
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.filterwarnings(LIVE_SERVER_CONNECTIONS))


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
