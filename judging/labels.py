"""Words for codes that more than one edge shows: a contest's states and its life-cycle steps.

The values are message ids (the Korean words, marked for ``make translations``). The web renders
them with gettext (``judging.views.common.STATUS_LABELS``), the CLI with its own translation, and a
service that must name a state inside a refusal passes :func:`contest_state` as a parameter.
Standard library only, like :mod:`judging.messages`.
"""

from __future__ import annotations

from judging.messages import N_, Message

CONTEST_STATES = {
    "draft": N_("준비"),
    "open": N_("접수 중"),
    "judging": N_("심사 중"),
    "locked": N_("점수 확정"),
    "published": N_("결과 공개"),
}

LIFECYCLE_ACTIONS = {
    "open": N_("접수 시작"),
    "start_judging": N_("심사 시작"),
    "lock": N_("점수 확정(잠금)"),
    "unlock": N_("확정 풀기"),
    "publish": N_("결과 공개"),
}


def contest_state(state: str) -> Message:
    """A contest state's word as a message (an unknown code is shown as it is)."""
    return Message(CONTEST_STATES.get(state, state))


def lifecycle_action(action: str) -> Message:
    """A life-cycle step's name as a message (an unknown code is shown as it is)."""
    return Message(LIFECYCLE_ACTIONS.get(action, action))
