"""The CLI of the foundation: migrations, the contest file and the demo."""

from __future__ import annotations

import re
import subprocess
import sys

import sqlalchemy as sa

from judging.models import Contest, User
from tests.support.contests import SMALL_CONTEST


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "judging.cli", *args], capture_output=True, text=True,
                          env=env, timeout=120)


def test_db_upgrade_brings_an_empty_database_to_head_and_it_matches_the_models(backend, tmp_path):
    import os

    from tests.support.databases import drop_database, fresh_database_url

    url = fresh_database_url(backend, tmp_path)
    env = {**os.environ, "DATABASE_URL": url, "JUDGING_INSTANCE_PATH": str(tmp_path / "inst")}
    try:
        upgraded = run_cli("db", "upgrade", env=env)
        assert upgraded.returncode == 0, upgraded.stderr
        checked = run_cli("db", "check", env=env)
        assert checked.returncode == 0 and "일치" in checked.stdout, checked.stdout + checked.stderr
        demo = run_cli("demo", "--if-empty", env=env)
        assert demo.returncode == 0, demo.stderr
        assert "organizer" in demo.stdout and "코드" in demo.stdout and "/j/" in demo.stdout
        again = run_cli("demo", env=env)
        assert "이미 있습니다" in again.stdout
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            # this year's contest being judged, and last year's published one
            statuses = dict(conn.execute(sa.select(Contest.slug, Contest.status)).all())
            assert statuses == {"goyang-2024": "judging", "goyang-2023": "published"}
            judges = conn.scalar(sa.select(sa.func.count()).select_from(User).join(Contest, User.contest_id == Contest.id)
                                 .where(User.role == "judge", Contest.slug == "goyang-2024"))
            assert judges == 4
        engine.dispose()
    finally:
        drop_database(url)


def test_contest_load_and_dump_through_the_cli(runner, tmp_path, session):
    path = tmp_path / "contest.toml"
    path.write_text(SMALL_CONTEST.format(slug="cli-2024"), encoding="utf-8")
    result = runner.invoke(args=["contest", "load", str(path)])
    assert result.exit_code == 0, result.output
    assert "만들었습니다" in result.output and re.search(r"참가팀: (\d+)/\1 ", result.output)
    out = tmp_path / "dumped.toml"
    result = runner.invoke(args=["contest", "dump", "cli-2024", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert 'slug = "cli-2024"' in out.read_text(encoding="utf-8")
    result = runner.invoke(args=["contest", "load", str(out), "--replace"])
    assert result.exit_code == 0 and "바꿨습니다" in result.output


def test_contest_load_of_a_bad_file_exits_non_zero_naming_the_place(runner, tmp_path, session):
    path = tmp_path / "bad.toml"
    path.write_text(SMALL_CONTEST.format(slug="bad-2024").replace('scale = "points"', 'scale = "stars"'),
                    encoding="utf-8")
    result = runner.invoke(args=["contest", "load", str(path)])
    assert result.exit_code == 1
    assert "rounds[final].criteria[partnership].scale" in result.output
    assert session.scalar(sa.select(Contest).where(Contest.slug == "bad-2024")) is None


def test_contest_dump_of_an_unknown_slug_fails(runner):
    result = runner.invoke(args=["contest", "dump", "nope"])
    assert result.exit_code == 1 and "없습니다" in result.output
