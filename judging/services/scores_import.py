"""Score import from CSV: how an organizer types in judges' paper score sheets.

Columns ``round,judge,entry,criterion,score[,comment]`` (header row required, any column order),
keys as in the contest file, UTF-8 with or without BOM. All or nothing: the whole file is checked
first and every problem is reported with its row and column ("3행 score 열: 최대 20점을 넘습니다");
only a clean file writes anything. Existing scores are overwritten (``version`` goes up). The import
may write into a submitted sheet — the organizer is copying the judge's signed paper — and the audit
event lists those sheets. Services flush, never commit.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy import orm

from judging import scoring
from judging.messages import N_, Message, joined
from judging.models import Contest, EntryComment, Score, Sheet, User, utcnow
from judging.services import audit, lifecycle, result_inputs
from judging.services.errors import DomainError
from judging.services.sheets import record_paper_signature
from judging.steps import Progress, counted

REQUIRED_COLUMNS = ("round", "judge", "entry", "criterion", "score")
OPTIONAL_COLUMNS = ("comment",)
MAX_REPORTED = 100
HEADER = ",".join(REQUIRED_COLUMNS) + "[,comment]"


class ScoreImportError(DomainError):
    """The file was refused; ``problems`` lists every "N행 X 열: 이유" line as a message (nothing was
    written)."""

    def __init__(self, problems: list[Message], total: int | None = None) -> None:
        self.problems = problems
        lines: list[Message] = list(problems)
        if total is not None and total > len(problems):
            lines.append(Message(N_("… 외 {count}건"), {"count": total - len(problems)}))
        super().__init__(N_("점수 파일을 불러오지 않았습니다 (아무것도 바뀌지 않았습니다).\n{problems}"),
                         problems=joined(lines, "\n"), details={"problems": problems})


@dataclass(frozen=True)
class ImportReport:
    """What an import did."""

    rows: int
    created: int
    updated: int
    unchanged: int
    comments: int
    submitted_sheets: tuple[tuple[str, str], ...] = ()  # (round, judge) sheets already submitted
    marked_submitted: tuple[tuple[str, str], ...] = ()  # (round, judge) sheets this import submitted


@dataclass
class _Row:
    line: int
    round: str
    judge: str
    entry: str
    criterion: str
    value: Decimal
    comment: str | None


@dataclass
class _Problems:
    items: list[Message] = field(default_factory=list)
    total: int = 0

    def add(self, line: int, column: str | None, message: Message) -> None:
        self.total += 1
        if len(self.items) < MAX_REPORTED:
            self.items.append(_at(line, column, message))


def _at(line: int, column: str | None, reason: Message) -> Message:
    """A problem with the row (and column) it is on: "3행 score 열: ..."."""
    if column:
        return Message(N_("{line}행 {column} 열: {reason}"), {"line": line, "column": column, "reason": reason})
    return Message(N_("{line}행: {reason}"), {"line": line, "reason": reason})


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScoreImportError([Message(N_("파일이 UTF-8 텍스트가 아닙니다. 엑셀에서는 'CSV UTF-8'로 저장하세요."))]) from None


def _records(text: str) -> list[tuple[int, list[str]]]:
    """CSV records with the line each starts on; blank lines are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""))
    out = []
    previous = 0
    try:
        for record in reader:
            start = previous + 1
            previous = reader.line_num
            if not record or all(not cell.strip() for cell in record):
                continue
            out.append((start, record))
    except csv.Error as exc:
        raise ScoreImportError([_at(previous + 1, None, Message(N_("CSV 형식 오류 ({error})"), {"error": exc}))]) from None
    return out


