"""The same PDF bytes whatever system libraries are present: one font-subsetting path.

WeasyPrint subsets fonts with the system's HarfBuzz-Subset when it is there
and with fontTools (warning) when it is not; publish.weasy makes it take
HarfBuzz from the uharfbuzz wheel on every machine. Two builds of the book, one
as on a machine with libharfbuzz-subset0 and one as on a machine without it,
must give the same bytes, neither may warn, and the fonts must still be subset.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import MANUSCRIPT, REPO, require

# Hides the library from WeasyPrint as on a machine without it, then runs the CLI in this process.
BUILD = """
import sys
from weasyprint.pdf import fonts
if sys.argv[1] == "without":
    fonts.harfbuzz_subset = None
from publish.cli import main
raise SystemExit(main(["build", sys.argv[2], "-o", sys.argv[3], "-f", "pdf", "--strict"]))
"""


def _build(tmp_path, libraries: str) -> bytes:
    out = tmp_path / libraries
    done = subprocess.run([sys.executable, "-c", BUILD, libraries, str(MANUSCRIPT), str(out)], cwd=REPO,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1700000000"})
    assert done.returncode == 0, done.stderr
    assert "fontTools" not in done.stderr and "HarfBuzz" not in done.stderr, done.stderr
    return next(out.glob("*.pdf")).read_bytes()


def test_pdf_bytes_do_not_depend_on_harfbuzz_subset(tmp_path):
    from weasyprint.text import ffi

    require(ffi.harfbuzz_subset is not None, "libharfbuzz-subset0 is not installed (apt-get install it)")
    with_library = _build(tmp_path, "with")
    assert with_library == _build(tmp_path, "without")
    assert _embedded_fonts(tmp_path / "with") and all(
        size < 0.3 * vendored for size, vendored in _embedded_fonts(tmp_path / "with")), "fonts embedded whole"


def _embedded_fonts(out) -> list[tuple[int, int]]:
    """(embedded size, size of the vendored file of that face) for each font the PDF embeds."""
    import pypdf

    from publish.styles import DEFAULT

    vendored = {p.stem.replace("EBGaramond", "EB-Garamond-").replace("--", "-"): p.stat().st_size
                for p in (DEFAULT / "fonts").glob("*.otf")}
    found = []
    for page in pypdf.PdfReader(next(out.glob("*.pdf"))).pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            name = str(descriptor["/FontName"]).split("+", 1)[-1].rstrip(",")
            data = descriptor["/FontFile3"].get_object().get_data()
            found.append((len(data), vendored.get(name, max(vendored.values()))))
    return found
