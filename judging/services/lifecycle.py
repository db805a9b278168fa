"""A contest's life cycle, in one place: draft → open → judging → locked → published.

Every change of a contest's (or a round's) status is one function here, with its preconditions and
its audit event; the web views, the CLI and the services that cause a move (an accepted objection
unlocks) call these functions and nothing else sets a status. Which action each state allows is
written once in :mod:`judging.services.states`; other services ask its ``require`` (scores, tablet
or import, change only while judging; a sheet reopens only while judging).

::

    draft ──open_intake──▶ open ──start_judging──▶ judging ──lock──▶ locked ──publish──▶ published
      └───────────start_judging (entries from the contest file)──▲      ▲                   │
                                                     judging ◀──unlock(reason)─────────────┘

``unlock`` is the correction path: the contest goes back to judging, and the published version stays
public until the next one is published. Every refusal is a :class:`Refused` carrying the reason
as a message (id and parameters; the edge renders it in the reader's language) and, in ``details``,
a ``code`` with the action and the state. The problems and warnings of a :class:`Check` are
messages too; the words for states and steps live in :mod:`judging.labels`.

Services flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from judging.messages import N_, Message, joined, keep_messages
from judging.models import (
    AudienceRound,
    AudienceRoundEntry,
    Contest,
    Entry,
    Objection,
    ResultSnapshot,
    Round,
    Sheet,
    User,
    utcnow,
)
from judging.services import approvals, audience, audit, intake, publishing, results, sheets
from judging.services.assignments import conflict_pairs, contest_judges, expected_pairs, round_entries
from judging.services.published import latest_snapshot
from judging.services.publishing import preview_publish
from judging.services.setup import has_scores
from judging.services.states import Refused, refusal, require

# The step the organizer takes next from each state (the dashboard's button, `judging status`).
NEXT_ACTION = {"draft": "open", "open": "start_judging", "judging": "lock", "locked": "publish"}
AUDIT_ACTIONS = {"open": "intake.open", "start_judging": "judging.start", "lock": "scores.lock",
                 "unlock": "scores.unlock"}
TARGET_STATE = {"open": "open", "start_judging": "judging", "lock": "locked", "unlock": "judging",
                "publish": "published"}


# ---------------------------------------------------------------------------------------------
# Checks: the problems that block a step and the warnings to confirm


@dataclass
class Check:
    """What stands between the contest and ``action``: problems block, warnings need a confirmation."""

    action: str
    problems: list[Message] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def target(self) -> str:
        return TARGET_STATE[self.action]


def check(session: orm.Session, contest: Contest, action: str) -> Check:
    """Everything that blocks ``action`` now, or needs confirming. The state rule comes first: when
    the state refuses, that is the only problem listed."""
    result = Check(action)
    reason = refusal(contest, action)
    if reason is not None:
        result.problems.append(reason)
        return result
    if action == "open":
        _check_set_up(session, contest, result)
        if contest.submission_deadline is None:
            result.warnings.append(Message(N_("접수 마감 일시가 정해지지 않았습니다.")))
    elif action == "start_judging":
        _check_set_up(session, contest, result)
        readiness(session, contest, result)
    elif action == "lock":
        _check_lock(session, contest, result)
    return result


def _check_set_up(session: orm.Session, contest: Contest, result: Check) -> None:
    if not contest.rounds:
        result.problems.append(Message(N_("심사 라운드가 없습니다. 설정에서 라운드를 하나 이상 만들어 주세요.")))
    for rnd in contest.rounds:
        if not rnd.criteria:
            result.problems.append(Message(N_("'{round}' 라운드에 심사 기준이 없습니다. 설정에서 기준을 추가해 주세요."),
                                           {"round": rnd.title}))
    if contest.rounds and contest.rounds[-1].advance is not None:
        result.problems.append(Message(N_("마지막 라운드에는 진출 수를 둘 수 없습니다.")))
    if not contest.tiers:
        result.problems.append(Message(N_("상 등급이 없습니다. 최우수·우수 같은 등급을 하나 이상 만들어 주세요.")))
    if not contest.entrants:
        result.problems.append(Message(N_("참가자(동 협의체)가 없습니다. 참가자를 먼저 불러와 주세요.")))


def readiness(session: orm.Session, contest: Contest, result: Check | None = None) -> Check:
    """The readiness check before judging starts (shown on the dashboard, enforced by
    :func:`start_judging`): judges, entries in the first round, trimming that fits the judges each
    entry will have after known conflicts (2k+1), tier places that fit the finalists, positive
    weights and maxima. Hard problems go to ``problems``, soft ones to ``warnings``."""
    result = result if result is not None else Check("start_judging")
    judges = contest_judges(session, contest)
    if not judges:
        result.problems.append(Message(N_("심사위원이 없습니다. 심사위원을 먼저 등록해 주세요.")))
    accepted = list(session.scalars(sa.select(Entry).where(Entry.contest_id == contest.id,
                                                           Entry.status == "accepted")))
    conflicts = conflict_pairs(session, contest)
    most_conflicts = max((sum(1 for j, e in conflicts if e == entry.id) for entry in accepted), default=0)
    previous_size: int | None = None
    for index, rnd in enumerate(contest.rounds):
        entries = round_entries(session, rnd)
        if index == 0:
            if not entries and not accepted:
                result.problems.append(Message(N_("'{round}' 라운드에 넣을 참가작이 없습니다. "
                                                  "접수 화면에서 참가작을 접수 확인해 주세요."), {"round": rnd.title}))
            not_accepted = [e.entrant.name for e in entries if e.status != "accepted"]
            if not_accepted:
                result.problems.append(Message(N_("접수 확인되지 않은 참가작이 심사 대상에 있습니다: {names}"),
                                               {"names": ", ".join(not_accepted)}))
            size: int | None = len(entries) or len(accepted)
        elif entries:
            size = len(entries)
        elif contest.rounds[index - 1].advance is not None:
            size = contest.rounds[index - 1].advance
        else:
            result.warnings.append(Message(N_("'{round}' 라운드에 참가작이 없고 앞 라운드에 진출 수도 없습니다. "
                                              "앞 라운드가 끝난 뒤 참가작을 직접 정해야 합니다."), {"round": rnd.title}))
            size = previous_size
        if rnd.advance is not None and size is not None and rnd.advance >= size:
            result.warnings.append(Message(N_("'{round}' 라운드의 진출 수({advance})가 참가작 수({size}) 이상이라 "
                                              "모두 진출합니다."),
                                           {"round": rnd.title, "advance": rnd.advance, "size": size}))
        _check_trim(session, rnd, entries, judges, expected_pairs, most_conflicts, result)
        if rnd.weight is None or (contest.final_mode == "weighted" and rnd.weight <= 0):
            result.problems.append(Message(N_("'{round}' 라운드의 가중치가 0입니다. 라운드 가중 합산에서는 0보다 커야 합니다."),
                                           {"round": rnd.title}))
        for crit in rnd.criteria:
            if crit.max_points is None or crit.max_points <= 0 or crit.weight is None or crit.weight <= 0:
                result.problems.append(Message(N_("'{round}' 라운드 '{criterion}' 기준의 만점과 가중치는 0보다 커야 합니다."),
                                               {"round": rnd.title, "criterion": crit.title}))
        previous_size = size
    finalists = previous_size
    places = sum(t.count or 0 for t in contest.tiers)
    if finalists is not None and places > finalists:
        result.warnings.append(Message(N_("등급 자리 수 합계({places})가 본선 참가작 수({finalists})보다 많습니다. "
                                          "남는 자리는 비어 있게 됩니다."), {"places": places, "finalists": finalists}))
    return result


def _check_trim(session: orm.Session, rnd: Round, entries: list[Entry], judges: list[User], expected_pairs: Any,
                most_conflicts: int, result: Check) -> None:
    """Trimming k highest and k lowest needs at least 2k+1 judges on every entry."""
    if rnd.aggregation != "trimmed_mean" or rnd.trim <= 0:
        return
    need = 2 * rnd.trim + 1
    if entries:
        per_entry: dict[int, int] = {e.id: 0 for e in entries}
        for entry_ids in expected_pairs(session, rnd).values():
            for entry_id in entry_ids:
                per_entry[entry_id] = per_entry.get(entry_id, 0) + 1
        short = [e for e in entries if per_entry.get(e.id, 0) < need]
        if short:
            fewest = min(per_entry.get(e.id, 0) for e in short)
            names = ", ".join(e.entrant.name for e in short[:5])
            params = {"round": rnd.title, "trim": rnd.trim, "need": need, "fewest": fewest, "names": names}
            if len(short) > 5:
                params["names"] = Message(N_("{names} 외"), {"names": names})
            result.problems.append(Message(
                N_("'{round}' 라운드는 최고점·최저점을 {trim}개씩 빼므로 참가작마다 심사위원이 "
                   "{need}명 이상 필요하지만, 회피·배정을 빼면 {fewest}명뿐인 참가작이 있습니다 ({names}). "
                   "심사위원을 늘리거나 제외 개수를 줄이거나 평균으로 바꿔 주세요."), params))
        return
    available = len(judges) - most_conflicts
    if available < need:
        result.problems.append(Message(
            N_("'{round}' 라운드는 최고점·최저점을 {trim}개씩 빼므로 참가작마다 심사위원이 {need}명 이상 "
               "필요하지만, 심사위원이 {available}명뿐입니다(회피 포함). "
               "심사위원을 늘리거나 제외 개수를 줄이거나 평균으로 바꿔 주세요."),
            {"round": rnd.title, "trim": rnd.trim, "need": need, "available": available}))


def missing_sheets(session: orm.Session, contest: Contest) -> list[tuple[Round, User, int]]:
    """(round, judge, entries to score) for every judge whose sheet is not submitted, in the rounds
    that have entries."""
    judges = {j.id: j for j in contest_judges(session, contest)}
    out = []
    for rnd in contest.rounds:
        expected = expected_pairs(session, rnd)
        if not any(expected.values()):
            continue
        submitted = set(session.scalars(sa.select(Sheet.judge_id).where(Sheet.round_id == rnd.id,
                                                                       Sheet.status == "submitted")))
        for judge_id, entries in expected.items():
            if entries and judge_id not in submitted:
                out.append((rnd, judges[judge_id], len(entries)))
    return out


def _check_lock(session: orm.Session, contest: Contest, result: Check) -> None:
    for rnd in contest.rounds:
        if rnd.status == "open":
            result.warnings.append(Message(N_("'{round}' 라운드가 열려 있습니다. 확정하면 닫힙니다."),
                                           {"round": rnd.title}))
    for aud in contest.audience_rounds:
        if aud.status == "open":
            result.warnings.append(Message(N_("'{vote}' 투표가 열려 있습니다. 확정하면 투표를 마감하고 집계합니다."),
                                           {"vote": aud.title}))
    for rnd, judge, count in missing_sheets(session, contest):
        result.warnings.append(Message(N_("{judge} 심사위원이 '{round}' 점수표({count}건)를 제출하지 않았습니다."),
                                       {"judge": judge.name, "round": rnd.title, "count": count}))
    last = contest.rounds[-1] if contest.rounds else None
    if last is None or not round_entries(session, last):
        result.problems.append(Message(N_("마지막 라운드에 참가작이 없습니다.")))
    if not has_scores(session, contest):
        result.problems.append(Message(N_("입력된 점수가 없습니다.")))


def _refuse(contest: Contest, result: Check, confirm: bool) -> None:
    if result.problems:
        code = "state" if refusal(contest, result.action) else "precondition"
        raise Refused(joined(result.problems),
                      details={"code": code, "action": result.action, "problems": result.problems})
    if result.warnings and not confirm:
        raise Refused(N_("확인이 필요합니다: {warnings}"), warnings=joined(result.warnings),
                      details={"code": "confirm", "action": result.action, "warnings": result.warnings})


def _confirmed(result: Check) -> dict[str, Any] | None:
    """The warnings a transition went ahead despite, for its audit event: their Korean text with
    their messages kept beside it (:func:`judging.messages.keep_messages`), so the audit page
    tells them in the reader's language."""
    return {"warnings": list(result.warnings)} if result.warnings else None


