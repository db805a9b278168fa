"""The live progress board of a round: judges × entries, each cell's state, who has submitted and
who is missing what, and whose submitted sheet is signed (on the tablet or on paper). Counts only:
the board never carries a score value.

Codes only, as well: the day view puts them into words. Cell states: ``complete`` (every criterion scored), ``in_progress`` (some), ``not_started`` (none),
``conflict`` (the judge is recused for the entry), ``unassigned`` (the entry is not on the judge's
list in a round with assignments).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass, field

import sqlalchemy as sa
from sqlalchemy import orm

from judging.models import Criterion, Round, Score, Sheet, SheetSignature, utcnow
from judging.services.assignments import assignment_pairs, conflict_pairs, contest_judges, round_entries

STATES = ("complete", "in_progress", "not_started", "conflict", "unassigned")
#: What a judge is doing, as far as the board can tell.
ACTIVITIES = ("submitted", "scoring", "signed_in", "not_signed_in")


@dataclass(frozen=True)
class Cell:
    entry: int
    state: str
    filled: int
    total: int


@dataclass
class JudgeRow:
    id: int
    key: str
    name: str
    signed_in: bool
    sheet: str  # "submitted" | "draft" | "none"
    submitted_at: str | None  # ISO, UTC
    expected: int = 0
    complete: int = 0
    in_progress: int = 0
    not_started: int = 0
    missing: list[str] = field(default_factory=list)  # entrant names not complete
    cells: list[Cell] = field(default_factory=list)
    activity: str = "not_signed_in"  # submitted | scoring | signed_in | not_signed_in
    signed: str = ""  # "tablet" | "paper" (the submitted sheet's signature) | ""


@dataclass(frozen=True)
class EntryColumn:
    id: int
    key: str
    name: str
    position: int
    complete: int
    expected: int


@dataclass
class Board:
    round_id: int
    round_key: str
    round_title: str
    round_status: str
    contest_status: str
    criteria: int
    entries: list[EntryColumn]
    judges: list[JudgeRow]
    submitted: int
    judges_expected: int
    cells_complete: int
    cells_expected: int
    generated_at: str
    digest: str = ""
    #: when each complete cell got its last score (UTC), for the day's chart; not sent to the page
    completed_at: list[dt.datetime] = field(default_factory=list)

    def to_json(self) -> dict:
        data = asdict(self)
        data.pop("completed_at")
        return data


def board(session: orm.Session, rnd: Round, now: dt.datetime | None = None) -> Board:
    """Build the board of ``rnd`` from the database (a handful of queries, no scores read)."""
    contest = rnd.contest
    judges = contest_judges(session, contest)
    entries = round_entries(session, rnd)
    conflicts = conflict_pairs(session, contest)
    assigned = assignment_pairs(session, rnd)
    criteria_count = session.scalar(sa.select(sa.func.count()).select_from(Criterion)
                                    .where(Criterion.round_id == rnd.id)) or 0
    filled: dict[tuple[int, int], int] = {}
    last_saved: dict[tuple[int, int], dt.datetime | None] = {}
    for j, e, n, last in session.execute(
            sa.select(Score.judge_id, Score.entry_id, sa.func.count(), sa.func.max(Score.updated_at))
            .join(Criterion, Criterion.id == Score.criterion_id)
            .where(Criterion.round_id == rnd.id, Score.value.is_not(None))
            .group_by(Score.judge_id, Score.entry_id)
    ):
        filled[(j, e)] = n
        last_saved[(j, e)] = last
    completed_at: list[dt.datetime] = []
    sheets = {j: (status, at) for j, status, at in session.execute(
        sa.select(Sheet.judge_id, Sheet.status, Sheet.submitted_at).where(Sheet.round_id == rnd.id))}
    signed = dict(session.execute(
        sa.select(Sheet.judge_id, SheetSignature.method).join(SheetSignature, SheetSignature.sheet_id == Sheet.id)
        .where(Sheet.round_id == rnd.id, Sheet.status == "submitted", SheetSignature.voided_at.is_(None))).all())
    names = {e.id: e.entrant.name for e in entries}
    per_entry_complete = {e.id: 0 for e in entries}
    per_entry_expected = {e.id: 0 for e in entries}
    rows: list[JudgeRow] = []
    for judge in judges:
        status, at = sheets.get(judge.id, ("none", None))
        row = JudgeRow(judge.id, judge.judge_key or "", judge.name, judge.last_sign_in_at is not None, status,
                       None if at is None else at.replace(microsecond=0).isoformat())
        for entry in entries:
            pair = (judge.id, entry.id)
            n = filled.get(pair, 0)
            if pair in conflicts:
                state = "conflict"
            elif assigned and pair not in assigned:
                state = "unassigned"
            elif criteria_count and n >= criteria_count:
                state = "complete"
            elif n > 0:
                state = "in_progress"
            else:
                state = "not_started"
            if state in ("complete", "in_progress", "not_started"):
                row.expected += 1
                per_entry_expected[entry.id] += 1
                if state == "complete":
                    row.complete += 1
                    per_entry_complete[entry.id] += 1
                    if last_saved.get(pair) is not None:
                        completed_at.append(last_saved[pair])  # type: ignore[arg-type]
                else:
                    row.missing.append(names[entry.id])
                    if state == "in_progress":
                        row.in_progress += 1
                    else:
                        row.not_started += 1
            row.cells.append(Cell(entry.id, state, n, criteria_count))
        if row.sheet == "submitted":
            row.activity = "submitted"
            row.signed = signed.get(judge.id, "")
        elif row.complete or row.in_progress:
            row.activity = "scoring"
        elif row.signed_in:
            row.activity = "signed_in"
        rows.append(row)
    columns = [EntryColumn(e.id, e.entrant.key, names[e.id], i,
                           per_entry_complete[e.id], per_entry_expected[e.id])
               for i, e in enumerate(entries, start=1)]
    expected_rows = [r for r in rows if r.expected]
    result = Board(
        round_id=rnd.id, round_key=rnd.key, round_title=rnd.title, round_status=rnd.status,
        contest_status=contest.status, criteria=criteria_count, entries=columns, judges=rows,
        submitted=sum(1 for r in expected_rows if r.sheet == "submitted"),
        judges_expected=len(expected_rows),
        cells_complete=sum(r.complete for r in rows),
        cells_expected=sum(r.expected for r in rows),
        generated_at=(now or utcnow()).replace(microsecond=0).isoformat(),
    )
    result.completed_at = sorted(completed_at)
    body = result.to_json()
    body.pop("generated_at")
    result.digest = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()[:16]
    return result
