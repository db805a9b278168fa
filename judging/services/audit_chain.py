"""The audit log as a hash chain, and its verification.

Every audit event carries ``hash = sha256(canonical content + previous event's hash)`` and its
position ``seq`` in one chain over the whole installation. The hash is sealed as the event is
inserted (a mapper hook, so no path into the table can skip it), under the lock of the single
``audit_chain_head`` row: its UPDATE is the first thing an append does, which on PostgreSQL locks
the row until the transaction ends and on SQLite takes the write lock, so two writers appending
at once are serialized and never fork the chain. The head also remembers the last ``seq`` and
hash, so events cut from the end of the chain are found as well.

Published result snapshots enter the chain through their ``result.publish`` event, which records
the snapshot's digest; verification recomputes each snapshot's digest and compares it with the
stored one and with the chained event.

``verify`` finds, after any change made behind the app's back (an UPDATE, a DELETE, an inserted
row, with the append-only triggers dropped): the first event whose content no longer matches its
hash, whose link to its predecessor is broken, or whose position skips or repeats; a chain whose
end disagrees with the head; a snapshot whose digest does not match. A writer who rewrites every
hash after a change is caught only by an outside copy of the head hash or of a snapshot digest:
the result report prints both.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import event, orm

from judging.formatting import datetime_dot, local_time
from judging.models import AuditChainHead, AuditEvent, Contest, ResultSnapshot, utcnow
from judging.services.snapshots import payload_digest

GENESIS = "0" * 64
HEAD_ID = 1

# Problem kinds (rendered as sentences by the CLI and the audit page).
CHANGED = "changed"        # the event's content does not match its hash
LINK = "link"              # prev_hash is not the previous event's hash
GAP = "gap"                # seq skips: events before this one were deleted
REPEAT = "repeat"          # seq repeats or goes backwards: an event was inserted
UNSEALED = "unsealed"      # no seq or hash at all: inserted behind the app's back
TAIL = "tail"              # the chain's end disagrees with the head: events cut or appended
SNAPSHOT = "snapshot"      # a published snapshot's digest does not match its payload or its event


def _as_read(value: Any) -> Any:
    """The JSON value as it reads back from the database (tuples become lists, keys strings)."""
    if value is None:
        return None
    return json.loads(json.dumps(value, ensure_ascii=False))


def canonical(fields: Mapping[Any, Any], *, as_read: bool = False) -> bytes:
    """The canonical bytes of an event's content (every column but ``id`` and ``hash``).
    ``as_read``: ``before``/``after`` come from the database and are plain JSON values already."""
    at = fields["at"]
    plain = (lambda v: v) if as_read else _as_read
    content = {
        "seq": int(fields["seq"]),
        "at": at.isoformat(sep=" ", timespec="microseconds") if isinstance(at, dt.datetime) else str(at),
        "actor_id": fields["actor_id"],
        "actor_label": fields["actor_label"] or "",
        "contest_id": fields["contest_id"],
        "action": fields["action"],
        "target_type": fields["target_type"] or "",
        "target_id": fields["target_id"] or "",
        "before": plain(fields["before"]),
        "after": plain(fields["after"]),
        "address": fields["address"] or "",
        "prev_hash": fields["prev_hash"],
    }
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def event_hash(fields: Mapping[Any, Any], *, as_read: bool = False) -> str:
    """SHA-256 (hex) of the event's canonical content, which includes the previous hash."""
    return hashlib.sha256(canonical(fields, as_read=as_read)).hexdigest()


def _fields(e: AuditEvent) -> dict[str, Any]:
    return {
        "seq": e.seq, "at": e.at, "actor_id": e.actor_id, "actor_label": e.actor_label,
        "contest_id": e.contest_id, "action": e.action, "target_type": e.target_type,
        "target_id": e.target_id, "before": e.before, "after": e.after, "address": e.address,
        "prev_hash": e.prev_hash,
    }


_head = cast(sa.Table, AuditChainHead.__table__)
# Built once: every autosave appends an event, and building the statements cost more than running them.
_ADVANCE = (_head.update().where(_head.c.id == HEAD_ID).values(seq=_head.c.seq + 1)
            .returning(_head.c.seq, _head.c.last_hash))
_SET_HASH = _head.update().where(_head.c.id == HEAD_ID).values(last_hash=sa.bindparam("b_hash"))


