"""Text helpers for Korean documents: template filling and word-level (어절) line wrapping.

Korean may not be broken inside an 어절 (a space-delimited word) on an official document, so these
helpers break lines only at spaces and shrink the type when a single word is wider than the line.
"""

from __future__ import annotations

import string

from reportlab.pdfbase.pdfmetrics import stringWidth

__all__ = [
    "BODY_PLACEHOLDERS",
    "TemplateError",
    "check_body_template",
    "fill_body",
    "fit_lines",
    "wrap_label",
    "wrap_words",
]

#: The placeholders an organizer may use in a certificate body template.
BODY_PLACEHOLDERS: tuple[str, ...] = ("contest", "award", "recipient", "date")

_formatter = string.Formatter()


class TemplateError(ValueError):
    """A certificate body template uses a placeholder that is not offered, or is malformed."""


def _known(names) -> str:
    return ", ".join("{" + n + "}" for n in names)


def fill_body(template: str, **values: object) -> str:
    """Substitute ``{name}`` placeholders in an organizer's body template.

    Only plain ``{name}`` fields whose name is given in ``values`` are allowed; ``{{`` and ``}}``
    print literal braces. Format specs, conversions, attribute or index access and positional
    fields are refused, so a template can never reach into an object.

    Raises TemplateError (a ValueError) naming the offending placeholder and listing the allowed ones.
    """
    allowed = tuple(values)
    try:
        parts = list(_formatter.parse(template))
    except ValueError as exc:
        raise TemplateError(
            f"본문 서식의 중괄호가 맞지 않습니다 ({exc}). 글자 그대로의 중괄호는 {{{{ }}}}로 쓰세요."
        ) from exc
    out: list[str] = []
    for literal, field, spec, conversion in parts:
        out.append(literal)
        if field is None:
            continue
        if field not in values or spec or conversion:
            shown = "{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise TemplateError(
                f"알 수 없는 자리표시자 {shown}: 사용할 수 있는 것은 {_known(allowed)}입니다. "
                f"(unknown placeholder {shown}; allowed: {_known(allowed)})"
            )
        out.append(str(values[field]))
    return "".join(out)


def check_body_template(template: str) -> None:
    """Raise TemplateError unless ``template`` uses only the placeholders in BODY_PLACEHOLDERS."""
    fill_body(template, **dict.fromkeys(BODY_PLACEHOLDERS, ""))


def wrap_words(text: str, font: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` points, only at spaces.

    Runs of whitespace count as one break; leading and trailing space is dropped. A word wider than
    the line is never split: it sits alone on its line (use ``fit_lines`` to shrink the type instead).
    Returns ``[]`` for blank text.
    """
    words = text.split()
    if not words:
        return []
    space = stringWidth(" ", font, size)
    lines: list[str] = []
    current: list[str] = [words[0]]
    current_width = stringWidth(words[0], font, size)
    for word in words[1:]:
        w = stringWidth(word, font, size)
        if current_width + space + w <= width:
            current.append(word)
            current_width += space + w
        else:
            lines.append(" ".join(current))
            current = [word]
            current_width = w
    lines.append(" ".join(current))
    return lines


def wrap_label(text: str, font: str, size: float, width: float) -> list[str]:
    """Like ``wrap_words``, but a short table heading may also break right after a middle dot
    (가운뎃점, "필요성·적절성" -> "필요성·" / "적절성"), which joins two words: a narrow score column
    then keeps legible type. Never breaks elsewhere inside a word."""
    units: list[tuple[str, str]] = []  # (separator before, text)
    for word in text.split():
        parts = word.split("·")
        for i, part in enumerate(parts):
            piece = part + ("·" if i < len(parts) - 1 else "")
            if piece:
                units.append((" " if i == 0 else "", piece))
    if not units:
        return []
    lines: list[str] = []
    current = units[0][1]
    for sep, piece in units[1:]:
        candidate = current + sep + piece
        if stringWidth(candidate, font, size) <= width:
            current = candidate
        else:
            lines.append(current)
            current = piece
    lines.append(current)
    return lines


def fit_lines(
    text: str,
    font: str,
    width: float,
    max_size: float,
    min_size: float,
    max_lines: int | None = None,
    step: float = 0.5,
) -> tuple[float, list[str]]:
    """Return ``(size, lines)``: the largest size from ``max_size`` down (in ``step``) at which no
    word is wider than ``width`` and the text takes at most ``max_lines`` lines.

    If even ``min_size`` does not bring the text within ``max_lines``, returns the smallest size
    tried with however many lines it takes. A single word wider than ``width`` at ``max_size``
    shrinks the size below ``min_size`` if need be: a word is never broken.
    """
    words = text.split()
    if not words:
        return max_size, []
    # Widths scale linearly with size, so the widest word fixes an upper bound at once.
    widest = max(stringWidth(w, font, 1.0) for w in words)
    size = max_size if widest * max_size <= width else width / widest
    if max_lines is None:
        return size, wrap_words(text, font, size, width)
    while True:
        lines = wrap_words(text, font, size, width)
        if len(lines) <= max_lines or size - step < min_size:
            return size, lines
        size -= step


def widths(words: list[str], font: str, size: float) -> list[float]:
    """Widths of ``words`` at ``size`` (helper for justified drawing)."""
    return [stringWidth(w, font, size) for w in words]
