"""``judging audit verify``: the tamper-evident record (a hash chain) checked end to end."""

from __future__ import annotations

import click

from judging import db
from judging.cli.common import Group, _, cli_contest, fail, shown
from judging.messages import N_
from judging.services import audit_chain


@click.group("audit", cls=Group, help=N_("감사 기록 (해시 체인)."))
def audit_group() -> None:
    pass


@audit_group.command("verify", help=N_("감사 기록의 해시 체인과 발표 결과의 요약값을 검증합니다. 온전하면 0, 아니면 1로 끝나며 처음 끊긴 기록을 알려 줍니다. SLUG를 주면 그 공모전의 기록 내용과 발표 결과를 다시 계산합니다 (순번과 연결은 늘 전체를 봅니다)."))
@click.argument("slug", required=False)
def audit_verify_command(slug: str | None) -> None:
    contest = cli_contest(slug) if slug else None
    report = audit_chain.verify(db.session(), contest)
    if slug:
        scope = _("'{slug}' 기록 {count}건", slug=slug, count=report.checked)
    else:
        scope = _("기록 {count}건", count=report.checked)
    if report.ok:
        click.echo(_("감사 기록 {events}건의 해시 체인이 온전합니다 ({scope} 내용 확인, 발표 결과 {snapshots}개 확인). "
                     "마지막 #{seq} sha256 {hash}", events=report.events, scope=scope, snapshots=report.snapshots,
                     seq=report.head_seq, hash=report.head_hash))
        return
    first = report.first
    assert first is not None
    click.echo(_("감사 기록 {events}건 가운데 끊긴 곳 {count}곳:", events=report.events, count=len(report.problems)),
               err=True)
    for problem in report.problems:
        click.echo("- " + shown(audit_chain.describe(problem)), err=True)
    fail(_("처음 끊긴 곳: {where}", where=shown(audit_chain.describe(first))))
