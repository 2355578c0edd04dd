"""Where the editions find their CSS and the vendored fonts (never the system's).

The styles in force are a value, :class:`Styles`, that the build plan carries
down to every edition: the toolchain's own folder (``DEFAULT``: package data in
a wheel, ``styles/`` of the checkout otherwise), or another one, such as the
diff's copy of a revision's styles laid over ours. Nothing reads a styles
folder from a module global.
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class Styles:
    """A styles folder: the editions' stylesheets, ``fonts/`` and ``icc/``."""

    root: Path = DEFAULT

    @property
    def fonts_dir(self) -> Path:
        return self.root / "fonts"

    def stylesheet(self, name: str) -> Path:
        return self.root / name

    def resource(self, name: str | Path) -> Path:
        """The file *name* of this folder, or the toolchain's own when this folder lacks it (an older revision)."""
        path = self.root / name
        return path if path.is_file() else DEFAULT / name

    def font_files(self) -> list[Path]:
        """The vendored font files, in a fixed order."""
        return sorted(self.fonts_dir.glob("*.otf"))

    def font_licence(self) -> Path:
        return self.fonts_dir / LICENCE_NAME


def default() -> Styles:
    """The toolchain's own styles."""
    return Styles(DEFAULT)


def at(folder: Path | str | None) -> Styles:
    """The styles in *folder* (None: the toolchain's own)."""
    return default() if folder is None else Styles(Path(folder).resolve())
