"""``judging ballots …``: the audience panel's ballots (issue, revoke), voting (open, close), turnout.

Each command is one unit of work and exits 1 with the reason when the rules refuse.
"""

from __future__ import annotations

from pathlib import Path

import click

from judging import db
from judging.cli.common import (
    CLI_ACTOR,
    Group,
    _,
    cli_contest,
    fail,
    format_table,
    public_base_url,
    refuse,
    run_unit,
)
from judging.documents.ballots import render_ballot_cards
from judging.messages import N_
from judging.services import audience, lifecycle
from judging.services.errors import DomainError

#: a voting round's state, as the status table shows it
STATES = {"pending": N_("열기 전"), "open": N_("투표 중"), "closed": N_("마감")}


@click.group("ballots", cls=Group, help=N_("현장평가단 투표권: 발급(인쇄), 분실 취소, 투표 열기·닫기, 투표율."))
def ballots_group() -> None:
    pass


def _round(slug: str, key: str):  # noqa: ANN202
    contest = cli_contest(slug)
    try:
        return contest, audience.get_round(db.session(), contest, key)
    except DomainError as error:
        refuse(error)


@ballots_group.command("issue", help=N_("투표권 N장을 발급하고 번호·QR 코드가 찍힌 카드 PDF를 씁니다 (토큰은 이 PDF에만 남습니다)."))
@click.argument("slug")
@click.option("--round", "round_key", required=True, help=N_("현장평가단 라운드 키"))
@click.option("--count", required=True, type=int, help=N_("발급할 투표권 수"))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help=N_("투표권 카드 PDF 파일 (A4, 한 장에 8매, 재단선 포함)"))
def issue_command(slug: str, round_key: str, count: int, out: Path) -> None:
    contest, aud = _round(slug, round_key)
    base = public_base_url()

    def work(s):  # noqa: ANN001, ANN202
        # The cards are written inside the unit of work: no ballot is kept whose card was not written.
        issued = audience.issue_ballots(s, aud, count, actor_label=CLI_ACTOR)
        try:
            out.write_bytes(render_ballot_cards(audience.cards_data(contest, issued, base)))
        except OSError as error:
            raise DomainError(N_("{out}: 파일을 쓸 수 없습니다 ({reason}). 투표권은 발급되지 않았습니다."),
                              out=str(out), reason=error.strerror) from error
        return issued

    try:
        batch = run_unit(work)
    except Exception:
        out.unlink(missing_ok=True)
        raise
    click.echo(_("{round}: 투표권 {count}장을 발급했습니다 ({first}~{last}번, 발급 {batch}회차) → {out}",
                 round=aud.title, count=len(batch.cards), first=batch.cards[0].serial, last=batch.cards[-1].serial,
                 batch=batch.batch, out=out))


@ballots_group.command("revoke", help=N_("잃어버린 투표권을 번호로 취소합니다 (사용된 투표권은 취소할 수 없습니다)."))
@click.argument("slug")
@click.option("--round", "round_key", required=True)
@click.option("--serial", required=True, type=int, help=N_("카드에 찍힌 번호"))
@click.option("--reason", required=True, help=N_("취소 사유 (예: 분실)"))
def revoke_command(slug: str, round_key: str, serial: int, reason: str) -> None:
    _contest, aud = _round(slug, round_key)
    run_unit(lambda s: audience.revoke_ballot(s, aud, serial, reason, actor_label=CLI_ACTOR))
    click.echo(_("{serial}번 투표권을 취소했습니다.", serial=serial))


@ballots_group.command("open", help=N_("투표를 엽니다 (공모전이 심사 중일 때)."))
@click.argument("slug")
@click.option("--round", "round_key", required=True)
def open_command(slug: str, round_key: str) -> None:
    _contest, aud = _round(slug, round_key)
    run_unit(lambda s: lifecycle.open_voting(s, aud, actor_label=CLI_ACTOR))
    click.echo(_("{round} 투표를 열었습니다.", round=aud.title))


@ballots_group.command("close", help=N_("투표를 닫고 집계(투표 수와 저장된 평가의 해시)를 감사 기록에 남깁니다."))
@click.argument("slug")
@click.option("--round", "round_key", required=True)
def close_command(slug: str, round_key: str) -> None:
    _contest, aud = _round(slug, round_key)
    count = run_unit(lambda s: lifecycle.close_voting(s, aud, actor_label=CLI_ACTOR))
    click.echo(_("{round} 투표를 닫았습니다: {votes}표 (집계 sha256 {digest}…)", round=aud.title,
                 votes=count["votes"], digest=count["digest"][:12]))


@ballots_group.command("status", help=N_("현장평가단 라운드별 상태와 투표율."))
@click.argument("slug")
def status_command(slug: str) -> None:
    contest = cli_contest(slug)
    rows = []
    for item in audience.contest_turnout(db.session(), contest):
        t = item.turnout
        state = _(STATES[item.status]) if item.status in STATES else item.status
        rows.append([item.key, item.title, state, str(t.issued), str(t.revoked), str(t.cast),
                     f"{t.percent_display}%" if t.percent_display else "-"])
    if not rows:
        fail(_("{slug}: 현장평가단 라운드가 없습니다.", slug=slug))
    headers = [_("키"), _("라운드"), _("상태"), _("발급"), _("취소"), _("투표"), _("투표율")]
    click.echo("\n".join(format_table(headers, rows, right={3, 4, 5, 6})))