def advance(connection: sa.Connection) -> tuple[int, str]:
    """Take the chain head's lock and the next position: returns (seq, previous hash)."""
    row = connection.execute(_ADVANCE).one_or_none()
    if row is None:
        raise RuntimeError("audit_chain_head row is missing: run `judging db upgrade`")
    return int(row.seq), row.last_hash


def set_head_hash(connection: sa.Connection, value: str) -> None:
    connection.execute(_SET_HASH, {"b_hash": value})


def _seal_fields(connection: sa.Connection, fields: dict[str, Any]) -> dict[str, Any]:
    """Fill in the defaults the hash covers, take the next position and compute the hash."""
    fields["at"] = (fields.get("at") or utcnow()).replace(tzinfo=None)
    for name in ("actor_label", "target_type", "target_id", "address"):
        fields[name] = fields.get(name) or ""
    for name in ("actor_id", "contest_id", "before", "after"):
        fields.setdefault(name, None)
    fields["seq"], fields["prev_hash"] = advance(connection)
    fields["hash"] = event_hash(fields)
    set_head_hash(connection, fields["hash"])
    return fields


@event.listens_for(AuditEvent, "before_insert")
def _seal(_mapper: Any, connection: sa.Connection, target: AuditEvent) -> None:
    """Give the new event its place in the chain and its hash, just before it is inserted."""
    fields = _seal_fields(connection, _fields(target))
    for name, value in fields.items():
        setattr(target, name, value)


_insert = sa.insert(cast(sa.Table, AuditEvent.__table__))


def append(connection: sa.Connection, values: dict[str, Any]) -> None:
    """Insert one audit event through Core (for fast paths that skip the ORM), sealed the same way."""
    connection.execute(_insert, _seal_fields(connection, dict(values)))


# --- verification -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    kind: str
    event_id: int | None = None
    seq: int | None = None
    action: str = ""
    at: dt.datetime | None = None
    contest_id: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ChainReport:
    """What ``verify`` found. ``problems`` are in chain order; the first one is the first break."""

    events: int                  # events in the whole chain
    checked: int                 # events whose content was recomputed (all, or one contest's)
    snapshots: int               # snapshots checked
    head_seq: int
    head_hash: str
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None


def head(session: orm.Session) -> tuple[int, str]:
    """The head's (seq, hash) as stored, without locking it."""
    row = session.execute(sa.select(_head.c.seq, _head.c.last_hash).where(_head.c.id == HEAD_ID)).one_or_none()
    return (0, GENESIS) if row is None else (int(row.seq), row.last_hash)


def verify(session: orm.Session, contest: Contest | None = None, *, limit: int = 50) -> ChainReport:
    """Walk the chain from the first event and report every break (at most ``limit``).

    The links (positions and previous hashes) are always checked over the whole chain, since a
    deletion anywhere breaks them; with ``contest``, only that contest's events have their content
    recomputed and only its snapshots are checked. Reads only.
    """
    problems: list[Problem] = []
    head_seq, head_hash = head(session)
    contest_id = None if contest is None else contest.id

    def add(kind: str, e: Any = None, **detail: Any) -> None:
        if len(problems) < limit:
            if e is None:
                problems.append(Problem(kind, detail=detail))
            else:
                problems.append(Problem(kind, e["id"], e["seq"], e["action"], e["at"], e["contest_id"], detail))

    t = AuditEvent.__table__
    order = (t.c.seq.is_not(None), t.c.seq, t.c.id)  # unsealed rows (no position) first, on both databases
    light = (t.c.id, t.c.seq, t.c.prev_hash, t.c.hash, t.c.action, t.c.at, t.c.contest_id)
    # Plain rows, not ORM objects. The whole chain is walked for positions and links; the content of
    # the events in scope is recomputed (in the same pass when the scope is everything).
    rows = session.execute(sa.select(*(t.c if contest_id is None else light)).order_by(*order)
                           .execution_options(yield_per=5000)).mappings()
    previous_seq, previous_hash = 0, GENESIS
    count = checked = 0
    for e in rows:
        count += 1
        seq = e["seq"]
        if seq is None or not e["hash"] or not e["prev_hash"]:
            add(UNSEALED, e)
            continue
        if seq <= previous_seq:
            add(REPEAT, e, previous_seq=previous_seq)
        elif seq != previous_seq + 1:
            add(GAP, e, missing_from=previous_seq + 1, missing_to=seq - 1)
        elif e["prev_hash"] != previous_hash:
            add(LINK, e)
        if contest_id is None:
            checked += 1
            if event_hash(e, as_read=True) != e["hash"]:
                add(CHANGED, e)
        previous_seq, previous_hash = max(previous_seq, seq), e["hash"]
    if (previous_seq, previous_hash) != (head_seq, head_hash):
        add(TAIL, None, last_seq=previous_seq, head_seq=head_seq)
    if contest_id is not None:
        scoped = session.execute(sa.select(*t.c).where(t.c.contest_id == contest_id, t.c.seq.is_not(None))
                                 .order_by(t.c.seq).execution_options(yield_per=5000)).mappings()
        for e in scoped:
            checked += 1
            if e["hash"] and e["prev_hash"] and event_hash(e, as_read=True) != e["hash"]:
                add(CHANGED, e)
    publish_digests: dict[str, set[str]] = {}
    for target_id, after in session.execute(sa.select(t.c.target_id, t.c.after).where(
            t.c.action == "result.publish", t.c.target_type == "result_snapshot")):
        if isinstance(after, dict):
            publish_digests.setdefault(str(target_id), set()).add(str(after.get("digest")))

    snapshots = _verify_snapshots(session, contest_id, publish_digests, add)
    problems.sort(key=_chain_order)
    return ChainReport(count, checked, snapshots, head_seq, head_hash, problems)


