"""Results from the database: the computed result, the method and tie-break texts and the display-ready tally.

The service maps the database to the pure scoring core (``judging.scoring``), which ranks. Results
live in six rooms (see ``docs/results.md``):

* ``result_inputs`` — ``contest_spec`` -> ``ContestInputs``: the core's inputs read from the database;
* here — ``compute`` / ``compute_with_inputs`` (the result, recomputed from the database),
  ``tally(session, contest, round_key=None) -> Tally`` (display-ready rows), the method and
  tie-break texts;
* ``decisions`` — ``record_tier_decision``, ``record_order_decision``, ``record_advance_decision``,
  ``designate_special``, ``withdraw_decision``;
* ``publishing`` — ``publish(session, contest, actor, note="") -> ResultSnapshot``, the blockers and
  the payload (``build_payload``);
* ``snapshots`` — ``snapshots``, ``snapshot``, ``snapshot_diff(old, new)``, ``payload_digest``;
  ``published`` — ``latest_snapshot`` and reading a payload.

Each room is imported from where it lives (``publishing.publish``, ``decisions.designate_special``, …):
they import this module, never the other way round. Services flush, never commit. Every refusal is a
``DomainError`` with a Korean message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import orm

from judging import scoring
from judging.messages import N_, Message, Text, joined
from judging.models import (
    Contest,
)
from judging.scoring.rounding import display, plain
from judging.services import snapshots as _snapshots  # noqa: F401  (its listener: snapshots are never updated)
from judging.services.errors import DomainError, NotFound
from judging.services.result_inputs import ContestInputs, load_inputs


def _run(inputs: ContestInputs, **override: Any) -> scoring.ContestResult:
    args: dict[str, Any] = {
        "tier_decisions": inputs.tier_decisions,
        "order_decisions": inputs.order_decisions,
        "special_awards": inputs.special_awards,
        "advance_decisions": inputs.advance_decisions,
    }
    args.update(override)
    try:
        return scoring.compute_contest(inputs.spec, inputs.scores, inputs.conflicts, inputs.assignments,
                                       audience=inputs.ballots, **args)
    except scoring.AwardConflictError as exc:
        raise DomainError(N_("특별상 지정이 현재 결과와 맞지 않습니다: {reason}. 특별상 지정을 철회한 뒤 다시 지정하세요."),
                          reason=exc.text) from None
    except scoring.DecisionError as exc:
        raise DomainError(N_("기록된 결정이 서로 맞지 않습니다: {reason}. 결정 하나를 철회하세요."), reason=exc.text) from None
    except scoring.ScoringError as exc:
        raise DomainError(N_("점수로 결과를 계산할 수 없습니다: {reason}"), reason=exc.text) from None


def compute(session: orm.Session, contest: Contest) -> scoring.ContestResult:
    """The contest's current result, recomputed from the database (nothing cached).

    Raises ``DomainError`` with the reason when the stored scores or decisions cannot be scored
    (an off-scale stored value, contradicting decisions, a special award to an entry that now holds
    a tier).
    """
    return _run(load_inputs(session, contest, display=False))


def compute_with_inputs(session: orm.Session, contest: Contest) -> tuple[ContestInputs, scoring.ContestResult]:
    """``compute`` that also returns the inputs (names, districts, titles) for display."""
    inputs = load_inputs(session, contest)
    return inputs, _run(inputs)


# ---------------------------------------------------------------------------------------------
# Texts: method, tie-break steps


#: How a round combines its judges' totals, one sentence per method ({advance}: ", 상위 N팀 진출" or "").
_METHOD_SENTENCES = {
    scoring.Aggregation.TRIMMED_MEAN: N_("{round}: 심사위원별 총점(배점 {max}점)의 최고점 {trim}개와 최저점 {trim}개를 "
                                         "제외한 평균{advance}"),
    scoring.Aggregation.MEDIAN: N_("{round}: 심사위원별 총점(배점 {max}점)의 중앙값{advance}"),
    scoring.Aggregation.ZSCORE_MEAN: N_("{round}: 심사위원별 총점(배점 {max}점)의 심사위원별 표준점수(z) 평균을 "
                                        "라운드 배점으로 환산한 값{advance}"),
}


def method_lines(inputs: ContestInputs) -> list[Message]:
    """How the scores were combined, one sentence per round plus the final rule (messages; the
    snapshot stores them rendered in Korean)."""
    lines = []
    for rnd in inputs.spec.rounds:
        sentence = _METHOD_SENTENCES.get(rnd.aggregation, N_("{round}: 심사위원별 총점(배점 {max}점)의 평균{advance}"))
        advance = "" if rnd.advance is None else Message(N_(", 상위 {n}팀 진출"), {"n": rnd.advance})
        lines.append(Message(sentence, {"round": rnd.title, "max": plain(rnd.max_total), "trim": rnd.trim,
                                        "advance": advance}))
    if inputs.spec.final is scoring.FinalMode.WEIGHTED:
        parts = " + ".join(f"{r.title} {plain(r.weight)}" for r in inputs.spec.rounds)
        lines.append(Message(N_("최종 점수: 라운드별 점수를 100점으로 환산해 가중 합산 ({parts})"), {"parts": parts}))
    else:
        lines.append(Message(N_("최종 점수: {round} 점수"), {"round": inputs.spec.rounds[-1].title}))
    rule = scoring.rounding.rank_rule_text(inputs.spec.rank_precision)
    lines.append(rule.message if isinstance(rule, Text) else Message(rule))
    lines.append(Message(N_("심사위원 수가 다른 참가팀은 합계가 아닌 평균으로 비교합니다")))
    return lines


_STEP_NAMES = {
    "untrimmed_mean": N_("최고·최저점을 제외하지 않은 평균"),
    "top_count": N_("최고점을 준 심사위원 수"),
    "decision": N_("심사위원회 결정(회의록)"),
}


def step_text(inputs: ContestInputs, label: str) -> Message:
    """A cascade step's name: "criterion:need" -> "'사업의 필요성' 점수"."""
    kind, _sep, key = label.partition(":")
    if kind == "round":
        rnd = next((r for r in inputs.spec.rounds if r.key == key), None)
        return Message(N_("{round} 점수"), {"round": rnd.title if rnd else key})
    if kind == "criterion":
        rnd = inputs.spec.criterion_round(key)
        return Message(N_("'{criterion}' 점수"), {"criterion": rnd.criterion(key).title if rnd is not None else key})
    return Message(_STEP_NAMES.get(kind, label))


