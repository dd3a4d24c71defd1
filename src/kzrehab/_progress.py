"""A progress bar for long work, on a terminal's standard error only.

Nothing is drawn when standard error is not a terminal (a pipe, a file, CI) or when the
report goes to standard output as JSON, so machine-read output is never mixed with it. The
caller gives the bar's label in the language of output (``_("claims evaluated")``); the
counts are written in that language's figures.
"""

from __future__ import annotations

__all__ = ["Progress"]

import sys
import time
from typing import TextIO


class Progress:
    """``[#####.....] 12/40 evaluating commits`` on one line, redrawn at most 10 times a
    second, and erased when done. Use as a context manager, or call :meth:`done`."""

    WIDTH = 24

    def __init__(self, total: int, what: str, *, enabled: bool = True,
                 stream: TextIO | None = None) -> None:  # fmt: skip
        self.stream = stream if stream is not None else sys.stderr
        self.total, self.what = max(total, 0), what
        self.on = enabled and self.total > 1 and _isatty(self.stream)
        self.count = 0
        self._drawn = 0.0
        self._width = 0

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.done()

    def advance(self, n: int = 1) -> None:
        """Record ``n`` more units of work done."""
        self.update(self.count + n)

    def update(self, count: int) -> None:
        """Record that ``count`` units of work are done (redrawn at most 10 times a second)."""
        if self.on and time.monotonic() - self._drawn < 0.1 and count < self.total:
            self.count = count
            return
        self._draw(count)

    def _draw(self, count: int) -> None:
        self.count = min(count, self.total)
        if not self.on:
            return
        self._drawn = time.monotonic()
        from .i18n import number

        filled = self.WIDTH * self.count // max(self.total, 1)
        line = (f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] "
                f"{number(self.count)}/{number(self.total)} {self.what}")  # fmt: skip
        self._width = max(self._width, len(line))
        self.stream.write(line)
        self.stream.flush()

    def done(self) -> None:
        """Erase the bar."""
        if self.on and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
        self._width = 0


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
