"""``judging scores import``, ``tally``, ``decide``, ``special``, ``withdraw-decision``: the scores
from paper, the ranking as it stands, and the recorded decisions on ties and special awards
(see docs/results.md)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
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
    refuse,
    run_unit,
    shown,
    split_keys,
)
from judging.cli.progress import ProgressDisplay
from judging.documents.excel import inert_text
from judging.messages import N_
from judging.scoring import PENDING
from judging.services import decisions, results, scores_import
from judging.services.errors import DomainError


@click.group("scores", cls=Group, help=N_("점수 불러오기 (종이 채점표 입력)."))
def scores_group() -> None:
    pass


@scores_group.command("import", help=N_("CSV(round,judge,entry,criterion,score[,comment])의 점수를 불러옵니다. 오류가 하나라도 있으면 아무것도 바꾸지 않습니다."))
@click.argument("slug")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--submit-sheets", is_flag=True, help=N_("파일에 있는 심사위원의 채점표를 제출 완료로 표시합니다 (서명된 종이 채점표)."))
def scores_import_command(slug: str, path: Path, submit_sheets: bool) -> None:
    contest = cli_contest(slug)
    data = path.read_bytes()
    with ProgressDisplay() as progress:
        report = run_unit(lambda s: scores_import.import_scores(
            s, contest, data, actor_label=CLI_ACTOR, source=path.name, submit_sheets=submit_sheets,
            progress=progress))
    click.echo(_("{file}: {rows}행을 불러왔습니다 (새 점수 {created}, 바뀐 점수 {updated}, 같은 점수 {unchanged}, "
                 "의견 {comments}).", file=path.name, rows=report.rows, created=report.created,
                 updated=report.updated, unchanged=report.unchanged, comments=report.comments))
    if report.submitted_sheets:
        shown_sheets = ", ".join(f"{r}/{j}" for r, j in report.submitted_sheets)
        click.echo(_("이미 제출된 채점표에 썼습니다: {sheets} (감사 기록에 남았습니다)", sheets=shown_sheets))
    if report.marked_submitted:
        click.echo(_("제출 완료로 표시한 채점표: {sheets}",
                     sheets=", ".join(f"{r}/{j}" for r, j in report.marked_submitted)))


def _advancement(value: str | None) -> str:
    labels = {"advanced": _("진출"), "not_advanced": _("탈락"), "tied_at_cut": _("경계 동점")}
    return labels.get(value or "", "-")


def tally_table(t, contest) -> str:  # noqa: ANN001
    """The tally as aligned text: the ranking, then the ties to decide, the special awards, and
    how many scores are missing."""
    kind = _("최종 순위") if t.is_final else _("라운드 순위")
    lines = [f"{contest.title} · {t.round_title}({t.round}) · {kind}",
             _("집계 방식: {method}", method=shown(t.method)), ""]
    headers = [_("순위"), _("참가팀"), _("점수"), _("심사"), _("등급") if t.is_final else _("진출"), _("제외(절사)"),
               _("회피"), _("동점 처리")]
    rows = []
    for r in t.rows:
        if t.is_final:
            status = _("결정 대기") if r.tier == PENDING else (r.tier_title or "-")
        else:
            status = _advancement(r.advancement)
        if r.tie_break:
            tie_break = shown(r.tie_break)
        else:
            tie_break = (shown(r.message) if r.message else "-") if r.rank is None else "-"
        rows.append([
            "-" if r.rank is None else str(r.rank),
            r.name,
            r.score if r.score is not None else _("집계 불가"),
            _("{n}명", n=r.n),
            status,
            ", ".join(r.dropped) or "-",
            ", ".join(r.recused) or "-",
            tie_break,
        ])
    lines += format_table(headers, rows, right={0, 2, 3})
    if t.unresolved_ties:
        lines += ["", _("결정되지 않은 동점:")]
        for tie in t.unresolved_ties:
            names = ", ".join(t.inputs.entrants[e].name for e in tie.entries)
            if tie.kind == "tier":
                tier = t.inputs.tier(tie.boundary)
                lines.append(_("  - {tier} 경계 {rank}위 동점: {names} (남은 자리 {places}) → judging decide {contest} "
                               "--tier {boundary} --entries {entries} --reason ...",
                               tier=tier.title if tier else tie.boundary, rank=tie.rank, names=names,
                               places=tie.places, contest=t.contest, boundary=tie.boundary,
                               entries=",".join(tie.entries)))
            else:
                lines.append(_("  - {boundary} 진출 경계 {rank}위 동점: {names} (남은 자리 {places}) "
                               "→ judging decide {contest} --advance {boundary} --entries ... --reason ...",
                               boundary=tie.boundary, rank=tie.rank, names=names, places=tie.places,
                               contest=t.contest))
    if t.special_awards:
        lines += ["", _("특별상:")]
        for s in t.special_awards:
            award = t.inputs.special_type(s.award)
            lines.append(_("  - {award}: {name} (사유: {reason})", award=award.title if award else s.award,
                           name=t.inputs.entrants[s.entry].name, reason=s.reason))
    if t.missing:
        lines += ["", _("입력되지 않은 점수 {missing}개: 결과가 아직 확정되지 않았습니다.", missing=t.missing)]
    return "\n".join(lines)


def tally_csv(t) -> str:  # noqa: ANN001
    """The tally as CSV (English column names, for scripts); cells a spreadsheet would run are made inert."""
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


@click.command("tally", cls=Command, help=N_("현재 점수로 순위·등급을 계산해 보여 줍니다 (저장하지 않습니다)."))
@with_appcontext
@click.argument("slug")
@click.option("--round", "round_key", help=N_("이 라운드의 순위만 (없으면 최종 순위)"))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help=N_("출력 형식"))
def tally_command(slug: str, round_key: str | None, fmt: str) -> None:
    contest = cli_contest(slug)
    try:
        t = results.tally(db.session(), contest, round_key)
    except DomainError as error:
        refuse(error)
    if fmt == "json":
        click.echo(json.dumps(t.to_json(), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(tally_csv(t), nl=False)
    else:
        click.echo(tally_table(t, contest))


@click.command("decide", cls=Command, help=N_("동점 결정을 기록합니다: --tier KEY --entries A,B | --order A,B | --advance ROUND --entries A,B."))
@with_appcontext
@click.argument("slug")
@click.option("--tier", "tier_key", help=N_("등급 경계 동점: 이 등급을 받을 참가팀을 --entries로"))
@click.option("--advance", "advance_round", help=N_("진출 경계 동점: 이 라운드에서 진출할 참가팀을 --entries로"))
@click.option("--order", "order", help=N_("동점 순서 결정: 참가팀 키를 앞선 순서대로 (A,B)"))
@click.option("--round", "round_key", help=N_("--order를 이 라운드의 순위에 적용 (없으면 최종 순위)"))
@click.option("--entries", help=N_("참가팀 키 (쉼표로 구분)"))
@click.option("--reason", required=True, help=N_("결정 사유"))
@click.option("--minutes", default="", help=N_("회의록 요지"))
def decide_command(slug: str, tier_key: str | None, advance_round: str | None, order: str | None,
                   round_key: str | None, entries: str | None, reason: str, minutes: str) -> None:
    chosen = [name for name, value in (("--tier", tier_key), ("--order", order), ("--advance", advance_round))
              if value]
    if len(chosen) != 1:
        fail(_("--tier, --order, --advance 중 하나만 지정하세요."))
    if order and entries:
        fail(_("--order에는 참가팀을 순서대로 적고 --entries는 쓰지 않습니다."))
    keys = split_keys(entries)
    if (tier_key or advance_round) and not keys:
        fail(_("{option}에는 --entries A,B가 필요합니다.", option=chosen[0]))
    contest = cli_contest(slug)
    if tier_key:
        decision = run_unit(lambda s: decisions.record_tier_decision(
            s, contest, tier_key, keys, reason, minutes, actor_label=CLI_ACTOR))
        click.echo(_("동점 결정을 기록했습니다 (결정 #{id}): {entries} → {tier}", id=decision.id,
                     entries=", ".join(keys), tier=tier_key))
    elif advance_round:
        decision = run_unit(lambda s: decisions.record_advance_decision(
            s, contest, advance_round, keys, reason, minutes, actor_label=CLI_ACTOR))
        click.echo(_("진출 결정을 기록했습니다 (결정 #{id}): {entries}", id=decision.id, entries=", ".join(keys)))
    else:
        ordered = split_keys(order)
        decision = run_unit(lambda s: decisions.record_order_decision(
            s, contest, ordered, reason, minutes, round_key=round_key, actor_label=CLI_ACTOR))
        click.echo(_("순위 결정을 기록했습니다 (결정 #{id}): {order}", id=decision.id, order=" > ".join(ordered)))


@click.command("special", cls=Command, help=N_("특별상을 지정합니다 (본선 진출 여부와 관계없이, 사유와 함께)."))
@with_appcontext
@click.argument("slug")
@click.argument("entry")
@click.option("--award", "award_key", required=True, help=N_("특별상 키"))
@click.option("--reason", required=True, help=N_("지정 사유"))
def special_command(slug: str, entry: str, award_key: str, reason: str) -> None:
    contest = cli_contest(slug)
    decision = run_unit(lambda s: decisions.designate_special(s, contest, entry, award_key, reason,
                                                              actor_label=CLI_ACTOR))
    click.echo(_("특별상 '{award}'을(를) {entry}에 지정했습니다 (결정 #{id}).", award=award_key, entry=entry,
                 id=decision.id))


@click.command("withdraw-decision", cls=Command, help=N_("기록된 결정이나 특별상 지정을 철회합니다 (기록은 남습니다)."))
@with_appcontext
@click.argument("slug")
@click.argument("decision_id", type=int)
@click.option("--reason", required=True, help=N_("철회 사유"))
def withdraw_decision_command(slug: str, decision_id: int, reason: str) -> None:
    contest = cli_contest(slug)
    run_unit(lambda s: decisions.withdraw_decision(s, contest, decision_id, reason, actor_label=CLI_ACTOR))
    click.echo(_("결정 #{id}을(를) 철회했습니다.", id=decision_id))
