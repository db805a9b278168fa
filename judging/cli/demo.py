"""``judging demo``: the Goyang 2024 demo contest and its sign-ins."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from judging import db
from judging.cli.common import Command, _, public_base_url, run_unit
from judging.messages import N_
from judging.models import Contest
from judging.services import demo


@click.command("demo", cls=Command, help=N_("데모 공모전(고양 2024)을 불러오고 로그인 정보를 보여 줍니다 (여러 번 실행해도 안전)."))
@with_appcontext
@click.option("--if-empty", is_flag=True, help=N_("공모전이 하나도 없을 때만 불러옵니다."))
def demo_command(if_empty: bool) -> None:
    session = db.session()
    if if_empty and session.scalar(sa.select(sa.func.count()).select_from(Contest)) and \
            session.scalar(sa.select(Contest).where(Contest.slug == demo.SLUG)) is None:
        click.echo(_("공모전이 이미 있어 데모를 불러오지 않았습니다."))
        return
    info = run_unit(lambda s: demo.load_demo(s, current_app.config["SECRET_KEY"]))
    base = public_base_url()
    click.echo(_("데모 공모전을 불러왔습니다.") if info.created else _("데모 공모전이 이미 있습니다."))
    click.echo("")
    click.echo(_("== 데모 로그인 (demo sign-ins) =="))
    click.echo(_("  담당자 organizer   아이디 {login}  비밀번호 {password}",
                 login=info.organizer[0], password=info.organizer[1]))
    for login, password, name in info.councils:
        click.echo(_("  협의체 council     아이디 {login}  비밀번호 {password}  ({name})",
                     login=login, password=password, name=name))
    for name, code, link in info.judges:
        click.echo(_("  심사위원 judge     코드 {code}  링크 {link}  ({name})", code=code, link=base + link, name=name))
