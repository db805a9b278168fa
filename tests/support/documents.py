"""Readers for the documents the app makes: PDF pages and text, embedded fonts, workbook text."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from pypdf import PdfReader

A4_PT = (595.2756, 841.8898)


def pdf_pages(data: bytes) -> list:
    return list(PdfReader(io.BytesIO(data)).pages)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in pdf_pages(data))


def squeeze(text: str) -> str:
    """Text without any whitespace (extraction may break lines or drop spaces)."""
    return "".join(text.split())


def embedded_fonts(data: bytes) -> set[str]:
    """Base names of the fonts embedded (FontFile2) anywhere in the PDF."""
    names = set()
    for page in pdf_pages(data):
        stack = [page["/Resources"]]
        while stack:
            res = stack.pop().get_object()
            for font in (res.get("/Font") or {}).values():
                font = font.get_object()
                descriptor = font.get("/FontDescriptor")
                if descriptor is not None and "/FontFile2" in descriptor.get_object():
                    names.add(str(font["/BaseFont"]).split("+")[-1])
            for xobject in (res.get("/XObject") or {}).values():
                xobject = xobject.get_object()
                if "/Resources" in xobject:
                    stack.append(xobject["/Resources"])
    return names


def workbook_text(data: bytes) -> str:
    wb = load_workbook(io.BytesIO(data))
    return "\n".join(" ".join("" if v is None else str(v) for v in row)
                     for ws in wb.worksheets for row in ws.iter_rows(values_only=True))


def base_fonts(page) -> dict[str, object]:
    """BaseFont name -> font dictionary for every font used on the page."""
    fonts = page["/Resources"]["/Font"]
    return {str(f.get_object()["/BaseFont"]): f.get_object() for f in fonts.values()}
