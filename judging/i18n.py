"""Korean by default, English switchable. Message ids are the Korean text; ``translations/en``
holds the English catalogue, compiled to ``.mo`` on start when the ``.po`` is newer."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, request, session
from flask_babel import Babel

TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def compile_catalogues(directory: Path = TRANSLATIONS) -> None:
    """Compile every ``messages.po`` whose ``.mo`` is missing or older (atomic, worker-safe)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in directory.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as fh:
            catalog = read_po(fh)
        tmp = mo.with_suffix(f".mo.{os.getpid()}")
        with tmp.open("wb") as fh:
            write_mo(fh, catalog)
        os.replace(tmp, mo)


def select_locale() -> str:
    languages = ("ko", "en")
    chosen = request.args.get("lang")
    if chosen in languages:
        session["lang"] = chosen
        return chosen
    stored = session.get("lang")
    if stored in languages:
        return stored
    return "ko"


def remember_language() -> None:
    """``?lang=en`` on any page switches the language for the rest of the session."""
    chosen = request.args.get("lang")
    if chosen in ("ko", "en"):
        session["lang"] = chosen


def init_app(app: Flask) -> None:
    compile_catalogues()
    app.before_request(remember_language)
    Babel(app, locale_selector=select_locale, default_translation_directories=str(TRANSLATIONS))

    @app.context_processor
    def _locale() -> dict:
        from flask_babel import get_locale

        return {"current_locale": str(get_locale() or "ko")}