def _move(session: orm.Session, contest: Contest, action: str, *, actor: User | None, actor_label: str | None,
          extra: dict[str, Any] | None = None) -> None:
    before = contest.status
    contest.status = TARGET_STATE[action]
    session.flush()
    after: dict[str, Any] = {"status": contest.status}
    after.update(extra or {})
    audit.record(session, AUDIT_ACTIONS[action], actor=actor, actor_label=actor_label, contest_id=contest.id,
                 target_type="contest", target_id=contest.slug, before={"status": before},
                 after=keep_messages(after))


# ---------------------------------------------------------------------------------------------
# The transitions


def open_intake(session: orm.Session, contest: Contest, *, confirm: bool = False, actor: User | None = None,
                actor_label: str | None = None) -> Check:
    """draft → open: councils may submit their entries. Raises :class:`Refused`."""
    result = check(session, contest, "open")
    _refuse(contest, result, confirm)
    _move(session, contest, "open", actor=actor, actor_label=actor_label,
          extra=_confirmed(result))
    return result


def start_judging(session: orm.Session, contest: Contest, *, confirm: bool = False, actor: User | None = None,
                  actor_label: str | None = None) -> Check:
    """draft or open → judging, after the readiness check: councils can no longer submit; the first
    round gets every accepted entry when it lists none. Raises :class:`Refused`."""
    result = check(session, contest, "start_judging")
    _refuse(contest, result, confirm)
    _move(session, contest, "start_judging", actor=actor, actor_label=actor_label,
          extra=_confirmed(result))
    intake.fill_first_round(session, contest, actor=actor)
    return result


