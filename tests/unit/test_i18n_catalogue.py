"""The English catalogue: it parses and compiles, it covers every message the source marks for
translation (extracted in-process with babel.cfg, the same way `make translations` does), each
translation keeps the message's placeholders and markup, and no English text is left in Korean."""

from __future__ import annotations

import ast
import gettext
import io
import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tests.support.korean import HANGUL

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "judging" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
# %(name)s, %s, %d, %% and {name}: anything the code fills in after translating.
PLACEHOLDER = re.compile(r"%\(\w+\)[a-z]|%[a-z%]|\{\w*\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")
# The same keywords as the Makefile's `pybabel extract -k _l -k lazy_gettext -k pgettext_noop:1c,2`
# (babel.cfg repeats them).
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2),
            "pgettext_noop": ((1, "c"), 2),
            "lazy_pgettext": ((1, "c"), 2), "lazy_npgettext": ((1, "c"), 2, 3)}


def _mapping():  # noqa: ANN202
    from babel.messages import frontend

    parse = getattr(frontend, "parse_mapping_cfg", None) or frontend.parse_mapping
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        return parse(fh, str(ROOT / "babel.cfg"))


@pytest.fixture(scope="module")
def catalog():  # noqa: ANN201
    with PO.open("rb") as fh:
        return read_po(fh, locale="en")


@pytest.fixture(scope="module")
def extracted() -> dict:
    """(msgid, context) -> where it was found; a plural message's msgid is a tuple."""
    method_map, options_map = _mapping()
    found: dict = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found.setdefault((message, context), f"{filename}:{lineno}")
    return found


def _texts(message) -> list[str]:  # noqa: ANN001
    value = message.string
    return list(value) if isinstance(value, (tuple, list)) else [value]


def _ids(message) -> list[str]:  # noqa: ANN001
    value = message.id
    return list(value) if isinstance(value, (tuple, list)) else [value]


def _entries(catalog):  # noqa: ANN001, ANN202
    return [m for m in catalog if m.id]


def test_catalogue_parses_and_compiles_to_a_working_mo(catalog) -> None:  # noqa: ANN001
    assert len(_entries(catalog)) > 500
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    translations = gettext.GNUTranslations(buffer)
    assert translations.gettext("로그인") == "Sign in"
    assert translations.gettext("채점표 제출") == "Submit score sheet"


def test_no_translation_is_fuzzy(catalog) -> None:  # noqa: ANN001
    fuzzy = [m.id for m in _entries(catalog) if m.fuzzy]
    assert fuzzy == [], f"fuzzy entries are not used at run time: {fuzzy[:10]}"


def test_extraction_sees_python_templates_and_lazy_strings(extracted) -> None:  # noqa: ANN001
    # A guard against a babel.cfg that silently extracts nothing from one kind of file.
    ids = {message for message, _context in extracted}
    assert "이해충돌 사유를 적어 주세요." in ids  # forms.py, _l(...)
    assert "채점표를 제출했습니다. 수고하셨습니다." in ids  # views, _(...)
    assert "채점표를 제출할까요?" in ids  # templates, {{ _("...") }}
    assert "배정 없음" in ids  # views.organizer.day BOARD_STATES, N_(...)
    assert len(ids) > 500


def test_every_extracted_message_has_an_english_translation(catalog, extracted) -> None:  # noqa: ANN001
    missing = []
    for (msgid, context), where in extracted.items():
        message = catalog.get(msgid, context=context)
        if message is None or not all(text and text.strip() for text in _texts(message)):
            missing.append(f"{where}: {msgid!r}")
    assert missing == [], (
        f"{len(missing)} message(s) have no English translation; run `make translations` and translate "
        "them in judging/translations/en/LC_MESSAGES/messages.po:\n" + "\n".join(missing[:40])
    )


def test_translations_keep_placeholders_and_markup(catalog) -> None:  # noqa: ANN001
    problems = []
    for message in _entries(catalog):
        source = _ids(message)[0]
        for text in _texts(message):
            if not text:
                continue
            if Counter(PLACEHOLDER.findall(source)) != Counter(PLACEHOLDER.findall(text)):
                problems.append(f"placeholders: {source!r} -> {text!r}")
            if source.count("%") != text.count("%"):
                problems.append(f"'%' count (templates format every message with %): {source!r} -> {text!r}")
            if Counter(TAG.findall(source)) != Counter(TAG.findall(text)):
                problems.append(f"markup: {source!r} -> {text!r}")
    assert problems == [], "\n".join(problems)


def test_no_english_text_contains_hangul(catalog) -> None:  # noqa: ANN001
    korean = [f"{m.id!r} -> {t!r}" for m in _entries(catalog) for t in _texts(m) if HANGUL.search(t or "")]
    assert korean == [], "\n".join(korean)


def _security_error_texts() -> list[str]:
    """The Korean texts security.py gives its HTTP error handlers (``for code, text in (...)``)."""
    tree = ast.parse((ROOT / "judging" / "security.py").read_text(encoding="utf-8"))
    texts = []
    for node in ast.walk(tree):
        if isinstance(node, ast.For) and isinstance(node.target, ast.Tuple):
            names = [getattr(elt, "id", None) for elt in node.target.elts]
            if names == ["code", "text"]:
                texts += [c.value for c in ast.walk(node.iter)
                          if isinstance(c, ast.Constant) and isinstance(c.value, str)]
    return texts


def test_messages_translated_at_run_time_are_in_the_catalogue(catalog) -> None:  # noqa: ANN001
    """Code that calls ``_(value)`` on a table is invisible to extraction; judging/i18n.py lists
    those messages. A label added to one of these tables must be listed there and translated."""
    from judging.i18n import RUNTIME_MESSAGES
    from judging.views import organizer
    from judging.views.organizer import day

    security_texts = _security_error_texts()
    assert len(security_texts) >= 5, "security.py error texts not found; update this test"
    looked_up = [*day.BOARD_STATES.values(), *day.BOARD_ACTIVITIES.values(), *day.BOARD_SIGNATURES.values(),
                 *organizer.ROUND_STATUS_LABELS.values(), *security_texts]
    unlisted = [m for m in looked_up if m not in RUNTIME_MESSAGES and catalog.get(m) is None]
    untranslated = [m for m in looked_up if catalog.get(m) is None or not catalog.get(m).string]
    assert unlisted == [], f"add these to RUNTIME_MESSAGES in judging/i18n.py: {unlisted}"
    assert untranslated == [], f"translate these in the English catalogue: {untranslated}"


def test_catalogue_has_nothing_extraction_would_not_find(catalog, extracted) -> None:  # noqa: ANN001
    """Every active entry is still marked in the source (stale ones are left as obsolete by
    `make translations`, never compiled): the catalogue is the source's, not a hand-kept list."""
    keys = {(msgid[0] if isinstance(msgid, tuple) else msgid, context) for msgid, context in extracted}
    stale = [m.id for m in _entries(catalog) if (_ids(m)[0], m.context) not in keys]
    assert stale == [], f"run `make translations`: {stale[:10]}"
