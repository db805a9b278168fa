"""Who scores what: the contest's judges, conflicts of interest and per-round assignments.

By default every judge scores every entry of a round (no ``Assignment`` rows for the round). For a
large screening round the organizer can ask for an automatic balanced assignment: every entry gets
``R`` judges, the judges' loads differ by at most one, a conflicted judge is never given the entry,
and the same input always gives the same assignment. It can then be edited by hand.

``expected_pairs`` is the one definition of "judge J is expected to score entry E in round R" used by
the progress board and the lock check (and by anyone else who needs it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import orm

from judging.messages import N_
from judging.models import Assignment, Conflict, Contest, Criterion, Entry, Round, RoundEntry, Score, User
from judging.patterns import KEY_PATTERN
from judging.services import audit, auth
from judging.services.errors import DomainError, NotFound

CLOSED_FOR_CONFLICTS = ("locked", "published")


def contest_judges(session: orm.Session, contest: Contest, *, active_only: bool = True) -> list[User]:
    """The contest's judges, ordered by key."""
    query = sa.select(User).where(User.contest_id == contest.id, User.role == "judge")
    if active_only:
        query = query.where(User.is_active.is_(True))
    return list(session.scalars(query.order_by(User.judge_key, User.id)))


def round_entries(session: orm.Session, rnd: Round) -> list[Entry]:
    """The entries of a round in presentation order."""
    return list(session.scalars(
        sa.select(Entry).join(RoundEntry, RoundEntry.entry_id == Entry.id)
        .where(RoundEntry.round_id == rnd.id).order_by(RoundEntry.position)
    ))


def contest_conflicts(session: orm.Session, contest: Contest) -> list[Conflict]:
    """Every conflict recorded within the contest, oldest first."""
    return list(session.scalars(sa.select(Conflict).join(Entry, Entry.id == Conflict.entry_id)
                                .where(Entry.contest_id == contest.id).order_by(Conflict.id)))


def conflict_pairs(session: orm.Session, contest: Contest) -> set[tuple[int, int]]:
    """Every (judge id, entry id) in conflict within the contest."""
    rows = session.execute(
        sa.select(Conflict.judge_id, Conflict.entry_id).join(Entry, Entry.id == Conflict.entry_id)
        .where(Entry.contest_id == contest.id)
    )
    return {(j, e) for j, e in rows}


def assignment_pairs(session: orm.Session, rnd: Round) -> set[tuple[int, int]]:
    rows = session.execute(sa.select(Assignment.judge_id, Assignment.entry_id).where(Assignment.round_id == rnd.id))
    return {(j, e) for j, e in rows}


def expected_pairs(session: orm.Session, rnd: Round) -> dict[int, list[int]]:
    """For each active judge id, the entry ids (in round order) the judge is to score in ``rnd``.

    Without assignment rows, everyone scores everything; conflicts are always left out.
    """
    contest = rnd.contest
    judges = contest_judges(session, contest)
    entries = [e.id for e in round_entries(session, rnd)]
    conflicts = conflict_pairs(session, contest)
    assigned = assignment_pairs(session, rnd)
    out: dict[int, list[int]] = {}
    for judge in judges:
        out[judge.id] = [
            e for e in entries
            if (judge.id, e) not in conflicts and (not assigned or (judge.id, e) in assigned)
        ]
    return out


def _round_has_scores(session: orm.Session, rnd: Round, judge_id: int | None = None,
                      entry_id: int | None = None) -> bool:
    query = (sa.select(sa.func.count()).select_from(Score).join(Criterion, Criterion.id == Score.criterion_id)
             .where(Criterion.round_id == rnd.id, Score.value.is_not(None)))
    if judge_id is not None:
        query = query.where(Score.judge_id == judge_id)
    if entry_id is not None:
        query = query.where(Score.entry_id == entry_id)
    return bool(session.scalar(query))


# ---------------------------------------------------------------------------------------------
# Automatic balanced assignment


@dataclass(frozen=True)
class BalancedPlan:
    """The outcome of ``balanced_assign``: per judge id, the entry ids; and the loads."""

    per_entry: int
    pairs: frozenset[tuple[int, int]]
    loads: dict[int, int]

    @property
    def spread(self) -> int:
        return (max(self.loads.values()) - min(self.loads.values())) if self.loads else 0