def lock(session: orm.Session, contest: Contest, *, confirm: bool = False, actor: User | None = None,
         actor_label: str | None = None) -> Check:
    """judging → locked: scores are final (every open round closes). Raises :class:`Refused`."""
    result = check(session, contest, "lock")
    _refuse(contest, result, confirm)
    for rnd in contest.rounds:
        if rnd.status == "open":
            rnd.status = "closed"
    for aud in contest.audience_rounds:
        if aud.status == "open":
            close_voting(session, aud, actor=actor, actor_label=actor_label)
    _move(session, contest, "lock", actor=actor, actor_label=actor_label,
          extra=_confirmed(result))
    return result


def unlock(session: orm.Session, contest: Contest, reason: str | Message, *, actor: User | None = None,
           actor_label: str | None = None) -> None:
    """locked or published → judging, with a reason (the correction path). The published snapshots
    stay as they are and the latest stays public; the next publication is a new version. The reason
    is what the organizer typed, or a :class:`Message` when the app gives it (an accepted objection):
    the audit page then tells it in the reader's language."""
    require(contest, "unlock")
    text = reason if isinstance(reason, Message) else " ".join((reason or "").split())
    if not str(text).strip():
        raise Refused(N_("확정을 푸는 사유를 적어 주세요."), field="reason",
                      details={"code": "reason_required", "action": "unlock"})
    _move(session, contest, "unlock", actor=actor, actor_label=actor_label, extra={"reason": text})


