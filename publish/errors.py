"""Expected failures. Each class says who raises it and carries the exit code.

The CLI prints ``str(error)`` as one line and exits with ``error.exit_code``;
anything that is not a PublishError reaching the CLI is a bug.
"""

from __future__ import annotations

from pathlib import Path


class PublishError(Exception):
    """Base of every expected failure: a message, and where it happened."""

    exit_code = 2

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        # One line, always: the CLI prints errors as a single line.
        message = " ".join(str(message).split())
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        place = ""
        if self.path is not None:
            place = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{place}{self.message}"

    def within(self, context: str) -> PublishError:
        """This error with *context* before its line (``cannot build 'HEAD': …``), its class and exit code kept."""
        error = type(self).__new__(type(self))
        error.__dict__.update(self.__dict__)
        error.message, error.path, error.line = f"{context}: {self}", None, None
        error.args = (error.message,)
        return error


class ManuscriptError(PublishError):
    """Raised by book.py and the filters: the manuscript is not usable as it is."""

    exit_code = 3


class NoteError(ManuscriptError):
    """Raised by the notes filter: a call without a note, a note without a call."""


class ResourceError(ManuscriptError):
    """Raised when an image or link points where a build must not read."""


class ToolError(PublishError):
    """Raised by pandoc.py and the editions: a tool is missing, too old or failed."""

    exit_code = 4


class OutputError(PublishError):
    """Raised when the output folder cannot be written."""

    exit_code = 5


class CheckFailed(PublishError):
    """Raised by check.py and diff when a finished build cannot be read."""

    exit_code = 1
