"""Back up a running instance (database and uploads) into a folder, and restore one into an empty instance.

A backup folder holds ``database.sqlite`` (a consistent online copy made with SQLite's backup API,
safe while the app writes) or ``database.pgdump`` (``pg_dump --format=custom``), the upload folder
under ``uploads/``, and ``manifest.json``: what the database is, its schema revision, and the
SHA-256 of every file. Restoring checks every checksum first, refuses a target that already holds
data, then loads the database and copies the files (checked again where they land).

The database is copied before the files: an attachment uploaded meanwhile leaves a file the copy
does not mention (harmless); it never leaves a row whose file is missing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from judging.messages import N_
from judging.services.errors import DomainError
from judging.steps import Progress, counted

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite"
PG_FILE = "database.pgdump"
UPLOADS = "uploads"


@dataclass(frozen=True)
class BackupResult:
    folder: Path
    kind: str
    schema: str | None
    files: int
    bytes: int


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _kind(url: str) -> str:
    name = sa.engine.make_url(url).get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise DomainError(N_("{name} 데이터베이스는 백업할 수 없습니다 (SQLite와 PostgreSQL만 됩니다)."), name=name)
    return name


def _sqlite_path(url: str) -> Path:
    database = sa.engine.make_url(url).database
    if not database or database == ":memory:":
        raise DomainError(N_("메모리 안의 SQLite 데이터베이스는 백업하거나 복원할 수 없습니다."))
    return Path(database)


def _libpq(url: str) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump / pg_restore; the password goes in the environment, not argv."""
    parsed = sa.engine.make_url(url)
    args = [f"--dbname={parsed.database}", f"--host={parsed.host or '127.0.0.1'}", f"--port={parsed.port or 5432}"]
    if parsed.username:
        args.append(f"--username={parsed.username}")
    env = {**os.environ}
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise DomainError(N_("{command} 프로그램이 없습니다 (Debian: apt-get install postgresql-client)."), command=command[0]) from error
    if done.returncode != 0:
        raise DomainError(N_("{command} 실행에 실패했습니다: {output}"), command=command[0],
                          output=done.stderr.strip()[-500:])


def _schema_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        try:
            return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        except sa.exc.SQLAlchemyError:
            return None


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


def _pages(progress: Progress | None, stage: str) -> Callable[[int, int, int], None] | None:
    """SQLite's backup progress (status, pages remaining, pages in all) as a ``Progress`` report."""
    if progress is None:
        return None
    return lambda _status, remaining, total: progress(stage, total - remaining, total)


def backup(engine: sa.Engine, upload_folder: Path, out: Path, progress: Progress | None = None) -> BackupResult:
    """Write a backup of the database behind ``engine`` and of ``upload_folder`` into ``out``
    (created; it must not exist or be empty). Raises DomainError when it cannot. ``progress`` hears
    the database pages copied ("데이터베이스"; pg_dump reports none) and the files ("첨부 파일")."""
    url = engine.url.render_as_string(hide_password=False)
    kind = _kind(url)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise DomainError(N_("백업 폴더 {out}이(가) 비어 있지 않습니다. 새 폴더를 지정해 주세요."), out=out)
    out.mkdir(parents=True, exist_ok=True)
    schema = _schema_revision(engine)
    if kind == "sqlite":
        source = sqlite3.connect(f"file:{_sqlite_path(url)}?mode=ro", uri=True)
        target = sqlite3.connect(out / SQLITE_FILE)
        try:
            with target:
                # page by page under SQLite's own locking: a consistent copy
                source.backup(target, pages=256, progress=_pages(progress, "데이터베이스"))
        finally:
            target.close()
            source.close()
        database_file = SQLITE_FILE
    else:
        args, env = _libpq(url)
        if progress is not None:
            progress(N_("데이터베이스"), 0, 1)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={out / PG_FILE}", *args], env)
        if progress is not None:
            progress(N_("데이터베이스"), 1, 1)
        database_file = PG_FILE
    files: dict[str, str] = {}
    total = 0
    for path in counted(_files(upload_folder), progress, N_("첨부 파일")):
        relative = path.relative_to(upload_folder).as_posix()
        copy = out / UPLOADS / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, copy)
        files[f"{UPLOADS}/{relative}"] = sha256(copy)
        total += copy.stat().st_size
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": {"kind": kind, "file": database_file, "sha256": sha256(out / database_file), "schema": schema},
        "files": files,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return BackupResult(out, kind, schema, len(files), total)