def publish(session: orm.Session, contest: Contest, *, note: str = "", actor: User | None = None,
            actor_label: str | None = None, accept_weights: bool = False) -> ResultSnapshot:
    """locked → published: freeze the result as a new numbered snapshot (the results service checks
    ties and writes the snapshot and its audit event). Raises :class:`Refused` outside ``locked``
    and ``DomainError`` listing what blocks the publication. When the result is the same as the
    latest version (unlocked, nothing changed) no new version is made: that version stays public.
    ``accept_weights`` confirms an effective-weight warning (``publishing.publish``). Accepted
    objections still waiting for their correction name the new version."""
    require(contest, "publish")
    latest = latest_snapshot(session, contest)
    if latest is not None and latest.digest == approvals.current_digest(session, contest):
        # Unlocked for a correction that changed nothing: the public version stays the same one.
        before = contest.status
        contest.status = "published"
        session.flush()
        audit.record(session, "result.republish", actor=actor, actor_label=actor_label, contest_id=contest.id,
                     target_type="result_snapshot", target_id=latest.id, before={"status": before},
                     after={"status": "published", "version": latest.version, "unchanged": True})
        return latest
    approval = approvals.check_publish(session, contest)  # the second organizer's 결재, when required
    snapshot = publishing.publish(session, contest, actor, note, actor_label=actor_label,
                                  accept_weights=accept_weights)
    contest.status = "published"
    session.flush()
    approvals.attach(session, approval, snapshot)
    _corrected_objections(session, contest, snapshot)
    return snapshot


