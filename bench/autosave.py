"""Benchmark: 50 judges autosaving against gunicorn (2 workers) on loopback, on SQLite and PostgreSQL.

    .venv/bin/python bench/autosave.py [--judges 50] [--seconds 6] [--pg URL] [--sqlite-only]

For each database a fresh one is made (a temp SQLite file; a new PostgreSQL database, dropped after,
when ``--pg`` or ``JUDGING_TEST_POSTGRES_URL`` names a server) and migrated, a contest with
``2 × judges`` judges is loaded, and gunicorn serves one WSGI app on a free loopback port:

* ``/...``      the real app: each client judge signs in by code (the real sign-in), reads the CSRF
  token, then ``POST /judge/api/scores`` with the full path (Flask-Login session, CSRF check, rate
  counter UPSERT, validation query, versioned UPDATE, audit row, one commit);
* ``/bare/...`` a bare Flask endpoint doing the same versioned upsert on the same table with the same
  engine settings, and nothing else (no session, CSRF, validation, rate limit or audit).

Each side is driven by the same client (one thread per judge, http.client keep-alive, no think time:
closed loop) for a bounded time; the other half of the judges is used for the bare side so both write
real rows. Then a paced run (each judge saves every ``--pace`` ms, a fast human's worst burst) gives
latency at a realistic load. Printed: throughput, p50 / p99 latency, errors, and lost or reordered
saves, checked in the database: every judge's last value per criterion must be the last one it sent,
its version must equal the number of saves (versions strictly +1 per save, as the responses said),
and for the real app the audit rows of each score must carry strictly increasing versions.

Goals (issue 4): p99 ≤ 50 ms (paced), throughput ≥ 50 % of bare (closed loop), zero lost or
reordered saves. The exit status is 1 if any save is lost or reordered.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.parse
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECRET = "bench-autosave-secret-not-for-production"
ENTRIES = 5
CRITERIA = (("need", "grades", 20), ("partnership", "points", 20), ("outcome", "half_points", 10))


# --- the served app: the real judging app with a bare endpoint beside it --------------------------

def wsgi_app():  # noqa: ANN201
    """gunicorn entry point (``autosave:wsgi_app()``): /bare/* goes to the bare app, the rest to judging."""
    from judging import create_app

    url = os.environ["BENCH_DATABASE_URL"]
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET, "AUTOSAVE_MAX_PER_MINUTE": 10**9,
                      "UPLOAD_FOLDER": tempfile.gettempdir()})
    bare = _bare_app(url)

    def dispatch(environ, start_response):  # noqa: ANN001, ANN202
        if environ.get("PATH_INFO", "").startswith("/bare/"):
            return bare(environ, start_response)
        return app(environ, start_response)

    return dispatch


def _bare_app(url: str):  # noqa: ANN202
    import sqlalchemy as sa
    from flask import Flask, jsonify, request

    from judging.db import Database, normalise_url
    from judging.models import Score

    database = Database(normalise_url(url))
    bare = Flask("bare")
    table = Score.__table__
    postgres = database.engine.dialect.name == "postgresql"
    if postgres:
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert

    @bare.post("/bare/scores")
    def save():  # noqa: ANN202
        data = request.get_json()
        key = (table.c.judge_id == data["judge"]) & (table.c.entry_id == data["entry"]) & (
            table.c.criterion_id == data["criterion"])
        with database.engine.begin() as conn:
            if data["version"] == 0:
                new = conn.execute(insert(table).values(
                    judge_id=data["judge"], entry_id=data["entry"], criterion_id=data["criterion"],
                    value=data["value"], version=1, updated_at=sa.func.now())
                    .on_conflict_do_nothing(index_elements=[table.c.judge_id, table.c.entry_id,
                                                            table.c.criterion_id])
                    .returning(table.c.version)).scalar_one_or_none()
            else:
                new = conn.execute(sa.update(table).where(key, table.c.version == data["version"])
                                   .values(value=data["value"], version=table.c.version + 1)
                                   .returning(table.c.version)).scalar_one_or_none()
        if new is None:
            return jsonify(ok=False), 409
        return jsonify(ok=True, version=new)

    return bare


# --- set-up -----------------------------------------------------------------------------------

def contest_text(judges: int) -> str:
    entrants = "\n".join(f'[[entrants]]\nkey = "e{i}"\nname = "동 {i} 지역사회보장협의체"\ntitle = "사업 {i}"\n'
                         for i in range(1, ENTRIES + 1))
    people = "\n".join(f'[[judges]]\nkey = "j{i:03d}"\nname = "심사위원 {i}"\n' for i in range(1, judges + 1))
    criteria = ", ".join(f'{{ key = "{k}", title = "{k}", max = {m}, scale = "{s}" }}' for k, s, m in CRITERIA)
    entries = ", ".join(f'"e{i}"' for i in range(1, ENTRIES + 1))
    return textwrap.dedent(f"""
        [contest]
        slug = "bench"
        title = "자동 저장 벤치마크"
        organizer = "벤치시"
        issuer = "벤치시장"
        held_on = 2024-12-04

        [[rounds]]
        key = "final"
        title = "발표심사"
        entries = [{entries}]
        criteria = [{criteria}]

        [[tiers]]
        key = "best"
        title = "최우수"
        count = 1
        """) + entrants + "\n" + people


@dataclass
class Seeded:
    codes: list[str]
    judge_ids: list[int]
    entries: list[int]
    criteria: list[tuple[int, list[str]]]  # (id, the values to cycle through)


def seed(url: str, judges: int) -> Seeded:
    import sqlalchemy as sa

    from judging import migrate
    from judging.db import Database
    from judging.models import User, utcnow
    from judging.scoring.rounding import plain
    from judging.scoring.scales import allowed_values
    from judging.services import auth, contest_file

    migrate.upgrade(url)
    database = Database(url)
    s = database.session()
    contest = contest_file.load(s, contest_text(judges))
    contest.status = "judging"
    rnd = contest.rounds[0]
    rnd.status = "open"
    s.flush()
    codes, ids = [], []
    now = utcnow()
    for judge in s.scalars(sa.select(User).where(User.contest_id == contest.id).order_by(User.judge_key)):
        judge.pledged_at = judge.conflicts_declared_at = now
        codes.append(auth.issue_credentials(s, SECRET, judge)[1])
        ids.append(judge.id)
    entries = [row.entry_id for row in rnd.round_entries]
    criteria = [(c.id, [plain(v) for v in allowed_values(c.scale, c.max_points)]) for c in rnd.criteria]
    s.commit()
    s.close()
    database.engine.dispose()
    return Seeded(codes, ids, entries, criteria)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(url: str, workers: int, threads: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    # -c /dev/null: the settings below only, not the project's gunicorn.conf.py (bench/concurrency.py runs that one)
    cmd = [str(Path(sys.executable).with_name("gunicorn")), "-c", "/dev/null", "--workers", str(workers),
           "--bind", f"127.0.0.1:{port}",
           "--chdir", str(ROOT / "bench"), "--log-level", "warning", "--backlog", "512"]
    if threads > 1:
        cmd += ["--worker-class", "gthread", "--threads", str(threads)]
    cmd.append("autosave:wsgi_app()")
    env = {**os.environ, "BENCH_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, env=env)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/sign-in")
            if conn.getresponse().status == 200:
                conn.close()
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("gunicorn did not start")


# --- the client ----------------------------------------------------------------------------------

@dataclass
class Judge:
    """One client judge: its own keep-alive connection, cookies and versions."""

    port: int
    code: str
    judge_id: int
    bare: bool
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str = ""
    conn: http.client.HTTPConnection | None = None
    versions: dict[tuple[int, int], int] = field(default_factory=lambda: defaultdict(int))
    last_sent: dict[tuple[int, int], str] = field(default_factory=dict)
    saves: dict[tuple[int, int], int] = field(default_factory=lambda: defaultdict(int))
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    misordered: int = 0
    step: int = 0

    def _request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):  # noqa: ANN202
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                self.cookies[key.strip()] = val.strip()
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return response.status, data

    def sign_in(self) -> None:
        status, page = self._request("GET", "/sign-in")
        token = re.search(rb'name="csrf-token" content="([^"]+)"', page).group(1).decode()
        form = urllib.parse.urlencode({"csrf_token": token, "code": self.code}).encode()
        status, _ = self._request("POST", "/sign-in/code", form, {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 302, status
        status, page = self._request("GET", "/judge/")
        assert status == 200, status
        self.csrf = re.search(rb'name="csrf-token" content="([^"]+)"', page).group(1).decode()

    def save_once(self, seeded: Seeded) -> None:
        pairs = len(seeded.entries) * len(seeded.criteria)
        n = self.step
        self.step += 1
        entry = seeded.entries[n % len(seeded.entries)]
        criterion_id, values = seeded.criteria[(n // len(seeded.entries)) % len(seeded.criteria)]
        key = (entry, criterion_id)
        # Walk the scale so that every save changes the value.
        value = values[(self.judge_id + n // pairs) % len(values)]
        version = self.versions[key]
        if self.bare:
            path, payload = "/bare/scores", {"judge": self.judge_id, "entry": entry, "criterion": criterion_id,
                                             "value": value, "version": version}
            headers = {"Content-Type": "application/json"}
        else:
            path, payload = "/judge/api/scores", {"entry": entry, "criterion": criterion_id, "value": value,
                                                  "version": version}
            headers = {"Content-Type": "application/json", "X-CSRFToken": self.csrf}
        started = time.perf_counter()
        status, data = self._request("POST", path, json.dumps(payload).encode(), headers)
        self.latencies.append(time.perf_counter() - started)
        if status != 200:
            self.errors += 1
            return
        new_version = json.loads(data)["version"]
        if new_version != version + 1:
            self.misordered += 1
        self.versions[key] = new_version
        self.last_sent[key] = value
        self.saves[key] += 1


def drive(judges: list[Judge], seeded: Seeded, seconds: float, pace_ms: float | None) -> float:
    """Run every judge for ``seconds``; returns the elapsed wall time."""
    stop = time.perf_counter() + seconds
    start = time.perf_counter()

    def run(judge: Judge) -> None:
        # Judges tap on their own rhythm: each starts at its own point in the pace interval.
        next_at = time.perf_counter() + (random.random() * pace_ms / 1000 if pace_ms else 0)
        while time.perf_counter() < stop:
            if pace_ms:
                delay = next_at - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                next_at += pace_ms / 1000
            judge.save_once(seeded)

    threads = [threading.Thread(target=run, args=(j,)) for j in judges]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start


def verify(url: str, judges: list[Judge], audit: bool) -> tuple[int, int]:
    """(lost, reordered) checked in the database against what each client sent and was told."""
    import sqlalchemy as sa

    from judging.db import Database
    from judging.models import AuditEvent, Score
    from judging.scoring.rounding import plain

    database = Database(url)
    s = database.session()
    lost = reordered = 0
    for judge in judges:
        rows = {(e, c): (v, ver) for e, c, v, ver in s.execute(
            sa.select(Score.entry_id, Score.criterion_id, Score.value, Score.version)
            .where(Score.judge_id == judge.judge_id))}
        for key, value in judge.last_sent.items():
            stored = rows.get(key)
            if stored is None or stored[0] is None or plain(stored[0]) != value:
                lost += 1
            elif stored[1] != judge.saves[key] or stored[1] != judge.versions[key]:
                reordered += 1
        reordered += judge.misordered
    if audit:
        ids = {j.judge_id for j in judges}
        last: dict[tuple[int, str], int] = {}
        for actor, target, after in s.execute(
                sa.select(AuditEvent.actor_id, AuditEvent.target_id, AuditEvent.after)
                .where(AuditEvent.action == "score.saved").order_by(AuditEvent.id)):
            if actor not in ids:
                continue
            version = after["version"]
            if version <= last.get((actor, target), 0):
                reordered += 1
            last[(actor, target)] = version
    s.close()
    database.engine.dispose()
    return lost, reordered


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


@dataclass
class Figures:
    saves: int
    seconds: float
    p50: float
    p99: float
    errors: int
    server_cpu: float  # CPU seconds the gunicorn workers spent

    @property
    def throughput(self) -> float:
        return self.saves / self.seconds

    @property
    def per_cpu_second(self) -> float:
        return self.saves / self.server_cpu if self.server_cpu else float("nan")


def server_cpu(master: int) -> float:
    """CPU seconds (user + system) used so far by the gunicorn master's worker processes (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return 0.0
    total = 0
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def measure(sides: dict[str, list[Judge]], seeded: Seeded, seconds: float, pace_ms: float | None,
            slices: int, master: int) -> dict[str, Figures]:
    """Run each side for ``seconds`` in total, alternating in ``slices`` turns so that whatever else
    the machine is doing weighs on both sides alike."""
    latencies: dict[str, list[float]] = {side: [] for side in sides}
    elapsed = dict.fromkeys(sides, 0.0)
    errors = dict.fromkeys(sides, 0)
    cpu = dict.fromkeys(sides, 0.0)
    for _ in range(slices):
        for side, judges in sides.items():
            for judge in judges:
                judge.latencies.clear()
                judge.errors = 0
            before = server_cpu(master)
            took = drive(judges, seeded, seconds / slices, pace_ms)
            time.sleep(0.05)  # let the last responses' work settle into the counters
            cpu[side] += server_cpu(master) - before
            elapsed[side] += took
            latencies[side] += [x for j in judges for x in j.latencies]
            if os.environ.get("BENCH_VERBOSE"):
                print(f"    {side:4} {'paced' if pace_ms else 'closed'}: "
                      f"{sum(len(j.latencies) for j in judges) / took:7.1f} saves/s", flush=True)
            errors[side] += sum(j.errors for j in judges)
    return {side: Figures(len(latencies[side]), elapsed[side], percentile(latencies[side], 0.5) * 1000,
                          percentile(latencies[side], 0.99) * 1000, errors[side], cpu[side]) for side in sides}


def run_backend(label: str, url: str, args: argparse.Namespace) -> bool:
    print(f"\n== {label}: {args.judges} judges, gunicorn {args.workers} workers"
          f"{f' × {args.threads} threads' if args.threads > 1 else ' (sync)'}, {args.seconds:g} s per side and mode"
          f" in {args.slices} alternating turns")
    seeded = seed(url, args.judges * 2)
    proc, port = start_server(url, args.workers, args.threads)
    try:
        app_judges = [Judge(port, c, i, bare=False) for c, i in zip(seeded.codes[:args.judges],
                                                                    seeded.judge_ids[:args.judges], strict=True)]
        bare_judges = [Judge(port, c, i, bare=True) for c, i in zip(seeded.codes[args.judges:],
                                                                    seeded.judge_ids[args.judges:], strict=True)]
        # One after another: the sign-in itself is not what is measured here.
        for judge in app_judges:
            judge.sign_in()
        # Warm up both paths (imports, pools, caches), unmeasured.
        sides = {"app": app_judges, "bare": bare_judges}
        measure(sides, seeded, 2.0, None, 1, proc.pid)
        closed = measure(sides, seeded, args.seconds, None, args.slices, proc.pid)
        paced = measure(sides, seeded, args.seconds, args.pace, args.slices, proc.pid)
        results = {("app", "closed"): closed["app"], ("bare", "closed"): closed["bare"],
                   ("app", "paced"): paced["app"], ("bare", "paced"): paced["bare"]}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    lost_app, reordered_app = verify(url, app_judges, audit=True)
    lost_bare, reordered_bare = verify(url, bare_judges, audit=False)
    print(f"  {'':27} {'saves':>6} {'saves/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'saves/worker-CPU-s':>19}")
    for (side, mode), f in results.items():
        name = f"{'judging app' if side == 'app' else 'bare Flask'} ({'closed loop' if mode == 'closed' else f'paced {args.pace:g} ms'})"
        print(f"  {name:27} {f.saves:6d} {f.throughput:8.1f} {f.p50:7.1f} {f.p99:7.1f} {f.errors:6d}"
              f" {f.per_cpu_second:19.0f}")
    app_closed, bare_closed = results[("app", "closed")], results[("bare", "closed")]
    ratio = app_closed.throughput / bare_closed.throughput
    cpu_ratio = app_closed.per_cpu_second / bare_closed.per_cpu_second
    p99 = results[("app", "paced")].p99
    print(f"  throughput ratio app / bare (closed loop): {ratio:.0%} of wall-clock saves/s, {cpu_ratio:.0%} per worker"
          f" CPU second   goal ≥ 50 %  {'ok' if ratio >= 0.5 else 'MISSED'}")
    print(f"  p99 latency, app, paced: {p99:.1f} ms   goal ≤ 50 ms  {'ok' if p99 <= 50 else 'MISSED'}")
    print(f"  lost saves: app {lost_app}, bare {lost_bare};  reordered: app {reordered_app}, bare {reordered_bare}"
          f"   goal 0  {'ok' if not (lost_app or reordered_app or lost_bare or reordered_bare) else 'FAILED'}")
    errors = sum(f.errors for f in results.values())
    return not (lost_app or reordered_app or lost_bare or reordered_bare or errors)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--judges", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=8.0, help="seconds per side and mode")
    parser.add_argument("--pace", type=float, default=500.0, help="ms between one judge's saves in the paced run")
    parser.add_argument("--slices", type=int, default=4, help="turns the app and bare runs alternate in")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="gthread threads per worker (1: sync workers)")
    parser.add_argument("--pg", default=os.environ.get("JUDGING_TEST_POSTGRES_URL", ""),
                        help="a PostgreSQL server URL; a new database is created there and dropped after")
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()

    import sqlalchemy as sa

    from judging.db import normalise_url

    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        ok &= run_backend("SQLite", f"sqlite:///{tmp}/bench.sqlite", args)
    if args.pg and not args.sqlite_only:
        base = normalise_url(args.pg)
        name = f"judging_bench_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            url = sa.engine.make_url(base).set(database=name).render_as_string(hide_password=False)
            ok &= run_backend("PostgreSQL", url, args)
        finally:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.dispose()
    else:
        print("\n(PostgreSQL skipped: pass --pg URL or set JUDGING_TEST_POSTGRES_URL)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
