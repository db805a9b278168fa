"""Decisions people record about a result: tie decisions at a tier boundary, the order of entries
still tied after the cascade, who advances at a screening cut, special awards, and withdrawing any of
them. Each is checked against the current result before it is written, needs a reason and is audited.
Services flush, never commit (see ``docs/results.md``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import orm

from judging import scoring
from judging.messages import N_, Message
from judging.models import (
    Contest,
    Decision,
    DecisionEntry,
    User,
    utcnow,
)
from judging.services import audit
from judging.services.errors import DomainError, NotFound
from judging.services.result_inputs import ContestInputs, entry_names, load_inputs
from judging.services.results import _run


def _require_reason(reason: str, what: Message) -> str:
    text = (reason or "").strip()
    if not text:
        raise DomainError(N_("{what}에는 사유를 적어야 합니다."), what=what, field="reason")
    return text


def _entry_keys(inputs: ContestInputs, keys: Iterable[str], *, minimum: int = 1) -> tuple[str, ...]:
    cleaned = tuple(k.strip() for k in keys if k and k.strip())
    if len(cleaned) < minimum:
        raise DomainError(N_("참가팀을 {minimum}개 이상 지정해야 합니다."), minimum=minimum, field="entries")
    duplicates = sorted({k for k in cleaned if cleaned.count(k) > 1})
    if duplicates:
        raise DomainError(N_("같은 참가팀이 두 번 들어 있습니다: {duplicates}"), duplicates=', '.join(duplicates), field="entries")
    unknown = [k for k in cleaned if k not in inputs.entrants]
    if unknown:
        raise DomainError(N_("없는 참가팀입니다: {unknown}"), unknown=', '.join(unknown), field="entries")
    return cleaned


def _store(
    session: orm.Session, contest: Contest, inputs: ContestInputs, kind: str, entries: Sequence[str], reason: str,
    minutes: str, actor: User | None, *, tier_id: int | None = None, special_award_id: int | None = None,
    round_id: int | None = None,
) -> Decision:
    decision = Decision(
        contest_id=contest.id, kind=kind, tier_id=tier_id, special_award_id=special_award_id, round_id=round_id,
        reason=reason, minutes=(minutes or "").strip(), decided_by=None if actor is None else actor.id,
        decided_at=utcnow(),
    )
    for position, key in enumerate(entries, start=1):
        decision.entries.append(DecisionEntry(entry_id=inputs.entrants[key].entry_id, position=position))
    session.add(decision)
    session.flush()
    return decision


def _audit_decision(session: orm.Session, contest: Contest, decision: Decision, action: str, after: dict,
                    actor: User | None, actor_label: str | None) -> None:
    audit.record(session, action, actor=actor, actor_label=actor_label, contest_id=contest.id,
                 target_type="decision", target_id=decision.id, after=after)


def record_tier_decision(
    session: orm.Session,
    contest: Contest,
    tier_key: str,
    entry_keys: Sequence[str],
    reason: str,
    minutes: str = "",
    actor: User | None = None,
    *,
    actor_label: str | None = None,
) -> Decision:
    """Resolve a tie across a tier boundary: ``entry_keys`` (some or all of the tied entries) take
    tier ``tier_key``; the rest of the tie goes to the next tier. Audited.

    Raises ``DomainError`` for an empty reason, an unknown tier or entry, when the current result
    reports no tie at that tier's boundary, or when an entry listed is not part of that tie.
    """
    reason = _require_reason(reason, Message(N_("동점 결정")))
    inputs = load_inputs(session, contest)
    tier = inputs.tier(tier_key)
    if tier is None:
        known = ", ".join(t.key for t in inputs.tiers) or Message(N_("없음"))
        raise DomainError(N_("수상 등급 '{tier_key}'이(가) 없습니다 (있는 등급: {known})"), tier_key=tier_key, known=known, field="tier")
    keys = _entry_keys(inputs, entry_keys)
    result = _run(inputs)
    ties = [t for t in result.unresolved_ties if t.kind == "tier" and t.boundary == tier.key]
    if not ties:
        raise DomainError(
            N_("'{title}' 경계에 결정을 기다리는 동점이 없습니다. 동점 결정은 결과에 보고된 동점에만 기록합니다."), title=tier.title,
            field="tier",
        )
    tie = next((t for t in ties if set(keys) <= set(t.entries)), None)
    if tie is None:
        outside = sorted(set(keys) - {e for t in ties for e in t.entries})
        raise DomainError(
            N_("{names}은(는) '{title}' 경계 동점({tied})에 들어 있지 않습니다."), names=entry_names(inputs, outside or keys),
            title=tier.title, tied=entry_names(inputs, ties[0].entries),
            field="entries",
        )
    # The decision must leave a computable result: checked on the inputs already loaded, before writing.
    _run(inputs, tier_decisions=(*inputs.tier_decisions, scoring.TierDecision(tier.key, tuple(sorted(keys)), reason)))
    decision = _store(session, contest, inputs, "tier", sorted(keys), reason, minutes, actor, tier_id=tier.id)
    _audit_decision(session, contest, decision, "result.decision.tier", {
        "tier": tier.key, "entries": sorted(keys), "tie": list(tie.entries), "places": tie.places,
        "reason": reason, "minutes": decision.minutes,
    }, actor, actor_label)
    return decision


def _tied_groups(placings: Iterable[tuple[str, int | None]]) -> list[set[str]]:
    groups: dict[int, set[str]] = {}
    for entry, rank in placings:
        if rank is not None:
            groups.setdefault(rank, set()).add(entry)
    return [g for g in groups.values() if len(g) > 1]


def record_order_decision(
    session: orm.Session,
    contest: Contest,
    entry_keys: Sequence[str],
    reason: str,
    minutes: str = "",
    actor: User | None = None,
    *,
    round_key: str | None = None,
    actor_label: str | None = None,
) -> Decision:
    """Record the order (best first) of entries still tied after every other cascade step: the
    ``decision`` step of the announced cascade. ``round_key`` scopes it to that round's ranking
    (default: the final ranking). Audited.

    Raises ``DomainError`` when the cascade has no ``decision`` step, for an empty reason, unknown or
    repeated entries, or when the entries are not exactly one group still tied.
    """
    reason = _require_reason(reason, Message(N_("순위 결정")))
    inputs = load_inputs(session, contest)
    if not any(s.kind is scoring.TieBreakKind.DECISION for s in inputs.spec.tie_break):
        raise DomainError(N_("공모전의 동점 처리 규칙에 '심사위원회 결정(decision)' 단계가 없어 순위 결정을 기록할 수 없습니다. 동점은 같은 순위로 남습니다."))
    keys = _entry_keys(inputs, entry_keys, minimum=2)
    result = _run(inputs)
    round_id = None
    if round_key is None:
        groups = _tied_groups((fe.entry, fe.rank) for fe in result.final)
        where = Message(N_("최종 순위"))
    else:
        rnd = inputs.round(round_key)
        if rnd is None:
            raise DomainError(N_("라운드 '{round_key}'이(가) 없습니다."), round_key=round_key, field="round")
        groups = _tied_groups((er.entry, er.rank) for er in result.round(rnd.key).entries)
        where = Message(N_("{title} 순위"), {"title": rnd.title})
        round_id = rnd.id
    if set(keys) not in groups:
        if not groups:
            raise DomainError(N_("{where}에 동점으로 남은 참가팀이 없습니다."), where=where, field="entries")
        shown = " / ".join(entry_names(inputs, sorted(g)) for g in groups)
        raise DomainError(
            N_("순위 결정은 동점으로 남은 참가팀 전부를 한 번에 지정해야 합니다. 현재 동점: {shown}"), shown=shown, field="entries"
        )
    _run(inputs, order_decisions=(*inputs.order_decisions,
                                  scoring.OrderDecision(tuple(keys), reason, round_key or "final")))
    decision = _store(session, contest, inputs, "order", keys, reason, minutes, actor, round_id=round_id)
    _audit_decision(session, contest, decision, "result.decision.order", {
        "scope": round_key or "final", "order": list(keys), "reason": reason, "minutes": decision.minutes,
    }, actor, actor_label)
    return decision


def record_advance_decision(
    session: orm.Session,
    contest: Contest,
    round_key: str,
    entry_keys: Sequence[str],
    reason: str,
    minutes: str = "",
    actor: User | None = None,
    *,
    actor_label: str | None = None,
) -> Decision:
    """Resolve a tie at a screening round's cut: of the tied entries, ``entry_keys`` advance and the
    others do not. Audited.

    Raises ``DomainError`` for an empty reason, an unknown round or entry, when the round reports no
    tie at its cut, or when an entry listed is not in that tie.
    """
    reason = _require_reason(reason, Message(N_("진출 결정")))
    inputs = load_inputs(session, contest)
    rnd = inputs.round(round_key)
    if rnd is None:
        raise DomainError(N_("라운드 '{round_key}'이(가) 없습니다."), round_key=round_key, field="round")
    keys = _entry_keys(inputs, entry_keys)
    result = _run(inputs)
    tie = next((t for t in result.unresolved_ties if t.kind == "cut" and t.boundary == rnd.key), None)
    if tie is None:
        raise DomainError(N_("{title}의 진출 경계에 결정을 기다리는 동점이 없습니다."), title=rnd.title, field="round")
    if not set(keys) <= set(tie.entries):
        outside = sorted(set(keys) - set(tie.entries))
        raise DomainError(
            N_("{names}은(는) {title} 진출 경계 동점({tied})에 들어 있지 않습니다."), names=entry_names(inputs, outside),
            title=rnd.title, tied=entry_names(inputs, tie.entries),
            field="entries",
        )
    _run(inputs, advance_decisions=(*inputs.advance_decisions,
                                    scoring.AdvanceDecision(rnd.key, tuple(sorted(keys)), reason)))
    decision = _store(session, contest, inputs, "advance", sorted(keys), reason, minutes, actor, round_id=rnd.id)
    _audit_decision(session, contest, decision, "result.decision.advance", {
        "round": rnd.key, "entries": sorted(keys), "tie": list(tie.entries), "places": tie.places,
        "reason": reason, "minutes": decision.minutes,
    }, actor, actor_label)
    return decision


def designate_special(
    session: orm.Session,
    contest: Contest,
    entry_key: str,
    award_key: str,
    reason: str,
    actor: User | None = None,
    *,
    minutes: str = "",
    actor_label: str | None = None,
) -> Decision:
    """Designate a special award (특별상) for any entrant, finalist or not, with the reason. Audited.

    One result earns one award: raises ``DomainError`` when the entry holds a tier (or a tier
    pending a decision) or already has a special award; also for an unknown award or entry and an
    empty reason.
    """
    reason = _require_reason(reason, Message(N_("특별상 지정")))
    inputs = load_inputs(session, contest)
    award = inputs.special_type(award_key)
    if award is None:
        known = ", ".join(s.key for s in inputs.special_types) or Message(N_("없음"))
        raise DomainError(N_("특별상 '{award_key}'이(가) 없습니다 (있는 특별상: {known})"), award_key=award_key, known=known, field="award")
    (key,) = _entry_keys(inputs, [entry_key])
    name = entry_names(inputs, [key])
    held = next((s for s in inputs.special_awards if s.entry == key), None)
    if held is not None:
        title = inputs.special_type(held.award)
        raise DomainError(
            N_("{name}은(는) 이미 특별상 '{award}'을(를) 받았습니다. 한 참가팀은 특별상을 하나만 받을 수 있습니다."), name=name,
            award=title.title if title else held.award,
            field="entry",
        )
    result = _run(inputs)
    placement = next((fe for fe in result.final if fe.entry == key), None)
    if placement is not None and placement.tier is not None:
        if placement.tier == scoring.PENDING:
            what = Message(N_("결정을 기다리는 수상 등급"))
        else:
            tier = inputs.tier(placement.tier)
            what = Message(N_("'{tier}' 등급"), {"tier": tier.title if tier else placement.tier})
        raise DomainError(
            N_("{name}은(는) 이미 {what}이(가) 있어 특별상을 함께 줄 수 없습니다 (한 성과에 한 포상)."), name=name, what=what,
            field="entry",
        )
    _run(inputs, special_awards=(*inputs.special_awards, scoring.SpecialAward(award.key, key, reason)))
    decision = _store(session, contest, inputs, "special", [key], reason, minutes, actor, special_award_id=award.id)
    _audit_decision(session, contest, decision, "result.special", {
        "award": award.key, "entry": key, "finalist": placement is not None, "reason": reason,
    }, actor, actor_label)
    return decision


def withdraw_decision(
    session: orm.Session,
    contest: Contest,
    decision_id: int,
    reason: str,
    actor: User | None = None,
    *,
    actor_label: str | None = None,
) -> Decision:
    """Withdraw a recorded decision or special award (the row stays, ``withdrawn_at`` is set). Audited.

    Raises ``NotFound`` for a decision of another contest, ``DomainError`` when it is already
    withdrawn or the reason is empty.
    """
    reason = _require_reason(reason, Message(N_("결정 철회")))
    decision = session.get(Decision, decision_id)
    if decision is None or decision.contest_id != contest.id:
        raise NotFound(N_("그 결정을 찾을 수 없습니다."))
    if decision.withdrawn_at is not None:
        raise DomainError(N_("이미 철회된 결정입니다."))
    decision.withdrawn_at = utcnow()
    session.flush()
    audit.record(session, "result.decision.withdraw", actor=actor, actor_label=actor_label, contest_id=contest.id,
                 target_type="decision", target_id=decision.id,
                 before={"kind": decision.kind, "reason": decision.reason}, after={"withdraw_reason": reason})
    return decision
