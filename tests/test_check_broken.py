"""``publish check`` on builds broken on purpose: each fault gives the FAIL a publisher must see.

One real build per session; each test copies it to a temporary folder and
breaks one thing: a note taken out of the EPUB, a font's program taken out of
the print PDF, a wrong TrimBox, a link to nowhere in the HTML, a note moved to
the wrong page.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from publish import check
from publish.check import epub, html, notes, parity, pdf, pdftext
from publish.check.expected import expected
from tests.conftest import MANUSCRIPT

pytestmark = pytest.mark.slow
SLUG = "industrialisation-of-care-foreword"
EVERY = ("pdf", "print", "epub", "html")


@pytest.fixture
def broken(build_book, tmp_path) -> Path:
    """A copy of a good full build, for one test to break."""
    return Path(shutil.copytree(build_book(formats=EVERY), tmp_path / "build"))


def _lines(results) -> dict[str, str]:
    return {r.name: r.line for r in results}


def _rewrite_epub(path: Path, name: str, change) -> None:
    """Rewrite one document of the EPUB through *change(root)*, keeping the zip's order and mimetype first."""
    with zipfile.ZipFile(path) as old:
        entries = [(info, old.read(info)) for info in old.infolist()]
    with zipfile.ZipFile(path, "w") as new:
        for info, data in entries:
            if info.filename == name:
                root = etree.fromstring(data)
                change(root)
                data = etree.tostring(root, xml_declaration=True, encoding="utf-8")
            new.writestr(info, data)


def _rewrite_pdf(path: Path, change) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=path)
    change(writer)
    with path.open("wb") as handle:
        writer.write(handle)


XHTML = "{http://www.w3.org/1999/xhtml}"


def test_a_note_removed_from_the_epub_fails_parity_and_links(broken):
    def remove_note_3(root):
        aside = root.find(f".//{XHTML}aside[@id='foreword-note-3']")
        aside.getparent().remove(aside)

    _rewrite_epub(broken / f"{SLUG}.epub", "EPUB/01-foreword.xhtml", remove_note_3)
    build = check.Build(broken, MANUSCRIPT)
    linked = check.edition_checks(build, "epub", [
        ("epub notes-linked", lambda path: html.notes_linked_in(epub.documents(path)))])
    results = _lines(parity.run(build) + linked)
    assert results["epub parity-notes"] == (
        "FAIL epub parity-notes: the EPUB has 3 notes, the manuscript 4: note 3 of the book (note 3 of foreword) "
        "is numbered 4 in the EPUB")
    assert results["epub notes-linked"].startswith(
        "FAIL epub notes-linked: 1 problem(s): call 'foreword-call-3' links to no note (#foreword-note-3)")
    assert results["epub parity-text"] == "PASS epub parity-text"  # the text and its calls are whole
    assert results["html parity-notes"] == "PASS html parity-notes"


def test_changed_words_in_the_epub_fail_text_parity(broken):
    def change_a_word(root):
        paragraph = root.find(f".//{XHTML}p[@id='about-the-author-991ca5']")
        paragraph.text = paragraph.text.replace("Professor of Sociology", "Professor of Geography")

    _rewrite_epub(broken / f"{SLUG}.epub", "EPUB/02-about-the-author.xhtml", change_a_word)
    line = _lines(parity.run(check.Build(broken, MANUSCRIPT)))["epub parity-text"]
    assert line.startswith("FAIL epub parity-text: the EPUB differs from the manuscript at '… ")
    assert "Nikolas Rose is Professor of Sociology in the Department" in line
    assert "geography" in line


def test_a_font_not_embedded_fails_preflight(broken):
    removed = []

    def unembed_first_font(writer):
        for font in writer.pages[2]["/Resources"]["/Font"].values():
            font = font.get_object()
            faces = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            descriptor = faces[0]["/FontDescriptor"].get_object()
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in descriptor:
                    del descriptor[key]
                    removed.append(str(faces[0]["/BaseFont"]).lstrip("/"))
                    return

    _rewrite_pdf(broken / f"{SLUG}-print.pdf", unembed_first_font)
    results = _lines(pdf.run(check.Build(broken, MANUSCRIPT)))
    assert removed
    assert results["print fonts-embedded"] == f"FAIL print fonts-embedded: 1 font(s) not embedded: {removed[0]}"
    assert results["pdf fonts-embedded"] == "PASS pdf fonts-embedded"


def test_a_wrong_trimbox_fails_preflight(broken):
    def a5_trim(writer):
        from pypdf.generic import ArrayObject, FloatObject

        for page in writer.pages:
            page[_name("/TrimBox")] = ArrayObject([FloatObject(v) for v in (0, 0, 419.528, 595.276)])

    _rewrite_pdf(broken / f"{SLUG}-print.pdf", a5_trim)
    results = _lines(pdf.run(check.Build(broken, MANUSCRIPT)))
    assert results["print trimbox"] == (
        "FAIL print trimbox: page 1: TrimBox is 148.00 × 210.00 mm, the trim is 156 × 234 mm")
    assert results["print bleedbox"].startswith("FAIL print bleedbox: page 1: BleedBox is 162.00 × 240.00 mm, "
                                                "not the trim (148.00 × 210.00 mm) plus 3 mm each side")
    assert results["print mediabox"] == "PASS print mediabox"


