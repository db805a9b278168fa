"""``judging db upgrade|revision|check``: the schema, through Alembic."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from judging import db, migrate
from judging.cli.common import _, fail


@click.group("db", cls=AppGroup)
def db_group() -> None:
    """데이터베이스 마이그레이션."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """데이터베이스를 최신 스키마(또는 REVISION)로 올립니다."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(_("데이터베이스를 {revision}로 올렸습니다: {url}", revision=revision,
                 url=db.get_db().engine.url.render_as_string(hide_password=True)))


@db_group.command("revision")
@click.option("-m", "--message", required=True, help="변경 설명 (영문)")
def db_revision(message: str) -> None:
    """모델과 데이터베이스의 차이로 새 마이그레이션을 만듭니다."""
    migrate.revision(current_app.config["DATABASE_URL"], message)


@db_group.command("check")
def db_check() -> None:
    """모델과 마이그레이션이 일치하는지 확인합니다."""
    with db.get_db().engine.connect() as conn:
        diff = migrate.pending_changes(conn)
    if diff:
        for item in diff:
            click.echo(str(item))
        fail(_("모델과 데이터베이스가 다릅니다."))
    click.echo(_("모델과 데이터베이스가 일치합니다."))
