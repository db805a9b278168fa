"""``judging db upgrade|revision|check``: the schema, through Alembic."""

from __future__ import annotations

import click
from flask import current_app

from judging import db, migrate
from judging.cli.common import Group, _, fail
from judging.messages import N_


@click.group("db", cls=Group, help=N_("데이터베이스 마이그레이션."))
def db_group() -> None:
    pass


@db_group.command("upgrade", help=N_("데이터베이스를 최신 스키마(또는 REVISION)로 올립니다."))
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(_("데이터베이스를 {revision}로 올렸습니다: {url}", revision=revision,
                 url=db.get_db().engine.url.render_as_string(hide_password=True)))


@db_group.command("revision", help=N_("모델과 데이터베이스의 차이로 새 마이그레이션을 만듭니다."))
@click.option("-m", "--message", required=True, help=N_("변경 설명 (영문)"))
def db_revision(message: str) -> None:
    migrate.revision(current_app.config["DATABASE_URL"], message)


@db_group.command("check", help=N_("모델과 마이그레이션이 일치하는지 확인합니다."))
def db_check() -> None:
    with db.get_db().engine.connect() as conn:
        diff = migrate.pending_changes(conn)
    if diff:
        for item in diff:
            click.echo(str(item))
        fail(_("모델과 데이터베이스가 다릅니다."))
    click.echo(_("모델과 데이터베이스가 일치합니다."))