def _tie_key(*parts: str) -> str:
    # A stable, input-derived tie-break so that equal loads do not always favour the same judge,
    # yet the same input always gives the same plan (no randomness, no clock).
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def plan_balanced(judges: list[tuple[int, str]], entries: list[tuple[int, str]],
                  conflicts: Iterable[tuple[int, int]], per_entry: int) -> BalancedPlan:
    """Plan an assignment over plain values. ``judges``/``entries`` are (id, key) pairs.

    Raises ``DomainError`` naming the entry when it has fewer than ``per_entry`` eligible judges.
    """
    conflicts = set(conflicts)
    if per_entry < 1:
        raise DomainError(N_("참가작마다 심사위원 수는 1명 이상이어야 합니다."), field="per_entry")
    if per_entry > len(judges):
        raise DomainError(N_("심사위원이 {judges}명뿐이라 참가작마다 {per_entry}명을 배정할 수 없습니다."), judges=len(judges), per_entry=per_entry,
                          field="per_entry")
    # Sorted by key: the plan depends on who the judges and entries are, never on list order.
    judges = sorted(judges, key=lambda j: (j[1], j[0]))
    entries = sorted(entries, key=lambda e: (e[1], e[0]))
    eligible = {e: [j for j, _ in judges if (j, e) not in conflicts] for e, _ in entries}
    key_of_judge = dict(judges)
    for e, key in entries:
        if len(eligible[e]) < per_entry:
            raise DomainError(
                N_("참가작 '{key}'은(는) 이해충돌이 없는 심사위원이 {eligible}명뿐이라 {per_entry}명을 배정할 수 없습니다."), key=key, eligible=len(eligible[e]), per_entry=per_entry, field="per_entry")
    loads = {j: 0 for j, _ in judges}
    chosen: dict[int, set[int]] = {e: set() for e, _ in entries}
    # Most constrained entries first, then by presentation order.
    order = sorted(range(len(entries)), key=lambda i: (len(eligible[entries[i][0]]), i))
    for i in order:
        e, ekey = entries[i]
        ranked = sorted(eligible[e], key=lambda j: (loads[j], _tie_key(ekey, key_of_judge[j])))
        for j in ranked[:per_entry]:
            chosen[e].add(j)
            loads[j] += 1
    # Repair: move one assignment at a time from a judge with load L to one with load <= L - 2
    # (directly, or through a third judge whose load stays the same). Every move lowers the sum
    # of squared loads, so this ends; it stops when no such move exists.
    def can_take(j: int, e: int) -> bool:
        return j not in chosen[e] and (j, e) not in conflicts

    def move(src: int, dst: int, e: int) -> None:
        chosen[e].discard(src)
        chosen[e].add(dst)
        loads[src] -= 1
        loads[dst] += 1

    entry_order = [e for e, _ in sorted(entries, key=lambda x: x[1])]
    judge_order = [j for j, _ in judges]
    while True:
        moved = False
        pairs_to_try = sorted(
            ((b, s) for b in judge_order for s in judge_order if loads[b] - loads[s] >= 2),
            key=lambda p: (loads[p[1]] - loads[p[0]], key_of_judge[p[0]], key_of_judge[p[1]]),
        )
        for b, s in pairs_to_try:
            direct = next((e for e in entry_order if b in chosen[e] and can_take(s, e)), None)
            if direct is not None:
                move(b, s, direct)
                moved = True
                break
            for x in judge_order:
                if x in (b, s):
                    continue
                e1 = next((e for e in entry_order if b in chosen[e] and can_take(x, e)), None)
                e2 = next((e for e in entry_order if x in chosen[e] and can_take(s, e) and e != e1), None)
                if e1 is not None and e2 is not None:
                    move(x, s, e2)
                    move(b, x, e1)
                    moved = True
                    break
            if moved:
                break
        if not moved:
            break
    pairs = frozenset((j, e) for e, js in chosen.items() for j in js)
    return BalancedPlan(per_entry, pairs, loads)


