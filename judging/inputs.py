"""What every input must be before it reaches a service: ids that fit the database, text without
control characters, JSON that is small and shallow, numbers of a sane size.

One place per rule, used by the forms (``judging.forms.BaseForm``), the JSON endpoints
(``judging.views.common.read_json``), the URL converter (``BoundedIntConverter``) and the file
loaders. No Flask here: the CLI and the services use it too. Each refusal is an ``InputError``
(a ``DomainError``, status 400) with a message id and its parameters.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from werkzeug.routing import IntegerConverter

from judging.messages import N_, Message
from judging.services.errors import DomainError

#: Ids are 32-bit integers in PostgreSQL (``integer``); anything larger cannot name a row.
MAX_ID = 2**31 - 1
#: A JSON body (an autosave, a comment) is small; nesting beyond this is never meaningful.
JSON_MAX_BYTES = 64 * 1024
JSON_MAX_DEPTH = 8

# C0 controls except tab, newline and carriage return; DEL; C1 controls; lone surrogates. PostgreSQL
# refuses NUL in any text and the others are never typed by a person.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

CONTROL_MESSAGE = N_("입력에 쓸 수 없는 제어 문자(NUL 등)가 들어 있습니다. 글자만 입력해 주세요.")


class InputError(DomainError):
    """An input of the wrong shape (status 400)."""


def range_pattern(top: int) -> str:
    """A regular expression matching exactly the whole numbers 0..``top`` written without leading zeros."""
    digits = str(top)
    width = len(digits)
    options = ["0"]
    if width > 1:
        options.append(f"[1-9][0-9]{{0,{width - 2}}}")
    for i, ch in enumerate(digits):
        low = 1 if i == 0 else 0
        if int(ch) > low:
            rest = width - i - 1
            options.append(f"{digits[:i]}[{low}-{int(ch) - 1}]" + (f"[0-9]{{{rest}}}" if rest else ""))
    options.append(digits)
    return "(?:" + "|".join(options) + ")"


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` that only matches ids the database can hold (0..2^31-1); anything else is 404,
    never an overflow deeper down.

    The bound is in the pattern, not only in ``to_python``: Werkzeug answers 405 instead of 404 when
    a path matches the pattern of a rule with another method (GET and POST views of one address).
    """

    regex = range_pattern(MAX_ID)

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002, ANN001
                 max: int | None = None, signed: bool = False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max,
                         signed=signed)
        self.regex = range_pattern(self.max)


def has_control_characters(text: str) -> bool:
    return _CONTROL.search(text) is not None


def check_text(text: str, what: str = "") -> str:
    """Return ``text`` unchanged, or raise ``InputError`` when it holds a control character."""
    if has_control_characters(text):
        if what:
            raise InputError(N_("{what}: {reason}"), what=what, reason=Message(CONTROL_MESSAGE), field=what)
        raise InputError(CONTROL_MESSAGE)
    return text


def check_texts(value: Any, what: str = "") -> Any:
    """Check every string inside ``value`` (nested dicts and lists, keys too); return ``value``."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            check_text(item, what)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return value


def bounded_id(value: Any) -> int | None:
    """An id from a query string or a JSON body: a whole number 0..MAX_ID, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text.isdigit() or not text.isascii() or len(text) > 10:
            return None
        value = int(text)
    if not isinstance(value, int) or value < 0 or value > MAX_ID:
        return None
    return value


def nesting_depth(text: str) -> int:
    """The deepest ``[``/``{`` nesting of JSON text, strings skipped (no recursion, linear)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _reject_constant(token: str) -> None:
    raise ValueError(token)


def parse_json(raw: bytes, *, max_bytes: int = JSON_MAX_BYTES, max_depth: int = JSON_MAX_DEPTH) -> dict:
    """Parse a JSON request body into a dict, with numbers as exact ``Decimal``/``int``.

    Raises ``InputError`` with ``details = {"code": "malformed", "reason": ...}`` (reason one of
    ``too_large``, ``too_deep``, ``not_json``, ``not_object``, ``control``) when the body is too big,
    too deeply nested, not UTF-8 JSON, not an object, or holds a control character in any string.
    """

    def refuse(reason: str, message: str, **params: Any) -> InputError:
        return InputError(message, details={"code": "malformed", "reason": reason}, **params)

    if len(raw) > max_bytes:
        raise refuse("too_large", N_("요청이 너무 큽니다 ({limit}KB 이하)."), limit=max_bytes // 1024)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise refuse("not_json", N_("요청 형식이 올바르지 않습니다 (JSON).")) from None
    if nesting_depth(text) > max_depth:
        raise refuse("too_deep", N_("요청 형식이 올바르지 않습니다 (JSON이 너무 깊게 중첩되었습니다)."))
    try:
        data = json.loads(text or "null", parse_float=Decimal, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise refuse("not_json", N_("요청 형식이 올바르지 않습니다 (JSON).")) from None
    if not isinstance(data, dict):
        raise refuse("not_object", N_("요청 형식이 올바르지 않습니다 (JSON 객체가 아닙니다)."))
    try:
        check_texts(data)
    except InputError:
        raise refuse("control", CONTROL_MESSAGE) from None
    return data


#: Numbers typed for maxima, weights and thresholds: at most 6 whole digits and 4 decimals (the
#: columns are NUMERIC(12,4) or narrower; a score's own range is the scoring core's rule).
NUMBER_MAX = Decimal("999999")
NUMBER_PLACES = 4


def bounded_decimal(value: Any, what: str | Message, field: str | None = None) -> Decimal:
    """A finite, non-huge Decimal from text or a number; ``InputError`` naming ``what`` otherwise.
    ``what`` is the value's name: a message (a label to translate) or a field's name; ``field`` is the
    form field the refusal belongs beside (a field's name given as ``what`` is also its field)."""
    name = what if isinstance(what, Message) else Message(what)
    field = field if field is not None else what if isinstance(what, str) else None
    not_a_number = N_("{what}은(는) 숫자여야 합니다.")
    if isinstance(value, bool):
        raise InputError(not_a_number, what=name, field=field)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InputError(not_a_number, what=name, field=field) from None
    if not number.is_finite():
        raise InputError(not_a_number, what=name, field=field)
    if abs(number) > NUMBER_MAX:
        raise InputError(N_("{what}이(가) 너무 큽니다 ({limit} 이하)."), what=name, limit=NUMBER_MAX, field=field)
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -NUMBER_PLACES and number != number.quantize(Decimal(1).scaleb(
            -NUMBER_PLACES)):
        raise InputError(N_("{what}은(는) 소수 {places}자리까지만 쓸 수 있습니다."), what=name, places=NUMBER_PLACES,
                         field=field)
    return number


def first_bad_text(values: Iterable[tuple[str, Any]]) -> str | None:
    """The name of the first (name, value) pair whose text value holds a control character."""
    for name, value in values:
        if isinstance(value, str) and has_control_characters(value):
            return name
    return None
