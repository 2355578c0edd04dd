"""The print PDF's plates, read with pikepdf as a preflight would: no needless transparency, marks on every plate.

Transparency groups and transparent states are what send K-only rules to
four plates in a RIP that flattens; a page that does show transparency must
blend in CMYK. Crop marks are in registration colour (``/Separation /All``),
outside the bleed, and left out when book.yaml says ``crop-marks: false``.
"""

from __future__ import annotations

import pikepdf
import pytest
from PIL import Image

from publish.book import load_book
from publish.errors import ManuscriptError
from tests.conftest import MANUSCRIPT, make_manuscript

MM = 72 / 25.4


@pytest.fixture(scope="module")
def foreword_print(build_book):
    return build_book(MANUSCRIPT, ("pdf", "print")) / "industrialisation-of-care-foreword-print.pdf"


def _forms(pdf):
    seen = {}
    for page in pdf.pages:
        for xobject in (page.Resources.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == "/Form":
                seen[xobject.objgen] = xobject
    return list(seen.values())


def _transparent(state) -> bool:
    return (float(state.get("/ca", 1)) < 1 or float(state.get("/CA", 1)) < 1
            or state.get("/SMask", pikepdf.Name.None_) != pikepdf.Name.None_
            or state.get("/BM", pikepdf.Name.Normal) != pikepdf.Name.Normal)


def _marks(page) -> list[tuple[float, float, float, float]]:
    """The strokes the page draws in the registration colour, as (x0, y0, x1, y1)."""
    spaces = page.Resources.get("/ColorSpace") or {}
    found, registration, start = [], False, None
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "CS":
            space = spaces.get(str(operands[0]))
            registration = space is not None and list(space[:2]) == [pikepdf.Name.Separation, pikepdf.Name.All]
        elif op == "m":
            start = [float(v) for v in operands]
        elif op == "l" and registration and start:
            found.append((*start, *(float(v) for v in operands)))
        elif op == "Q":
            registration = False
    return found


def test_no_needless_transparency_and_the_note_rules_in_k(foreword_print):
    with pikepdf.open(foreword_print) as pdf:
        forms = _forms(pdf)
        assert forms, "the note rules are no longer forms: this test must look elsewhere"
        for form in forms:
            states = form.get("/Resources", {}).get("/ExtGState") or {}
            uses = any(_transparent(state) for state in states.values())
            assert "/Group" not in form or uses, "a transparency group around opaque content"
            assert not uses
            assert b" k" in form.read_bytes() and b" rg" not in form.read_bytes()
        assert all("/Group" not in page for page in pdf.pages)  # nothing transparent: no blending space needed


def test_crop_marks_are_in_registration_colour_outside_the_bleed(foreword_print):
    with pikepdf.open(foreword_print) as pdf:
        for page in pdf.pages:
            left, bottom, right, top = (float(v) for v in page.TrimBox)
            bleed = [float(v) for v in page.BleedBox]
            marks = _marks(page)
            assert len(marks) == 8
            for x0, y0, x1, y1 in marks:
                for x, y in ((x0, y0), (x1, y1)):
                    outside = x <= bleed[0] + 0.01 or x >= bleed[2] - 0.01 or y <= bleed[1] + 0.01
                    assert outside or y >= bleed[3] - 0.01, "a crop mark reaches into the bleed"
                level = [abs(x0 - x1) < 0.01 and min(abs(x0 - left), abs(x0 - right)) < 0.01,
                         abs(y0 - y1) < 0.01 and min(abs(y0 - bottom), abs(y0 - top)) < 0.01]
                assert any(level), "a crop mark is not level with a trim edge"


def test_without_crop_marks_the_file_is_trim_plus_bleed(build_book, tmp_path_factory):
    chapters = {"01-one.md": "# One\n\nText.[^a]\n\n[^a]: A note.\n"}
    root = make_manuscript(tmp_path_factory.mktemp("nomarks") / "m", chapters, slug="no-marks",
                           **{"crop-marks": "false"})
    with pikepdf.open(build_book(root, ("pdf", "print")) / "no-marks-print.pdf") as pdf:
        for page in pdf.pages:
            assert [float(v) for v in page.MediaBox] == pytest.approx([float(v) for v in page.BleedBox], abs=0.01)
            trim, bleed = [float(v) for v in page.TrimBox], [float(v) for v in page.BleedBox]
            assert trim[0] - bleed[0] == pytest.approx(3 * MM, abs=0.01)
            assert not _marks(page)


def test_a_page_with_real_transparency_blends_in_cmyk(build_book, tmp_path_factory):
    root = make_manuscript(tmp_path_factory.mktemp("alpha") / "m", {
        "01-one.md": "# One\n\n![A half-transparent square](images/alpha.png)\n\nText.\n"}, slug="alpha")
    (root / "images").mkdir()
    Image.new("RGBA", (40, 40), (200, 30, 30, 128)).save(root / "images" / "alpha.png")
    with pikepdf.open(build_book(root, ("pdf", "print")) / "alpha-print.pdf") as pdf:
        groups = [page.get("/Group") for page in pdf.pages if "/Group" in page]
        assert groups, "the page with a soft-masked image has no page group"
        for group in groups:
            assert group.S == "/Transparency" and group.CS == "/DeviceCMYK"


def test_crop_marks_must_be_true_or_false(tmp_path):
    root = make_manuscript(tmp_path / "m", {"01-one.md": "# One\n\nText.\n"}, **{"crop-marks": "sometimes"})
    with pytest.raises(ManuscriptError, match="crop-marks must be true or false"):
        load_book(root)
