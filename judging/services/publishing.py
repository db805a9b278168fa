"""Publishing a result: what still blocks it, the snapshot payload (schema in ``docs/results.md``)
and freezing it as a new numbered ``ResultSnapshot``. Services flush, never commit."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from judging import scoring
from judging.messages import N_, Message, Text, joined, keep_messages
from judging.models import (
    Contest,
    ResultSnapshot,
    Sheet,
    User,
    utcnow,
)
from judging.scoring.explain import tie_break_line
from judging.scoring.rounding import display, plain
from judging.scoring.serialize import to_jsonable
from judging.services import audience as audience_service
from judging.services import audit
from judging.services.errors import DomainError
from judging.services.published import latest_snapshot
from judging.services.result_inputs import ContestInputs, entry_names
from judging.services.results import (
    _deciding,
    _tie_json,
    compute_with_inputs,
    deciding_step_text,
    method_lines,
    step_text,
)
from judging.services.snapshots import payload_digest
from judging.services.states import refusal

#: The version of the published payload's layout (``payload["schema"]``).
SCHEMA_VERSION = 1
#: Contest statuses in which missing scores no longer block publishing (the organizer locked scoring).
LOCKED_STATUSES = ("locked", "published")


def preview_publish(session: orm.Session, contest: Contest) -> list[Message]:
    """What stops a publication right now (empty when it may go ahead); the state rule first."""
    reason = refusal(contest, "publish")
    if reason is not None:
        return [reason]
    inputs, result = compute_with_inputs(session, contest)
    return publish_blockers(session, contest, inputs, result)


def publish_blockers(session: orm.Session, contest: Contest, inputs: ContestInputs,
                     result: scoring.ContestResult) -> list[Message]:
    """What stops the result from being published now (messages; empty when nothing does)."""
    problems: list[Message] = []
    for tie in result.unresolved_ties:
        if tie.kind == "tier":
            tier = inputs.tier(tie.boundary)
            problems.append(Message(N_("'{tier}' 경계 동점 {rank}위 ({names}, 남은 자리 {places}): 동점 결정이 필요합니다"),
                                    {"tier": tier.title if tier else tie.boundary, "rank": tie.rank,
                                     "names": entry_names(inputs, tie.entries), "places": tie.places}))
        else:
            cut_round = inputs.round(tie.boundary)
            problems.append(Message(N_("{round} 진출 경계 동점 ({names}, 남은 자리 {places}): 진출 결정이 필요합니다"),
                                    {"round": cut_round.title if cut_round else tie.boundary,
                                     "names": entry_names(inputs, tie.entries), "places": tie.places}))
    if contest.status not in LOCKED_STATUSES:
        for rnd in result.rounds:
            if rnd.missing:
                judges = sorted({m.judge for m in rnd.missing})
                problems.append(Message(N_("{round}: 입력되지 않은 점수 {count}개 (심사위원 {judges})"),
                                        {"round": rnd.title, "count": len(rnd.missing), "judges": ", ".join(judges)}))
        submitted = {
            (round_id, judge_id)
            for round_id, judge_id in session.execute(
                sa.select(Sheet.round_id, Sheet.judge_id)
                .where(Sheet.round_id.in_([r.id for r in inputs.rounds]), Sheet.status == "submitted")
            )
        } if inputs.rounds else set()
        for rnd_row, rnd in zip(inputs.rounds, result.rounds, strict=True):
            expected = {j for j, total in _expected_judges(rnd)}
            waiting = sorted(j for j in expected if (rnd_row.id, inputs.judge_ids.get(j)) not in submitted)
            if waiting:
                problems.append(Message(N_("{round}: 채점표를 제출하지 않은 심사위원 {judges}"),
                                        {"round": rnd.title, "judges": ", ".join(waiting)}))
        if problems:
            problems.append(Message(N_("채점을 마감(잠금)하면 입력된 점수만으로 발표할 수 있습니다")))
    if not any(fe.rank is not None for fe in result.final):
        problems.append(Message(N_("순위가 매겨진 참가팀이 없습니다")))
    return problems


def _expected_judges(rnd: scoring.RoundResult) -> list[tuple[str, int]]:
    """Judges with anything to score in the round: those with a counted total, a missing score or an
    incomplete sheet (recused judges excepted)."""
    found: dict[str, int] = {}
    for er in rnd.entries:
        for judge, _total in er.totals:
            found[judge] = found.get(judge, 0) + 1
        for m in er.missing:
            found[m.judge] = found.get(m.judge, 0) + 1
    return sorted(found.items())


def publish(session: orm.Session, contest: Contest, actor: User | None = None, note: str = "", *,
            actor_label: str | None = None, accept_weights: bool = False) -> ResultSnapshot:
    """Freeze the current result as a new numbered snapshot (version = previous + 1). Audited. The
    snapshot is never changed afterwards. The contest's status is not this function's business:
    ``lifecycle.publish`` (what the views and the CLI call) allows it only from ``locked`` and then
    moves the contest to ``published``.

    Raises ``DomainError`` (listing every reason) while a tie is unresolved, or while scores are
    missing or a sheet is unsubmitted and the contest is not locked; also when nothing changed
    since the latest snapshot. A weighted final whose components carry an effective weight beyond
    the contest's margin from the announced one (``audience.weight_warnings``) is published only with
    ``accept_weights``; otherwise ``DomainError`` with ``details["weights"]``.
    """
    inputs, result = compute_with_inputs(session, contest)
    problems = publish_blockers(session, contest, inputs, result)
    if problems:
        raise DomainError(N_("아직 발표할 수 없습니다.\n- {problems}"), problems=joined(problems, "\n- "),
                          details={"problems": problems})
    warnings = audience_service.weight_warnings(contest, inputs, result)
    if warnings and not accept_weights:
        raise DomainError(N_("실제 가중치가 발표한 가중치와 다릅니다. 확인한 뒤 다시 공개해 주세요.\n- {warnings}"),
                          warnings=joined(warnings, "\n- "), details={"weights": list(warnings)})
    payload = build_payload(contest, inputs, result)
    digest = payload_digest(payload)
    latest = latest_snapshot(session, contest)
    if latest is not None and latest.digest == digest:
        raise DomainError(N_("제{version}판 발표 이후 바뀐 결과가 없어 새 판을 만들지 않았습니다."),
                          version=latest.version)
    version = (latest.version if latest is not None else 0) + 1
    snapshot = ResultSnapshot(contest_id=contest.id, version=version, payload=payload, digest=digest,
                              published_by=None if actor is None else actor.id, published_at=utcnow(),
                              note=(note or "").strip())
    session.add(snapshot)
    before_status = contest.status
    session.flush()
    audit.record(session, "result.publish", actor=actor, actor_label=actor_label, contest_id=contest.id,
                 target_type="result_snapshot", target_id=snapshot.id,
                 before={"status": before_status, "version": latest.version if latest else None},
                 after={"status": "published", "version": version, "digest": digest, "note": snapshot.note})
    return snapshot


#: an entry's aggregate in the disclosure, by method: (with its figure, when it could not be computed)
_DISCLOSED_AGGREGATE = {
    scoring.Aggregation.TRIMMED_MEAN: (
        N_("{title}: 심사위원 {n}명 중 최고점·최저점 각 {trim}개를 제외한 {used}명의 평균 {display}점"), None),
    scoring.Aggregation.MEDIAN: (N_("{title}: 심사위원 {n}명의 중앙값 {display}점"),
                                 N_("{title}: 심사위원 {n}명의 중앙값: 집계 불가 ({reason})")),
    scoring.Aggregation.ZSCORE_MEAN: (N_("{title}: 심사위원 {n}명의 표준점수 평균 환산값 {display}점"),
                                      N_("{title}: 심사위원 {n}명의 표준점수 평균 환산값: 집계 불가 ({reason})")),
}
_DISCLOSED_MEAN = (N_("{title}: 심사위원 {n}명의 평균 {display}점"), N_("{title}: 심사위원 {n}명의 평균: 집계 불가 ({reason})"))


def disclosure_lines(result: scoring.ContestResult, fe: scoring.FinalEntry, inputs: ContestInputs) -> list[str]:
    """An entry's explanation fit for the entrant: no judge keys, no single judge's total (``Text``
    lines: Korean, translatable at the edge)."""
    lines: list[str] = []
    for rx in fe.explanation.rounds:
        spec = inputs.spec.round(rx.round)
        recused = sum(1 for d in rx.dropped if d.total is None and d.reason == scoring.RECUSED)
        incomplete = sum(1 for d in rx.dropped if d.total is None and d.reason == scoring.INCOMPLETE)
        shown, unknown = _DISCLOSED_AGGREGATE.get(spec.aggregation, _DISCLOSED_MEAN)
        if rx.exact is not None:
            lines.append(Text(shown, title=rx.title, n=rx.n, trim=spec.trim, used=rx.used, display=rx.display))
        else:  # a trimmed mean that could not be computed reads as a plain mean
            lines.append(Text(unknown or _DISCLOSED_MEAN[1], title=rx.title, n=rx.n, reason=rx.message))
        if recused:
            lines.append(Text(N_("{title}: 이해충돌로 심사위원 {recused}명이 회피해 {n}명으로 집계했습니다"),
                              title=rx.title, recused=recused, n=rx.n))
        if incomplete:
            lines.append(Text(N_("{title}: 채점을 마치지 않은 심사위원 {incomplete}명은 집계에서 뺐습니다"),
                              title=rx.title, incomplete=incomplete))
    if fe.display is not None and len(fe.explanation.rounds) > 1:
        lines.append(Text(N_("최종 점수 {display}점"), display=fe.display))
    deciding = _deciding(fe.tie_breaks)
    if deciding is not None:
        lines.append(Text(N_("동점 처리: {step}(으)로 순위를 정했습니다"), step=step_text(inputs, deciding.step)))
    elif fe.tie_breaks:
        lines.append(Text(N_("동점 처리 규칙을 모두 적용해도 동점이라 같은 순위입니다")))
    lines.append(fe.tier_rule)
    return lines


def build_payload(contest: Contest, inputs: ContestInputs, result: scoring.ContestResult) -> dict[str, Any]:
    """The snapshot payload (schema in docs/results.md): plain JSON values only."""
    spec = inputs.spec
    last = spec.rounds[-1]
    last_result = result.round(last.key)
    specials = {s.entry: s for s in result.special_awards}
    tier_rows = {t.key: t for t in inputs.tiers}
    special_rows = {s.key: s for s in inputs.special_types}

    entries = []
    for fe in result.final:
        info = inputs.entrants[fe.entry]
        er = last_result.entry(fe.entry)
        tier = tier_rows.get(fe.tier or "")
        criteria = [
            {"key": c.criterion, "title": last.criterion(c.criterion).title,
             "max": None if c.weighted_max is None else plain(c.weighted_max), "score": c.points_display}
            for c in er.criteria
        ]
        rounds = []
        for rnd in result.rounds:
            try:
                item = rnd.entry(fe.entry)
            except KeyError:
                continue
            rounds.append({"key": rnd.key, "score": item.display, "n": item.n, "rank": item.rank})
        entries.append({
            "entry": fe.entry,
            "name": info.name,
            "district": info.district,
            "project_title": info.project_title,
            "rank": fe.rank,
            "tier": fe.tier,
            "tier_title": tier.title if tier else None,
            "award_name": (tier.award_name or tier.title) if tier else None,
            "score": fe.display,
            "exact": to_jsonable(fe.exact),  # the exact Decimal as text
            "status": fe.status,
            "message": fe.message,
            "n": fe.n,
            "dropped": list(fe.dropped),  # judge keys, organizer-facing exports only
            "recused": len(er.recused),
            # each counted judge's total in the last round and the highest possible one (organizer-facing)
            "judge_totals": [[judge, plain(total)] for judge, total in er.totals],
            "max_total": plain(last.max_total),
            "criteria": criteria,
            "rounds": rounds,
            "tie_break": deciding_step_text(inputs, fe.tie_breaks),
            "tie_breaks": [
                {"step": t.step, "outcome": t.outcome, "text": tie_break_line(t)} for t in fe.tie_breaks
            ],
            "tier_rule": fe.tier_rule,
            "explanation": list(fe.explanation.lines()),
            "disclosure": disclosure_lines(result, fe, inputs),
            "special_award": specials[fe.entry].award if fe.entry in specials else None,
        })

    screening = []
    for rnd in result.rounds[:-1]:
        screening.append({
            "round": rnd.key,
            "entries": [
                {"entry": er.entry, "name": inputs.entrants[er.entry].name, "rank": er.rank, "score": er.display,
                 "n": er.n, "advancement": er.advancement}
                for er in rnd.entries
            ],
        })

    finalists = {fe.entry for fe in result.final}
    special_awards = []
    for s in result.special_awards:
        info = inputs.entrants[s.entry]
        row = special_rows.get(s.award)
        special_awards.append({
            "entry": s.entry, "name": info.name, "district": info.district, "project_title": info.project_title,
            "award": s.award, "title": row.title if row else s.award,
            "award_name": (row.award_name or row.title) if row else s.award,
            "reason": s.reason, "finalist": s.entry in finalists,
        })

    round_keys = {r.id: r.key for r in inputs.rounds}
    tier_keys = {t.id: t.key for t in inputs.tiers}
    special_keys = {s.id: s.key for s in inputs.special_types}
    entry_keys = {info.entry_id: info.key for info in inputs.entrants.values()}
    stale = {d.id for d in inputs.stale_decisions(result)}
    decisions = [
        {
            "kind": d.kind,
            "tier": tier_keys.get(d.tier_id) if d.tier_id else None,
            "award": special_keys.get(d.special_award_id) if d.special_award_id else None,
            "round": round_keys.get(d.round_id) if d.round_id else None,
            "entries": [entry_keys[de.entry_id] for de in d.entries if de.entry_id in entry_keys],
            "reason": d.reason,
            "minutes": d.minutes,
            "decided_at": d.decided_at.isoformat(timespec="seconds") if d.decided_at else None,
            # False: recorded but not used by this result (its tie is gone or the cascade settles it)
            "applied": d.id not in stale,
        }
        for d in inputs.decisions
    ]

    analytics = []
    for rnd in result.rounds:
        a = rnd.analytics
        analytics.append({
            "round": rnd.key,
            "judges": [
                {"judge": j.judge, "n": j.n, "mean": display(j.mean), "std": display(j.std),
                 "offset": display(j.offset)}
                for j in a.judges
            ],
            "disagreements": [
                {"entry": d.entry, "spread": display(d.spread), "lowest": plain(d.lowest),
                 "highest": plain(d.highest), "totals": [[j, plain(t)] for j, t in d.totals]}
                for d in a.disagreements
            ],
            "agreement": to_jsonable(a.agreement),
            "missing": [to_jsonable(m) for m in rnd.missing],
        })

    payload = {
        "schema": SCHEMA_VERSION,
        "contest": {
            "slug": contest.slug,
            "title": contest.title,
            "organizer": contest.organizer,
            "issuer": contest.issuer,
            "issuer_name": contest.issuer_name,
            "held_on": contest.held_on.isoformat() if contest.held_on else None,
            "venue": contest.venue,
            "final_mode": str(spec.final),
            "method": result.method,
            "method_text": method_lines(inputs),
            "rank_precision": scoring.rounding.rank_precision_text(spec.rank_precision),
            "rank_rule": scoring.rounding.rank_rule_text(spec.rank_precision),
            "tie_break": [s.label for s in spec.tie_break],
            "tie_break_text": [step_text(inputs, s.label) for s in spec.tie_break],
            "judge_count": len(last_result.judges),
        },
        "rounds": [
            {
                "key": r.key, "title": r.title, "method": r.method_label, "max_total": plain(r.max_total),
                "weight": plain(r.weight), "advance": r.advance, "entry_count": len(result.round(r.key).entries),
                "criteria": [
                    {"key": c.key, "title": c.title, "max": plain(c.max_points), "scale": str(c.scale),
                     "weight": plain(c.weight), "weighted_max": plain(c.weighted_max)}
                    for c in r.criteria
                ],
            }
            for r in spec.rounds
        ],
        "tiers": [
            {"key": t.key, "title": t.title, "award_name": t.award_name or t.title, "count": t.count,
             "threshold": None if t.threshold is None else plain(t.threshold)}
            for t in inputs.tiers
        ],
        "special_award_types": [
            {"key": s.key, "title": s.title, "award_name": s.award_name or s.title} for s in inputs.special_types
        ],
        "entries": entries,
        "screening": screening,
        "unresolved_ties": [_tie_json(t) for t in result.unresolved_ties],
        "special_awards": special_awards,
        "decisions": decisions,
        "organizer_only": {
            "judges": [{"key": k, "name": v} for k, v in sorted(inputs.judges.items())],
            "analytics": analytics,
        },
        **audience_service.payload_part(contest, inputs, result),
    }
    audience_service.extend_disclosure(payload)
    # Every word the core or this service wrote stays Korean text, with its message kept beside it
    # (``"messages"``), so a page reads a published result in the reader's language.
    return keep_messages(payload)
