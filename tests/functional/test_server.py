"""The server `make run` starts (gunicorn reading gunicorn.conf.py) serves 64 clients at once without
an error. (bench/concurrency.py does the same with signed-in judges autosaving.)"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from judging import migrate
from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 64


def _get(url: str) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, b"", {}


def test_the_make_run_server_serves_64_clients_at_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'judging.sqlite'}"
    migrate.upgrade(url)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "PORT": str(port), "HOST": "127.0.0.1", "WEB_CONCURRENCY": "3",
           "JUDGING_INSTANCE_PATH": str(tmp_path), "JUDGING_SECRET_KEY": "server-test-secret"}
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "wsgi:app"], cwd=ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                if _get(base + "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.time() < deadline and server.poll() is None, (tmp_path / "server.log").read_text()
            time.sleep(0.2)
        status, page, _ = _get(base + "/sign-in")
        assets = [a.decode() for a in re.findall(rb'(?:href|src)="(/static/[^"]+)"', page)]
        assert status == 200 and assets
        results: list[str] = []
        barrier = threading.Barrier(CLIENTS)

        def client() -> None:
            barrier.wait()
            for path in ["/sign-in", "/healthz", *assets]:
                try:
                    code = _get(base + path)[0]
                except OSError as error:
                    results.append(f"{path}: {error}")
                    continue
                results.append("ok" if code == 200 else f"{path}: {code}")

        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    assert [r for r in results if r != "ok"] == []
    assert len(results) == CLIENTS * (2 + len(assets))
    text = (tmp_path / "server.log").read_text(encoding="utf-8")
    assert len(re.findall(r"Booting worker", text)) >= 3  # several workers, as gunicorn.conf.py says
    assert text.count('"event": "request"') >= len(results)  # one structured line per request
    assert "Traceback" not in text