def parse_header(line: int, record: list[str]) -> dict[str, int]:
    """Column name -> index. Raises ``ScoreImportError`` for missing, unknown or repeated columns."""
    names = [cell.strip().lower() for cell in record]
    problems = []
    for name in names:
        if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
            problems.append(_at(line, None, Message(N_("알 수 없는 열 '{name}' (쓸 수 있는 열: {columns}, comment)"),
                                                    {"name": name, "columns": ", ".join(REQUIRED_COLUMNS)})))
    for name in {n for n in names if names.count(n) > 1}:
        problems.append(_at(line, None, Message(N_("열 '{name}'이(가) 두 번 있습니다"), {"name": name})))
    for name in REQUIRED_COLUMNS:
        if name not in names:
            problems.append(_at(line, None, Message(N_("필수 열 '{name}'이(가) 없습니다 (첫 줄은 머리글: {header})"),
                                                    {"name": name, "header": HEADER})))
    if problems:
        raise ScoreImportError(problems)
    return {name: names.index(name) for name in names}


def import_scores(
    session: orm.Session,
    contest: Contest,
    data: bytes | str,
    *,
    actor: User | None = None,
    actor_label: str | None = None,
    source: str = "",
    submit_sheets: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Check the whole CSV, then upsert its scores and comments in the caller's transaction.

    ``submit_sheets`` marks the sheets of every (round, judge) in the file as submitted (the paper
    sheets are signed). Raises ``ScoreImportError`` listing every problem with its row and column;
    nothing is written then. Audited as one ``scores.import`` event with the counts. ``progress``
    hears how many rows were checked ("점수 확인") and written ("점수 저장"). Scores change only
    while the contest is judging: ``lifecycle.Refused`` otherwise.
    """
    lifecycle.require(contest, "scores")
    records = _records(_decode(data))
    if not records:
        raise ScoreImportError([Message(N_("파일이 비어 있습니다. 첫 줄은 머리글이어야 합니다: {header}"),
                                        {"header": HEADER})])
    header_line, header = records[0]
    columns = parse_header(header_line, header)
    if len(records) == 1:
        raise ScoreImportError([_at(header_line, None, Message(N_("머리글만 있고 점수 행이 없습니다")))])

    inputs = result_inputs.contest_spec(session, contest)
    spec = inputs.spec
    criteria = {(r.key, c.key): c for r in spec.rounds for c in r.criteria}
    round_keys = {r.key for r in spec.rounds}
    conflicts = set(inputs.conflicts)
    assigned: dict[str, set[tuple[str, str]]] = {}
    for rnd, judge, entry in inputs.assignments:
        assigned.setdefault(rnd, set()).add((judge, entry))

    problems = _Problems()
    rows: list[_Row] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    comments: dict[tuple[str, str, str], tuple[int, str]] = {}
    width = len(header)
    for line, record in counted(records[1:], progress, N_("점수 확인")):
        if len(record) != width and not (len(record) > width and all(not c.strip() for c in record[width:])):
            problems.add(line, None, Message(N_("열이 {count}개입니다 (머리글은 {width}개)"),
                                             {"count": len(record), "width": width}))
            continue

        def cell(name: str, record: list[str] = record) -> str:
            index = columns.get(name)
            return record[index].strip() if index is not None and index < len(record) else ""

        rnd, judge, entry, crit, raw = (cell(n) for n in REQUIRED_COLUMNS)
        comment = cell("comment") if "comment" in columns else None
        ok = True
        for name, value in (("round", rnd), ("judge", judge), ("entry", entry), ("criterion", crit)):
            if not value:
                problems.add(line, name, Message(N_("비어 있습니다")))
                ok = False
        if not ok:
            continue
        if rnd not in round_keys:
            problems.add(line, "round", Message(N_("없는 라운드입니다 ('{round}'; 있는 라운드: {known})"),
                                                {"round": rnd, "known": ", ".join(sorted(round_keys))}))
            continue
        if judge not in inputs.judge_ids:
            problems.add(line, "judge", Message(N_("없는 심사위원입니다 ('{judge}')"), {"judge": judge}))
            ok = False
        if entry not in inputs.entrants:
            problems.add(line, "entry", Message(N_("없는 참가팀입니다 ('{entry}')"), {"entry": entry}))
            ok = False
        criterion = criteria.get((rnd, crit))
        if criterion is None:
            problems.add(line, "criterion", Message(N_("라운드 '{round}'에 없는 심사 기준입니다 ('{criterion}')"),
                                                    {"round": rnd, "criterion": crit}))
            ok = False
        if not ok or criterion is None:
            continue
        if (judge, entry) in conflicts:
            problems.add(line, "judge", Message(N_("심사위원 '{judge}'은(는) '{entry}'와(과) 이해충돌로 회피해 채점할 수 없습니다"),
                                                {"judge": judge, "entry": entry}))
            continue
        if rnd in assigned and (judge, entry) not in assigned[rnd]:
            problems.add(line, "judge", Message(N_("심사위원 '{judge}'은(는) 라운드 '{round}'에서 '{entry}'에 배정되지 않았습니다"),
                                                {"judge": judge, "round": rnd, "entry": entry}))
            continue
        if not raw:
            problems.add(line, "score", Message(N_("점수가 비어 있습니다")))
            continue
        try:
            score = scoring.check_score(criterion.scale, criterion.max_points, raw)
        except scoring.ScaleError as exc:
            problems.add(line, "score", exc.text)
            continue
        key = (rnd, judge, entry, crit)
        if key in seen:
            problems.add(line, None, Message(N_("{first}행과 같은 점수({key})가 또 있습니다"),
                                             {"first": seen[key], "key": "/".join(key)}))
            continue
        seen[key] = line
        if comment:
            sheet_key = (rnd, judge, entry)
            first = comments.get(sheet_key)
            if first is not None and first[1] != comment:
                problems.add(line, "comment", Message(N_("같은 심사위원·참가팀의 의견이 {first}행과 다릅니다 "
                                                         "(의견은 한 행에만 적거나 똑같이 적으세요)"), {"first": first[0]}))
                continue
            comments.setdefault(sheet_key, (line, comment))
        rows.append(_Row(line, rnd, judge, entry, crit, score, comment))

    if not problems.total:
        _check_round_membership(inputs, rows, problems)
    if problems.total:
        raise ScoreImportError(problems.items, problems.total)
    return _write(session, contest, inputs, rows, comments, actor, actor_label, source, submit_sheets, progress)


def _check_round_membership(inputs: result_inputs.ContestInputs, rows: list[_Row], problems: _Problems) -> None:
    """Every row's entry must take part in its round. The entries of a round that lists none are the
    ones advancing from the round before — with the file's scores counted, since a file may carry a
    screening round and the final together."""
    existing = {(r, j, e, c): i for i, (r, j, e, c, _v) in enumerate(inputs.scores)}
    merged = list(inputs.scores)
    for row in rows:
        key = (row.round, row.judge, row.entry, row.criterion)
        item = (row.round, row.judge, row.entry, row.criterion, row.value)
        if key in existing:
            merged[existing[key]] = item
        else:
            merged.append(item)
    try:
        result = scoring.compute_contest(
            inputs.spec, merged, inputs.conflicts, inputs.assignments, inputs.tier_decisions,
            inputs.order_decisions, (), inputs.advance_decisions,
        )
        members = {rnd.key: {e.entry for e in rnd.entries} for rnd in result.rounds}
    except scoring.ScoringError:
        members = {rnd.key: set(rnd.entries) for rnd in inputs.spec.rounds if rnd.entries is not None}
    titles = {rnd.key: rnd.title for rnd in inputs.spec.rounds}
    for row in rows:
        allowed = members.get(row.round)
        if allowed is not None and row.entry not in allowed:
            problems.add(row.line, "entry", Message(N_("'{entry}'은(는) {title}({round}) 대상이 아닙니다"),
                                                    {"entry": row.entry, "title": titles[row.round], "round": row.round}))


def _write(
    session: orm.Session,
    contest: Contest,
    inputs: result_inputs.ContestInputs,
    rows: list[_Row],
    comments: dict[tuple[str, str, str], tuple[int, str]],
    actor: User | None,
    actor_label: str | None,
    source: str,
    submit_sheets: bool,
    progress: Progress | None = None,
) -> ImportReport:
    round_ids = {r.key: r.id for r in inputs.rounds}
    criterion_ids = {(r.key, c.key): c.id for r in inputs.rounds for c in r.criteria}
    judge_ids = inputs.judge_ids
    entry_ids = {k: info.entry_id for k, info in inputs.entrants.items()}

    existing = {
        (s.judge_id, s.entry_id, s.criterion_id): s
        for s in session.scalars(sa.select(Score).where(Score.criterion_id.in_(list(criterion_ids.values()))))
    }
    created = updated = unchanged = 0
    now = utcnow()
    for row in counted(rows, progress, N_("점수 저장")):
        ident = (judge_ids[row.judge], entry_ids[row.entry], criterion_ids[(row.round, row.criterion)])
        score = existing.get(ident)
        if score is None:
            session.add(Score(judge_id=ident[0], entry_id=ident[1], criterion_id=ident[2], value=row.value,
                              version=1, updated_at=now))
            created += 1
        elif score.value is not None and Decimal(score.value) == row.value:
            unchanged += 1
        else:
            score.value = row.value
            score.version += 1
            score.updated_at = now
            updated += 1

    comment_count = 0
    for (rnd, judge, entry), (_line, body) in comments.items():
        found = session.scalar(sa.select(EntryComment).where(
            EntryComment.judge_id == judge_ids[judge], EntryComment.round_id == round_ids[rnd],
            EntryComment.entry_id == entry_ids[entry]))
        if found is None:
            session.add(EntryComment(judge_id=judge_ids[judge], round_id=round_ids[rnd], entry_id=entry_ids[entry],
                                     body=body, version=1))
            comment_count += 1
        elif found.body != body:
            found.body = body
            found.version += 1
            comment_count += 1

    pairs = sorted({(row.round, row.judge) for row in rows})
    sheets = {
        (s.round_id, s.judge_id): s
        for s in session.scalars(sa.select(Sheet).where(Sheet.round_id.in_(list(round_ids.values()))))
    }
    already = tuple(p for p in pairs if (s := sheets.get((round_ids[p[0]], judge_ids[p[1]]))) is not None
                    and s.status == "submitted")
    marked: list[tuple[str, str]] = []
    paper: list[Sheet] = []
    if submit_sheets:
        for rnd, judge in pairs:
            sheet = sheets.get((round_ids[rnd], judge_ids[judge]))
            if sheet is None:
                sheet = Sheet(judge_id=judge_ids[judge], round_id=round_ids[rnd], status="draft")
                session.add(sheet)
            if sheet.status != "submitted":
                sheet.status = "submitted"
                sheet.submitted_at = now
                marked.append((rnd, judge))
                paper.append(sheet)
    session.flush()
    # A sheet entered from paper was signed on paper: marked so, with the hash of what was entered.
    for sheet in paper:
        record_paper_signature(session, sheet, actor=actor, actor_label=actor_label, now=now)
    report = ImportReport(len(rows), created, updated, unchanged, comment_count, already, tuple(marked))
    audit.record(session, "scores.import", actor=actor, actor_label=actor_label, contest_id=contest.id,
                 target_type="contest", target_id=contest.slug, after={
                     "source": source, "rows": report.rows, "created": created, "updated": updated,
                     "unchanged": unchanged, "comments": comment_count,
                     "sheets": [list(p) for p in pairs],
                     "already_submitted": [list(p) for p in already],
                     "marked_submitted": [list(p) for p in marked],
                 })
    return report
