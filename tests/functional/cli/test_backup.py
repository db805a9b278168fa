"""``judging backup`` and ``judging restore`` through the CLI runner: a populated instance backed up
and restored into a new, empty instance gives the same tallies and the same files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from judging import create_app, db, migrate
from judging.services import demo as demo_service
from judging.services.backup import sha256
from tests.support.databases import app_config, drop_database, fresh_database_url


def _instance(backend: str, directory: Path, migrated: bool):  # noqa: ANN202
    directory.mkdir(parents=True, exist_ok=True)
    url = fresh_database_url(backend, directory)
    if migrated:
        migrate.upgrade(url)
    app = create_app(app_config(directory, DATABASE_URL=url, UPLOAD_FOLDER=str(directory / "uploads")))
    return app, url


def _tallies(app) -> dict:  # noqa: ANN001
    runner = app.test_cli_runner()
    out = {}
    for slug in (demo_service.SLUG, "goyang-2023"):
        result = runner.invoke(args=["tally", slug, "--format", "json"])
        assert result.exit_code == 0, result.output
        out[slug] = json.loads(result.output)
    return out


def _checksums(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def instances(backend: str, tmp_path: Path):  # noqa: ANN201
    made = []

    def make(name: str, migrated: bool):  # noqa: ANN202
        app, url = _instance(backend, tmp_path / name, migrated)
        made.append((app, url))
        return app

    yield make
    for app, url in made:
        db.get_db(app).engine.dispose()
        drop_database(url)


def test_backup_then_restore_into_an_empty_instance_gives_the_same_tally_and_files(instances, tmp_path):
    source = instances("source", migrated=True)
    runner = source.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    uploads = Path(source.config["UPLOAD_FOLDER"])
    (uploads / "entries" / "7").mkdir(parents=True)
    (uploads / "entries" / "7" / "사례보고서.v2.final.pdf").write_bytes(b"%PDF-1.7 " + bytes(range(256)) * 40)
    (uploads / "seal.png").write_bytes(b"\x89PNG\r\n" + b"\x00" * 100)

    result = runner.invoke(args=["backup", "--out", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) == {"uploads/entries/7/사례보고서.v2.final.pdf", "uploads/seal.png"}
    assert manifest["database"]["schema"]
    # piped: one plain line per step with its count (the database line only where SQLite reports pages)
    assert "첨부 파일: 2/2" in result.output and "\x1b" not in result.output and "\r" not in result.output

    target = instances("target", migrated=False)
    result = target.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    assert "체크섬 확인: 3/3" in result.output and "첨부 파일: 2/2" in result.output
    assert _tallies(target) == _tallies(source)
    assert _checksums(Path(target.config["UPLOAD_FOLDER"])) == _checksums(uploads)
    health = target.test_client().get("/healthz")
    assert health.status_code == 200, health.get_json()


def test_restore_refuses_a_database_that_holds_data_and_a_tampered_backup(instances, tmp_path):
    source = instances("source", migrated=True)
    runner = source.test_cli_runner()
    Path(source.config["UPLOAD_FOLDER"]).mkdir(parents=True)
    (Path(source.config["UPLOAD_FOLDER"]) / "a.txt").write_text("first")
    assert runner.invoke(args=["backup", "--out", str(tmp_path / "b")]).exit_code == 0
    again = runner.invoke(args=["backup", "--out", str(tmp_path / "b")])
    assert again.exit_code == 1 and "비어 있지 않습니다" in again.output

    busy = runner.invoke(args=["restore", str(tmp_path / "b")])  # the source itself holds data
    assert busy.exit_code == 1 and "데이터베이스가 비어 있지 않습니다" in busy.output

    (tmp_path / "b" / "uploads" / "a.txt").write_text("changed")
    target = instances("target", migrated=False)
    tampered = target.test_cli_runner().invoke(args=["restore", str(tmp_path / "b")])
    assert tampered.exit_code == 1 and "체크섬" in tampered.output
    assert not any(Path(target.config["UPLOAD_FOLDER"]).rglob("*"))
