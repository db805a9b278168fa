"""Fixtures shared by the unit tests."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

PO = Path(__file__).resolve().parents[2] / "judging" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


@pytest.fixture(scope="session")
def english() -> gettext.GNUTranslations:
    """The English catalogue as it is on disk, compiled in memory."""
    with PO.open("rb") as fh:
        catalog = read_po(fh, locale="en")
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)
