"""Which life-cycle action a contest's state allows, and what to tell someone who tries it elsewhere.

The rules only: :mod:`judging.services.lifecycle` makes the moves (one function per transition) and
asks :func:`require` first; other services ask it too before a change that only some states allow
(scores change only while judging, a publication needs ``locked``). Below every service that
decides by the contest's state, so each may ask without importing the transitions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from judging.labels import contest_state
from judging.messages import N_, Message
from judging.models import Contest
from judging.services.errors import WrongState

STATES = ("draft", "open", "judging", "locked", "published")


class Refused(WrongState):
    """The contest's state (or a precondition) does not allow the action; nothing was changed."""


@dataclass(frozen=True)
class Rule:
    """Where an action is allowed, and what to tell someone who tries it elsewhere (message ids)."""

    allowed: frozenset[str]
    refusal: str
    by_state: dict[str, str] = field(default_factory=dict)

    def reason(self, state: str) -> str:
        return self.by_state.get(state, self.refusal)


_LOCKED_HINT = N_("점수가 확정된 뒤에는 바꿀 수 없습니다. 고쳐야 하면 먼저 사유를 적어 확정을 풀어 주세요.")

RULES: dict[str, Rule] = {
    "open": Rule(frozenset({"draft"}), N_("접수는 준비 단계에서만 시작할 수 있습니다.")),
    "start_judging": Rule(frozenset({"draft", "open"}), N_("심사는 준비 또는 접수 단계에서만 시작할 수 있습니다."),
                          {"judging": N_("이미 심사 중입니다.")}),
    "lock": Rule(frozenset({"judging"}), N_("심사 중인 공모전만 점수를 확정(잠금)할 수 있습니다."),
                 {"locked": N_("점수가 이미 확정되었습니다."),
                  "published": N_("결과가 공개된 공모전입니다. 고치려면 먼저 사유를 적어 확정을 풀어 주세요.")}),
    "unlock": Rule(frozenset({"locked", "published"}), N_("점수가 확정된 공모전만 확정을 풀 수 있습니다.")),
    "publish": Rule(frozenset({"locked"}), N_("점수를 확정(잠금)한 뒤에만 결과를 공개할 수 있습니다."),
                    {"published": N_("이미 공개되었습니다. 고쳐서 다시 공개하려면 확정을 풀고 고친 뒤 다시 확정해 주세요.")}),
    "scores": Rule(frozenset({"judging"}), N_("점수는 심사 중에만 입력하거나 불러올 수 있습니다."),
                   {"locked": _LOCKED_HINT, "published": _LOCKED_HINT}),
    "reopen_sheet": Rule(frozenset({"judging"}), N_("채점표는 심사 중에만 다시 열 수 있습니다."),
                         {"locked": N_("점수가 확정되어 채점표를 다시 열 수 없습니다. 먼저 사유를 적어 확정을 풀어 주세요."),
                          "published": N_("결과가 공개되어 채점표를 다시 열 수 없습니다. 먼저 사유를 적어 확정을 풀어 주세요.")}),
    "round": Rule(frozenset({"judging"}), N_("라운드는 심사 중에만 열고 닫을 수 있습니다. 먼저 '심사 시작'을 해 주세요."),
                  {"locked": N_("점수가 확정되어 라운드를 열 수 없습니다. 먼저 사유를 적어 확정을 풀어 주세요."),
                   "published": N_("결과가 공개되어 라운드를 열 수 없습니다. 먼저 사유를 적어 확정을 풀어 주세요.")}),
}


def allowed(contest: Contest, action: str) -> bool:
    return contest.status in RULES[action].allowed


def refusal(contest: Contest, action: str) -> Message | None:
    """Why ``action`` is not allowed in the contest's current state, or None."""
    rule = RULES[action]
    if contest.status in rule.allowed:
        return None
    return Message(N_("{reason} (지금 상태: {state})"),
                   {"reason": Message(rule.reason(contest.status)), "state": contest_state(contest.status)})


def require(contest: Contest, action: str) -> None:
    """Raise :class:`Refused` unless ``action`` is allowed in the contest's current state."""
    reason = refusal(contest, action)
    if reason is not None:
        raise Refused(reason, details={"code": "state", "action": action, "state": contest.status})
