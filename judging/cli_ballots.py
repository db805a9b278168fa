"""``judging ballots …``: the audience panel's ballots (issue, revoke), voting (open, close), turnout.

Each command owns its one commit and exits 1 with a Korean message when the rules refuse.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from judging import db
from judging.cli import _results_contest, fail, format_table, register_command
from judging.services.errors import DomainError

_ACTOR = "cli"


@register_command
@click.group("ballots", cls=AppGroup)
def ballots_group() -> None:
    """현장평가단 투표권: 발급(인쇄), 분실 취소, 투표 열기·닫기, 투표율."""


def _round(slug: str, key: str):  # noqa: ANN202
    from judging.services import audience

    contest = _results_contest(slug)
    try:
        return contest, audience.get_round(db.session(), contest, key)
    except DomainError as error:
        fail(error.message)


@ballots_group.command("issue")
@click.argument("slug")
@click.option("--round", "round_key", required=True, help="현장평가단 라운드 키")
@click.option("--count", required=True, type=int, help="발급할 투표권 수")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="투표권 카드 PDF 파일 (A4, 한 장에 8매, 재단선 포함)")
def issue_command(slug: str, round_key: str, count: int, out: Path) -> None:
    """투표권 N장을 발급하고 번호·QR 코드가 찍힌 카드 PDF를 씁니다 (토큰은 이 PDF에만 남습니다)."""
    from judging.documents.ballots import render_ballot_cards
    from judging.services import audience

    contest, aud = _round(slug, round_key)
    base = current_app.config["PUBLIC_BASE_URL"]

    def work(s):  # noqa: ANN001, ANN202
        # The cards are written inside the unit of work: no ballot is kept whose card was not written.
        issued = audience.issue_ballots(s, aud, count, actor_label=_ACTOR)
        try:
            out.write_bytes(render_ballot_cards(audience.cards_data(contest, issued, base)))
        except OSError as error:
            raise DomainError(f"{out}: 파일을 쓸 수 없습니다 ({error.strerror}). "
                              "투표권은 발급되지 않았습니다.") from error
        return issued

    try:
        batch = db.commit_retrying(work, keep_refused=False)
    except DomainError as error:
        fail(error.message)
    except Exception:
        out.unlink(missing_ok=True)
        raise
    first, last = batch.cards[0].serial, batch.cards[-1].serial
    click.echo(f"{aud.title}: 투표권 {len(batch.cards)}장을 발급했습니다 ({first}~{last}번, 발급 {batch.batch}회차) → {out}")


@ballots_group.command("revoke")
@click.argument("slug")
@click.option("--round", "round_key", required=True)
@click.option("--serial", required=True, type=int, help="카드에 찍힌 번호")
@click.option("--reason", required=True, help="취소 사유 (예: 분실)")
def revoke_command(slug: str, round_key: str, serial: int, reason: str) -> None:
    """잃어버린 투표권을 번호로 취소합니다 (사용된 투표권은 취소할 수 없습니다)."""
    from judging.services import audience

    _contest, aud = _round(slug, round_key)
    try:
        db.commit_retrying(lambda s: audience.revoke_ballot(s, aud, serial, reason, actor_label=_ACTOR),
                           keep_refused=False)
    except DomainError as error:
        fail(error.message)
    click.echo(f"{serial}번 투표권을 취소했습니다.")


def _open_close(slug: str, round_key: str, opening: bool) -> None:
    from judging.services import lifecycle

    _contest, aud = _round(slug, round_key)

    def work(s):  # noqa: ANN001, ANN202
        if opening:
            return lifecycle.open_voting(s, aud, actor_label=_ACTOR)
        return lifecycle.close_voting(s, aud, actor_label=_ACTOR)

    try:
        count = db.commit_retrying(work, keep_refused=False)
    except DomainError as error:
        fail(error.message)
    if opening:
        click.echo(f"{aud.title} 투표를 열었습니다.")
    else:
        click.echo(f"{aud.title} 투표를 닫았습니다: {count['votes']}표 (집계 sha256 {count['digest'][:12]}…)")


@ballots_group.command("open")
@click.argument("slug")
@click.option("--round", "round_key", required=True)
def open_command(slug: str, round_key: str) -> None:
    """투표를 엽니다 (공모전이 심사 중일 때)."""
    _open_close(slug, round_key, True)


@ballots_group.command("close")
@click.argument("slug")
@click.option("--round", "round_key", required=True)
def close_command(slug: str, round_key: str) -> None:
    """투표를 닫고 집계(투표 수와 저장된 평가의 해시)를 감사 기록에 남깁니다."""
    _open_close(slug, round_key, False)


@ballots_group.command("status")
@click.argument("slug")
def status_command(slug: str) -> None:
    """현장평가단 라운드별 상태와 투표율."""
    from judging.services import audience

    contest = _results_contest(slug)
    rows = []
    labels = {"pending": "열기 전", "open": "투표 중", "closed": "마감"}
    for item in audience.contest_turnout(db.session(), contest):
        t = item.turnout
        rows.append([item.key, item.title, labels.get(item.status, item.status), str(t.issued), str(t.revoked),
                     str(t.cast), f"{t.percent_display}%" if t.percent_display else "-"])
    if not rows:
        fail(f"{slug}: 현장평가단 라운드가 없습니다.")
    click.echo("\n".join(format_table(["키", "라운드", "상태", "발급", "취소", "투표", "투표율"], rows,
                                      right={3, 4, 5, 6})))
