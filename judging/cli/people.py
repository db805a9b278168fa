"""``judging org …``, ``judging user create-organizer`` and ``judging judges``: organizations, the
organizers' accounts and the judges' sign-in codes and links."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from judging import db
from judging.cli.common import (
    CLI_ACTOR,
    Command,
    Group,
    _,
    cli_contest,
    fail,
    format_table,
    public_base_url,
    run_unit,
)
from judging.messages import N_
from judging.models import Contest, User
from judging.services import assignments, auth, organizations


@click.group("org", cls=Group, help=N_("기관(공모전과 담당자 계정의 소속) 관리."))
def org_group() -> None:
    pass


@org_group.command("create", help=N_("기관을 만듭니다."))
@click.argument("slug")
@click.option("--name", required=True, help=N_("기관 이름 (예: 고양특례시 복지정책과)"))
def org_create(slug: str, name: str) -> None:
    organization = run_unit(lambda s: organizations.create_organization(s, slug, name))
    click.echo(_("기관 '{slug}' ({name})을(를) 만들었습니다.", slug=organization.slug, name=organization.name))


@org_group.command("list", help=N_("기관과 그 공모전·담당자 수를 보여 줍니다."))
def org_list() -> None:
    session = db.session()
    for organization in organizations.list_organizations(session):
        contests = session.scalar(sa.select(sa.func.count()).select_from(Contest)
                                  .where(Contest.organization_id == organization.id))
        people = session.scalar(sa.select(sa.func.count()).select_from(User)
                                .where(User.organization_id == organization.id))
        click.echo(_("{slug}\t{name}\t공모전 {contests}\t담당자 {people}", slug=organization.slug,
                     name=organization.name, contests=contests, people=people))


@click.group("user", cls=Group, help=N_("계정 관리."))
def user_group() -> None:
    pass


@user_group.command("create-organizer", help=N_("담당자(organizer) 계정을 기관에 만듭니다."))
@click.argument("login")
@click.option("--name", required=True, help=N_("표시 이름"))
@click.option("--org", "org_slug", metavar="SLUG", help=N_("소속 기관 (기관이 하나뿐이면 생략)"))
@click.option("--role", type=click.Choice(["manager", "staff", "observer"]), default="manager", show_default=True,
              help=N_("manager: 모든 일 · staff: 설정과 심사 당일 (공개·확정 해제·삭제 불가) · observer: 보기만"))
@click.password_option(help=N_("비밀번호 (8자 이상)"))
def create_organizer(login: str, name: str, org_slug: str | None, role: str, password: str) -> None:
    def work(session):  # noqa: ANN001, ANN202
        organization = organizations.resolve(session, org_slug)
        organizations.create_organizer(session, login, name, password, organization, role)
        return organization

    organization = run_unit(work)
    click.echo(_("담당자 '{login}'을(를) 기관 '{org}'의 {role}(으)로 만들었습니다.",
                 login=login.lower(), org=organization.slug, role=role))


@click.command("judges", cls=Command, help=N_("심사위원마다 입장 코드와 개인 링크를 출력합니다 (다른 곳에서 카드를 만들 때)."))
@with_appcontext
@click.argument("slug")
def judges_command(slug: str) -> None:
    contest = cli_contest(slug)
    session = db.session()
    secret = current_app.config["SECRET_KEY"]
    base = public_base_url()
    judges = assignments.contest_judges(session, contest)
    if not judges:
        fail(_("{slug}: 심사위원이 없습니다.", slug=slug))
    issued = run_unit(lambda s: assignments.issue_missing_credentials(s, contest, secret, actor_label=CLI_ACTOR))
    rows = [[j.judge_key or "", j.name, auth.sign_in_code(secret, j), base + "/j/" + auth.link_token(secret, j)]
            for j in judges]
    click.echo("\n".join(format_table([_("키"), _("이름"), _("코드"), _("링크")], rows)))
    if issued:
        click.echo(_("처음 발급한 심사위원: {names}", names=", ".join(j.name for j in issued)), err=True)
