"""Benchmark: bytes a judge's tablet transfers for the scoring page, first load and next load.

    .venv/bin/python bench/page_weight.py

Loads the demo into a temp SQLite database, serves the app on a loopback port, signs a demo judge in
through their personal link in Chromium (820×1180), opens the first entry's scoring page, then opens
it again. Counted by Chromium itself (DevTools ``encodedDataLength``: headers and compressed bodies
as they crossed the wire). Chromium runs with the machine's Korean fonts hidden, so it fetches the
shipped font slices the page needs; they are counted apart, as a tablet with a Korean system font
downloads none.

Goals: first load ≤ 60 KB, next load ≤ 15 KB (fonts aside, and the offline copy the page stores
afterwards: the judge app's service worker, its plan and the pages it keeps, reported apart).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
from pathlib import Path

from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from judging import create_app, db, migrate  # noqa: E402
from judging.services import demo  # noqa: E402


def measure(page, cdp, url: str) -> tuple[int, int, int, list[str]]:  # noqa: ANN001
    """(page bytes, font bytes, offline-copy bytes, names): the offline copy is what the page fetches
    for itself afterwards (``fetch``: the plan and the pages it stores for working offline)."""
    urls: dict[str, str] = {}
    sizes: dict[str, int] = {}
    kinds: dict[str, str] = {}
    cdp.on("Network.requestWillBeSent", lambda e: kinds.__setitem__(e["requestId"], e.get("type", "")))
    cdp.on("Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], e["response"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url)
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_timeout(300)
    stored = {rid for rid in sizes if kinds.get(rid) == "Fetch"}
    fonts = sum(size for rid, size in sizes.items() if urls.get(rid, "").endswith(".woff2"))
    offline = sum(sizes[rid] for rid in stored)
    other = sum(size for rid, size in sizes.items() if not urls.get(rid, "").endswith(".woff2") and rid not in stored)
    names = [urls.get(rid, "?").split("/")[-1] + f" {size:,}" for rid, size in sizes.items() if rid not in stored]
    return other, fonts, offline, names


def main() -> int:
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="page-weight-"))
    url = f"sqlite:///{work / 'bench.sqlite'}"
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-secret", "UPLOAD_FOLDER": str(work / "uploads")})
    with app.app_context():
        session = db.get_db(app).session()
        info = demo.load_demo(session, app.config["SECRET_KEY"])
        session.commit()
        session.close()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        with sync_playwright() as p:
            # Measured as on a device without a Korean font (the browser tests' fontconfig hides them),
            # the worst case; a device with one transfers the same minus the fonts.
            from tests.browser.conftest import isolated_fontconfig, launch_chromium

            browser = launch_chromium(p, isolated_fontconfig(work / "fontconfig"))
            context = browser.new_context(viewport={"width": 820, "height": 1180}, locale="ko-KR")
            page = context.new_page()
            name, _code, link = info.judges[-1]
            page.goto(base + link)
            page.goto(base + "/judge/")
            entry = page.locator("a.entry-link").first.get_attribute("href")
            # A new context with the judge's cookies: empty cache, nothing loaded yet.
            fresh = browser.new_context(viewport={"width": 820, "height": 1180}, locale="ko-KR",
                                        storage_state=context.storage_state())
            page = fresh.new_page()
            cdp = fresh.new_cdp_session(page)
            cdp.send("Network.enable")
            first, first_fonts, first_offline, first_names = measure(page, cdp, base + entry)
            page.wait_for_timeout(3000)  # the offline copy finishes storing before the next load
            cdp.detach()
            cdp = fresh.new_cdp_session(page)
            cdp.send("Network.enable")
            second, second_fonts, second_offline, second_names = measure(page, cdp, base + entry)
            browser.close()
    finally:
        server.shutdown()
        shutil.rmtree(work, ignore_errors=True)
    print(f"judge scoring page ({name}, {entry})")
    print(f"  first load: {first / 1024:6.1f} KB  (+ fonts {first_fonts / 1024:.1f} KB on a device without a Korean font)"
          f"   goal ≤ 60 KB")
    print("    " + ", ".join(first_names))
    print(f"  next load:  {second / 1024:6.1f} KB  (+ fonts {second_fonts / 1024:.1f} KB)   goal ≤ 15 KB")
    print("    " + ", ".join(second_names))
    print(f"  counted apart: the offline copy the page stores afterwards {first_offline / 1024:.1f} KB on the first"
          f" load, {second_offline / 1024:.1f} KB on the next (docs/judge-tablet.md)")
    return 0 if first <= 60 * 1024 and second <= 15 * 1024 else 1


if __name__ == "__main__":
    sys.exit(main())
