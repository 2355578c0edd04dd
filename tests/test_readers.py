"""One reader of built editions: check/, diff/ and the tests read the PDFs, the HTML and the EPUB through it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from publish.check.text import letters
from publish.diff import pages as diff_pages
from publish.plan import EDITIONS
from publish.readers import epub, folder, html, pdf
from tests.conftest import MANUSCRIPT, REPO

PDF_LIBRARIES = {"pypdf", "pypdfium2", "pdfplumber", "pikepdf", "fitz", "pdfminer"}


def _roman(number: int) -> str:
    digits = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for value, letters_ in digits:
        while number >= value:
            out, number = out + letters_, number - value
    return out


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", ["check", "diff"])
def test_check_and_diff_import_no_pdf_library(package):
    files = sorted((REPO / "publish" / package).glob("*.py"))
    assert files
    assert {f.name: _imports(f) & PDF_LIBRARIES for f in files if _imports(f) & PDF_LIBRARIES} == {}


@pytest.fixture(scope="module")
def built(build_book):
    return build_book(MANUSCRIPT, ("pdf", "print", "epub", "html"))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["pdf", "print"])
def test_running_heads_and_folios_are_set_apart(built, name):
    slug = next(built.glob("*.epub")).stem
    pages = pdf.read_text(built / EDITIONS[name].path(slug))
    # the title page and imprint print no folio; the text's pages do, in roman, in order
    assert [page.folio for page in pages] == ["", ""] + [_roman(n) for n in range(3, len(pages) + 1)]
    for page in pages[2:]:
        body = " ".join(line.text for line in page.body)
        assert page.folio not in body.split()[-1:]  # the folio is not read as the last word of the text
        assert all(line.size < 10 for line in page.furniture)  # what is set apart is set small
    heads = [line.text for page in pages for line in page.furniture if line.text != page.folio]
    # the book's title on versos, the chapter's running head on rectos
    assert heads and {letters(head) for head in heads} <= {"theindustrialisationofcare", "foreword", "abouttheauthor"}
    # the page that opens a chapter has no running head
    opening = pdf.named_destinations(built / EDITIONS[name].path(slug))["chapter-foreword"]
    assert [line.text for line in pages[opening].furniture] == [pages[opening].folio]


@pytest.mark.slow
def test_check_and_diff_see_the_same_pages(built):
    slug = next(built.glob("*.epub")).stem
    path = built / EDITIONS["print"].path(slug)
    with pdf.PdfFile(path) as document:
        diff_view = diff_pages._read_pages(document)
    reader_view = pdf.read_text(path)
    printed = [page.folio for page in reader_view]
    assert [page.label for page in diff_view][2:] == printed[2:]
    for seen, read in zip(diff_view, reader_view, strict=True):
        assert len(seen.body) == len(read.body)


@pytest.mark.slow
def test_the_markup_editions_read_the_same_chapters_and_notes(built):
    page = html.parse(folder.inside(built, EDITIONS["html"].path(""), folder.MAX_HTML))
    slug = next(built.glob("*.epub")).stem
    spine = epub.spine(built / EDITIONS["epub"].path(slug))
    assert [item.name.rsplit("/", 1)[-1] for item in spine][:3] == ["cover.xhtml", "titlepage.xhtml", "imprint.xhtml"]
    web_notes = [html.note_number(aside) for aside in html.notes(page)]
    epub_notes = [html.note_number(aside) for item in spine for aside in html.notes(item.root)]
    assert web_notes == epub_notes == [1, 2, 3, 4]
    assert len(html.chapters(page)) == sum(len(html.chapters(item.root)) for item in spine) == 2


def test_a_file_outside_the_build_folder_is_not_read(tmp_path):
    (tmp_path / "outside.pdf").write_bytes(b"%PDF-1.7")
    build = tmp_path / "build"
    build.mkdir()
    (build / "book-print.pdf").symlink_to(tmp_path / "outside.pdf")
    assert folder.print_pdf(build) is None
    with pytest.raises(Exception, match="cannot read a PDF"):
        pdf.PdfFile(tmp_path / "outside.pdf")
