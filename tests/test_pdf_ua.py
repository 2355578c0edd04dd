"""The digital PDF against PDF/UA-1 (ISO 14289-1), read with pikepdf: a veraPDF-equivalent structure check.

veraPDF itself cannot be installed here (no network beyond PyPI, Debian and
npm), so the machine-checkable rules of its PDF/UA-1 profile that concern
this book are checked directly, each named by its clause:

- 5 / 7.1: the XMP says ``pdfuaid:part 1`` and has a ``dc:title``; the
  catalogue is marked (``MarkInfo/Marked``), has a structure tree and asks
  viewers to show the title (``DisplayDocTitle``).
- 7.1-3: every piece of text on a page is either tagged (inside marked
  content with an MCID the structure tree claims) or an artifact.
- 7.1-5: every structure type is a standard one, or role-mapped to one.
- 7.2: the document has a natural language.
- 7.3: every Figure has alternative text.
- 7.4.2: headings are numbered and none skips a level.
- 7.18.3: a page with annotations orders its tabs by structure (``/Tabs /S``).
- 7.21.4.1: every font is embedded, in page content and in forms.
(7.18.1 and 7.18.5, links in Link elements with Contents, are in test_pdf_links.py.)
"""

from __future__ import annotations

import re

import pikepdf
import pytest
from PIL import Image

from tests.conftest import MANUSCRIPT, make_manuscript

# PDF 1.7 (ISO 32000-1, 14.8.4) standard structure types.
STANDARD = {
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index", "NonStruct",
    "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD",
    "THead", "TBody", "TFoot", "Span", "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby",
    "RB", "RT", "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form",
}
TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}


@pytest.fixture(scope="module")
def illustrated(tmp_path_factory):
    """A short book with a figure, two decorative images (no alt text) and nested headings, beside the foreword."""
    root = make_manuscript(tmp_path_factory.mktemp("ua") / "manuscript", {
        "one.md": "# One\n\nText before.[^a]\n\n## A section\n\n![A grey block](images/a.png)\n\n"
                  "A flourish in the text ![](images/b.png) and after it.\n\n![](images/b.png)\n\n"
                  "### A subsection\n\nText after.\n\n[^a]: A note.\n",
    })
    (root / "images").mkdir()
    Image.new("RGB", (40, 20), "grey").save(root / "images" / "a.png")
    Image.new("RGB", (30, 10), "black").save(root / "images" / "b.png")
    return root


@pytest.fixture(scope="module", params=["foreword", "illustrated"])
def digital(request, build_book, illustrated):
    manuscript = MANUSCRIPT if request.param == "foreword" else illustrated
    path = next(p for p in build_book(manuscript, ("pdf",)).glob("*.pdf") if not p.stem.endswith("-print"))
    with pikepdf.open(path) as pdf:
        yield pdf


def _elements(pdf: pikepdf.Pdf):
    """Every structure element, in document order, with the page it inherits."""
    stack = [(pdf.Root.StructTreeRoot.K, None)]
    while stack:
        node, page = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend((child, page) for child in reversed(list(node)))
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            page = node.get("/Pg", page)
            yield node, page
            if "/K" in node:
                stack.append((node.K, page))


