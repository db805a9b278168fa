"""Documents: reportlab PDFs and openpyxl workbooks rendered from plain dataclasses.

Each renderer is ``render_x(data) -> bytes`` and sees only the dataclasses in ``.data``: never the
database, Flask or the request. Views and the CLI send or write the bytes.
"""

from .certificate import render_certificate, render_certificates
from .data import (
    CertificateData,
    JudgeScore,
    JudgeTotal,
    ReportData,
    ReportRow,
    ResultLine,
    RoundScores,
    ScoreSheetData,
    SheetRow,
    SignatureData,
    SpecialAward,
    WorkbookData,
)
from .excel import render_csv, render_workbook
from .report import render_result_report
from .report_hwpx import render_result_report_hwpx
from .score_sheet import render_score_sheet, render_score_sheets
from .text import BODY_PLACEHOLDERS, TemplateError, check_body_template, fill_body, wrap_words

__all__ = [
    "BODY_PLACEHOLDERS",
    "CertificateData",
    "JudgeScore",
    "JudgeTotal",
    "ReportData",
    "ReportRow",
    "ResultLine",
    "RoundScores",
    "ScoreSheetData",
    "SheetRow",
    "SignatureData",
    "SpecialAward",
    "TemplateError",
    "WorkbookData",
    "check_body_template",
    "fill_body",
    "render_certificate",
    "render_certificates",
    "render_csv",
    "render_result_report",
    "render_result_report_hwpx",
    "render_score_sheet",
    "render_score_sheets",
    "render_workbook",
    "wrap_words",
]
