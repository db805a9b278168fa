"""Exports for people who live in Excel: an .xlsx workbook (openpyxl) and a CSV Excel opens in Korean.

Every text cell is inert: a title such as ``=HYPERLINK(...)`` typed by an entrant must never become a
live formula in the organizer's spreadsheet (OWASP "CSV injection"). In the workbook such a cell is
stored as plain text with Excel's quote prefix; in the CSV it starts with an apostrophe.

Scores stay numbers: a Decimal becomes a float only inside the xlsx cell, shown with the "0.00"
format, so Excel sums and sorts them. The per-round sheets carry judges' names and are for the
organizer only: the caller leaves ``WorkbookData.rounds`` empty for anyone else.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from judging.steps import Progress, counted

from .data import RoundScores, WorkbookData

__all__ = ["render_csv", "render_workbook"]

RESULT_HEADERS = ("순위", "참가 단위", "지역", "사업명", "점수", "심사위원 수", "시상")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8E4DA")
THIN = Side(style="thin", color="999999")
HEADER_BORDER = Border(bottom=Side(style="medium", color="555555"))
SCORE_FORMAT = "0.00"
_SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


# OWASP CSV injection: cells starting with these are read as formulas (or DDE) by spreadsheets.
# The full-width forms are included: some spreadsheet programs fold them to the ASCII ones.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def inert_text(value: object) -> object:
    """A CSV field that no spreadsheet evaluates: formula-like text gets a leading apostrophe."""
    return "'" + value if formula_like(value) else value


def _append(ws: Worksheet, values: Sequence[object]) -> None:
    """Append a row whose text cells stay text (never a formula, shown exactly as written)."""
    ws.append(list(values))
    for cell in ws[ws.max_row]:
        if formula_like(cell.value) or cell.data_type == "f":
            cell.value = str(cell.value)
            cell.data_type = "s"
            cell.quotePrefix = True


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _display_width(text: object) -> int:
    """Width in Excel character units: Hangul and other wide characters count double."""
    s = "" if text is None else str(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _header(ws: Worksheet, headers: Sequence[str]) -> None:
    _append(ws, headers)
    for cell in ws[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = HEADER_BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.freeze_panes = "A2"


def _fit_columns(ws: Worksheet, minimum: int = 6, maximum: int = 60) -> None:
    for i, column in enumerate(ws.iter_cols(values_only=True), 1):
        width = max((_display_width(v) for v in column), default=0)
        ws.column_dimensions[get_column_letter(i)].width = max(minimum, min(maximum, width + 2))


def _sheet_title(title: str, taken: set[str]) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = title.translate(_SHEET_NAME_FORBIDDEN).strip()[:31] or "심사"
    name, n = base, 2
    while name in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def _round_sheet(ws: Worksheet, rnd: RoundScores, progress: Progress | None = None) -> None:
    """One row per (judge, entry), one column per criterion, then the judge's total for the entry as the
    service gave it (the scoring core's, weights included; empty while the sheet is incomplete)."""
    total_head = f"합계 ({rnd.max_total})" if rnd.max_total else "합계"
    _header(ws, ("심사위원", "참가 단위", *rnd.criteria, total_head))
    rows: dict[tuple[str, str], dict[str, Decimal | None]] = {}
    for s in rnd.scores:
        rows.setdefault((s.judge, s.entrant), {})[s.criterion] = s.score
    totals = {(t.judge, t.entrant): t.total for t in rnd.totals}
    for (judge, entrant), by_criterion in counted(list(rows.items()), progress, f"{rnd.title} 점수"):
        values = [by_criterion.get(c) for c in rnd.criteria]
        _append(ws, [judge, entrant, *(_number(v) for v in values), _number(totals.get((judge, entrant)))])
    for row in ws.iter_rows(min_row=2, min_col=3):
        for cell in row:
            cell.number_format = SCORE_FORMAT
    _fit_columns(ws)


def render_workbook(data: WorkbookData, progress: Progress | None = None) -> bytes:
    """Return an .xlsx: a "결과" sheet, then one sheet per round in ``data.rounds`` (``progress`` hears
    each judge's row of a round sheet written, as "<round title> 점수")."""
    wb = Workbook()
    ws = wb.active
    ws.title = "결과"
    _header(ws, RESULT_HEADERS)
    for line in data.results:
        _append(ws, [line.rank, line.entrant, line.district, line.title, _number(line.score), line.n, line.tier or ""])
    for (score_cell,) in ws.iter_rows(min_row=2, min_col=5, max_col=5):
        score_cell.number_format = SCORE_FORMAT
    _fit_columns(ws)
    wb.properties.title = data.contest_title
    wb.properties.creator = "judging"
    taken = {"결과"}
    for rnd in data.rounds:
        _round_sheet(wb.create_sheet(_sheet_title(rnd.title, taken)), rnd, progress)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def render_csv(rows: Iterable[Sequence[object]]) -> bytes:
    """Return CSV as UTF-8 with a byte-order mark (so Excel reads Korean), CRLF line ends.

    Decimals are written as they are ("87.25"); None as an empty field; formula-like text gets a
    leading apostrophe (``inert_text``). The first row is usually the header.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else inert_text(v) for v in row])
    return buf.getvalue().encode("utf-8-sig")