def read_manifest(folder: Path, progress: Progress | None = None) -> dict:
    """The manifest of a backup folder, after checking every checksum in it (``progress`` hears
    each file checked, as "체크섬 확인")."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DomainError(N_("{folder}에 백업 목록(manifest.json)이 없거나 읽을 수 없습니다."), folder=folder) from error
    if manifest.get("format") != FORMAT:
        raise DomainError(N_("알 수 없는 백업 형식입니다: {format}"), format=manifest.get("format"))
    expected = {manifest["database"]["file"]: manifest["database"]["sha256"], **manifest["files"]}
    for name, digest in counted(list(expected.items()), progress, N_("체크섬 확인")):
        path = folder / name
        if not path.is_file() or sha256(path) != digest:
            raise DomainError(N_("백업 파일 {name}이(가) 없거나 체크섬이 맞지 않습니다. 복원하지 않았습니다."), name=name)
    return manifest


def _is_empty(engine: sa.Engine) -> bool:
    return not sa.inspect(engine).get_table_names()


def restore(folder: Path, engine: sa.Engine, upload_folder: Path, progress: Progress | None = None) -> BackupResult:
    """Load the backup in ``folder`` into the empty database behind ``engine`` and the empty
    ``upload_folder``. Raises DomainError (nothing written) when a checksum fails, the kinds of
    database differ, or the target already holds data. ``progress`` hears the checksums checked,
    the database pages copied (SQLite) and the files restored."""
    manifest = read_manifest(folder, progress)
    url = engine.url.render_as_string(hide_password=False)
    kind = _kind(url)
    if manifest["database"]["kind"] != kind:
        raise DomainError(N_("{kind} 백업은 {kind2} 데이터베이스로 복원할 수 없습니다."), kind=manifest["database"]["kind"],
                          kind2=kind)
    if not _is_empty(engine):
        raise DomainError(N_("복원할 데이터베이스가 비어 있지 않습니다. 빈 데이터베이스에만 복원합니다."))
    if _files(upload_folder):
        raise DomainError(N_("첨부 파일 폴더 {folder}이(가) 비어 있지 않습니다. 빈 폴더에만 복원합니다."),
                          folder=upload_folder)
    source = folder / manifest["database"]["file"]
    if kind == "sqlite":
        engine.dispose()
        target_path = _sqlite_path(url)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        target = sqlite3.connect(target_path)
        try:
            with target:
                backup_db.backup(target, pages=256, progress=_pages(progress, "데이터베이스"))
        finally:
            target.close()
            backup_db.close()
    else:
        engine.dispose()
        args, env = _libpq(url)
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *args, str(source)], env)
    total = 0
    for name, digest in counted(list(manifest["files"].items()), progress, N_("첨부 파일")):
        relative = name.removeprefix(f"{UPLOADS}/")
        target_file = upload_folder / relative
        if not target_file.resolve().is_relative_to(upload_folder.resolve()):
            raise DomainError(N_("백업 파일 {name}이(가) 없거나 체크섬이 맞지 않습니다. 복원하지 않았습니다."), name=name)
        target_file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(folder / name, target_file)
        if sha256(target_file) != digest:
            raise DomainError(N_("백업 파일 {name}이(가) 없거나 체크섬이 맞지 않습니다. 복원하지 않았습니다."), name=name)
        total += target_file.stat().st_size
    return BackupResult(folder, kind, manifest["database"]["schema"], len(manifest["files"]), total)
