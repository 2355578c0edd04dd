"""What the command line shows while a build runs: the phase it is in, and how long it has taken.

On a terminal, one line on stderr is rewritten each second ("laying out the
PDF… 7 s") and cleared when the build ends; elsewhere (a log, a pipe) each
phase is said once. ``-q`` shows nothing; ``-v`` also shows what the build
decided (its plan), through the ``publish.detail`` logger.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from typing import TextIO


class Progress:
    """``progress(phase)`` for ``build()``; a context manager that stops the ticking line."""

    def __init__(self, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.phase = ""
        self.since = time.monotonic()
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None

    def __call__(self, phase: str) -> None:
        if self.quiet or phase == self.phase:
            return
        self.phase, self.since = phase, time.monotonic()
        if not self.tty:
            print(f"publish: {phase}…", file=self.stream, flush=True)
            return
        self._draw()
        if self.thread is None:
            self.thread = threading.Thread(target=self._tick, daemon=True)
            self.thread.start()

    def _tick(self) -> None:
        while not self.stop.wait(1.0):
            self._draw()

    def _draw(self) -> None:
        seconds = int(time.monotonic() - self.since)
        self.stream.write(f"\r\033[K{self.phase}… {seconds} s")
        self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        if self.thread is not None:
            self.thread.join()
            self.stream.write("\r\033[K")
            self.stream.flush()


class _Stderr(logging.StreamHandler):
    """A handler writing to ``sys.stderr`` as it is when a line is logged, not as it was when -v was first given."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def verbose(on: bool) -> None:
    """``-v``: the build's decisions (``publish.detail``) go to stderr; without it, they do not (in-process too)."""
    logger = logging.getLogger("publish.detail")
    if on and not logger.handlers:
        handler = _Stderr()
        handler.setFormatter(logging.Formatter("publish: %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    logger.setLevel(logging.INFO if on else logging.WARNING)
