"""Progress of long work as a plain callback, so services and documents can report it without
knowing who listens (the CLI draws a bar in a terminal; nobody listens on the web).

A ``Progress`` is called as ``progress(stage, done, total)``: ``stage`` names the step in Korean
("상장 PDF"), ``done`` counts the finished items of ``total``. It is called with ``done = 0`` when
a step starts and with ``done = total`` when it ends; callers must not depend on the calls between.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

Progress = Callable[[str, int, int], None]

T = TypeVar("T")


def counted(items: Sequence[T], progress: Progress | None, stage: str) -> Iterator[T]:
    """Yield ``items`` one by one, reporting each finished item to ``progress`` (when given)."""
    if progress is None:
        yield from items
        return
    total = len(items)
    progress(stage, 0, total)
    for done, item in enumerate(items, start=1):
        yield item
        progress(stage, done, total)
