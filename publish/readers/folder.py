"""A build folder's files: where the registry puts each edition, read only from inside the folder, under a cap."""

from __future__ import annotations

from pathlib import Path

from publish.errors import PublishError
from publish.plan import EDITIONS

MAX_HTML = 64 * 1024 * 1024
MAX_PDF = 512 * 1024 * 1024


def inside(folder: Path, name: str, cap: int) -> Path | None:
    """``folder/name`` if it is a regular file inside *folder* (no symlink out) and under *cap* bytes."""
    base = folder.resolve()
    path = (folder / name).resolve()
    if not path.is_relative_to(base) or not path.is_file():
        return None
    if path.stat().st_size > cap:
        raise PublishError(f"refusing to read a file over {cap / 2**20:g} MB", path)
    return path


def print_pdf(folder: Path) -> Path | None:
    """The print-ready PDF of the build (``<slug>-print.pdf``), if it was made."""
    found = sorted(p.name for p in folder.glob(EDITIONS["print"].path("*")))
    return inside(folder, found[0], MAX_PDF) if found else None
