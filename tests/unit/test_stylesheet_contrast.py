"""The stylesheet's colour pairs meet KWCAG 2.2 / WCAG 2.1 contrast (4.5:1 for text)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[2] / "judging" / "static" / "css" / "app.css").read_text()
TOKENS = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", CSS))


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


PAIRS = [
    ("ink", "paper"), ("ink", "canvas"), ("ink-muted", "paper"), ("ink-muted", "canvas"),
    ("brand", "paper"), ("brand-ink", "brand"), ("brand", "brand-soft"), ("ink", "brand-soft"),
    ("ok", "ok-soft"), ("warn", "warn-soft"), ("bad", "bad-soft"), ("bad", "paper"), ("ink", "warn-soft"),
]


@pytest.mark.parametrize(("fg", "bg"), PAIRS)
def test_text_colour_pairs_reach_4_5_to_1(fg, bg):
    assert contrast(TOKENS[fg], TOKENS[bg]) >= 4.5, (fg, bg, round(contrast(TOKENS[fg], TOKENS[bg]), 2))


def test_contrast_formula_matches_a_known_value():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54
