"""Command-line interface: ``judging <command>``.

The commands run inside the app context and own the single commit (services only flush).
Sections are grouped by issue area; each command prints Korean messages and exits non-zero
with the reason when the rules refuse the request.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from judging import db
from judging.services.errors import DomainError


def _create_app() -> Flask:
    from judging import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False, load_dotenv=False)
def main() -> None:
    """공모전 심사 시스템 (judging) 명령."""


def fail(message: str, code: int = 1) -> None:
    click.echo(click.style("오류: ", fg="red") + message, err=True)
    sys.exit(code)


def register_cli(app: Flask) -> None:
    app.cli.add_command(db_group)
    app.cli.add_command(contest_group)
    app.cli.add_command(demo_command)
    app.cli.add_command(user_group)
    for extra in _EXTRA_COMMANDS:
        app.cli.add_command(extra)


# Other modules append their commands here (see ``register_command``). Groups use ``AppGroup``
# and single commands ``with_appcontext`` so that every command runs inside the app context.
_EXTRA_COMMANDS: list[click.Command] = []


def register_command(command: click.Command) -> click.Command:
    _EXTRA_COMMANDS.append(command)
    return command


# --- database -------------------------------------------------------------------------------

@click.group("db", cls=AppGroup)
def db_group() -> None:
    """데이터베이스 마이그레이션."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """데이터베이스를 최신 스키마(또는 REVISION)로 올립니다."""
    from judging import migrate

    url = current_app.config["DATABASE_URL"]
    migrate.upgrade(url, revision)
    click.echo(f"데이터베이스를 {revision}로 올렸습니다: {db.get_db().engine.url.render_as_string(hide_password=True)}")


@db_group.command("revision")
@click.option("-m", "--message", required=True, help="변경 설명 (영문)")
def db_revision(message: str) -> None:
    """모델과 데이터베이스의 차이로 새 마이그레이션을 만듭니다."""
    from judging import migrate

    migrate.revision(current_app.config["DATABASE_URL"], message)


@db_group.command("check")
def db_check() -> None:
    """모델과 마이그레이션이 일치하는지 확인합니다."""
    from judging import migrate

    with db.get_db().engine.connect() as conn:
        diff = migrate.pending_changes(conn)
    if diff:
        for item in diff:
            click.echo(str(item))
        fail("모델과 데이터베이스가 다릅니다.")
    click.echo("모델과 데이터베이스가 일치합니다.")


# --- contest file ---------------------------------------------------------------------------

@click.group("contest", cls=AppGroup)
def contest_group() -> None:
    """공모전 파일(TOML) 불러오기와 내보내기."""


@contest_group.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="아직 열리지 않은(draft) 공모전을 파일 내용으로 바꿉니다.")
def contest_load(path: Path, replace: bool) -> None:
    """공모전 파일을 불러옵니다 (한 트랜잭션: 오류가 있으면 아무것도 바뀌지 않습니다)."""
    from judging.services import contest_file

    session = db.session()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        fail(f"{path}: UTF-8 텍스트 파일이 아닙니다.")
    try:
        contest = contest_file.load(session, text, replace=replace)
        session.commit()
    except DomainError as error:
        session.rollback()
        fail(f"{path}: {error.message}")
    click.echo(f"공모전 '{contest.slug}'을(를) {'바꿨습니다' if replace else '만들었습니다'}: "
               f"라운드 {len(contest.rounds)}, 참가 {len(contest.entrants)}")


@contest_group.command("dump")
@click.argument("slug")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), help="파일로 저장 (없으면 화면)")
def contest_dump(slug: str, out: Path | None) -> None:
    """공모전을 공모전 파일(TOML)로 내보냅니다."""
    from judging.services import contest_file

    try:
        text = contest_file.dump(db.session(), slug)
    except DomainError as error:
        fail(error.message)
    if out:
        out.write_text(text, encoding="utf-8")
        click.echo(f"{out}에 저장했습니다.")
    else:
        click.echo(text, nl=False)


# --- demo -----------------------------------------------------------------------------------

@click.command("demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="공모전이 하나도 없을 때만 불러옵니다.")
def demo_command(if_empty: bool) -> None:
    """데모 공모전(고양 2024)을 불러오고 로그인 정보를 보여 줍니다 (여러 번 실행해도 안전)."""
    from judging.models import Contest
    from judging.services import demo

    session = db.session()
    if if_empty and session.scalar(sa.select(sa.func.count()).select_from(Contest)) and \
            session.scalar(sa.select(Contest).where(Contest.slug == demo.SLUG)) is None:
        click.echo("공모전이 이미 있어 데모를 불러오지 않았습니다.")
        return
    info = demo.load_demo(session, current_app.config["SECRET_KEY"])
    session.commit()
    base = current_app.config.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    click.echo("데모 공모전을 불러왔습니다." if info.created else "데모 공모전이 이미 있습니다.")
    click.echo("")
    click.echo("== 데모 로그인 (demo sign-ins) ==")
    click.echo(f"  담당자 organizer   아이디 {info.organizer[0]}  비밀번호 {info.organizer[1]}")
    for login, password, name in info.councils:
        click.echo(f"  협의체 council     아이디 {login}  비밀번호 {password}  ({name})")
    for name, code, link in info.judges:
        click.echo(f"  심사위원 judge     코드 {code}  링크 {base}{link}  ({name})")


# --- users ----------------------------------------------------------------------------------

@click.group("user", cls=AppGroup)
def user_group() -> None:
    """계정 관리."""


@user_group.command("create-organizer")
@click.argument("login")
@click.option("--name", required=True, help="표시 이름")
@click.password_option(help="비밀번호 (8자 이상)")
def create_organizer(login: str, name: str, password: str) -> None:
    """담당자(organizer) 계정을 만듭니다."""
    from judging.models import User
    from judging.services import auth

    session = db.session()
    if session.scalar(sa.select(User).where(sa.func.lower(User.login) == login.lower())):
        fail(f"아이디 '{login}'은(는) 이미 있습니다.")
    user = User(role="organizer", login=login.lower(), name=name)
    try:
        auth.set_password(session, user, password)
    except DomainError as error:
        fail(error.message)
    session.add(user)
    session.commit()
    click.echo(f"담당자 '{login}'을(를) 만들었습니다.")


if __name__ == "__main__":
    main()
