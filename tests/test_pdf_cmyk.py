"""The print PDF is for a CMYK press: a FOGRA39 output intent, and its black text in K only.

The digital PDF, written from the same layout, stays in RGB (a K-only black
would show on screen as a dark grey, not black). The colours are read back
from the page content streams, following the graphics state into form
XObjects, as a preflight tool would.
"""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from pypdf.generic import ContentStream

from publish import plan, styles
from publish.book import load_book
from publish.editions import pdf
from publish.pipeline import parse_book
from publish.render import render
from tests.conftest import MANUSCRIPT, make_manuscript

SLUG = "industrialisation-of-care-foreword"
K_BLACK = ("cmyk", (0.0, 0.0, 0.0, 1.0))
TEXT_SHOWING = {b"Tj", b"TJ", b"'", b'"'}
FILL_PAINTING = {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}


@pytest.fixture(scope="module")
def editions(build_book) -> dict[str, Path]:
    out = build_book(MANUSCRIPT, ("pdf", "print"))
    return {"pdf": out / f"{SLUG}.pdf", "print": out / f"{SLUG}-print.pdf"}


def _numbers(operands) -> tuple:
    """Colour operands, rounded; a pattern's name stays a name."""
    return tuple(str(value) if isinstance(value, str) else round(float(value), 4) for value in operands)


class Painting:
    """The fill colour in force for each text run and each filled shape; every colour operator met."""

    def __init__(self, reader: pypdf.PdfReader):
        self.reader = reader
        self.text: list[tuple] = []
        self.shapes: list[tuple] = []
        self.operators: list[bytes] = []

    def run(self, content, resources, fill=("gray", (0.0,)), space=b"/DeviceGray") -> None:
        stack = []
        for operands, operator in ContentStream(content, self.reader).operations:
            if operator in {b"rg", b"RG", b"k", b"K", b"g", b"G", b"cs", b"CS", b"sc", b"scn", b"SC", b"SCN", b"sh"}:
                self.operators.append(operator)
            if operator == b"q":
                stack.append((fill, space))
            elif operator == b"Q":
                fill, space = stack.pop()
            elif operator in {b"rg", b"k", b"g"}:
                fill = ({b"rg": "rgb", b"k": "cmyk", b"g": "gray"}[operator], _numbers(operands))
            elif operator == b"cs":
                space = operands[0]
            elif operator in {b"sc", b"scn"}:
                fill = ("cmyk" if space == "/DeviceCMYK" else str(space), _numbers(operands))
            elif operator in TEXT_SHOWING:
                self.text.append(fill)
            elif operator in FILL_PAINTING:
                self.shapes.append(fill)
            elif operator == b"Do":
                xobject = resources["/XObject"][operands[0]].get_object()
                if xobject["/Subtype"] == "/Form":
                    self.run(xobject, xobject.get("/Resources", resources), fill, space)


def _drawn(resources, kind: str) -> list:
    """The images (kind "/XObject") or gradients ("/Shading") drawn with *resources*, in forms and patterns too."""
    shadings = (resources.get("/Shading") or {}).values() if kind == "/Shading" else []
    found = [shading.get_object() for shading in shadings]
    inner = [*(resources.get("/XObject") or {}).values(), *(resources.get("/Pattern") or {}).values()]
    for xobject in (item.get_object() for item in inner):
        if xobject.get("/Subtype") == "/Image" and kind == "/XObject":
            found.append(xobject)
        elif "/Resources" in xobject:
            found += _drawn(xobject["/Resources"], kind)
    return found


def _painting(path: Path) -> Painting:
    reader = pypdf.PdfReader(path)
    painting = Painting(reader)
    for page in reader.pages:
        painting.run(page.get_contents(), page["/Resources"])
    return painting