def _corrected_objections(session: orm.Session, contest: Contest, snapshot: ResultSnapshot) -> None:
    """A new version was published: accepted objections still waiting for their correction name it."""
    for objection in session.scalars(sa.select(Objection).where(
            Objection.contest_id == contest.id, Objection.status == "accepted",
            Objection.corrected_version.is_(None), Objection.version < snapshot.version)):
        objection.corrected_version = snapshot.version
    session.flush()


def open_round(session: orm.Session, rnd: Round, *, actor: User | None = None,
               actor_label: str | None = None) -> None:
    """A round opens for scoring (the contest is judging; the round has entries)."""
    require(rnd.contest, "round")
    if rnd.status == "open":
        raise Refused(N_("'{round}' 라운드는 이미 열려 있습니다."), round=rnd.title, details={"code": "round_open"})
    if not round_entries(session, rnd):
        raise Refused(N_("'{round}' 라운드에 참가작이 없습니다."), round=rnd.title, details={"code": "round_empty"})
    before = rnd.status
    rnd.status = "open"
    session.flush()
    audit.record(session, "round.open", actor=actor, actor_label=actor_label, contest_id=rnd.contest_id,
                 target_type="round", target_id=rnd.key, before={"status": before}, after={"status": "open"})


def close_round(session: orm.Session, rnd: Round, *, actor: User | None = None,
                actor_label: str | None = None) -> None:
    """A round closes: judges can no longer change scores in it (until it is opened again)."""
    require(rnd.contest, "round")
    if rnd.status != "open":
        raise Refused(N_("'{round}' 라운드는 열려 있지 않습니다."), round=rnd.title, details={"code": "round_not_open"})
    rnd.status = "closed"
    session.flush()
    audit.record(session, "round.close", actor=actor, actor_label=actor_label, contest_id=rnd.contest_id,
                 target_type="round", target_id=rnd.key, before={"status": "open"}, after={"status": "closed"})


def open_voting(session: orm.Session, aud: AudienceRound, *, actor: User | None = None,
                actor_label: str | None = None) -> None:
    """An audience round's voting opens: its ballot cards can be used from now on (the contest is
    judging, as for a judges' round; the ballot has entries). A round that lists no entries gets the
    finalists of the last judges' round as they stand now, so the ballot no longer changes."""
    require(aud.contest, "round")
    if aud.status == "open":
        raise Refused(N_("'{vote}' 투표는 이미 열려 있습니다."), vote=aud.title, details={"code": "voting_open"})
    _fix_ballot_entries(session, aud)
    if not aud.round_entries:
        raise Refused(N_("'{vote}' 투표에 올릴 참가작이 없습니다. 마지막 심사 라운드의 참가작을 먼저 정해 주세요."),
                      vote=aud.title, details={"code": "voting_empty"})
    before = aud.status
    aud.status, aud.opened_at, aud.closed_at = "open", utcnow(), None
    session.flush()
    audit.record(session, "audience.open", actor=actor, actor_label=actor_label, contest_id=aud.contest_id,
                 target_type="audience_round", target_id=aud.key, before={"status": before},
                 after={"status": "open", "turnout": audience.turnout(session, aud).to_dict(),
                        "entries": [re.entry.entrant.key for re in aud.round_entries]})