def balanced_assign(session: orm.Session, rnd: Round, per_entry: int, *, actor: User | None = None) -> BalancedPlan:
    """Replace the round's assignments with a balanced plan (see ``plan_balanced``).

    Refused once the round has scores: moving entries between judges then would discard work.
    """
    contest = rnd.contest
    if contest.status in CLOSED_FOR_CONFLICTS:
        raise DomainError(N_("점수가 확정된 공모전은 배정을 바꿀 수 없습니다."))
    if _round_has_scores(session, rnd):
        raise DomainError(N_("'{title}' 라운드에 이미 입력된 점수가 있어 자동 배정을 다시 할 수 없습니다. 필요하면 배정을 한 칸씩 손으로 고쳐 주세요."), title=rnd.title)
    entries = round_entries(session, rnd)
    if not entries:
        raise DomainError(N_("'{title}' 라운드에 참가작이 없습니다. 먼저 본선 진출작을 정해 주세요."), title=rnd.title)
    judges = contest_judges(session, contest)
    entrant_keys = {e.id: e.entrant.key for e in entries}
    plan = plan_balanced([(j.id, j.judge_key or str(j.id)) for j in judges],
                         [(e.id, entrant_keys[e.id]) for e in entries],
                         conflict_pairs(session, contest), per_entry)
    session.execute(sa.delete(Assignment).where(Assignment.round_id == rnd.id))
    for judge_id, entry_id in sorted(plan.pairs):
        session.add(Assignment(round_id=rnd.id, judge_id=judge_id, entry_id=entry_id))
    session.flush()
    audit.record(session, "assignment.balanced", actor=actor, contest_id=contest.id, target_type="round",
                 target_id=rnd.key, after={"per_entry": per_entry, "pairs": len(plan.pairs),
                                           "loads": {str(k): v for k, v in sorted(plan.loads.items())}})
    return plan


def clear_assignments(session: orm.Session, rnd: Round, *, actor: User | None = None) -> None:
    """Go back to "everyone scores everything" for the round."""
    if rnd.contest.status in CLOSED_FOR_CONFLICTS:
        raise DomainError(N_("점수가 확정된 공모전은 배정을 바꿀 수 없습니다."))
    count = cast(sa.CursorResult[Any], session.execute(sa.delete(Assignment).where(Assignment.round_id == rnd.id))).rowcount
    session.flush()
    audit.record(session, "assignment.clear", actor=actor, contest_id=rnd.contest_id, target_type="round",
                 target_id=rnd.key, before={"pairs": count})


def set_assignment(session: orm.Session, rnd: Round, judge: User, entry: Entry, assigned: bool, *,
                   actor: User | None = None) -> None:
    """Give (or take away) one entry of one judge in a round, by hand.

    When the round had no assignments (everyone scores everything), the first edit starts from that
    full table. Refused for a conflicted pair, and for taking away an entry the judge already scored.
    """
    contest = rnd.contest
    if contest.status in CLOSED_FOR_CONFLICTS:
        raise DomainError(N_("점수가 확정된 공모전은 배정을 바꿀 수 없습니다."))
    if judge.contest_id != contest.id or judge.role != "judge":
        raise NotFound(N_("심사위원을 찾을 수 없습니다."))
    entry_ids = [e.id for e in round_entries(session, rnd)]
    if entry.id not in entry_ids:
        raise DomainError(N_("'{name}'은(는) '{title}' 라운드의 참가작이 아닙니다."), name=entry.entrant.name, title=rnd.title)
    conflicts = conflict_pairs(session, contest)
    if assigned and (judge.id, entry.id) in conflicts:
        raise DomainError(N_("{name} 심사위원은 '{name2}'와(과) 이해충돌이 있어 배정할 수 없습니다."), name=judge.name, name2=entry.entrant.name)
    if not assigned and _round_has_scores(session, rnd, judge.id, entry.id):
        raise DomainError(N_("{name} 심사위원이 '{name2}'에 이미 점수를 입력해 배정을 뺄 수 없습니다."), name=judge.name, name2=entry.entrant.name)
    current = assignment_pairs(session, rnd)
    if not current:
        # Materialise "everyone scores everything" before the first hand edit.
        for j in contest_judges(session, contest):
            for e in entry_ids:
                if (j.id, e) not in conflicts:
                    session.add(Assignment(round_id=rnd.id, judge_id=j.id, entry_id=e))
        session.flush()
        current = assignment_pairs(session, rnd)
    if assigned and (judge.id, entry.id) not in current:
        session.add(Assignment(round_id=rnd.id, judge_id=judge.id, entry_id=entry.id))
    elif not assigned:
        session.execute(sa.delete(Assignment).where(Assignment.round_id == rnd.id, Assignment.judge_id == judge.id,
                                                    Assignment.entry_id == entry.id))
    session.flush()
    audit.record(session, "assignment.set", actor=actor, contest_id=contest.id, target_type="assignment",
                 target_id=f"{rnd.key}:{judge.judge_key}:{entry.entrant.key}", after={"assigned": assigned})


