"""Published snapshots: never changed once written; read the latest, every version or one, and
compare two versions entry by entry."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from judging.messages import N_
from judging.models import (
    Contest,
    ResultSnapshot,
)
from judging.services import published
from judging.services.errors import DomainError, NotFound
from judging.services.published import latest_snapshot as latest_snapshot  # read by its callers here too


@sa.event.listens_for(ResultSnapshot, "before_update")
def _snapshots_are_immutable(_mapper: Any, _connection: Any, target: ResultSnapshot) -> None:
    """A published snapshot is never changed: any ORM flush that would update one is refused."""
    raise DomainError(N_("발표된 결과(제{version}판)는 바꿀 수 없습니다. 바뀐 결과는 새 판으로 발표하세요."),
                      version=target.version)


def payload_digest(payload: dict[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of a snapshot payload (docs/results.md): the digest a
    snapshot stores, the audit chain checks and an approval names."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def snapshots(session: orm.Session, contest: Contest) -> list[ResultSnapshot]:
    """Every published snapshot of the contest, newest first."""
    return list(session.scalars(sa.select(ResultSnapshot).where(ResultSnapshot.contest_id == contest.id)
                                .order_by(ResultSnapshot.version.desc())))


def snapshot(session: orm.Session, contest: Contest, version: int) -> ResultSnapshot:
    """One published version. Raises ``NotFound`` when there is no such version."""
    found = session.scalar(sa.select(ResultSnapshot).where(ResultSnapshot.contest_id == contest.id,
                                                           ResultSnapshot.version == version))
    if found is None:
        raise NotFound(N_("제{version}판 발표 결과가 없습니다."), version=version)
    return found


@dataclass(frozen=True)
class EntryChange:
    """How one entry differs between two versions. ``change``: "changed", "added" or "removed";
    the old_/new_ values are None where the entry is absent. ``fields`` names what changed
    ("rank", "tier", "score", "special_award")."""

    entry: str
    name: str
    change: str
    fields: tuple[str, ...]
    old_rank: int | None
    new_rank: int | None
    old_tier: str | None
    new_tier: str | None
    old_tier_title: str | None
    new_tier_title: str | None
    old_score: str | None
    new_score: str | None
    old_special: str | None = None
    new_special: str | None = None


@dataclass(frozen=True)
class SnapshotDiff:
    """What changed between two versions, for display: per entry, and whether anything did."""

    old_version: int | None
    new_version: int
    entries: tuple[EntryChange, ...]
    same_digest: bool

    @property
    def unchanged(self) -> bool:
        return not self.entries


def _payload_of(item: ResultSnapshot | dict[str, Any] | None) -> tuple[int | None, dict[str, Any], str | None]:
    if item is None:
        return None, {}, None
    if isinstance(item, ResultSnapshot):
        return item.version, item.payload, item.digest
    return item.get("version"), item, None


def snapshot_diff(old: ResultSnapshot | dict | None, new: ResultSnapshot | dict) -> SnapshotDiff:
    """List what changed between two versions per entry (rank, tier, score, special award), plus
    entries added or removed. ``old`` may be None (everything is "added")."""
    old_version, old_payload, old_digest = _payload_of(old)
    new_version, new_payload, new_digest = _payload_of(new)

    def index(payload: dict[str, Any]) -> dict[str, dict[str, Any]]:
        content = published.read_payload(payload)
        rows: dict[str, dict[str, Any]] = {}
        for e in content.entries:
            rows[e.key] = {"name": e.name, "rank": e.rank, "tier": e.tier,
                           "tier_title": e.tier_title, "score": e.score, "special": None}
        for award in content.awards:
            if award.kind != "special":
                continue
            row = rows.setdefault(award.entry.key, {"name": award.entry.name, "rank": None, "tier": None,
                                                    "tier_title": None, "score": None, "special": None})
            row["special"] = award.key
        return rows

    before, after = index(old_payload), index(new_payload)
    changes = []
    for key in sorted(set(before) | set(after), key=lambda k: (
        (after.get(k) or {}).get("rank") is None, (after.get(k) or {}).get("rank") or 0, k)):
        a, b = before.get(key), after.get(key)
        if a is None or b is None:
            row = b or a or {}
            changes.append(EntryChange(
                key, row["name"], "added" if a is None else "removed", ("rank", "tier", "score", "special_award"),
                None if a is None else a["rank"], None if b is None else b["rank"],
                None if a is None else a["tier"], None if b is None else b["tier"],
                None if a is None else a["tier_title"], None if b is None else b["tier_title"],
                None if a is None else a["score"], None if b is None else b["score"],
                None if a is None else a["special"], None if b is None else b["special"],
            ))
            continue
        fields_changed = tuple(
            name for name, field_key in (("rank", "rank"), ("tier", "tier"), ("score", "score"),
                                         ("special_award", "special"))
            if a[field_key] != b[field_key]
        )
        if fields_changed:
            changes.append(EntryChange(key, b["name"], "changed", fields_changed, a["rank"], b["rank"], a["tier"],
                                       b["tier"], a["tier_title"], b["tier_title"], a["score"], b["score"],
                                       a["special"], b["special"]))
    return SnapshotDiff(old_version, new_version or 0, tuple(changes),
                        old_digest is not None and old_digest == new_digest)
