"""Where the editions find their CSS and the vendored fonts (never the system's).

The styles folder is the toolchain's own (``DEFAULT``) unless a build names
another (``publish build --styles DIR``, or the diff building a revision with
its own CSS): everything reads it through ``root()`` at call time.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path


def _default() -> Path:
    """The toolchain's own styles: ``publish/_styles`` in an installed wheel, else ``styles/`` of the checkout.

    setup.py installs the repository's top-level ``styles/`` as the data package
    ``publish._styles``; a checkout or an editable install has it beside the package.
    """
    packaged = resources.files("publish") / "_styles"
    if packaged.is_dir():
        return Path(str(packaged)).resolve()
    return Path(__file__).resolve().parent.parent / "styles"


DEFAULT = _default()
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
