"""Explanations: the data behind the result sheet, the ceremony and the disclosure view."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from judging.messages import N_, Message, Text

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

    def lines(self) -> tuple[Text, ...]:
        """The round's part of the explanation (``Text``: Korean, translatable at the edge)."""
        out: list[Text] = []
        reasons = {d.judge: d.reason for d in self.dropped}
        shown = _joined(
            Message("{judge} {total}({reason})", {"judge": judge, "total": plain(total), "reason": reasons[judge]})
            if judge in reasons else Message("{judge} {total}", {"judge": judge, "total": plain(total)})
            for judge, total in self.totals
        )
        if self.max_total is not None:
            head = Message(N_("[{title}] {method} · 심사위원 {n}명 · 심사위원별 만점 {top}"),
                           {"title": self.title, "method": self.method, "n": self.n, "top": plain(self.max_total)})
        else:
            head = Message(N_("[{title}] {method} · 심사위원 {n}명"),
                           {"title": self.title, "method": self.method, "n": self.n})
        if self.exact is not None:
            out.append(Text(N_("{head} · {shown} → {display} (정확값 {exact})"), head=head, shown=shown,
                            display=self.display, exact=plain(self.exact)))
        else:
            out.append(Text(N_("{head} · {shown} → 집계 불가: {reason}"), head=head,
                            shown=shown if self.totals else Message(N_("점수 없음")), reason=self.message))
        others = [d for d in self.dropped if d.total is None]
        if others:
            listed = _joined(Message("{judge}({reason})", {"judge": d.judge, "reason": d.reason}) for d in others)
            out.append(Text(N_("[{title}] 집계 제외: {judges}"), title=self.title, judges=listed))
        if not self.complete:
            out.append(Text(N_("[{title}] 채점이 완료되지 않은 심사위원이 있습니다"), title=self.title))
        return tuple(out)


def _joined(parts: Iterable[Message], separator: str = ", ") -> Message:
    """Messages shown one after another, each in the reader's language."""
    params = {f"m{i}": part for i, part in enumerate(parts)}
    return Message(separator.join(f"{{{key}}}" for key in params), params)


def _value(value: Decimal | int | None) -> str | Message:
    if value is None:
        return Message(N_("없음"))
    if isinstance(value, Decimal):
        return display(value) or ""
    return str(value)


_OUTCOMES = {Outcome.DECIDED: N_("결정"), Outcome.TIED: N_("동점 유지"), Outcome.NOT_APPLICABLE: N_("적용 불가")}


def tie_break_line(applied: TieBreakApplied) -> Text:
    """E.g. "동점 처리 round:final: a 90.00, b 89.50 → 결정" (``Text``: Korean, translatable at the edge)."""
    values = _joined(Message("{entry} {value}", {"entry": entry, "value": _value(value)})
                     for entry, value in applied.values)
    outcome = Message(_OUTCOMES[applied.outcome])
    if applied.note:
        return Text(N_("동점 처리 {step}: {values} → {outcome} (사유: {note})"), step=applied.step, values=values,
                    outcome=outcome, note=applied.note)
    return Text(N_("동점 처리 {step}: {values} → {outcome}"), step=applied.step, values=values, outcome=outcome)


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
        """The explanation as sentences in reading order: Korean strings that are ``Text``, so the web
        shows them in the reader's language."""
        out: list[str] = []
        for rnd in self.rounds:
            out.extend(rnd.lines())
        for aud in self.audience:
            out.extend(aud.lines())
        if self.exact is not None:
            out.append(Text(N_("최종 점수 {display} ({combination})"), display=self.display,
                            combination=self.combination))
        out.extend(tie_break_line(t) for t in self.tie_breaks)
        out.append(self.tier_rule)
        if self.special_award:
            out.append(Text(N_("특별상: {award}"), award=self.special_award))
        return tuple(out)

    def _json_extra(self) -> dict[str, object]:
        return {"lines": self.lines()}
