"""The PDF never takes a glyph from a system font: only the vendored fonts of styles/fonts are used.

The test gives fontconfig, as the system's configuration (``FONTCONFIG_FILE``),
a setup whose only font is an "Intruder Sans" (a renamed copy of a vendored
font) preferred for every generic family and appended to every pattern. A
build that let WeasyPrint fall back on the system's fonts sets the book's
snowman and its SVG labels in it; ours must embed only vendored fonts, and
give the same bytes as a build whose system has no fonts at all.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont

from publish import styles

ROOT = Path(__file__).resolve().parents[1]
VENDORED = ("EB-Garamond", "DejaVu-Sans", "DejaVu-Sans-Mono", "DejaVu-Math-TeX-Gyre")

CHAPTER = """# One

A snowman ☃, a white star ☆, arrows ⇒ ↦, a contour integral ∮, Greek αβγ and Cyrillic жизнь.

Some `code ☃` here.

![A diagram with labels in three families](labels.svg)
"""
SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="240" height="80" viewBox="0 0 240 80">
<text x="10" y="20" font-family="Helvetica, Arial, sans-serif" font-size="14">Label in sans ☃</text>
<text x="10" y="45" font-family="Courier" font-size="12">Label in Courier</text>
<text x="10" y="70" font-family="NoSuchFamily" font-size="12">Label in no family</text>
</svg>
"""


def _intruder_config(folder: Path) -> Path:
    """A fontconfig setup whose only font is "Intruder Sans", preferred for everything."""
    fonts = folder / "fonts"
    fonts.mkdir(parents=True)
    font = TTFont(styles.default().fonts_dir / "DejaVuSans.ttf")
    for record in font["name"].names:
        if record.nameID in (1, 3, 4, 6, 16):
            text = "IntruderSans" if record.nameID == 6 else "Intruder Sans"
            record.string = text.encode("utf-16-be") if record.isUnicode() else text.encode("latin-1")
    font.save(fonts / "IntruderSans.ttf")
    families = "".join(f'<alias binding="strong"><family>{generic}</family><prefer><family>Intruder Sans</family>'
                       f"</prefer></alias>" for generic in ("serif", "sans-serif", "monospace", "Helvetica"))
    (folder / "cache").mkdir()  # as a system's is: see _empty_config
    config = folder / "fonts.conf"
    config.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><dir>{fonts}</dir><cachedir>{folder / "cache"}</cachedir>{families}
<match target="pattern"><edit name="family" mode="prepend_first"><string>Intruder Sans</string></edit></match>
</fontconfig>
""", encoding="utf-8")
    return config


def _empty_config(folder: Path) -> Path:
    """A fontconfig setup with no fonts at all.

    Its cache folder exists, as a real system's does: when it did not, the
    build's layout processes, starting at once, raced to create it, and the
    loser's fontconfig printed "No writable cache directories" (one full run
    in four).
    """
    (folder / "cache").mkdir(parents=True)
    config = folder / "fonts.conf"
    config.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><cachedir>{folder / "cache"}</cachedir></fontconfig>
""", encoding="utf-8")
    return config


def _build(book: Path, out: Path, config: Path) -> tuple[bytes, set[str]]:
    env = {**os.environ, "FONTCONFIG_FILE": str(config), "SOURCE_DATE_EPOCH": "1700000000",
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "publish", "build", str(book), "-o", str(out), "-f", "pdf", "-q"],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Fontconfig" not in done.stderr  # the private setup parses without a complaint
    pdf = out / "leak.pdf"
    names = set()
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            for _name, font in page.resources.get("/Font", {}).items():
                names.add(str(font.get("/BaseFont")).split("+", 1)[-1])
            for _name, xobject in page.resources.get("/XObject", {}).items():  # the SVG's labels
                for _font_name, font in xobject.get("/Resources", {}).get("/Font", {}).items():
                    names.add(str(font.get("/BaseFont")).split("+", 1)[-1])
    return pdf.read_bytes(), names


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fonts") / "book"
    root.mkdir()
    (root / "book.yaml").write_text("title: Fonts\nauthor: A. Writer\nlang: en-GB\nslug: leak\n"
                                    "chapters:\n  - one.md\n", encoding="utf-8")
    (root / "one.md").write_text(CHAPTER, encoding="utf-8")
    (root / "labels.svg").write_text(SVG, encoding="utf-8")
    return root


def test_no_system_font_reaches_the_pdf(book, tmp_path):
    _pdf, names = _build(book, tmp_path / "out", _intruder_config(tmp_path / "system"))
    assert names, "no fonts found in the PDF"
    assert not [name for name in names if "Intruder" in name], names
    assert all(name.startswith(VENDORED) for name in names), names
    assert any(name.startswith("DejaVu-Sans") and "Mono" not in name for name in names), \
        f"the snowman and the sans-serif label fall back to the vendored DejaVu Sans: {names}"


def test_same_bytes_whatever_fonts_the_system_has(book, tmp_path):
    crowded, _ = _build(book, tmp_path / "crowded", _intruder_config(tmp_path / "system"))
    bare, _ = _build(book, tmp_path / "bare", _empty_config(tmp_path / "nothing"))
    assert crowded == bare
