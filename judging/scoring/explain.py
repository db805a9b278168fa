"""Explanations: the data behind the result sheet, the ceremony and the disclosure view."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .aggregate import Dropped
from .rank import Outcome, TieBreakApplied
from .rounding import display, plain
from .serialize import JsonMixin


@dataclass(frozen=True)
class RoundExplanation(JsonMixin):
    """How one round scored the entry: every counted judge total, which were dropped and why, n."""

    round: str
    title: str
    method: str
    n: int
    used: int
    totals: tuple[tuple[str, Decimal], ...]
    dropped: tuple[Dropped, ...]
    status: str
    exact: Decimal | None
    display: str | None
    message: str | None = None
    complete: bool = True
    weight: Decimal | None = None
    max_total: Decimal | None = None

    def lines(self) -> tuple[str, ...]:
        out: list[str] = []
        reasons = {d.judge: d.reason for d in self.dropped}
        shown = ", ".join(
            f"{judge} {plain(total)}" + (f"({reasons[judge]})" if judge in reasons else "")
            for judge, total in self.totals
        )
        head = f"[{self.title}] {self.method} · 심사위원 {self.n}명"
        if self.max_total is not None:
            head += f" · 심사위원별 만점 {plain(self.max_total)}"
        if self.exact is not None:
            out.append(f"{head} · {shown} → {self.display} (정확값 {self.exact})")
        else:
            out.append(f"{head} · {shown or '점수 없음'} → 집계 불가: {self.message}")
        others = [f"{d.judge}({d.reason})" for d in self.dropped if d.total is None]
        if others:
            out.append(f"[{self.title}] 집계 제외: {', '.join(others)}")
        if not self.complete:
            out.append(f"[{self.title}] 채점이 완료되지 않은 심사위원이 있습니다")
        return tuple(out)


def _value(value: Decimal | int | None) -> str:
    if value is None:
        return "없음"
    if isinstance(value, Decimal):
        return display(value) or ""
    return str(value)


def tie_break_line(applied: TieBreakApplied) -> str:
    """E.g. "동점 처리 round:final: a 90.00, b 89.50 → 결정"."""
    values = ", ".join(f"{entry} {_value(value)}" for entry, value in applied.values)
    outcome = {Outcome.DECIDED: "결정", Outcome.TIED: "동점 유지", Outcome.NOT_APPLICABLE: "적용 불가"}[
        applied.outcome
    ]
    note = f" (사유: {applied.note})" if applied.note else ""
    return f"동점 처리 {applied.step}: {values} → {outcome}{note}"


@dataclass(frozen=True)
class Explanation(JsonMixin):
    """Everything that placed an entry: per-round detail, the final figure and how it was combined,
    each tie-break step with its values, the rank, and the tier rule."""

    entry: str
    rounds: tuple[RoundExplanation, ...]
    combination: str
    exact: Decimal | None
    display: str | None
    rank: int | None
    tie_breaks: tuple[TieBreakApplied, ...]
    tier: str | None
    tier_rule: str
    special_award: str | None = None
    #: the audience rounds' part (``AudienceExplanation``), after the judges' rounds
    audience: tuple = ()

    def lines(self) -> tuple[str, ...]:
        """The explanation as Korean sentences, in reading order."""
        out: list[str] = []
        for rnd in self.rounds:
            out.extend(rnd.lines())
        for aud in self.audience:
            out.extend(aud.lines())
        if self.exact is not None:
            out.append(f"최종 점수 {self.display} ({self.combination})")
        out.extend(tie_break_line(t) for t in self.tie_breaks)
        out.append(self.tier_rule)
        if self.special_award:
            out.append(f"특별상: {self.special_award}")
        return tuple(out)

    def _json_extra(self) -> dict[str, object]:
        return {"lines": self.lines()}
