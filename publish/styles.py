"""Where the editions find their CSS and the vendored fonts (never the system's).

The styles folder is ``styles/`` beside the package unless a build names
another (``publish build --styles DIR``, or the diff building a revision with
its own CSS): everything reads it through ``root()`` at call time.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

DEFAULT = Path(__file__).resolve().parent.parent / "styles"
LICENCE_NAME = "LICENSE-EBGaramond.txt"
_root = DEFAULT


def root() -> Path:
    """The styles folder in force."""
    return _root


def fonts_dir() -> Path:
    return _root / "fonts"


def stylesheet(name: str) -> Path:
    return _root / name


def font_files() -> list[Path]:
    """The vendored font files, in a fixed order."""
    return sorted(fonts_dir().glob("*.otf"))


def font_licence() -> Path:
    return fonts_dir() / LICENCE_NAME


@contextlib.contextmanager
def using(folder: Path | None) -> Iterator[Path]:
    """Build with the styles in *folder* (None: keep the current ones) for the length of the block."""
    global _root
    saved = _root
    if folder is not None:
        _root = Path(folder).resolve()
    try:
        yield _root
    finally:
        _root = saved