def replace_assignments(session: orm.Session, rnd: Round, pairs: set[tuple[int, int]], *,
                        actor: User | None = None) -> int:
    """Make ``pairs`` ((judge id, entry id)) the round's assignments, as edited by hand in the table.

    Refused for a conflicted pair, a pair outside the round, an entry left with no judge, and for
    taking away an entry the judge already scored. Returns the number of pairs.
    """
    contest = rnd.contest
    if contest.status in CLOSED_FOR_CONFLICTS:
        raise DomainError(N_("점수가 확정된 공모전은 배정을 바꿀 수 없습니다."))
    judges = {j.id: j for j in contest_judges(session, contest)}
    entries = {e.id: e for e in round_entries(session, rnd)}
    conflicts = conflict_pairs(session, contest)
    for judge_id, entry_id in pairs:
        if judge_id not in judges or entry_id not in entries:
            raise DomainError(N_("이 라운드의 심사위원·참가작이 아닌 칸이 있습니다. 화면을 새로 고쳐 주세요."))
        if (judge_id, entry_id) in conflicts:
            raise DomainError(N_("{name} 심사위원은 '{name2}'와(과) 이해충돌이 있어 배정할 수 없습니다."), name=judges[judge_id].name, name2=entries[entry_id].entrant.name)
    lonely = [e.entrant.name for e in entries.values() if not any(p[1] == e.id for p in pairs)]
    if lonely:
        raise DomainError(N_("심사위원이 한 명도 없는 참가작이 있습니다: {lonely}"), lonely=", ".join(lonely))
    before = assignment_pairs(session, rnd)
    if not before:
        before = {(j, e) for j in judges for e in entries if (j, e) not in conflicts}
    for judge_id, entry_id in sorted(before - pairs):
        if _round_has_scores(session, rnd, judge_id, entry_id):
            raise DomainError(N_("{name} 심사위원이 '{name2}'에 이미 점수를 입력해 배정을 뺄 수 없습니다."), name=judges[judge_id].name, name2=entries[entry_id].entrant.name)
    session.execute(sa.delete(Assignment).where(Assignment.round_id == rnd.id))
    for judge_id, entry_id in sorted(pairs):
        session.add(Assignment(round_id=rnd.id, judge_id=judge_id, entry_id=entry_id))
    session.flush()
    audit.record(session, "assignment.replace", actor=actor, contest_id=contest.id, target_type="round",
                 target_id=rnd.key, after={"pairs": len(pairs), "added": len(pairs - before),
                                           "removed": len(before - pairs)})
    return len(pairs)


# ---------------------------------------------------------------------------------------------
# Conflicts recorded by the organizer


