"""The PDF's contents page: there in a book of more than a few chapters, right in every entry, absent in a short one."""

from __future__ import annotations

import pdfplumber
import pikepdf
import pytest

from publish.readers.pdf import read_text
from tests.conftest import MANUSCRIPT, make_manuscript
from tests.test_pdf_links import destinations

ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
         (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def roman(number: int) -> str:
    out = ""
    for value, letters in ROMAN:
        while number >= value:
            out, number = out + letters, number - value
    return out


def five_chapters(root):
    chapters = {f"{c:02d}-part.md": f"# Part {c} of the book\n\nThe text of part {c}.[^a]\n\n[^a]: Its note.\n"
                for c in range(1, 6)}
    return make_manuscript(root, chapters, slug="five", folio="roman")


@pytest.fixture(scope="module")
def five_pdf(build_book, tmp_path_factory):
    return build_book(five_chapters(tmp_path_factory.mktemp("five") / "m"), ("pdf",)) / "five.pdf"


def test_a_book_of_five_chapters_has_a_contents_page_with_each_chapter_and_its_page(five_pdf):
    with pikepdf.open(five_pdf) as pdf:
        dests = destinations(pdf)
        contents_links = [(index, str(a.Dest)) for index, page in enumerate(pdf.pages)
                          for a in page.get("/Annots", []) if str(a.Dest).startswith("chapter-")]
    contents_links = list(dict.fromkeys(contents_links))  # WeasyPrint writes a link per box of an entry
    pages = {index for index, _ in contents_links}
    assert len(pages) == 1 and len(contents_links) == 5  # one page lists all five, each a link
    contents_page = pages.pop()
    folios = [page.folio for page in read_text(five_pdf)]  # as printed
    with pdfplumber.open(five_pdf) as plumber:
        lines = plumber.pages[contents_page].extract_text().splitlines()
    assert lines[0].lower() == "contents"
    for line, (_, dest) in zip(lines[1:6], contents_links, strict=True):
        title, folio = line.rsplit(" ", 1)
        assert title.startswith("Part ") and folio == folios[dests[dest][0]] == roman(dests[dest][0] + 1), line
    assert all(dests[dest][0] > contents_page for _, dest in contents_links)


def test_a_short_book_has_no_contents_page(build_book):
    with pdfplumber.open(build_book(MANUSCRIPT, ("pdf", "print")) / "industrialisation-of-care-foreword.pdf") as pdf:
        assert not any((page.extract_text() or "").strip().lower().startswith("contents") for page in pdf.pages)
