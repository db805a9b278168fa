"""``judging status``, ``open``, ``start-judging``, ``lock``, ``unlock``, ``reopen-sheet``, ``publish``:
a contest's life cycle. Each command calls the one function of ``services.lifecycle`` that the
organizer's pages call."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from judging import db, labels
from judging.cli.common import CLI_ACTOR, Command, _, cli_contest, fail, format_table, run_unit, shown
from judging.messages import N_
from judging.models import Round, User
from judging.services import lifecycle

#: the command that takes each next step
COMMANDS = {"open": "open", "start_judging": "start-judging", "lock": "lock", "publish": "publish"}


def _print_check(check) -> None:  # noqa: ANN001
    for problem in check.problems:
        click.echo(f"  ✗ {shown(problem)}")
    for warning in check.warnings:
        click.echo(f"  ! {shown(warning)}")


def _transition(slug: str, name: str, yes: bool, done: str) -> None:
    """Check, then take the step ``name``; ``done`` (translated) is printed after it."""
    contest = cli_contest(slug)
    check = lifecycle.check(db.session(), contest, name)
    if check.problems:
        fail(_("{slug}: {action}을(를) 할 수 없습니다.", slug=slug, action=shown(labels.lifecycle_action(name)))
             + "\n" + "\n".join(f"  - {shown(p)}" for p in check.problems))
    if check.warnings and not yes:
        fail(_("{slug}: 확인이 필요합니다.", slug=slug) + "\n" + "\n".join(f"  - {shown(w)}" for w in check.warnings)
             + "\n" + _("확인했으면 --yes를 붙여 다시 실행해 주세요."))
    action = {"open": lifecycle.open_intake, "start_judging": lifecycle.start_judging, "lock": lifecycle.lock}[name]
    run_unit(lambda s: action(s, contest, confirm=yes, actor_label=CLI_ACTOR))
    for warning in check.warnings:
        click.echo(_("확인함: {warning}", warning=shown(warning)))
    click.echo(_("{slug}: {done} (지금 상태: {state})", slug=slug, done=done,
                 state=shown(labels.contest_state(contest.status))))


@click.command("status", cls=Command, help=N_("공모전의 상태, 라운드별 채점표 제출 현황, 다음 단계를 막는 것을 보여 줍니다."))
@with_appcontext
@click.argument("slug")
def status_command(slug: str) -> None:
    contest = cli_contest(slug)
    st = lifecycle.status(db.session(), contest)
    click.echo(f"{st.title} ({st.slug})")
    state = _("상태: {label} [{state}]", label=shown(labels.contest_state(st.state)), state=st.state)
    if st.published_version:
        state += _(" · 공개된 판: 제{version}판", version=st.published_version)
    click.echo(state)
    if st.rounds:
        rows = [[r.key, r.title, r.status, str(r.entries), f"{r.sheets_submitted}/{r.sheets_expected}"]
                for r in st.rounds]
        headers = [_("라운드"), _("이름"), _("상태"), _("참가작"), _("제출 채점표")]
        click.echo("\n".join(format_table(headers, rows, right={3, 4})))
    if st.next_action is None:
        click.echo(_("다음 단계: 없음 (결과가 공개되었습니다. 고치려면 judging unlock SLUG --reason ...)"))
        return
    click.echo(_("다음 단계: {action} → judging {command} {slug}", action=shown(labels.lifecycle_action(st.next_action)),
                 command=COMMANDS[st.next_action], slug=slug))
    if st.next_check is not None and (st.next_check.problems or st.next_check.warnings):
        _print_check(st.next_check)
    else:
        click.echo(_("  막는 것이 없습니다."))
    if st.readiness is not None:
        click.echo(_("온라인 접수 없이 바로 심사 시작: judging start-judging {slug}", slug=slug))
        if st.readiness.problems or st.readiness.warnings:
            _print_check(st.readiness)
        else:
            click.echo(_("  심사를 시작할 준비가 되었습니다."))


@click.command("open", cls=Command, help=N_("접수를 시작합니다 (준비 → 접수 중): 협의체가 참가작을 제출할 수 있습니다."))
@with_appcontext
@click.argument("slug")
@click.option("--yes", is_flag=True, help=N_("경고를 확인하고 진행합니다."))
def open_command(slug: str, yes: bool) -> None:
    _transition(slug, "open", yes, _("접수를 시작했습니다."))


@click.command("start-judging", cls=Command, help=N_("준비 점검 후 심사를 시작합니다 (준비·접수 중 → 심사 중)."))
@with_appcontext
@click.argument("slug")
@click.option("--yes", is_flag=True, help=N_("경고를 확인하고 진행합니다."))
def start_judging_command(slug: str, yes: bool) -> None:
    _transition(slug, "start_judging", yes, _("심사를 시작했습니다."))


@click.command("lock", cls=Command, help=N_("점수를 확정(잠금)합니다 (심사 중 → 점수 확정). 열린 라운드는 닫힙니다."))
@with_appcontext
@click.argument("slug")
@click.option("--yes", is_flag=True, help=N_("경고(제출되지 않은 채점표 등)를 확인하고 확정합니다."))
def lock_command(slug: str, yes: bool) -> None:
    _transition(slug, "lock", yes, _("점수를 확정했습니다. 동점을 정리한 뒤 judging publish로 공개하세요."))


@click.command("unlock", cls=Command, help=N_("확정을 풉니다 (점수 확정·결과 공개 → 심사 중). 공개된 판은 다음 판이 나올 때까지 그대로 공개됩니다."))
@with_appcontext
@click.argument("slug")
@click.option("--reason", required=True, help=N_("확정을 푸는 사유"))
def unlock_command(slug: str, reason: str) -> None:
    contest = cli_contest(slug)
    run_unit(lambda s: lifecycle.unlock(s, contest, reason, actor_label=CLI_ACTOR))
    click.echo(_("{slug}: 확정을 풀었습니다. 고친 뒤 judging lock과 judging publish로 새 판을 공개하세요.", slug=slug))


@click.command("reopen-sheet", cls=Command, help=N_("제출된 채점표를 다시 엽니다 (심사 중에만)."))
@with_appcontext
@click.argument("slug")
@click.option("--round", "round_key", required=True, help=N_("라운드 키"))
@click.option("--judge", "judge_key", required=True, help=N_("심사위원 키"))
@click.option("--reason", required=True, help=N_("다시 여는 사유"))
def reopen_sheet_command(slug: str, round_key: str, judge_key: str, reason: str) -> None:
    contest = cli_contest(slug)
    session = db.session()
    rnd = session.scalar(sa.select(Round).where(Round.contest_id == contest.id, Round.key == round_key))
    if rnd is None:
        fail(_("{slug}: 라운드 '{round}'이(가) 없습니다.", slug=slug, round=round_key))
    judge = session.scalar(sa.select(User).where(User.contest_id == contest.id, User.role == "judge",
                                                 User.judge_key == judge_key))
    if judge is None:
        fail(_("{slug}: 심사위원 '{judge}'이(가) 없습니다.", slug=slug, judge=judge_key))
    run_unit(lambda s: lifecycle.reopen_sheet(s, contest, judge, rnd, reason, actor_label=CLI_ACTOR))
    click.echo(_("{slug}: {judge} 심사위원의 '{round}' 채점표를 다시 열었습니다.", slug=slug, judge=judge.name,
                 round=rnd.title))


@click.command("publish", cls=Command, help=N_("확정된 결과를 새 판으로 발표하고 판 번호를 출력합니다 (이전 판은 그대로 남습니다)."))
@with_appcontext
@click.argument("slug")
@click.option("--note", default="", help=N_("이 판의 메모 (예: 점수 정정)"))
@click.option("--accept-weights", is_flag=True,
              help=N_("실제 가중치가 발표한 가중치와 허용 범위 넘게 달라도 확인하고 발표합니다"))
def publish_command(slug: str, note: str, accept_weights: bool) -> None:
    contest = cli_contest(slug)
    snapshot = run_unit(lambda s: lifecycle.publish(s, contest, note=note, actor_label=CLI_ACTOR,
                                                    accept_weights=accept_weights))
    click.echo(_("제{version}판을 발표했습니다 (sha256 {digest}…).", version=snapshot.version,
                 digest=snapshot.digest[:12]), err=True)
    click.echo(str(snapshot.version))