def _fix_ballot_entries(session: orm.Session, aud: AudienceRound) -> None:
    """Give a round that lists no entries the finalists of the last judges' round (the entries the
    final ranks, advanced ones included), in presentation order, as its own list: the ballot is
    fixed from the moment voting opens."""
    if aud.round_entries:
        return
    contest = aud.contest
    listed = audience.ballot_entries(session, aud)
    if not listed and contest.rounds:
        finalists = {fe.entry for fe in results.compute(session, contest).final}
        listed = sorted((e for e in contest.entries if e.entrant.key in finalists), key=lambda e: e.entrant.key)
    for position, entry in enumerate(listed, start=1):
        aud.round_entries.append(AudienceRoundEntry(entry_id=entry.id, entry=entry, position=position))
    session.flush()


def close_voting(session: orm.Session, aud: AudienceRound, *, actor: User | None = None,
                 actor_label: str | None = None) -> dict:
    """An audience round's voting closes, and the count is audited (``audience.count_record``:
    turnout, each entry's ratings and the digest of the stored ratings). Returns the count."""
    if aud.status != "open":
        raise Refused(N_("'{vote}' 투표는 열려 있지 않습니다."), vote=aud.title, details={"code": "voting_not_open"})
    aud.status, aud.closed_at = "closed", utcnow()
    session.flush()
    count = audience.count_record(session, aud)
    audit.record(session, "audience.close", actor=actor, actor_label=actor_label, contest_id=aud.contest_id,
                 target_type="audience_round", target_id=aud.key, before={"status": "open"},
                 after={"status": "closed", "count": count})
    return count


def reopen_sheet(session: orm.Session, contest: Contest, judge: User, rnd: Round, reason: str, *,
                 actor: User | None = None, actor_label: str | None = None, address: str = "") -> Sheet:
    """A judge's submitted sheet goes back to draft, with a reason — only while judging."""
    require(contest, "reopen_sheet")
    return sheets.reopen_sheet(session, judge, rnd, reason, actor, actor_label=actor_label, address=address)


# ---------------------------------------------------------------------------------------------
# Where a contest stands (the dashboard and `judging status`)


@dataclass(frozen=True)
class RoundStatus:
    key: str
    title: str
    status: str
    entries: int
    sheets_expected: int
    sheets_submitted: int


@dataclass(frozen=True)
class Status:
    slug: str
    title: str
    state: str
    rounds: tuple[RoundStatus, ...]
    next_action: str | None
    next_check: Check | None
    published_version: int | None
    readiness: Check | None = None  # in draft: what would block starting judging straight away


def status(session: orm.Session, contest: Contest) -> Status:
    """The contest's state, its rounds with sheets submitted, and what blocks the next step."""
    rounds = []
    for rnd in contest.rounds:
        expected = [j for j, entries in expected_pairs(session, rnd).items() if entries]
        submitted = set(session.scalars(sa.select(Sheet.judge_id).where(Sheet.round_id == rnd.id,
                                                                       Sheet.status == "submitted")))
        rounds.append(RoundStatus(rnd.key, rnd.title, rnd.status, len(round_entries(session, rnd)),
                                  len(expected), len(submitted & set(expected))))
    action = NEXT_ACTION.get(contest.status)
    if action == "open" and contest.status == "draft":
        next_check = check(session, contest, "open")
    elif action == "publish":
        next_check = Check("publish", problems=preview_publish(session, contest))
    elif action is not None:
        next_check = check(session, contest, action)
    else:
        next_check = None
    latest = latest_snapshot(session, contest)
    readiness_check = check(session, contest, "start_judging") if contest.status == "draft" else None
    return Status(contest.slug, contest.title, contest.status, tuple(rounds),
                  action, next_check, latest.version if latest else None, readiness_check)