def _claimed_mcids(pdf: pikepdf.Pdf) -> set[tuple[tuple[int, int], int]]:
    """(page, MCID) of every marked-content piece the structure tree points to."""
    claimed = set()
    for element, page in _elements(pdf):
        kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
        for kid in kids:
            if isinstance(kid, int) and page is not None:
                claimed.add((page.objgen, int(kid)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                claimed.add((kid.get("/Pg", page).objgen, int(kid.MCID)))
    return claimed


def test_the_catalogue_and_metadata_declare_pdf_ua(digital):
    meta = digital.open_metadata()
    assert meta.get("pdfuaid:part") == "1"
    assert (meta.get("dc:title") or "").strip()
    assert digital.Root.MarkInfo.Marked is True
    assert "/StructTreeRoot" in digital.Root
    assert digital.Root.ViewerPreferences.DisplayDocTitle is True
    assert re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", str(digital.Root.Lang))


def test_all_text_is_tagged_or_an_artifact(digital):
    claimed = _claimed_mcids(digital)
    assert claimed
    for number, page in enumerate(digital.pages, 1):
        stack: list[tuple[str, int | None]] = []
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BMC", "BDC"):
                props = operands[1] if op == "BDC" and len(operands) > 1 else None
                mcid = int(props.MCID) if isinstance(props, pikepdf.Dictionary) and "/MCID" in props else None
                stack.append((str(operands[0]), mcid))
            elif op == "EMC":
                stack.pop()
            elif op in TEXT_OPERATORS:
                artifact = any(tag == "/Artifact" for tag, _ in stack)
                mcids = [mcid for _, mcid in stack if mcid is not None]
                assert artifact or mcids, f"page {number}: text outside any tag or artifact"
                if not artifact:
                    assert (page.objgen, mcids[-1]) in claimed, f"page {number}: MCID {mcids[-1]} not in the tree"


def test_every_structure_type_is_standard_or_role_mapped(digital):
    roles = digital.Root.StructTreeRoot.get("/RoleMap", pikepdf.Dictionary())
    for element, _ in _elements(digital):
        kind = str(element.S)[1:]
        mapped = str(roles.get(f"/{kind}", ""))[1:]
        assert kind in STANDARD or mapped in STANDARD, f"structure type {kind} is neither standard nor mapped"


def test_figures_have_alternative_text_and_headings_skip_no_level(digital):
    levels = []
    figures = 0
    for element, _ in _elements(digital):
        kind = str(element.S)[1:]
        if kind == "Figure":
            figures += 1
            assert str(element.get("/Alt", "") or element.get("/ActualText", "")).strip(), "a Figure has no Alt"
        if re.fullmatch(r"H[1-6]", kind):
            levels.append(int(kind[1]))
        assert kind != "H", "unnumbered H headings mixed with numbered ones"  # 7.4.4
    assert levels and levels[0] == 1
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"a heading skips from H{before} to H{after}"
    title = str(digital.open_metadata().get("dc:title"))
    if "A Test Book" in title:
        assert figures == 1 and 3 in levels  # the illustrated book: the figure and the subsection are there


def test_pages_with_annotations_order_tabs_by_structure(digital):
    with_links = [page for page in digital.pages if page.get("/Annots")]
    assert with_links
    assert all(page.get("/Tabs") == "/S" for page in with_links)


def _fonts(resources, seen):
    yield from (resources.get("/Font") or {}).values()
    for xobject in (resources.get("/XObject") or {}).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            yield from _fonts(xobject.get("/Resources") or pikepdf.Dictionary(), seen)


def test_every_font_is_embedded(digital):
    count = 0
    for page in digital.pages:
        for font in _fonts(page.Resources, set()):
            count += 1
            described = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = described.get("/FontDescriptor")
            assert descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
                f"font {font.get('/BaseFont')} is not embedded"
    assert count


def test_running_heads_and_folios_are_pagination_artifacts_and_the_text_is_not(build_book):
    """Read with pdfplumber's marked-content tags: page furniture is skipped by assistive technology, text is not."""
    import pdfplumber

    path = next(p for p in build_book(MANUSCRIPT, ("pdf",)).glob("*.pdf") if not p.stem.endswith("-print"))
    furniture = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for char in page.chars:
                # above or below the text area: a running head or a folio
                head_or_folio = char["top"] < 0.07 * page.height or char["top"] > 0.88 * page.height
                if head_or_folio and char["text"].strip():
                    furniture += 1
                    assert char["tag"] == "Artifact", (page.page_number, char["text"], char["tag"])
                elif char["size"] >= 10 and char["text"].strip():
                    assert char["tag"] != "Artifact" and char["mcid"] is not None, (page.page_number, char["text"])
    assert furniture > 20  # running heads and folios on most pages


def test_a_decorative_image_is_a_layout_artifact_not_a_figure(build_book, illustrated):
    """An image without alt text (the build made it decorative) is drawn inside ``/Artifact <</Type /Layout>>``."""
    path = next(p for p in build_book(illustrated, ("pdf",)).glob("*.pdf") if not p.stem.endswith("-print"))
    with pikepdf.open(path) as pdf:
        figures = [element for element, _ in _elements(pdf) if str(element.S) == "/Figure"]
        assert len(figures) == 1 and str(figures[0].Alt) == "A grey block"
        drawn_as_layout = 0
        for page in pdf.pages:
            artifact = []  # the open marked-content sequences: True for a layout artifact
            for operands, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                if name in ("BDC", "BMC"):
                    props = operands[1] if len(operands) > 1 else None
                    layout = str(operands[0]) == "/Artifact" and isinstance(props, pikepdf.Dictionary) \
                        and str(props.get("/Type")) == "/Layout"
                    artifact.append(layout)
                elif name == "EMC" and artifact:
                    artifact.pop()
                elif name == "Do" and any(artifact):
                    drawn_as_layout += 1
        assert drawn_as_layout == 2


def test_weasyprints_complaint_about_a_decorative_image_is_not_repeated():
    """The build already said, at the file and line, that the image has no alt text; the PDF makes it an artifact."""
    import logging

    from publish.editions import pdf_pool

    with pdf_pool.captured_warnings() as warnings:
        logging.getLogger("weasyprint").error('Image "images/b.png" has no required alt description')
        logging.getLogger("weasyprint").warning("Ignored `foo: bar` at 1:1, unknown property.")
    assert warnings == ["Ignored `foo: bar` at 1:1, unknown property."]


def test_check_fails_a_figure_without_alternative_text(build_book, illustrated, tmp_path):
    from publish.check import pdf as check_pdf

    path = next(p for p in build_book(illustrated, ("pdf",)).glob("*.pdf") if not p.stem.endswith("-print"))
    assert check_pdf.figures_alt(path) is None
    with pikepdf.open(path) as pdf:
        for element, _ in _elements(pdf):
            if str(element.S) == "/Figure":
                del element["/Alt"]
        pdf.save(tmp_path / "stripped.pdf")
    assert check_pdf.figures_alt(tmp_path / "stripped.pdf") == "1 Figure(s) without alternative text (PDF/UA-1 7.3)"
