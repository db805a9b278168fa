"""Benchmark: 64 judges at once against the server `make run` starts, with no error.

    .venv/bin/python bench/concurrency.py [--clients 64] [--seconds 10] [--pace 500]

A fresh SQLite instance (WAL) gets a contest with one judge per client; then gunicorn is started
exactly as ``make run`` starts it (``gunicorn wsgi:app`` reading ``gunicorn.conf.py``: its workers,
threads and preloading). All clients start together, and each, on its own keep-alive connection,
does what a tablet does: open the sign-in page, sign in by code, open the judge home and an entry's
scoring page with its stylesheets and script, then autosave a score every ``--pace`` ms (a fast
judge) for ``--seconds``, reading ``/healthz`` now and then. Every response must be the expected
one (200, or 302 after signing in); any other status, a timeout or a dropped connection is an error.
Then the database is checked: every judge's last saved value is there, at the version the server
answered. Prints requests, errors, throughput and latency; the exit status is 1 on any error.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from autosave import SECRET, Judge, free_port, seed, verify  # noqa: E402


def start_make_run_server(url: str, instance: Path) -> tuple[subprocess.Popen, int]:
    """gunicorn as `make run` runs it: from the project folder, reading gunicorn.conf.py."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "JUDGING_SECRET_KEY": SECRET, "PORT": str(port),
           "HOST": "127.0.0.1", "JUDGING_INSTANCE_PATH": str(instance)}
    proc = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "wsgi:app"], cwd=ROOT, env=env,
                            stderr=open(instance / "server.log", "w"))  # noqa: SIM115 - closed with the process
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("gunicorn did not start: see " + str(instance / "server.log"))


class Tablet(Judge):
    """A judge's tablet: the pages and assets first, then paced autosaves."""

    requests: int = 0
    failures: list[str]

    def get(self, path: str, expect: int = 200) -> bytes:
        self.requests += 1
        started = time.perf_counter()
        status, body = self._request("GET", path)
        self.latencies.append(time.perf_counter() - started)
        if status != expect:
            self.failures.append(f"GET {path}: {status}")
        return body

    def open_pages(self, seeded) -> None:  # noqa: ANN001
        self.requests += 3  # sign-in page, code form, judge home (checked by Judge.sign_in)
        self.sign_in()
        page = self.get(f"/judge/rounds/{seeded.round_id}/entries/{seeded.entries[0]}")
        for asset in re.findall(rb'(?:href|src)="(/static/[^"]+)"', page):
            self.get(asset.decode())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--pace", type=float, default=500, help="ms between one client's saves")
    args = parser.parse_args(argv)

    instance = Path(tempfile.mkdtemp(prefix="concurrency-"))
    url = f"sqlite:///{instance / 'judging.sqlite'}"
    seeded = seed(url, args.clients)
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        seeded.round_id = conn.execute(sa.text("SELECT id FROM rounds")).scalar_one()
    engine.dispose()
    proc, port = start_make_run_server(url, instance)
    tablets = [Tablet(port, code, judge_id, bare=False) for code, judge_id in zip(seeded.codes, seeded.judge_ids,
                                                                                    strict=True)]
    for tablet in tablets:
        tablet.failures = []
    barrier = threading.Barrier(len(tablets))
    crashed: list[str] = []

    def run(tablet: Tablet) -> None:
        try:
            barrier.wait()
            tablet.open_pages(seeded)
            stop = time.perf_counter() + args.seconds
            next_at = time.perf_counter()
            n = 0
            while time.perf_counter() < stop:
                delay = next_at - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                next_at += args.pace / 1000
                tablet.requests += 1
                tablet.save_once(seeded)
                n += 1
                if n % 10 == 0:
                    tablet.get("/healthz")
        except Exception as error:  # noqa: BLE001 - a dropped connection or timeout is what we count
            crashed.append(f"{type(error).__name__}: {error}")

    started = time.perf_counter()
    threads = [threading.Thread(target=run, args=(t,)) for t in tablets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    proc.terminate()
    proc.wait(timeout=30)
    lost, reordered = verify(url, tablets, audit=True)

    requests = sum(t.requests for t in tablets)
    errors = sum(t.errors for t in tablets) + sum(len(t.failures) for t in tablets) + len(crashed)
    latencies = sorted(x for t in tablets for x in t.latencies)
    p50 = latencies[len(latencies) // 2] * 1000
    p99 = latencies[int(len(latencies) * 0.99)] * 1000
    server_log = (instance / "server.log").read_text(encoding="utf-8", errors="replace")
    workers = len(re.findall(r"Booting worker", server_log))
    print(f"make run server (gunicorn.conf.py: {workers} workers), {args.clients} clients at once, "
          f"{args.seconds:.0f} s of saves every {args.pace:.0f} ms each")
    print(f"requests {requests}  in {elapsed:.1f} s  ({requests / elapsed:.0f}/s)  p50 {p50:.0f} ms  p99 {p99:.0f} ms")
    print(f"errors {errors}  (bad status {sum(len(t.failures) + t.errors for t in tablets)}, "
          f"connection failures {len(crashed)})  lost saves {lost}  reordered {reordered}")
    for line in (crashed + [f for t in tablets for f in t.failures])[:10]:
        print("  ", line)
    server_errors = [line for line in server_log.splitlines() if '"level": "ERROR"' in line or "[ERROR]" in line]
    print(f"server error lines: {len(server_errors)}")
    for line in server_errors[:5]:
        print("  ", line[:300])
    return 0 if errors == 0 and lost == 0 and reordered == 0 and not server_errors else 1


if __name__ == "__main__":
    sys.exit(main())
