"""Reading the HTML of a response the way a person reads the page: its text, the flash messages, the
errors beside form fields."""

from __future__ import annotations

import html
import json
import re


def page_text(response) -> str:  # noqa: ANN001
    """The page's HTML with entities decoded (tags kept)."""
    return html.unescape(response.get_data(as_text=True))


def visible_text(response) -> str:  # noqa: ANN001
    """The page's words: tags dropped, entities decoded, runs of white space made one space."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def flashes(response) -> list[str]:  # noqa: ANN001
    """The flash messages shown on the page."""
    return [html.unescape(re.sub(r"\s+", " ", m).strip()) for m in
            re.findall(r'class="flash flash--\w+"[^>]*>(.*?)</p>', response.get_data(as_text=True), re.S)]


def field_errors(response) -> list[str]:  # noqa: ANN001
    """The errors shown beside their fields on a form that came back."""
    return [html.unescape(re.sub(r"\s+", " ", m).strip()) for m in
            re.findall(r'class="field__error"[^>]*>(.*?)</p>', response.get_data(as_text=True), re.S)]


def ceremony_data(page: str) -> dict:
    """The ceremony sequence a ceremony page embeds as JSON."""
    match = re.search(r'<script type="application/json" id="ceremony-data">(.*?)</script>', page, re.S)
    assert match, "the page embeds the sequence"
    return json.loads(match.group(1))