def _deciding(applied: Sequence[scoring.TieBreakApplied]) -> scoring.TieBreakApplied | None:
    decided = [a for a in applied if a.outcome == "decided"]
    return decided[-1] if decided else None


def deciding_step_text(inputs: ContestInputs, applied: Sequence[scoring.TieBreakApplied]) -> Message | None:
    """The cascade step that finally separated this entry from its tie, with the compared values;
    None when the entry was never tied (or is still tied)."""
    step = _deciding(applied)
    if step is None:
        return None
    if step.step == "decision":
        name = step_text(inputs, step.step)
        return Message(N_("{step} (사유: {note})"), {"step": name, "note": step.note}) if step.note else name
    values = joined((Message(N_("{entry} 없음"), {"entry": entry}) if v is None
                     else f"{entry} {display(v) if isinstance(v, Decimal) else v}" for entry, v in step.values), ", ")
    return Message(N_("{step} ({values})"), {"step": step_text(inputs, step.step), "values": values})


# ---------------------------------------------------------------------------------------------
# Tally: display-ready rows for the CLI and the organizer's page


@dataclass(frozen=True)
class TallyRow:
    """One entry as shown: ``score`` 2-decimal text or None; ``tier`` key, "pending" or None."""

    entry: str
    name: str
    district: str
    project_title: str
    rank: int | None
    score: str | None
    n: int
    tier: str | None
    tier_title: str | None
    dropped: tuple[str, ...]
    recused: tuple[str, ...]
    tie_break: Message | None  # the tie-break step that placed the entry
    status: str
    message: str | None
    advancement: str | None = None
    special_award: str | None = None


