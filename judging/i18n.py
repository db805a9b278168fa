"""Korean by default, English switchable. Message ids are the Korean text; ``translations/en``
holds the English catalogue, compiled to ``.mo`` on start when the ``.po`` is newer."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, request, session
from flask_babel import Babel

from judging.messages import N_

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


# ---------------------------------------------------------------------------------------------
# Messages looked up at run time. Some code translates a variable, ``_(value)``, whose words are not
# marked where they are written (the label tables of judging/labels.py are marked there).
# Extraction cannot see a variable, so their Korean msgids are listed here for `make translations`;
# tests/unit/test_i18n_catalogue.py fails when one of those tables gains a message that has no
# English translation. (The HTTP error pages' texts are marked where security.py lists them.)


RUNTIME_MESSAGES = (
    # scoring.analytics: panel agreement bands and why agreement was not computed (the judges chart)
    N_("낮음 (poor)"), N_("보통 (moderate)"), N_("좋음 (good)"), N_("매우 좋음 (excellent)"),
    N_("심사위원 2명, 참가팀 2팀 이상이어야 계산합니다"),
    N_("모든 심사위원이 모든 참가팀을 채점하지 않아 계산하지 않습니다"),
    N_("점수에 변동이 없어 계산할 수 없습니다"),
)