def _chain_order(p: Problem) -> tuple[int, int]:
    """Unsealed rows first, then by position; the end of the chain and snapshots last."""
    if p.event_id is None:
        return (2, 0)
    return (0, 0) if p.seq is None else (1, p.seq)


def _verify_snapshots(session: orm.Session, contest_id: int | None, publish_digests: dict[str, set[str]],
                      add: Any) -> int:
    q = sa.select(ResultSnapshot).order_by(ResultSnapshot.contest_id, ResultSnapshot.version)
    if contest_id is not None:
        q = q.where(ResultSnapshot.contest_id == contest_id)
    n = 0
    for snap in session.scalars(q):
        n += 1
        recomputed = payload_digest(snap.payload)
        chained = publish_digests.get(str(snap.id), set())
        if recomputed != snap.digest or snap.digest not in chained:
            add(SNAPSHOT, None, snapshot_id=snap.id, snapshot_contest_id=snap.contest_id, version=snap.version,
                payload_matches=recomputed == snap.digest, chained=snap.digest in chained)
    return n


# --- sentences ------------------------------------------------------------------------------------

def _same(text: str) -> str:
    return text


def _when(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return datetime_dot(local_time(value))


def describe(p: Problem, _: Any = _same) -> str:
    """One sentence naming the broken event and what was found; ``_`` translates (Korean by default)."""
    what = {"id": p.event_id, "seq": p.seq, "action": p.action, "at": _when(p.at)}
    if p.kind == CHANGED:
        return _("감사 기록 #%(seq)s (id %(id)s, %(action)s, %(at)s)의 내용이 해시와 맞지 않습니다: "
                 "앱 밖에서 고쳐졌습니다.") % what
    if p.kind == LINK:
        return _("감사 기록 #%(seq)s (id %(id)s, %(action)s, %(at)s)이 앞 기록과 이어지지 않습니다: "
                 "앞 기록이 고쳐졌거나 지워졌거나 그 사이에 기록이 끼워졌습니다.") % what
    if p.kind == GAP:
        return _("감사 기록 #%(first)s–#%(last)s가 없습니다 (#%(seq)s, id %(id)s, %(action)s 앞): "
                 "지워졌습니다.") % {**what, "first": p.detail.get("missing_from"), "last": p.detail.get("missing_to")}
    if p.kind == REPEAT:
        return _("감사 기록 id %(id)s (%(action)s, %(at)s)의 순번 #%(seq)s가 앞 순번 뒤에 올 수 없습니다: "
                 "앱 밖에서 끼워 넣은 기록입니다.") % what
    if p.kind == UNSEALED:
        return _("감사 기록 id %(id)s (%(action)s, %(at)s)에는 순번이나 해시가 없습니다: "
                 "앱 밖에서 끼워 넣은 기록입니다.") % what
    if p.kind == TAIL:
        return _("기록의 끝(#%(last)s)이 체인 머리(#%(head)s)와 다릅니다: 마지막 기록이 지워졌거나 "
                 "앱 밖에서 덧붙여졌습니다.") % {"last": p.detail.get("last_seq"), "head": p.detail.get("head_seq")}
    return _("발표 결과 제%(version)s판 (snapshot %(id)s)의 요약값(sha256)이 내용이나 감사 기록과 맞지 "
             "않습니다.") % {"version": p.detail.get("version"), "id": p.detail.get("snapshot_id")}
