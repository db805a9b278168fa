"""JSON-friendly conversion of result dataclasses: Decimals and fractions become strings."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any


def to_jsonable(obj: Any) -> Any:
    """Convert dataclasses (their shown fields), enums, Decimals, tuples and dicts to JSON values."""
    if is_dataclass(obj) and not isinstance(obj, type):
        data = {f.name: to_jsonable(getattr(obj, f.name)) for f in fields(obj) if f.repr}
        for name in getattr(obj, "_json_properties", ()):
            data[name] = to_jsonable(getattr(obj, name))
        extra = getattr(obj, "_json_extra", None)
        if extra is not None:
            data.update(to_jsonable(extra()))
        return data
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, Decimal | Fraction):
        return str(obj)
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in obj]
    return obj


class JsonMixin:
    """Adds ``to_dict()`` to a result dataclass."""

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)