@pytest.mark.slow
def test_print_output_intent_is_a_cmyk_press_profile_named_fogra39(editions):
    intent = pypdf.PdfReader(editions["print"]).trailer["/Root"]["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFX"
    assert intent["/OutputConditionIdentifier"] == "FOGRA39"
    assert intent["/RegistryName"] == "http://www.color.org"
    assert "FOGRA39" in intent["/Info"]
    profile = intent["/DestOutputProfile"].get_object()
    icc = profile.get_data()
    assert profile["/N"] == 4
    assert icc[12:16] == b"prtr", "the device class of an output intent must be an output device"
    assert icc[16:20] == b"CMYK"
    assert icc[36:40] == b"acsp"
    assert icc == (styles.DEFAULT / "icc" / "FOGRA39L.icc").read_bytes(), "not the vendored profile"


@pytest.mark.slow
def test_print_text_and_rules_are_k_only_black(editions):
    painting = _painting(editions["print"])
    assert len(painting.text) > 100
    assert set(painting.text) == {K_BLACK}, "text set in another colour than 0 0 0 1 k"
    assert set(painting.shapes) == {K_BLACK}, "the note rule is not K-only"
    assert not {b"rg", b"RG", b"g", b"G", b"sh"} & set(painting.operators), "RGB, grey or gradient left in print"


@pytest.mark.slow
def test_digital_edition_stays_rgb_black_without_an_output_intent(editions):
    """device-cmyk black would be drawn as rgb(35, 31, 32) on screen: the digital PDF keeps RGB black."""
    painting = _painting(editions["pdf"])
    assert set(painting.text) == {("rgb", (0.0, 0.0, 0.0))}
    assert not {b"k", b"K", b"cs", b"CS"} & set(painting.operators)
    assert "/OutputIntents" not in pypdf.PdfReader(editions["pdf"]).trailer["/Root"]


@pytest.fixture(scope="module")
def coloured_book(tmp_path_factory) -> tuple[list[Path], list[str]]:
    """A book with a grey word, a red word, a gradient and an RGB image, both PDFs written with its warnings kept."""
    from PIL import Image

    root = tmp_path_factory.mktemp("cmyk")
    text = ('# One\n\nA <span style="color: #666666">grey</span> word and a <span style="color: red">red</span> one,'
            ' <span style="background: linear-gradient(to right, red, blue)">shaded</span>.'
            "\n\n![A figure](images/a.png)\n")
    manuscript = make_manuscript(root / "manuscript", {"one.md": text})
    (manuscript / "images").mkdir()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(manuscript / "images" / "a.png")
    book = load_book(manuscript)
    with plan.reported() as lines:
        written = pdf.write(plan.make(manuscript, root / "out"), book, render(parse_book(book)), root / "out")
    return written, lines


@pytest.mark.slow
def test_print_sets_greys_in_k_other_colours_in_srgb_and_reports_them(coloured_book):
    written, lines = coloured_book
    print_pdf = next(path for path in written if path.name.endswith("-print.pdf"))
    printed = _painting(print_pdf)
    assert ("cmyk", (0.0, 0.0, 0.0, 0.6)) in printed.text, "#666 grey should be 60 % K"
    assert ("/sRGB", (1.0, 0.0, 0.0)) in printed.text, "red should be colour-managed sRGB, not DeviceRGB"
    assert not {b"rg", b"RG"} & set(printed.operators)
    spaces = pypdf.PdfReader(print_pdf).pages[2]["/Resources"]["/ColorSpace"]
    assert spaces["/sRGB"][0] == "/ICCBased" and spaces["/sRGB"][1].get_object()["/N"] == 3
    assert any("not K-only" in line for line in lines), lines
    digital = _painting(next(path for path in written if not path.name.endswith("-print.pdf")))
    assert {("rgb", (0.4, 0.4, 0.4)), ("rgb", (1.0, 0.0, 0.0))} <= set(digital.text)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["/XObject", "/Shading"])
def test_rgb_images_and_gradients_in_print_are_colour_managed(coloured_book, kind):
    """PDF/X-4 with a CMYK intent takes ICC-based RGB, not DeviceRGB (nor RGB values in the CMYK space)."""
    written, _lines = coloured_book
    spaces = {}
    for path in written:
        reader = pypdf.PdfReader(path)
        drawn = [item for page in reader.pages for item in _drawn(page["/Resources"], kind)]
        drawn = [item for item in drawn if item.get("/ColorSpace") != "/DeviceGray"]  # alpha masks
        assert drawn, f"nothing of {kind} in {path.name}"
        spaces[path.name.endswith("-print.pdf")] = [item["/ColorSpace"] for item in drawn]
    assert all(space[0] == "/ICCBased" and space[1].get_object()["/N"] == 3 for space in spaces[True]), spaces[True]
    assert spaces[False] == ["/DeviceRGB"] * len(spaces[False])


def test_the_print_profile_is_vendored_with_its_licence_and_recipe():
    folder = styles.DEFAULT / "icc"
    icc = (folder / "FOGRA39L.icc").read_bytes()
    assert len(icc) < 300_000 and icc[12:20] == b"prtrCMYK"
    readme = (folder / "README.md").read_text()
    assert "colprof" in readme and "Zlib" in readme and "FOGRA39L.ti3" in readme
    assert "Permission is granted" in (folder / "LICENSE-FOGRA39L.txt").read_text()



def test_a_new_print_profile_rebuilds_the_pdf_editions(tmp_path):
    """The profile is an input of the PDF editions: the build cache must see it change."""
    import shutil

    from publish import cache

    folder = Path(shutil.copytree(styles.DEFAULT, tmp_path / "styles"))
    build_plan = plan.make(MANUSCRIPT, tmp_path / "out", ("print", "html"), styles=styles.Styles(folder))
    before = cache.keys(build_plan)
    profile = folder / "icc" / "FOGRA39L.icc"
    data = profile.read_bytes()
    profile.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    after = cache.keys(build_plan)
    assert before["pdf"] != after["pdf"]
    assert before["html"] == after["html"]


@pytest.mark.slow
def test_a_styles_folder_without_a_profile_uses_the_vendored_one(tmp_path):
    """``--styles DIR`` or an older revision's styles may have no icc/ folder: the print PDF keeps its intent."""
    from publish.editions import pdf_weasy

    profile = pdf_weasy.print_profile(styles.Styles(tmp_path))
    assert profile.content == (styles.DEFAULT / "icc" / "FOGRA39L.icc").read_bytes()
    assert profile.components == (["c"], ["m"], ["y"], ["k"])
