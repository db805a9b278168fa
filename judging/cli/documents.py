"""``judging certificates`` and ``judging export``: the published result as certificate PDFs and as
files for the organizer (Excel, CSV, JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import click
import sqlalchemy.exc
from flask import current_app
from flask.cli import with_appcontext

from judging import db
from judging.cli.common import Command, _, cli_contest, fail, refuse, run_unit
from judging.cli.progress import ProgressDisplay
from judging.documents import render_certificate, render_certificates, render_csv, render_workbook
from judging.messages import N_
from judging.services import certificates, exports, published
from judging.services.errors import DomainError
from judging.steps import counted


def _published_or_fail(slug: str):  # noqa: ANN202
    session = db.session()
    contest = cli_contest(slug, _("{slug}: 공모전을 찾을 수 없습니다.", slug=slug))
    result = published.load(session, contest, public=False)
    if result is None:
        fail(_("{slug}: 아직 공개된 결과가 없습니다. 먼저 `judging publish {slug}`로 결과를 공개해 주세요.", slug=slug))
    return session, contest, result


@click.command("certificates", cls=Command, help=N_("상장 PDF를 만듭니다: 상마다 한 파일과 전체를 묶은 한 파일 (번호는 처음 한 번만 부여)."))
@with_appcontext
@click.argument("slug")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help=N_("PDF를 저장할 폴더 (없으면 만듭니다)"))
def certificates_command(slug: str, out: Path) -> None:
    session, contest, result = _published_or_fail(slug)
    try:
        created = run_unit(lambda s: certificates.allocate(s, contest, result=result))
    except sqlalchemy.exc.IntegrityError:
        fail(_("다른 곳에서 동시에 번호를 부여했습니다. 다시 실행해 주세요."))
    certs = certificates.issuable(session, contest)
    if not certs:
        fail(_("{slug}: 인쇄할 상장이 없습니다 (모든 상장이 폐기되었거나 수상자가 없습니다).", slug=slug))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(_("{out}: 폴더를 만들 수 없습니다 ({reason}).", out=out, reason=error.strerror))
    base = current_app.config.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    if created:
        click.echo(_("상장 번호 {count}개를 새로 부여했습니다: {first} ~ {last}", count=len(created),
                     first=created[0].number, last=created[-1].number))
    with ProgressDisplay() as progress:
        try:
            items = [certificates.certificate_data(session, contest, c, base)
                     for c in counted(certs, progress, N_("상장 자료"))]
        except DomainError as error:
            refuse(error)
        for cert, data in counted(list(zip(certs, items, strict=True)), progress, N_("상장 PDF")):
            (out / certificates.file_name(cert)).write_bytes(render_certificate(data))
        batch = out / f"{contest.slug}-상장-전체.pdf"
        batch.write_bytes(render_certificates(items, progress=progress))
    click.echo(_("{out}에 상장 {count}개와 일괄 인쇄용 {batch}을(를) 저장했습니다.", out=out, count=len(certs),
                 batch=batch.name))


@click.command("export", cls=Command, help=N_("공개된 결과를 엑셀(라운드별 심사위원 점수 포함)·CSV·집계 JSON으로 내보냅니다 (담당자용)."))
@with_appcontext
@click.argument("slug")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv", "json"]), required=True, help=N_("파일 형식"))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help=N_("저장할 파일"))
def export_command(slug: str, fmt: str, out: Path) -> None:
    session, contest, result = _published_or_fail(slug)
    if fmt == "xlsx":
        with ProgressDisplay() as progress:
            body = render_workbook(exports.workbook(session, contest, result, exports.ORGANIZER), progress=progress)
    elif fmt == "csv":
        body = render_csv(exports.csv_rows(contest, result, exports.ORGANIZER))
    else:
        body = (json.dumps(exports.tally(contest, result, exports.ORGANIZER), ensure_ascii=False, indent=2)
                + "\n").encode("utf-8")
    try:
        out.write_bytes(body)
    except OSError as error:
        fail(_("{out}: 저장할 수 없습니다 ({reason}).", out=out, reason=error.strerror))
    click.echo(_("제{version}판 결과를 {out}에 저장했습니다 ({format}).", version=result.version, out=out, format=fmt))
