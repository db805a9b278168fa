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

from judging import db, labels
from judging.services.errors import DomainError
from judging.steps import counted
from judging.terminal import ProgressDisplay


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
    app.cli.add_command(org_group)
    for extra in _EXTRA_COMMANDS:
        app.cli.add_command(extra)
    _scope_by_organization(app.cli)


# --- organizations: every command naming a contest takes --org --------------------------------

ORG_META = "judging.org"


def _remember_org(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        ctx.meta[ORG_META] = value


def _scope_by_organization(group: click.Group) -> None:
    """Give every command with a ``slug`` argument an ``--org SLUG`` option: with it, a contest of
    another organization is answered exactly like one that does not exist."""
    for command in group.commands.values():
        if isinstance(command, click.Group):
            _scope_by_organization(command)
        elif any(p.name == "slug" for p in command.params) and not any(p.name == "org" for p in command.params):
            command.params.append(click.Option(
                ["--org"], metavar="SLUG", expose_value=False, callback=_remember_org,
                help="이 기관의 공모전만 다룹니다 (다른 기관의 공모전은 없는 것으로 답합니다)."))


def cli_contest(slug: str, missing: str | None = None):  # noqa: ANN201
    """The contest ``slug`` (of the ``--org`` organization when given); exits with ``missing`` (or the
    usual sentence) otherwise."""
    from judging.services import organizations

    session = db.session()
    ctx = click.get_current_context(silent=True)
    org_slug = ctx.meta.get(ORG_META) if ctx is not None else None
    try:
        org_id = organizations.get_organization(session, org_slug).id if org_slug else None
        return organizations.contest_of(session, slug, org_id)
    except DomainError:
        fail(missing or f"공모전 '{slug}'이(가) 없습니다." + (f" (기관 '{org_slug}')" if org_slug else ""))


@click.group("org", cls=AppGroup)
def org_group() -> None:
    """기관(공모전과 담당자 계정의 소속) 관리."""


@org_group.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="기관 이름 (예: 고양특례시 복지정책과)")
def org_create(slug: str, name: str) -> None:
    """기관을 만듭니다."""
    from judging.services import organizations

    organization = _results_commit(lambda s: organizations.create_organization(s, slug, name))
    click.echo(f"기관 '{organization.slug}' ({organization.name})을(를) 만들었습니다.")


@org_group.command("list")
def org_list() -> None:
    """기관과 그 공모전·담당자 수를 보여 줍니다."""
    from judging.models import Contest, User
    from judging.services import organizations

    session = db.session()
    for organization in organizations.list_organizations(session):
        contests = session.scalar(sa.select(sa.func.count()).select_from(Contest)
                                  .where(Contest.organization_id == organization.id))
        people = session.scalar(sa.select(sa.func.count()).select_from(User)
                                .where(User.organization_id == organization.id))
        click.echo(f"{organization.slug}\t{organization.name}\t공모전 {contests}\t담당자 {people}")


# Other modules append their commands here (see ``register_command``). Groups use ``AppGroup``
# and single commands ``with_appcontext`` so that every command runs inside the app context.
_EXTRA_COMMANDS: list[click.Command] = []


def register_command(command: click.Command) -> click.Command:
    _EXTRA_COMMANDS.append(command)
    return command


# --- backup and restore: judging/cli_backup.py registers its commands on import ---------------
from judging import cli_backup  # noqa: E402, F401

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
@click.option("--org", "org_slug", metavar="SLUG", help="공모전이 속할 기관 (기관이 하나뿐이면 생략)")
def contest_load(path: Path, replace: bool, org_slug: str | None) -> None:
    """공모전 파일을 불러옵니다 (한 트랜잭션: 오류가 있으면 아무것도 바뀌지 않습니다)."""
    from judging.services import contest_file, organizations

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        fail(f"{path}: UTF-8 텍스트 파일이 아닙니다.")
    def work(s):  # noqa: ANN001, ANN202
        with ProgressDisplay() as progress:
            organization = organizations.resolve(s, org_slug)
            return contest_file.load(s, text, replace=replace, progress=progress, organization=organization)

    contest = _results_commit(work, lambda reason: f"{path}: {reason}")
    click.echo(f"공모전 '{contest.slug}'을(를) {'바꿨습니다' if replace else '만들었습니다'}: "
               f"라운드 {len(contest.rounds)}, 참가 {len(contest.entrants)}")


