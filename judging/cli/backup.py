"""``judging backup --out DIR`` and ``judging restore DIR``: the database and the uploads together.

A backup is safe while the app runs (SQLite's online backup API, or ``pg_dump``); a restore goes
into an empty database and an empty upload folder only. Both exit 1 with the reason when they
refuse; see ``judging.services.backup``.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from judging import db
from judging.cli.common import Command, _, refuse
from judging.cli.progress import ProgressDisplay
from judging.formatting import byte_size
from judging.messages import N_
from judging.services import backup as backups
from judging.services.errors import DomainError


@click.command("backup", cls=Command, help=N_("데이터베이스(실행 중에도 일관된 복사본)와 첨부 파일을 체크섬 목록과 함께 폴더에 백업합니다."))
@with_appcontext
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help=N_("백업을 쓸 새 폴더 (없거나 비어 있어야 함)"))
def backup_command(out: Path) -> None:
    try:
        with ProgressDisplay() as progress:
            result = backups.backup(db.get_db().engine, Path(current_app.config["UPLOAD_FOLDER"]), out, progress)
    except DomainError as error:
        refuse(error)
    click.echo(_("백업했습니다: {folder} ({kind}, 스키마 {schema}, 첨부 파일 {files}개 {size}). 목록: {manifest}",
                 folder=result.folder, kind=result.kind, schema=result.schema, files=result.files,
                 size=byte_size(result.bytes), manifest=result.folder / backups.MANIFEST))


@click.command("restore", cls=Command, help=N_("백업 폴더를 빈 데이터베이스와 빈 첨부 파일 폴더로 복원합니다 (체크섬을 먼저 확인)."))
@with_appcontext
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def restore_command(folder: Path) -> None:
    try:
        with ProgressDisplay() as progress:
            result = backups.restore(folder, db.get_db().engine, Path(current_app.config["UPLOAD_FOLDER"]), progress)
    except DomainError as error:
        refuse(error)
    click.echo(_("복원했습니다: {kind}, 스키마 {schema}, 첨부 파일 {files}개 {size}. "
                 "새 버전의 코드라면 이어서 `judging db upgrade`를 실행하세요.", kind=result.kind,
                 schema=result.schema, files=result.files, size=byte_size(result.bytes)))
