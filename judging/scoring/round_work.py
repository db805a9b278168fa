"""One round worked out: whose totals count, who is missing, the aggregates ranking needs at once, and
each entry's detail (untrimmed mean, per-criterion aggregates, top count, explanation) on demand.

``RoundWork`` is what ``compute_contest`` ranks and what the tie-break steps read; ``RoundDetail`` builds a
round's per-entry results and analytics the first time someone reads them, from the same inputs, so the
detail computed later is exactly what an eager computation would have given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, localcontext
from fractions import Fraction

from .aggregate import (
    INCOMPLETE,
    RECUSED,
    Aggregate,
    Dropped,
    _aggregate,
    aggregate_matrix,
    aggregate_value,
    fast_value,
)
from .analytics import RoundAnalytics, analyse_round
from .inputs import Sheets
from .model import Aggregation, ContestSpec, RoundSpec
from .rank import Placing
from .result import _INSUFFICIENT, _NO_SCORES, _OK, CriterionResult, EntryRoundResult, MissingScore
from .rounding import CONTEXT


class RoundWork:
    """One round: the counted totals and the aggregates ranking needs, worked out at once; each entry's
    untrimmed mean, per-criterion aggregates, top count and full explanation on demand (memoised)."""

    def __init__(
        self,
        spec: ContestSpec,
        rnd: RoundSpec,
        entries: tuple[str, ...],
        sheets: Sheets,
        conflicts: set[tuple[str, str]],
        assigned: dict[str, set[str]] | None,
    ) -> None:
        self.spec = rnd
        self.entries = entries
        self.sheets = sheets
        criteria = rnd.criteria
        n_criteria = len(criteria)
        entry_set = set(entries)
        self.entry_set = entry_set
        totals: dict[str, dict[str, Decimal]] = {e: {} for e in entries}
        counted_sheets: dict[str, list[tuple[str, str]]] = {e: [] for e in entries}
        recused: dict[str, list[str]] = {}
        ignored: list[tuple[str, str]] = []
        for key, (total, scored) in sheets.totals.items():
            judge, entry = key
            row = totals.get(entry)
            if row is None:
                ignored.append(key)
            elif conflicts and key in conflicts:
                # a conflicted judge who scored anyway: ignored, and said so
                recused.setdefault(entry, []).append(judge)
            elif scored == n_criteria:
                row[judge] = total  # type: ignore[assignment]
                counted_sheets[entry].append(key)
        self.totals = totals
        self.ignored = tuple(sorted(ignored))

        panel = rnd.judges if rnd.judges is not None else spec.judges
        self.panel = panel
        panel_set = frozenset(panel)
        missing: dict[str, list[MissingScore]] = {}
        incomplete: dict[str, list[str]] = {}
        for entry in entries:
            counted = totals[entry]
            if assigned is None:
                if counted.keys() >= panel_set:
                    continue  # every judge of the panel counts: nothing missing
                expected: Iterable[str] = panel
            else:
                expected = assigned.get(entry, ())
            for judge in expected:
                if judge in counted:
                    continue
                if (judge, entry) in conflicts:
                    if judge not in recused.get(entry, ()):
                        recused.setdefault(entry, []).append(judge)
                    continue
                sheet = sheets.scores(judge, entry)
                missing.setdefault(entry, []).extend(
                    MissingScore(judge, entry, c.key) for c in criteria if c.key not in sheet
                )
                if sheet:
                    incomplete.setdefault(entry, []).append(judge)
        self.recused = recused
        self.incomplete = incomplete
        self.missing = missing

        method = rnd.aggregation
        self._aggregates: dict[str, Aggregate] = {}
        if method is Aggregation.ZSCORE_MEAN:
            self._aggregates = aggregate_matrix(method, totals, rnd.trim, rnd.max_total)
            self.values = {e: agg.exact for e, agg in self._aggregates.items()}
        else:
            trim = rnd.trim
            self.values = {e: aggregate_value(method, row, trim) for e, row in totals.items()}
        self._untrimmed: dict[str, Decimal | None] = {}
        self._criteria: dict[str, dict[str, Decimal | None]] = {}
        if method is Aggregation.MEDIAN or (method is Aggregation.TRIMMED_MEAN and rnd.trim > 1):
            # fast_value picks among equal scores by position: give it the sheets in judge-key order
            for keys in counted_sheets.values():
                keys.sort()
        self._sheet_keys = counted_sheets
        self._best: dict[str, Decimal] | None = None

    def __contains__(self, entry: str) -> bool:
        return entry in self.entry_set

    def status(self, entry: str) -> str:
        if self.values[entry] is not None:
            return _OK
        return _NO_SCORES if not self.totals[entry] else _INSUFFICIENT

    def aggregate(self, entry: str) -> Aggregate:
        """The entry's aggregate with what was dropped and why (and the exact ratio)."""
        found = self._aggregates.get(entry)
        if found is None:
            rnd = self.spec
            found = self._aggregates[entry] = _aggregate(rnd.aggregation, self.totals[entry], rnd.trim, True)
        return found

    def ratio(self, entry: str) -> Fraction | None:
        """The aggregate as an exact fraction (None for the z-score mean), to combine rounds."""
        return self.aggregate(entry).ratio

    def untrimmed(self, entry: str) -> Decimal | None:
        """The plain mean of the entry's counted totals (the ``untrimmed_mean`` step)."""
        try:
            return self._untrimmed[entry]
        except KeyError:
            found = self._untrimmed[entry] = aggregate_value(Aggregation.MEAN, self.totals[entry], 0)
            return found

    def untrimmed_ratio(self, entry: str) -> Fraction | None:
        return _aggregate(Aggregation.MEAN, self.totals[entry], 0, True).ratio

    def top_count(self, entry: str) -> int | None:
        """How many judges gave the entry their highest total of the round; None for an entry that is
        not in the round."""
        if entry not in self.entry_set:
            return None
        if self._best is None:
            best: dict[str, Decimal] = {}
            for row in self.totals.values():
                for judge, total in row.items():
                    if judge not in best or total > best[judge]:
                        best[judge] = total
            self._best = best
        best = self._best
        return sum(1 for judge, total in self.totals[entry].items() if total == best[judge])

    def _by_entry(self, key: str) -> dict[str, Decimal | None]:
        by_entry = self._criteria.get(key)
        if by_entry is None:
            by_entry = self._criteria[key] = {}
            rnd = self.spec
            if rnd.aggregation is Aggregation.ZSCORE_MEAN:
                # standardised over the whole round, so all entries at once
                column = self.sheets.column(key)
                matrix = {e: {j: column[(j, e)] for j in row} for e, row in self.totals.items()}
                found = aggregate_matrix(rnd.aggregation, matrix, rnd.trim, rnd.criterion(key).max_points)
                by_entry.update((e, agg.exact) for e, agg in found.items())
        return by_entry

    def criterion(self, key: str, entry: str) -> Decimal | None:
        """The entry's aggregate on one criterion under the round's method, over the judges whose
        totals count (None when it cannot be computed). Reads only this entry's sheets, unless the
        criterion was read for every sheet already (``criteria``)."""
        by_entry = self._by_entry(key)
        if entry not in by_entry:
            column = self.sheets.loaded(key)
            keys = self._sheet_keys[entry]
            if column is not None:
                values = list(map(column.__getitem__, keys))
            else:
                values = [self.sheets.scores(*sheet)[key] for sheet in keys]
            by_entry[entry] = fast_value(self.spec.aggregation, values, self.spec.trim)
        return by_entry[entry]

    def criteria(self, key: str, entries: Iterable[str]) -> dict[str, Decimal | None]:
        """``criterion`` for many entries (a tie-break step, a whole round): reads the criterion of
        every sheet at once."""
        by_entry = self._by_entry(key)
        todo = [e for e in entries if e not in by_entry]
        if todo:
            column = self.sheets.column(key)
            method, trim, sheets_of = self.spec.aggregation, self.spec.trim, self._sheet_keys
            for e in todo:
                by_entry[e] = fast_value(method, list(map(column.__getitem__, sheets_of[e])), trim)
        return by_entry

    def missing_of(self, entry: str) -> tuple[MissingScore, ...]:
        return tuple(sorted(self.missing.get(entry, ()), key=lambda m: (m.judge, m.criterion)))

    def entry_result(self, entry: str, placing: Placing, advancement: str | None) -> EntryRoundResult:
        with localcontext(CONTEXT):
            agg = self.aggregate(entry)
            recused = tuple(sorted(self.recused.get(entry, ())))
            dropped = agg.dropped
            dropped += tuple(Dropped(j, RECUSED) for j in recused)
            dropped += tuple(Dropped(j, INCOMPLETE) for j in sorted(self.incomplete.get(entry, ())))
            missing = self.missing_of(entry)
            n = agg.n
            lacking = _NO_SCORES if n == 0 else _INSUFFICIENT

            def criteria() -> tuple[CriterionResult, ...]:
                with localcontext(CONTEXT):
                    return tuple(
                        CriterionResult(c.key, n, lacking if value is None else _OK, value, c.weight, c.max_points)
                        for c in self.spec.criteria
                        for value in (self.criterion(c.key, entry),)
                    )

            return EntryRoundResult(
                entry,
                str(agg.status),
                n,
                agg.exact,
                agg.message,
                tuple(sorted(self.totals[entry].items())),
                dropped,
                recused,
                not missing,
                missing,
                self.untrimmed(entry),
                self.top_count(entry) or 0,
                placing.rank,
                placing.tie_breaks,
                advancement,
                criteria,
            )


class RoundDetail:
    """Builds a round's per-entry results and analytics when they are first read."""

    __slots__ = ("_advancement", "_built", "_placings", "_spread_alert", "_work")

    def __init__(
        self, work: RoundWork, placings: Sequence[Placing], advancement: Mapping[str, str], spread_alert: Decimal
    ) -> None:
        self._work = work
        self._placings = {p.entry: p for p in placings}
        self._advancement = advancement
        self._spread_alert = spread_alert
        self._built: dict[str, EntryRoundResult] = {}

    def entry(self, key: str) -> EntryRoundResult:
        found = self._built.get(key)
        if found is None:
            placing = self._placings[key]  # KeyError for an entry not in the round, as before
            found = self._built[key] = self._work.entry_result(key, placing, self._advancement.get(key))
        return found

    def entries(self) -> tuple[EntryRoundResult, ...]:
        work = self._work
        with localcontext(CONTEXT):
            for crit in work.spec.criteria:  # every entry: read each criterion of every sheet at once
                work.criteria(crit.key, self._placings)
        return tuple(self.entry(key) for key in self._placings)

    def analytics(self) -> RoundAnalytics:
        return analyse_round(self._work.totals, self._work.panel, self._spread_alert)

