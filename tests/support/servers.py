"""Servers for the tests that go through real HTTP: a free port, gunicorn serving the app."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(url: str, tmp_path: Path, port: int) -> subprocess.Popen:
    """gunicorn serving ``wsgi:app`` on ``url`` (2 workers x 16 threads), once it answers."""
    env = {**os.environ, "DATABASE_URL": url, "JUDGING_SECRET_KEY": "burst-test-secret",
           "JUDGING_INSTANCE_PATH": str(tmp_path / "instance"), "JUDGING_UPLOAD_FOLDER": str(tmp_path / "up"),
           "JUDGING_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"}
    (tmp_path / "instance").mkdir(exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "16", "--worker-class", "gthread",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--error-logfile", str(tmp_path / "gunicorn.log"),
         "wsgi:app"],
        cwd=ROOT, env=env,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/v/done", timeout=2) as response:
                if response.status == 200:
                    return process
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.3)
    process.terminate()
    raise AssertionError("gunicorn did not start: " + (tmp_path / "gunicorn.log").read_text(errors="replace"))
