"""The shipped Nanum Myeongjo fonts, registered with reportlab once per process.

TrueType fonts registered through ``TTFont`` are embedded as subsets (``/FontFile2``) in every PDF
that uses them, so a certificate prints the same on any machine.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"

SERIF = "NanumMyeongjo"
SERIF_BOLD = "NanumMyeongjoBold"

_FILES = {SERIF: "NanumMyeongjo.ttf", SERIF_BOLD: "NanumMyeongjoBold.ttf"}
_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register Nanum Myeongjo (regular and bold) with reportlab; later calls do nothing.

    Also maps the family so platypus ``<b>`` markup picks the bold face. Raises OSError if a font
    file is missing from ``judging/fonts``.
    """
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, filename in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
        addMapping(SERIF, 0, 0, SERIF)
        addMapping(SERIF, 1, 0, SERIF_BOLD)
        addMapping(SERIF, 0, 1, SERIF)
        addMapping(SERIF, 1, 1, SERIF_BOLD)
        _registered = True
