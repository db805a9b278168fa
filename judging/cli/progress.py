"""What the long CLI commands show while they work: a progress bar with counts and time left in a
terminal, and one plain line per finished step when the output goes to a pipe or a file; the
step's name in the reader's language.

The bar goes to standard error, so a command's own output (standard output) stays clean for scripts
even while a person watches the bar; when standard error is not a terminal (CI, ``2>&1 | tee``) no
control character is written at all.
"""

from __future__ import annotations

import os
import sys
import time
from typing import IO, Any

import click

from judging.cli.common import _, translate


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty() and os.environ.get("TERM", "") != "dumb"
    except (AttributeError, ValueError):
        return False


class ProgressDisplay:
    """A ``judging.steps.Progress`` for the CLI. Use as a context manager::

        with ProgressDisplay() as progress:
            service(..., progress=progress)

    In a terminal every step gets a ``click.progressbar`` (label, bar, done/total, percent, time
    left). Otherwise each step prints one line when it ends: ``상장 PDF: 1000/1000 (12.3초)``.
    """

    #: seconds between two redraws of the bar (the last item always redraws)
    redraw = 0.1

    def __init__(self, stream: IO[str] | None = None, *, terminal: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.terminal = _is_terminal(self.stream) if terminal is None else terminal
        self._stage: str | None = None
        self._bar: Any = None
        self._shown = 0
        self._done = 0
        self._total = 0
        self._started = 0.0
        self._drawn = 0.0

    def __enter__(self) -> ProgressDisplay:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self._stage:
            self._finish()
            self._start(stage, total)
        self._done, self._total = done, total
        if self._bar is not None:
            now = time.monotonic()
            if done >= total or now - self._drawn >= self.redraw:
                self._bar.update(done - self._shown)
                self._shown, self._drawn = done, now
        if done >= total:
            self._finish()

    def _start(self, stage: str, total: int) -> None:
        self._stage, self._shown, self._done, self._total = stage, 0, 0, total
        self._started = self._drawn = time.monotonic()
        if self.terminal:
            self._bar = click.progressbar(length=max(total, 1), label=translate(stage), file=self.stream,
                                          show_pos=True, show_eta=True, show_percent=True)
            self._bar.__enter__()

    def _finish(self) -> None:
        if self._stage is None:
            return
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None
        else:
            seconds = f"{time.monotonic() - self._started:.1f}"
            click.echo(_("{stage}: {done}/{total} ({seconds}초)", stage=translate(self._stage), done=self._done,
                         total=self._total, seconds=seconds), file=self.stream)
        self._stage = None

    def close(self) -> None:
        """End the current step (its bar, or its line)."""
        self._finish()