@dataclass(frozen=True)
class Tally:
    """A ranked table of one round (or the final), ready to print or render."""

    contest: str
    round: str
    round_title: str
    is_final: bool
    method: str
    rows: tuple[TallyRow, ...]
    unresolved_ties: tuple[scoring.UnresolvedTie, ...]
    special_awards: tuple[scoring.SpecialAward, ...]
    missing: int
    result: scoring.ContestResult = field(repr=False)
    inputs: ContestInputs = field(repr=False)

    def to_json(self) -> dict[str, Any]:
        """The ``judging tally --format json`` document (docs/results.md)."""
        return {
            "contest": self.contest,
            "round": self.round,
            "method": self.method,
            "entries": [
                {
                    "entry": r.entry,
                    "name": r.name,
                    "score": r.score,
                    "rank": r.rank,
                    "tier": r.tier,
                    "judges": r.n,
                    "dropped": list(r.dropped),
                    "tie_break": None if r.tie_break is None else str(r.tie_break),
                    "recused": list(r.recused),
                    "status": r.status,
                    "advancement": r.advancement,
                }
                for r in self.rows
            ],
            "unresolved_ties": [_tie_json(t) for t in self.unresolved_ties],
            "special_awards": [
                {"entry": s.entry, "award": s.award, "reason": s.reason} for s in self.special_awards
            ],
        }


def _tie_json(tie: scoring.UnresolvedTie) -> dict[str, Any]:
    return {
        "kind": tie.kind,
        "boundary": tie.boundary,
        "next_tier": tie.next_tier,
        "entries": list(tie.entries),
        "places": tie.places,
        "rank": tie.rank,
    }


def tally(session: orm.Session, contest: Contest, round_key: str | None = None) -> Tally:
    """The current result as display-ready rows: the final ranking, or with ``round_key`` that
    round's own ranking (tiers are given only in the final). Raises ``NotFound`` for an unknown
    round and ``DomainError`` when the result cannot be computed."""
    inputs, result = compute_with_inputs(session, contest)
    last = inputs.spec.rounds[-1]
    specials = {s.entry: s.award for s in result.special_awards}
    use_final = round_key is None or (round_key == last.key and inputs.spec.final is scoring.FinalMode.LAST)
    if round_key is not None and all(r.key != round_key for r in inputs.spec.rounds):
        known = ", ".join(r.key for r in inputs.spec.rounds)
        raise NotFound(N_("라운드 '{round}'이(가) 없습니다 (있는 라운드: {known})"), round=round_key, known=known)
    rows = []
    if use_final:
        rnd = result.round(last.key)
        for fe in result.final:
            info = inputs.entrants[fe.entry]
            er = rnd.entry(fe.entry)
            tier = inputs.tier(fe.tier) if fe.tier and fe.tier != scoring.PENDING else None
            rows.append(TallyRow(
                fe.entry, info.name, info.district, info.project_title, fe.rank, fe.display, fe.n, fe.tier,
                tier.title if tier else None, fe.dropped, er.recused, deciding_step_text(inputs, fe.tie_breaks),
                fe.status, fe.message, er.advancement, specials.get(fe.entry),
            ))
        key, title, method = last.key, last.title, result.method
        missing = sum(len(r.missing) for r in result.rounds)
        ties = result.unresolved_ties
    else:
        rnd = result.round(round_key or "")
        for er in rnd.entries:
            info = inputs.entrants[er.entry]
            trimmed = tuple(d.judge for d in er.dropped if d.total is not None)
            rows.append(TallyRow(
                er.entry, info.name, info.district, info.project_title, er.rank, er.display, er.n, None, None,
                trimmed, er.recused, deciding_step_text(inputs, er.tie_breaks), er.status, er.message,
                er.advancement, specials.get(er.entry),
            ))
        key, title, method = rnd.key, rnd.title, rnd.method_label
        missing = len(rnd.missing)
        ties = tuple(t for t in result.unresolved_ties if t.kind == "cut" and t.boundary == rnd.key)
    return Tally(contest.slug, key, title, use_final, method, tuple(rows), tuple(ties), result.special_awards,
                 missing, result, inputs)


__all__ = [
    "Tally",
    "TallyRow",
    "compute",
    "compute_with_inputs",
    "deciding_step_text",
    "method_lines",
    "step_text",
    "tally",
]