def test_no_output_intent_and_no_tags_fail(broken):
    def strip(key):
        def change(writer):
            del writer._root_object[_name(key)]
        return change

    _rewrite_pdf(broken / f"{SLUG}-print.pdf", strip("/OutputIntents"))
    _rewrite_pdf(broken / f"{SLUG}.pdf", strip("/StructTreeRoot"))
    results = _lines(pdf.run(check.Build(broken, MANUSCRIPT)))
    assert results["print pdfx"] == "FAIL print pdfx: no GTS_PDFX OutputIntent with a DestOutputProfile"
    assert results["pdf tagged"] == "FAIL pdf tagged: no StructTreeRoot: the PDF is not tagged"


def test_an_empty_page_fails(broken):
    _rewrite_pdf(broken / f"{SLUG}-print.pdf", lambda writer: writer.insert_blank_page(index=4))
    results = _lines(pdf.run(check.Build(broken, MANUSCRIPT)))
    assert results["print no-empty-page"] == "FAIL print no-empty-page: page(s) 5 empty"


def test_a_broken_internal_link_fails(broken):
    index = broken / "html" / "index.html"
    index.write_text(index.read_text().replace('href="#foreword-note-2"', 'href="#foreword-note-9"'))
    results = _lines(check.edition_checks(check.Build(broken, MANUSCRIPT), "html", [
        ("html internal-links", html.internal_links), ("html notes-linked", html.notes_linked)]))
    assert results["html internal-links"] == "FAIL html internal-links: 1 link(s) lead nowhere: #foreword-note-9"
    assert results["html notes-linked"].startswith(
        "FAIL html notes-linked: 2 problem(s): call 'foreword-call-2' links to no note (#foreword-note-9); "
        "note foreword-note-2 has no call")


def _moved(build: check.Build, path: Path, note_id: str, to_next_page: bool, drop: bool = False):
    """The real layout of *path* with one note's text moved to the next page (or dropped)."""
    book = expected(build)
    layout = pdftext.read(path, book)
    note = next(n for n in book.notes if n.id == note_id)
    key = f"{note.number}{note.text}"
    page = next(i for i, text in enumerate(layout.pages) if key in text)
    layout.pages[page] = layout.pages[page].replace(key, "")
    if to_next_page and not drop:
        layout.pages[page + 1] = key + layout.pages[page + 1]
    build.cache[f"aligned:{path}"] = pdftext.align(layout, book)
    return page


def test_a_note_on_the_wrong_page_fails(broken):
    build = check.Build(broken, MANUSCRIPT)
    path = broken / f"{SLUG}-print.pdf"
    page = _moved(build, path, "foreword-note-3", to_next_page=True)  # a note wholly on its page
    assert notes.on_call_page(path, build) == (
        f"1 of 4 notes: note 3 (foreword): called on page {page + 1}, its text begins on page {page + 2}")
    assert parity.text(path, build, "print") is None  # the text is whole; only the page is wrong


def test_a_note_missing_from_the_pdf_fails_parity(broken):
    build = check.Build(broken, MANUSCRIPT)
    path = broken / f"{SLUG}.pdf"
    _moved(build, path, "foreword-note-3", to_next_page=False, drop=True)  # a note wholly on its page
    assert parity.notes(path, build, "pdf") == (
        "1 of 4 notes not found, whole, in the digital PDF: note 3 (foreword)")
    assert notes.on_call_page(path, build) == "1 of 4 notes: note 3 (foreword): its text is not in the PDF"


def test_validators_report_errors(broken):
    """epubcheck and the Nu HTML Checker are run, and their errors are FAILs."""
    index = broken / "html" / "index.html"
    index.write_text(re.sub(r'<p id="([^"]+)"', r'<p id="\1" id="\1"', index.read_text(), count=1))
    _rewrite_epub(broken / f"{SLUG}.epub", "EPUB/02-about-the-author.xhtml",
                  lambda root: root.find(f".//{XHTML}body").append(etree.Element(f"{XHTML}blink")))
    build = check.Build(broken, MANUSCRIPT)
    nu = _lines(html.run(build))["html nu-checker"]
    assert nu.startswith("FAIL html nu-checker: 1 error(s): line ") and "Duplicate attribute" in nu
    line = _lines(epub.run(build))["epub epubcheck"]
    assert line.startswith("FAIL epub epubcheck: ") and "ERROR RSC-005" in line and "blink" in line


def _name(key: str):
    from pypdf.generic import NameObject

    return NameObject(key)
