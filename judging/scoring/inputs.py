"""The core's score inputs: score rows (checked one by one) or sheets added up upstream, both turned
into one shape per round (``Sheets``): each judge's total per entry and the scores on demand."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from itertools import repeat
from operator import eq, is_, itemgetter

from judging.messages import N_

from .errors import ScaleError, ScoreInputError
from .model import ContestSpec, RoundSheets, RoundSpec, ScoreRow
from .scales import allowed_set, check_score
from .sheet import sheet_total


class Sheets:
    """One round's score sheets: ``totals[(judge, entry)] = (total, scored)`` (the total is None unless
    every criterion is scored) and the scores themselves on demand."""

    __slots__ = ("_column", "_columns", "_scores", "_sheets", "totals")

    def __init__(
        self,
        totals: Mapping[tuple[str, str], tuple[Decimal | None, int]],
        scores: Callable[[str, str], Mapping[str, Decimal]],
        column: Callable[[str], Mapping[tuple[str, str], Decimal]] | None = None,
    ) -> None:
        self.totals = totals
        self._scores = scores
        self._column = column
        self._columns: dict[str, Mapping[tuple[str, str], Decimal]] = {}
        self._sheets: dict[tuple[str, str], Mapping[str, Decimal]] = {}

    def scores(self, judge: str, entry: str) -> Mapping[str, Decimal]:
        """One sheet's scores by criterion key (empty when the judge scored nothing)."""
        key = (judge, entry)
        found = self._sheets.get(key)
        if found is None:
            found = self._sheets[key] = self._scores(judge, entry) if key in self.totals else {}
        return found

    def column(self, criterion: str) -> Mapping[tuple[str, str], Decimal]:
        """One criterion's scores of every sheet, by ``(judge, entry)``."""
        found = self._columns.get(criterion)
        if found is None:
            if self._column is not None:
                found = self._column(criterion)
            else:
                found = {}
                for key in self.totals:
                    value = self.scores(*key).get(criterion)
                    if value is not None:
                        found[key] = value
            self._columns[criterion] = found
        return found

    def loaded(self, criterion: str) -> Mapping[tuple[str, str], Decimal] | None:
        """The criterion's column if it was read already."""
        return self._columns.get(criterion)


def read_scores(
    spec: ContestSpec, scores: Iterable[ScoreRow | tuple[str, str, str, str, object]]
) -> dict[str, Sheets]:
    """Check every score row (known round, criterion, judge and entry; on the scale; not twice) and
    add up each complete sheet. Raises ``ScoreInputError`` naming the first bad row."""
    allowed = {
        (rnd.key, c.key): (allowed_set(c.scale, c.max_points), c) for rnd in spec.rounds for c in rnd.criteria
    }
    judges = set(spec.judges)
    entries = set(spec.entries)
    sheets: dict[str, dict[tuple[str, str], dict[str, Decimal]]] = {rnd.key: {} for rnd in spec.rounds}
    for number, row in enumerate(scores, start=1):
        value: object
        if isinstance(row, ScoreRow):
            rnd, judge, entry, crit, value = row.round, row.judge, row.entry, row.criterion, row.value
        else:
            rnd, judge, entry, crit, value = row
        info = allowed.get((rnd, crit))
        if info is None:
            raise ScoreInputError(N_("점수 {number}행: 없는 라운드 또는 심사 기준입니다 ({rnd}/{crit})"), number=number, rnd=rnd, crit=crit)
        if value not in info[0] or not isinstance(value, Decimal):
            criterion = info[1]
            try:
                value = check_score(criterion.scale, criterion.max_points, value)
            except ScaleError as exc:
                raise ScoreInputError(N_("점수 {number}행 ({judge}/{entry}/{crit}): {reason}"), number=number, judge=judge, entry=entry,
                                      crit=crit, reason=exc.text) from None
        by_sheet = sheets[rnd]
        sheet = by_sheet.get((judge, entry))
        if sheet is None:
            if judge not in judges:
                raise ScoreInputError(N_("점수 {number}행: 없는 심사위원입니다 ({judge})"), number=number, judge=judge)
            if entry not in entries:
                raise ScoreInputError(N_("점수 {number}행: 없는 참가팀입니다 ({entry})"), number=number, entry=entry)
            sheet = by_sheet[(judge, entry)] = {}
        elif crit in sheet:
            raise ScoreInputError(
                N_("점수 {number}행: 같은 점수가 두 번 있습니다 ({rnd}/{judge}/{entry}/{crit})"), number=number, rnd=rnd, judge=judge, entry=entry, crit=crit
            )
        sheet[crit] = value
    return {rnd.key: row_sheets(rnd, sheets[rnd.key]) for rnd in spec.rounds}


def row_sheets(rnd: RoundSpec, by_sheet: dict[tuple[str, str], dict[str, Decimal]]) -> Sheets:
    n_criteria = len(rnd.criteria)
    totals = {
        key: (sheet_total(rnd, sheet) if len(sheet) == n_criteria else None, len(sheet))
        for key, sheet in by_sheet.items()
    }

    def column(criterion: str) -> dict[tuple[str, str], Decimal]:
        return {key: sheet[criterion] for key, sheet in by_sheet.items() if criterion in sheet}

    return Sheets(totals, lambda judge, entry: by_sheet[(judge, entry)], column)


def given_sheets(spec: ContestSpec, given: Sequence[RoundSheets]) -> dict[str, Sheets]:
    """Check sheets added up upstream: known rounds, judges and entries, one set per round, a plausible
    count of scores. Their scores are trusted to be on the scales (``RoundSheets``)."""
    rounds = {rnd.key: rnd for rnd in spec.rounds}
    found: dict[str, Sheets] = {}
    for item in given:
        rnd = rounds.get(item.round)
        if rnd is None:
            raise ScoreInputError(N_("점수: 없는 라운드입니다 ({round})"), round=item.round)
        if item.round in found:
            raise ScoreInputError(N_("점수: 라운드 {round}의 채점표가 두 번 있습니다"), round=item.round)
        totals = item.totals
        unknown = set(map(itemgetter(0), totals)) - set(spec.judges)
        if unknown:
            raise ScoreInputError(N_("점수: 없는 심사위원입니다 ({unknown})"), unknown=', '.join(sorted(unknown)))
        unknown = set(map(itemgetter(1), totals)) - set(spec.entries)
        if unknown:
            raise ScoreInputError(N_("점수: 없는 참가팀입니다 ({unknown})"), unknown=', '.join(sorted(unknown)))
        n_criteria = len(rnd.criteria)
        # C-level checks (a national round has ~25,000 sheets): counts in range, a total on exactly
        # the complete sheets
        counts = list(map(itemgetter(1), totals.values()))
        complete = map(n_criteria.__eq__, counts)
        no_total = map(is_, map(itemgetter(0), totals.values()), repeat(None))
        if counts and (min(counts) < 1 or max(counts) > n_criteria or any(map(eq, complete, no_total))):
            (judge, entry), (total, scored) = next(
                (key, value) for key, value in totals.items()
                if not 0 < value[1] <= n_criteria or (value[0] is None) is (value[1] == n_criteria)
            )
            raise ScoreInputError(
                N_("점수: {round}/{judge}/{entry} 채점표의 점수 수({scored})나 합계가 맞지 않습니다"), round=item.round, judge=judge, entry=entry, scored=scored
            )
        found[item.round] = Sheets(totals, item.scores, item.column)
    return found

