"""Reading the HTML of a response the way a person reads the page: its text, the flash messages, the
errors beside form fields, and the text a reader sees or hears (``VisibleText``)."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

#: A flash message on a page: its kind (``ok``, ``error``, ...) and its HTML.
FLASH = re.compile(r'<p class="flash flash--(\w+)"[^>]*>(.*?)</p>', re.S)
#: Elements without an end tag.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
#: Attributes a reader sees or hears (tooltips, screen readers, placeholders, image text).
SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "aria-description", "aria-roledescription")
#: The page's chrome and controls: what the UI itself says, as opposed to what users typed.
CHROME = {"title", "h1", "h2", "h3", "nav", "button", "label", "legend", "th", "caption", "summary", "dt"}


def page_text(response) -> str:  # noqa: ANN001
    """The page's HTML with entities decoded (tags kept)."""
    return html.unescape(response.get_data(as_text=True))


def visible_text(response) -> str:  # noqa: ANN001
    """The page's words: tags dropped, entities decoded, runs of white space made one space."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def flashes(response) -> list[str]:  # noqa: ANN001
    """The flash messages shown on the page."""
    return [html.unescape(re.sub(r"\s+", " ", m).strip()) for _kind, m in
            FLASH.findall(response.get_data(as_text=True))]


def field_errors(response) -> list[str]:  # noqa: ANN001
    """The errors shown beside their fields on a form that came back."""
    return [html.unescape(re.sub(r"\s+", " ", m).strip()) for m in
            re.findall(r'class="field__error"[^>]*>(.*?)</p>', response.get_data(as_text=True), re.S)]


def ceremony_data(page: str) -> dict:
    """The ceremony sequence a ceremony page embeds as JSON."""
    match = re.search(r'<script type="application/json" id="ceremony-data">(.*?)</script>', page, re.S)
    assert match, "the page embeds the sequence"
    return json.loads(match.group(1))


def json_strings(value) -> list[str]:  # noqa: ANN001
    """Every string in a JSON value (keys are code, not text)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in json_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in json_strings(v)]
    return []


class VisibleText(HTMLParser):
    """The text a reader sees or hears on an HTML page: text, shown attributes (``SHOWN_ATTRIBUTES``,
    ``data-*``), submit buttons' values and the strings of embedded JSON, in ``texts``; the links in
    ``links``. Code (script, style, template) is skipped, and so is anything under ``lang="ko"`` (the
    language switch's "한국어") or ``translate="no"`` (the audit page's raw record, as stored). Also kept apart: ``chrome``, what the UI itself says (text of the
    ``CHROME`` elements, aria-labels, submit buttons), and ``main``, the text inside <main>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, Korean on purpose, hidden code)
        self.texts: list[str] = []
        self.links: list[str] = []
        self.chrome: list[str] = []
        self.main: list[str] = []
        self._json: list[str] | None = None

    def _skip(self) -> bool:
        return any(ko or code for _tag, ko, code in self.stack)

    def handle_starttag(self, tag, attrs) -> None:  # noqa: ANN001
        attrs = dict(attrs)
        # the language switch (not the page), and a record shown as stored (the audit page's raw record)
        ko = (attrs.get("lang") == "ko" and tag != "html") or attrs.get("translate") == "no"
        code = tag in ("script", "style", "template") and not (tag == "script" and "json" in (attrs.get("type") or ""))
        if tag == "script" and not code:
            self._json = []
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        skipped = ko or self._skip()
        if tag not in VOID:
            self.stack.append((tag, ko, code))
        if skipped:
            return
        for name, value in attrs.items():
            if value and (name in SHOWN_ATTRIBUTES or name.startswith("data-")):
                self.texts.append(value)
        if attrs.get("aria-label"):
            self.chrome.append(attrs["aria-label"])
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset") and attrs.get("value"):
            self.texts.append(attrs["value"])  # WTForms renders SubmitField as <input type=submit>
            self.chrome.append(attrs["value"])

    def handle_startendtag(self, tag, attrs) -> None:  # noqa: ANN001
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag) -> None:  # noqa: ANN001
        if tag == "script" and self._json is not None:
            body, self._json = "".join(self._json), None
            if body.strip():
                self.texts.extend(json_strings(json.loads(body)))
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data) -> None:  # noqa: ANN001
        if self._json is not None:
            self._json.append(data)
            return
        text = data.strip()
        if not text or self._skip():
            return
        self.texts.append(text)
        tags = {t for t, _ko, _code in self.stack}
        if CHROME & tags:
            self.chrome.append(text)
        if "main" in tags:
            self.main.append(text)
