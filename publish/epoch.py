"""The build's one date: ``SOURCE_DATE_EPOCH``, so that two builds of the same sources are the same bytes.

Resolved once, when the build plan is made: the environment variable if it
is set; else the time of the last git commit that touched the manuscript or
the styles; for a manuscript outside git, the newest of its own files; else
a fixed date. The plan carries it down to the editions (PDF
dates, EPUB ``dcterms:modified`` and zip times); nothing else reads the
variable.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from publish.errors import PublishError

VARIABLE = "SOURCE_DATE_EPOCH"
# Outside git, and with no variable set: 2000-01-01T00:00:00Z (the PDF edition's fixed date too).
FIXED = 946684800


@dataclass(frozen=True)
class Epoch:
    seconds: int
    origin: str  # "environment", "git", "files" (the manuscript's, outside git) or "fixed"

    @property
    def datetime(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.seconds, dt.UTC)

    @property
    def iso(self) -> str:
        return self.datetime.strftime("%Y-%m-%dT%H:%M:%SZ")


def resolve(sources: list[Path], environ: dict[str, str] | None = None) -> Epoch:
    """The epoch for a build of *sources* (the manuscript and styles folders)."""
    environ = os.environ if environ is None else environ
    value = environ.get(VARIABLE, "").strip()
    if value:
        return Epoch(_parse(value), "environment")
    # A manuscript outside git is dated by its own files, never by the toolchain's repository.
    if sources and last_commit(sources[0]) is None:
        return newest_file(sources[0])
    commits = [seconds for seconds in map(last_commit, sources) if seconds is not None]
    if commits:
        return Epoch(max(commits), "git")
    return Epoch(FIXED, "fixed")


def newest_file(manuscript: Path) -> Epoch:
    """The newest modification time of the files the book uses (book.yaml, chapters, images, styles)."""
    from publish import files
    from publish.config import used_files

    try:
        used = files.used(manuscript)  # what the cache hashes and the manifest lists, but the images
        used += files.named_images(manuscript, used)
    except PublishError:
        used = used_files(manuscript)  # read leniently: the build itself reports what is wrong
    times = [int(path.stat().st_mtime) for path in used if path.is_file()]
    if not times:
        return Epoch(FIXED, "fixed")
    return Epoch(min(max(max(times), 315532800), 253402300799), "files")  # a zip holds 1980 to 9999


def _parse(value: str) -> int:
    if not re.fullmatch(r"[0-9]{1,15}", value):  # str.isdigit() takes '²' and '٣'; int() chokes on 5,000 digits
        raise PublishError(f"{VARIABLE}={value[:40]!r} is not a whole number of seconds since 1970 (e.g. 1700000000)")
    seconds = int(value)
    if seconds < 315532800:  # a zip (EPUB) cannot hold a date before 1980
        raise PublishError(f"{VARIABLE}={value} is before 1980-01-01, which an EPUB's zip cannot record")
    if seconds > 253402300799:
        raise PublishError(f"{VARIABLE}={value} is after the year 9999")
    return seconds


def last_commit(folder: Path) -> int | None:
    """Commit time of the last commit touching *folder*, if it lies in a git work tree with such a commit."""
    folder = Path(folder)
    if not folder.is_dir():
        return None
    try:
        done = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", "."],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=30,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
        )
    except (OSError, subprocess.SubprocessError):
        return None  # no git on this machine: the fixed date
    text = done.stdout.strip()
    return int(text) if done.returncode == 0 and text.isdigit() else None