@contest_group.command("dump")
@click.argument("slug")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), help="파일로 저장 (없으면 화면)")
def contest_dump(slug: str, out: Path | None) -> None:
    """공모전을 공모전 파일(TOML)로 내보냅니다."""
    from judging.services import contest_file

    cli_contest(slug)
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
    info = _results_commit(lambda s: demo.load_demo(s, current_app.config["SECRET_KEY"]))
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
@click.option("--org", "org_slug", metavar="SLUG", help="소속 기관 (기관이 하나뿐이면 생략)")
@click.option("--role", type=click.Choice(["manager", "staff", "observer"]), default="manager", show_default=True,
              help="manager: 모든 일 · staff: 설정과 심사 당일 (공개·확정 해제·삭제 불가) · observer: 보기만")
@click.password_option(help="비밀번호 (8자 이상)")
def create_organizer(login: str, name: str, org_slug: str | None, role: str, password: str) -> None:
    """담당자(organizer) 계정을 기관에 만듭니다."""
    from judging.services import organizations

    def work(session):  # noqa: ANN001, ANN202
        organization = organizations.resolve(session, org_slug)
        organizations.create_organizer(session, login, name, password, organization, role)
        return organization

    organization = _results_commit(work)
    click.echo(f"담당자 '{login.lower()}'을(를) 기관 '{organization.slug}'의 {role}(으)로 만들었습니다.")


# --- results (issue 3): scores import, tally, decisions, special awards, publish -----------------
# Owned by the results service engineer; see docs/results.md.

_CLI_ACTOR = "cli"


def _results_contest(slug: str):  # noqa: ANN202
    return cli_contest(slug)


