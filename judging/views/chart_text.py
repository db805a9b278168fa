"""The words the server-drawn charts print, in the reader's language (``judging.charts.WORDS``)."""

from __future__ import annotations

from flask_babel import gettext

from judging import charts


def words() -> dict[str, str]:
    """Every chart word translated for the current request."""
    return {key: gettext(value) for key, value in charts.WORDS.items()}
