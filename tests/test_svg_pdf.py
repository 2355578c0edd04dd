"""An SVG label with an invalid text-anchor is set in the PDF as a browser sets it (from its x), not cut off."""

from __future__ import annotations

from publish import svg_pdf
from publish.build import build
from tests.conftest import make_manuscript

LABELLED = b"""<svg xmlns="http://www.w3.org/2000/svg" width="300" height="60" viewBox="0 0 300 60">
<rect width="300" height="60" fill="#336"/>
<text xml:space="preserve" text-anchor="left" font-size="18" y="25" x="10" fill="#fff">wc -l *.pdb</text>
<text style="font-size: 18px; text-anchor: right" y="50" x="10" fill="#fff">sort -n</text>
</svg>
"""


def test_only_invalid_values_are_dropped_and_a_sound_svg_is_the_same_bytes():
    fixed = svg_pdf.for_pdf(LABELLED)
    assert b"text-anchor=" not in fixed and b"text-anchor: right" not in fixed
    assert b"font-size: 18px" in fixed and b"wc -l *.pdb" in fixed
    sound = LABELLED.replace(b'text-anchor="left"', b'text-anchor="middle"').replace(b"; text-anchor: right", b"")
    assert svg_pdf.for_pdf(sound) == sound


def test_the_pdf_draws_the_whole_label(tmp_path):
    import pypdfium2 as pdfium

    root = make_manuscript(tmp_path / "m", {"a.md": "# A\n\n![A pipe.](images/pipe.svg)\n"})
    (root / "images").mkdir()
    (root / "images" / "pipe.svg").write_bytes(LABELLED)
    out = tmp_path / "out"
    build(root, out, ("pdf",), log=lambda line: None)
    document = pdfium.PdfDocument(next(p for p in out.glob("*.pdf") if not p.stem.endswith("-print")))
    try:
        page = next(page for page in document if "wc -l" in page.get_textpage().get_text_range())
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        # both labels start at x=10 in the SVG: set from their x, their first letters line up
        lefts = [textpage.get_charbox(text.index(label))[0] for label in ("wc -l *.pdb", "sort -n")]
    finally:
        document.close()
    assert abs(lefts[0] - lefts[1]) < 1, lefts