def _split_keys(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _results_commit(action, message=None):  # noqa: ANN001, ANN202
    """The command's one unit of work: run ``action(session)`` and commit (rerun on SQLite's
    "database is locked"); on a refusal roll back and exit non-zero with the reason, prefixed by
    ``message(reason)`` when given."""
    try:
        return db.commit_retrying(action, keep_refused=False)
    except DomainError as error:
        fail(message(error.message) if message else error.message)


def display_width(text: str) -> int:
    """Terminal columns of ``text``: Hangul and other wide characters take two."""
    import unicodedata

    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def format_table(headers: list[str], rows: list[list[str]], right: set[int] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """Align columns by display width (Hangul is double width)."""
    widths = [max([display_width(h)] + [display_width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    lines = ["  ".join(_pad(h, widths[i], i in right) for i, h in enumerate(headers)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(_pad(cell, widths[i], i in right) for i, cell in enumerate(row)).rstrip())
    return lines


_ADVANCEMENT = {"advanced": "진출", "not_advanced": "탈락", "tied_at_cut": "경계 동점"}


def _tally_table(t, contest) -> str:  # noqa: ANN001
    from judging.scoring import PENDING

    lines = [f"{contest.title} · {t.round_title}({t.round}) · {'최종 순위' if t.is_final else '라운드 순위'}",
             f"집계 방식: {t.method}", ""]
    headers = ["순위", "참가팀", "점수", "심사", "등급" if t.is_final else "진출", "제외(절사)", "회피", "동점 처리"]
    rows = []
    for r in t.rows:
        if t.is_final:
            status = "결정 대기" if r.tier == PENDING else (r.tier_title or "-")
        else:
            status = _ADVANCEMENT.get(r.advancement or "", "-")
        rows.append([
            "-" if r.rank is None else str(r.rank),
            r.name,
            r.score if r.score is not None else "집계 불가",
            f"{r.n}명",
            status,
            ", ".join(r.dropped) or "-",
            ", ".join(r.recused) or "-",
            r.tie_break or (r.message or "-" if r.rank is None else "-"),
        ])
    lines += format_table(headers, rows, right={0, 2, 3})
    if t.unresolved_ties:
        lines += ["", "결정되지 않은 동점:"]
        for tie in t.unresolved_ties:
            names = ", ".join(t.inputs.entrants[e].name for e in tie.entries)
            if tie.kind == "tier":
                tier = t.inputs.tier(tie.boundary)
                lines.append(f"  - {tier.title if tier else tie.boundary} 경계 {tie.rank}위 동점: {names} "
                             f"(남은 자리 {tie.places}) → judging decide {t.contest} --tier {tie.boundary} "
                             f"--entries {','.join(tie.entries)} --reason ...")
            else:
                lines.append(f"  - {tie.boundary} 진출 경계 {tie.rank}위 동점: {names} (남은 자리 {tie.places}) "
                             f"→ judging decide {t.contest} --advance {tie.boundary} --entries ... --reason ...")
    if t.special_awards:
        lines += ["", "특별상:"]
        for s in t.special_awards:
            award = t.inputs.special_type(s.award)
            lines.append(f"  - {award.title if award else s.award}: {t.inputs.entrants[s.entry].name} (사유: {s.reason})")
    if t.missing:
        lines += ["", f"입력되지 않은 점수 {t.missing}개: 결과가 아직 확정되지 않았습니다."]
    return "\n".join(lines)


def _tally_csv(t) -> str:  # noqa: ANN001
    import csv
    import io

    from judging.documents.excel import inert_text

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["rank", "entry", "name", "district", "score", "judges", "tier", "tier_title", "dropped",
                     "recused", "tie_break", "status", "advancement", "special_award"])
    for r in t.rows:
        writer.writerow([inert_text(v) for v in (
            "" if r.rank is None else r.rank, r.entry, r.name, r.district, r.score or "", r.n,
            r.tier or "", r.tier_title or "", " ".join(r.dropped), " ".join(r.recused),
            r.tie_break or "", r.status, r.advancement or "", r.special_award or "")])
    return out.getvalue()


@register_command
@click.group("scores", cls=AppGroup)
def scores_group() -> None:
    """점수 불러오기 (종이 채점표 입력)."""


@scores_group.command("import")
@click.argument("slug")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--submit-sheets", is_flag=True, help="파일에 있는 심사위원의 채점표를 제출 완료로 표시합니다 (서명된 종이 채점표).")
def scores_import_command(slug: str, path: Path, submit_sheets: bool) -> None:
    """CSV(round,judge,entry,criterion,score[,comment])의 점수를 불러옵니다. 오류가 하나라도 있으면 아무것도 바꾸지 않습니다."""
    from judging.services import scores_import

    contest = _results_contest(slug)
    data = path.read_bytes()
    with ProgressDisplay() as progress:
        report = _results_commit(lambda s: scores_import.import_scores(
            s, contest, data, actor_label=_CLI_ACTOR, source=path.name, submit_sheets=submit_sheets,
            progress=progress))
    click.echo(f"{path.name}: {report.rows}행을 불러왔습니다 (새 점수 {report.created}, 바뀐 점수 {report.updated}, "
               f"같은 점수 {report.unchanged}, 의견 {report.comments}).")
    if report.submitted_sheets:
        shown = ", ".join(f"{r}/{j}" for r, j in report.submitted_sheets)
        click.echo(f"이미 제출된 채점표에 썼습니다: {shown} (감사 기록에 남았습니다)")
    if report.marked_submitted:
        click.echo("제출 완료로 표시한 채점표: " + ", ".join(f"{r}/{j}" for r, j in report.marked_submitted))


@register_command
@click.command("tally")
@with_appcontext
@click.argument("slug")
@click.option("--round", "round_key", help="이 라운드의 순위만 (없으면 최종 순위)")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help="출력 형식")
def tally_command(slug: str, round_key: str | None, fmt: str) -> None:
    """현재 점수로 순위·등급을 계산해 보여 줍니다 (저장하지 않습니다)."""
    import json

    from judging.services import results

    contest = _results_contest(slug)
    try:
        t = results.tally(db.session(), contest, round_key)
    except DomainError as error:
        fail(error.message)
    if fmt == "json":
        click.echo(json.dumps(t.to_json(), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(_tally_csv(t), nl=False)
    else:
        click.echo(_tally_table(t, contest))


@register_command
@click.command("decide")
@with_appcontext
@click.argument("slug")
@click.option("--tier", "tier_key", help="등급 경계 동점: 이 등급을 받을 참가팀을 --entries로")
@click.option("--advance", "advance_round", help="진출 경계 동점: 이 라운드에서 진출할 참가팀을 --entries로")
@click.option("--order", "order", help="동점 순서 결정: 참가팀 키를 앞선 순서대로 (A,B)")
@click.option("--round", "round_key", help="--order를 이 라운드의 순위에 적용 (없으면 최종 순위)")
@click.option("--entries", help="참가팀 키 (쉼표로 구분)")
@click.option("--reason", required=True, help="결정 사유")
@click.option("--minutes", default="", help="회의록 요지")
def decide_command(slug: str, tier_key: str | None, advance_round: str | None, order: str | None,
                   round_key: str | None, entries: str | None, reason: str, minutes: str) -> None:
    """동점 결정을 기록합니다: --tier KEY --entries A,B | --order A,B | --advance ROUND --entries A,B."""
    from judging.services import decisions

    chosen = [name for name, value in (("--tier", tier_key), ("--order", order), ("--advance", advance_round))
              if value]
    if len(chosen) != 1:
        fail("--tier, --order, --advance 중 하나만 지정하세요.")
    if order and entries:
        fail("--order에는 참가팀을 순서대로 적고 --entries는 쓰지 않습니다.")
    if (tier_key or advance_round) and not _split_keys(entries):
        fail(f"{chosen[0]}에는 --entries A,B가 필요합니다.")
    contest = _results_contest(slug)
    if tier_key:
        decision = _results_commit(lambda s: decisions.record_tier_decision(
            s, contest, tier_key, _split_keys(entries), reason, minutes, actor_label=_CLI_ACTOR))
        click.echo(f"동점 결정을 기록했습니다 (결정 #{decision.id}): {', '.join(_split_keys(entries))} → {tier_key}")
    elif advance_round:
        decision = _results_commit(lambda s: decisions.record_advance_decision(
            s, contest, advance_round, _split_keys(entries), reason, minutes, actor_label=_CLI_ACTOR))
        click.echo(f"진출 결정을 기록했습니다 (결정 #{decision.id}): {', '.join(_split_keys(entries))}")
    else:
        decision = _results_commit(lambda s: decisions.record_order_decision(
            s, contest, _split_keys(order), reason, minutes, round_key=round_key, actor_label=_CLI_ACTOR))
        click.echo(f"순위 결정을 기록했습니다 (결정 #{decision.id}): {' > '.join(_split_keys(order))}")


@register_command
@click.command("special")
@with_appcontext
@click.argument("slug")
@click.argument("entry")
@click.option("--award", "award_key", required=True, help="특별상 키")
@click.option("--reason", required=True, help="지정 사유")
def special_command(slug: str, entry: str, award_key: str, reason: str) -> None:
    """특별상을 지정합니다 (본선 진출 여부와 관계없이, 사유와 함께)."""
    from judging.services import decisions

    contest = _results_contest(slug)
    decision = _results_commit(lambda s: decisions.designate_special(
        s, contest, entry, award_key, reason, actor_label=_CLI_ACTOR))
    click.echo(f"특별상 '{award_key}'을(를) {entry}에 지정했습니다 (결정 #{decision.id}).")


@register_command
@click.command("withdraw-decision")
@with_appcontext
@click.argument("slug")
@click.argument("decision_id", type=int)
@click.option("--reason", required=True, help="철회 사유")
def withdraw_decision_command(slug: str, decision_id: int, reason: str) -> None:
    """기록된 결정이나 특별상 지정을 철회합니다 (기록은 남습니다)."""
    from judging.services import decisions

    contest = _results_contest(slug)
    _results_commit(lambda s: decisions.withdraw_decision(s, contest, decision_id, reason, actor_label=_CLI_ACTOR))
    click.echo(f"결정 #{decision_id}을(를) 철회했습니다.")


@register_command
@click.command("publish")
@with_appcontext
@click.argument("slug")
@click.option("--note", default="", help="이 판의 메모 (예: 점수 정정)")
@click.option("--accept-weights", is_flag=True,
              help="실제 가중치가 발표한 가중치와 허용 범위 넘게 달라도 확인하고 발표합니다")
def publish_command(slug: str, note: str, accept_weights: bool) -> None:
    """확정된 결과를 새 판으로 발표하고 판 번호를 출력합니다 (이전 판은 그대로 남습니다)."""
    from judging.services import lifecycle

    contest = _results_contest(slug)
    snapshot = _results_commit(lambda s: lifecycle.publish(s, contest, note=note, actor_label=_CLI_ACTOR,
                                                           accept_weights=accept_weights))
    click.echo(f"제{snapshot.version}판을 발표했습니다 (sha256 {snapshot.digest[:12]}…).", err=True)
    click.echo(str(snapshot.version))

# --- life cycle: status, open, start-judging, lock, unlock, reopen-sheet, judges ----------------
# Each command calls one function of services.lifecycle, the same the organizer's pages call.


def _print_check(check) -> None:  # noqa: ANN001
    for problem in check.problems:
        click.echo(f"  ✗ {problem}")
    for warning in check.warnings:
        click.echo(f"  ! {warning}")


def _transition(slug: str, name: str, yes: bool, done: str) -> None:
    from judging.services import lifecycle

    contest = _results_contest(slug)
    session = db.session()
    check = lifecycle.check(session, contest, name)
    if check.problems:
        fail(f"{slug}: {labels.lifecycle_action(name)}을(를) 할 수 없습니다.\n"
             + "\n".join(f"  - {p}" for p in check.problems))
    if check.warnings and not yes:
        fail(f"{slug}: 확인이 필요합니다.\n" + "\n".join(f"  - {w}" for w in check.warnings)
             + "\n확인했으면 --yes를 붙여 다시 실행해 주세요.")
    action = {"open": lifecycle.open_intake, "start_judging": lifecycle.start_judging, "lock": lifecycle.lock}[name]
    _results_commit(lambda s: action(s, contest, confirm=yes, actor_label=_CLI_ACTOR))
    for warning in check.warnings:
        click.echo(f"확인함: {warning}")
    click.echo(f"{slug}: {done} (지금 상태: {labels.contest_state(contest.status)})")


@register_command
@click.command("status")
@with_appcontext
@click.argument("slug")
def status_command(slug: str) -> None:
    """공모전의 상태, 라운드별 채점표 제출 현황, 다음 단계를 막는 것을 보여 줍니다."""
    from judging.services import lifecycle

    contest = _results_contest(slug)
    st = lifecycle.status(db.session(), contest)
    click.echo(f"{st.title} ({st.slug})")
    click.echo(f"상태: {labels.contest_state(st.state)} [{st.state}]"
               + (f" · 공개된 판: 제{st.published_version}판" if st.published_version else ""))
    if st.rounds:
        rows = [[r.key, r.title, r.status, str(r.entries), f"{r.sheets_submitted}/{r.sheets_expected}"]
                for r in st.rounds]
        click.echo("\n".join(format_table(["라운드", "이름", "상태", "참가작", "제출 채점표"], rows, right={3, 4})))
    if st.next_action is None:
        click.echo("다음 단계: 없음 (결과가 공개되었습니다. 고치려면 judging unlock SLUG --reason ...)")
        return
    command = {"open": "open", "start_judging": "start-judging", "lock": "lock", "publish": "publish"}[st.next_action]
    click.echo(f"다음 단계: {labels.lifecycle_action(st.next_action)} → judging {command} {slug}")
    if st.next_check is not None and (st.next_check.problems or st.next_check.warnings):
        _print_check(st.next_check)
    else:
        click.echo("  막는 것이 없습니다.")
    if st.readiness is not None:
        click.echo(f"온라인 접수 없이 바로 심사 시작: judging start-judging {slug}")
        if st.readiness.problems or st.readiness.warnings:
            _print_check(st.readiness)
        else:
            click.echo("  심사를 시작할 준비가 되었습니다.")


@register_command
@click.command("open")
@with_appcontext
@click.argument("slug")
@click.option("--yes", is_flag=True, help="경고를 확인하고 진행합니다.")
def open_command(slug: str, yes: bool) -> None:
    """접수를 시작합니다 (준비 → 접수 중): 협의체가 참가작을 제출할 수 있습니다."""
    _transition(slug, "open", yes, "접수를 시작했습니다.")


@register_command
@click.command("start-judging")
@with_appcontext
@click.argument("slug")
@click.option("--yes", is_flag=True, help="경고를 확인하고 진행합니다.")
def start_judging_command(slug: str, yes: bool) -> None:
    """준비 점검 후 심사를 시작합니다 (준비·접수 중 → 심사 중)."""
    _transition(slug, "start_judging", yes, "심사를 시작했습니다.")


@register_command
@click.command("lock")
@with_appcontext
@click.argument("slug")
@click.option("--yes", is_flag=True, help="경고(제출되지 않은 채점표 등)를 확인하고 확정합니다.")
def lock_command(slug: str, yes: bool) -> None:
    """점수를 확정(잠금)합니다 (심사 중 → 점수 확정). 열린 라운드는 닫힙니다."""
    _transition(slug, "lock", yes, "점수를 확정했습니다. 동점을 정리한 뒤 judging publish로 공개하세요.")


@register_command
@click.command("unlock")
@with_appcontext
@click.argument("slug")
@click.option("--reason", required=True, help="확정을 푸는 사유")
def unlock_command(slug: str, reason: str) -> None:
    """확정을 풉니다 (점수 확정·결과 공개 → 심사 중). 공개된 판은 다음 판이 나올 때까지 그대로 공개됩니다."""
    from judging.services import lifecycle

    contest = _results_contest(slug)
    _results_commit(lambda s: lifecycle.unlock(s, contest, reason, actor_label=_CLI_ACTOR))
    click.echo(f"{slug}: 확정을 풀었습니다. 고친 뒤 judging lock과 judging publish로 새 판을 공개하세요.")


@register_command
@click.command("reopen-sheet")
@with_appcontext
@click.argument("slug")
@click.option("--round", "round_key", required=True, help="라운드 키")
@click.option("--judge", "judge_key", required=True, help="심사위원 키")
@click.option("--reason", required=True, help="다시 여는 사유")
def reopen_sheet_command(slug: str, round_key: str, judge_key: str, reason: str) -> None:
    """제출된 채점표를 다시 엽니다 (심사 중에만)."""
    from judging.models import Round, User
    from judging.services import lifecycle

    contest = _results_contest(slug)
    session = db.session()
    rnd = session.scalar(sa.select(Round).where(Round.contest_id == contest.id, Round.key == round_key))
    if rnd is None:
        fail(f"{slug}: 라운드 '{round_key}'이(가) 없습니다.")
    judge = session.scalar(sa.select(User).where(User.contest_id == contest.id, User.role == "judge",
                                                 User.judge_key == judge_key))
    if judge is None:
        fail(f"{slug}: 심사위원 '{judge_key}'이(가) 없습니다.")
    _results_commit(lambda s: lifecycle.reopen_sheet(s, contest, judge, rnd, reason, actor_label=_CLI_ACTOR))
    click.echo(f"{slug}: {judge.name} 심사위원의 '{rnd.title}' 채점표를 다시 열었습니다.")


@register_command
@click.command("judges")
@with_appcontext
@click.argument("slug")
def judges_command(slug: str) -> None:
    """심사위원마다 입장 코드와 개인 링크를 출력합니다 (다른 곳에서 카드를 만들 때)."""
    from judging.services import assignments, auth

    contest = _results_contest(slug)
    session = db.session()
    secret = current_app.config["SECRET_KEY"]
    base = current_app.config.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    judges = assignments.contest_judges(session, contest)
    if not judges:
        fail(f"{slug}: 심사위원이 없습니다.")
    issued = _results_commit(lambda s: assignments.issue_missing_credentials(s, contest, secret,
                                                                              actor_label=_CLI_ACTOR))
    rows = [[j.judge_key or "", j.name, auth.sign_in_code(secret, j), base + "/j/" + auth.link_token(secret, j)]
            for j in judges]
    click.echo("\n".join(format_table(["키", "이름", "코드", "링크"], rows)))
    if issued:
        click.echo(f"처음 발급한 심사위원: {', '.join(j.name for j in issued)}", err=True)

# --- end of results section -----------------------------------------------------------------

# --- audit: the tamper-evident record ---------------------------------------------------------

@register_command
@click.group("audit", cls=AppGroup)
def audit_group() -> None:
    """감사 기록 (해시 체인)."""


@audit_group.command("verify")
@click.argument("slug", required=False)
def audit_verify_command(slug: str | None) -> None:
    """감사 기록의 해시 체인과 발표 결과의 요약값을 검증합니다. 온전하면 0, 아니면 1로 끝나며 처음 끊긴
    기록을 알려 줍니다. SLUG를 주면 그 공모전의 기록 내용과 발표 결과를 다시 계산합니다 (순번과 연결은 늘
    전체를 봅니다)."""
    from judging.services import audit_chain

    contest = _results_contest(slug) if slug else None
    report = audit_chain.verify(db.session(), contest)
    scope = f"'{slug}' 기록 {report.checked}건" if slug else f"기록 {report.checked}건"
    if report.ok:
        click.echo(f"감사 기록 {report.events}건의 해시 체인이 온전합니다 ({scope} 내용 확인, 발표 결과 "
                   f"{report.snapshots}개 확인). 마지막 #{report.head_seq} sha256 {report.head_hash}")
        return
    first = report.first
    assert first is not None
    click.echo(f"감사 기록 {report.events}건 가운데 끊긴 곳 {len(report.problems)}곳:", err=True)
    for problem in report.problems:
        click.echo("- " + audit_chain.describe(problem), err=True)
    fail("처음 끊긴 곳: " + audit_chain.describe(first))



if __name__ == "__main__":
    main()


# --- ceremony and documents (issue 6) -------------------------------------------------------

def _published_or_fail(slug: str):  # noqa: ANN202
    from judging.services import published

    session = db.session()
    contest = cli_contest(slug, f"{slug}: 공모전을 찾을 수 없습니다.")
    result = published.load(session, contest, public=False)
    if result is None:
        fail(f"{slug}: 아직 공개된 결과가 없습니다. 먼저 `judging publish {slug}`로 결과를 공개해 주세요.")
    return session, contest, result


@register_command
@click.command("certificates")
@with_appcontext
@click.argument("slug")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="PDF를 저장할 폴더 (없으면 만듭니다)")
def certificates_command(slug: str, out: Path) -> None:
    """상장 PDF를 만듭니다: 상마다 한 파일과 전체를 묶은 한 파일 (번호는 처음 한 번만 부여)."""
    import sqlalchemy.exc

    from judging.documents import render_certificate, render_certificates
    from judging.services import certificates

    session, contest, result = _published_or_fail(slug)
    try:
        created = db.commit_retrying(lambda s: certificates.allocate(s, contest, result=result),
                                     keep_refused=False)
    except DomainError as error:
        fail(error.message)
    except sqlalchemy.exc.IntegrityError:
        session.rollback()
        fail("다른 곳에서 동시에 번호를 부여했습니다. 다시 실행해 주세요.")
    certs = certificates.issuable(session, contest)
    if not certs:
        fail(f"{slug}: 인쇄할 상장이 없습니다 (모든 상장이 폐기되었거나 수상자가 없습니다).")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(f"{out}: 폴더를 만들 수 없습니다 ({error.strerror}).")
    base = current_app.config.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    if created:
        click.echo(f"상장 번호 {len(created)}개를 새로 부여했습니다: {created[0].number} ~ {created[-1].number}")
    with ProgressDisplay() as progress:
        try:
            items = [certificates.certificate_data(session, contest, c, base)
                     for c in counted(certs, progress, "상장 자료")]
        except DomainError as error:
            fail(error.message)
        for cert, data in counted(list(zip(certs, items, strict=True)), progress, "상장 PDF"):
            (out / certificates.file_name(cert)).write_bytes(render_certificate(data))
        batch = out / f"{contest.slug}-상장-전체.pdf"
        batch.write_bytes(render_certificates(items, progress=progress))
    click.echo(f"{out}에 상장 {len(certs)}개와 일괄 인쇄용 {batch.name}을(를) 저장했습니다.")


@register_command
@click.command("export")
@with_appcontext
@click.argument("slug")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv", "json"]), required=True, help="파일 형식")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="저장할 파일")
def export_command(slug: str, fmt: str, out: Path) -> None:
    """공개된 결과를 엑셀(라운드별 심사위원 점수 포함)·CSV·집계 JSON으로 내보냅니다 (담당자용)."""
    import json

    from judging.documents import render_csv, render_workbook
    from judging.services import exports

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
        fail(f"{out}: 저장할 수 없습니다 ({error.strerror}).")
    click.echo(f"제{result.version}판 결과를 {out}에 저장했습니다 ({fmt}).")


# --- end of ceremony and documents section --------------------------------------------------


# --- audience panel ballots: judging/cli_ballots.py registers its group on import ------------
from judging import cli_ballots  # noqa: E402, F401
