"""``judging contest load|dump``: a contest as a file (TOML), read in one unit of work or written out."""

from __future__ import annotations

from pathlib import Path

import click

from judging import db
from judging.cli.common import Group, _, cli_contest, fail, refuse, run_unit
from judging.cli.progress import ProgressDisplay
from judging.messages import N_
from judging.services import contest_file, contest_file_dump, organizations
from judging.services.errors import DomainError


@click.group("contest", cls=Group, help=N_("공모전 파일(TOML) 불러오기와 내보내기."))
def contest_group() -> None:
    pass


@contest_group.command("load", help=N_("공모전 파일을 불러옵니다 (한 트랜잭션: 오류가 있으면 아무것도 바뀌지 않습니다)."))
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help=N_("아직 열리지 않은(draft) 공모전을 파일 내용으로 바꿉니다."))
@click.option("--org", "org_slug", metavar="SLUG", help=N_("공모전이 속할 기관 (기관이 하나뿐이면 생략)"))
def contest_load(path: Path, replace: bool, org_slug: str | None) -> None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        fail(_("{path}: UTF-8 텍스트 파일이 아닙니다.", path=path))

    def work(s):  # noqa: ANN001, ANN202
        with ProgressDisplay() as progress:
            organization = organizations.resolve(s, org_slug)
            return contest_file.load(s, text, replace=replace, progress=progress, organization=organization)

    contest = run_unit(work, prefix=f"{path}: ")
    counts = {"slug": contest.slug, "rounds": len(contest.rounds), "entrants": len(contest.entrants)}
    if replace:
        click.echo(_("공모전 '{slug}'을(를) 바꿨습니다: 라운드 {rounds}, 참가 {entrants}", **counts))
    else:
        click.echo(_("공모전 '{slug}'을(를) 만들었습니다: 라운드 {rounds}, 참가 {entrants}", **counts))


@contest_group.command("dump", help=N_("공모전을 공모전 파일(TOML)로 내보냅니다."))
@click.argument("slug")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), help=N_("파일로 저장 (없으면 화면)"))
def contest_dump(slug: str, out: Path | None) -> None:
    cli_contest(slug)
    try:
        text = contest_file_dump.dump(db.session(), slug)
    except DomainError as error:
        refuse(error)
    if out:
        out.write_text(text, encoding="utf-8")
        click.echo(_("{out}에 저장했습니다.", out=out))
    else:
        click.echo(text, nl=False)