def add_conflict(session: orm.Session, judge: User, entry: Entry, reason: str, *, actor: User | None = None) -> Conflict:
    """Record a conflict of interest (기피·회피) for a judge and an entry.

    The judge's scores for that entry, if any, are removed (their values stay in the audit log):
    a conflicted judge's scores never count. Refused once scores are locked.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(N_("이해충돌 사유를 적어 주세요."), field="reason")
    if judge.role != "judge" or judge.contest_id != entry.contest_id:
        raise NotFound(N_("심사위원을 찾을 수 없습니다."))
    contest = entry.contest
    if contest.status in CLOSED_FOR_CONFLICTS:
        raise DomainError(N_("점수가 확정된 뒤에는 이해충돌을 새로 기록할 수 없습니다. 확정을 풀어야 합니다."))
    found = session.scalar(sa.select(Conflict).where(Conflict.judge_id == judge.id, Conflict.entry_id == entry.id))
    if found is not None:
        raise DomainError(N_("{name} 심사위원과 '{name2}'의 이해충돌은 이미 기록되어 있습니다."), name=judge.name, name2=entry.entrant.name)
    scores = list(session.scalars(sa.select(Score).where(Score.judge_id == judge.id, Score.entry_id == entry.id)))
    removed = {str(s.criterion_id): (None if s.value is None else str(s.value)) for s in scores}
    for score in scores:
        session.delete(score)
    session.execute(sa.delete(Assignment).where(Assignment.judge_id == judge.id, Assignment.entry_id == entry.id))
    conflict = Conflict(judge_id=judge.id, entry_id=entry.id, source="organizer",
                        declared_by=None if actor is None else actor.id, reason=reason)
    session.add(conflict)
    session.flush()
    audit.record(session, "conflict.add", actor=actor, contest_id=contest.id, target_type="conflict",
                 target_id=f"{judge.judge_key}:{entry.entrant.key}",
                 before={"scores": removed} if removed else None, after={"reason": reason, "source": "organizer"})
    return conflict


def remove_conflict(session: orm.Session, conflict: Conflict, *, actor: User | None = None) -> None:
    """Take back a recorded conflict (before scores are locked)."""
    entry = session.get(Entry, conflict.entry_id)
    judge = session.get(User, conflict.judge_id)
    if entry is None or judge is None:
        raise NotFound(N_("이해충돌 기록을 찾을 수 없습니다."))
    if entry.contest.status in CLOSED_FOR_CONFLICTS:
        raise DomainError(N_("점수가 확정된 뒤에는 이해충돌 기록을 지울 수 없습니다."))
    before = {"reason": conflict.reason, "source": conflict.source}
    session.delete(conflict)
    session.flush()
    audit.record(session, "conflict.remove", actor=actor, contest_id=entry.contest_id, target_type="conflict",
                 target_id=f"{judge.judge_key}:{entry.entrant.key}", before=before)


# ---------------------------------------------------------------------------------------------
# Judges


def create_judge(session: orm.Session, contest: Contest, secret: str, *, name: str, key: str = "",
                 affiliation: str = "", email: str = "", actor: User | None = None) -> User:
    """Add a judge to the contest and issue the personal link and code (shown on the invitation card)."""
    if contest.status in CLOSED_FOR_CONFLICTS:
        raise DomainError(N_("점수가 확정된 공모전에는 심사위원을 더할 수 없습니다."))
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise DomainError(N_("심사위원 이름을 80자 이내로 입력해 주세요."), field="name")
    if len(affiliation or "") > 160 or len(email or "") > 200:
        raise DomainError(N_("소속은 160자, 이메일은 200자 이내여야 합니다."))
    taken = set(session.scalars(sa.select(User.judge_key).where(User.contest_id == contest.id,
                                                                User.role == "judge")))
    key = (key or "").strip().lower()
    if key:
        if not KEY_PATTERN.match(key):
            raise DomainError(N_("심사위원 키는 영문 소문자·숫자·-·_ 로 1~40자여야 합니다 (예: j5)."), field="key")
        if key in taken:
            raise DomainError(N_("심사위원 키 '{key}'가 이미 있습니다."), key=key, field="key")
    else:
        n = len(taken) + 1
        while f"j{n}" in taken:
            n += 1
        key = f"j{n}"
    judge = User(role="judge", name=name, affiliation=(affiliation or "").strip(), email=(email or "").strip(),
                 contest_id=contest.id, judge_key=key)
    session.add(judge)
    session.flush()
    auth.issue_credentials(session, secret, judge)
    audit.record(session, "judge.create", actor=actor, contest_id=contest.id, target_type="user",
                 target_id=judge.id, after={"key": key, "name": name})
    return judge


def issue_missing_credentials(session: orm.Session, contest: Contest, secret: str, *,
                              actor: User | None = None, actor_label: str | None = None) -> list[User]:
    """Issue the sign-in link and code of every judge who has none yet (judges that came from a
    contest file). Returns those judges; audited once when there were any."""
    issued = [j for j in contest_judges(session, contest) if j.link_digest is None]
    for judge in issued:
        auth.issue_credentials(session, secret, judge)
    if issued:
        audit.record(session, "judge.credentials", actor=actor, actor_label=actor_label, contest_id=contest.id,
                     target_type="contest", target_id=contest.slug,
                     after={"judges": [j.judge_key for j in issued]})
    return issued
