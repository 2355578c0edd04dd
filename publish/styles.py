"""Where the editions find their CSS and the vendored fonts (never the system's)."""

from __future__ import annotations

from pathlib import Path

STYLES = Path(__file__).resolve().parent.parent / "styles"
FONTS = STYLES / "fonts"
FONT_LICENCE = FONTS / "LICENSE-EBGaramond.txt"


def stylesheet(name: str) -> Path:
    return STYLES / name


def font_files() -> list[Path]:
    """The vendored font files, in a fixed order."""
    return sorted(FONTS.glob("*.otf"))
