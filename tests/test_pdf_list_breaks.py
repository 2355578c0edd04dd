"""A page may break before a list, as between paragraphs (print.css: ``ul, ol { break-before: auto }``).

WeasyPrint's own stylesheet keeps a list with the block before it (``ol, ul
{ break-before: avoid }``): where a list did not fit at a page's foot, the
paragraph before it went overleaf too (its last two lines, or all of one of
three lines, which may not part), and the page ended that many lines short,
more if that paragraph had a note. Four of the spreads the generated books
left uneven were such pages.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from publish import plan
from publish.book import load_book
from publish.editions import pdf_notes, pdf_parts, pdf_spreads
from publish.pipeline import parse_book
from publish.render import render
from tests.conftest import make_manuscript
from tests.test_pdf_spreads_remedies import THREE, _lines

LIST = "- An item of the list, long enough to be set on two lines of the page, or so it is hoped by its writer.\n" \
       "- A second item.\n"


@pytest.mark.parametrize("before", [33, 34])  # the list would begin on the foot's last line, or below it
def test_a_list_that_does_not_fit_at_the_foot_goes_overleaf_alone(tmp_path, before):
    text = "# Chapter\n\n" + "\n".join([*_lines(29), *_lines(before, 30), THREE, LIST, *_lines(40, 100)])
    root = make_manuscript(tmp_path / "manuscript", {"01-ch.md": text}, slug="lists")
    book = load_book(root)
    part = pdf_parts.parts(render(parse_book(book)))[1]
    document = pdf_parts.lay_out(plan.make(root, Path("unused")), book, part, False, max_layouts=1).document
    pages = [[("".join(box.text for box in pdf_notes.descendants(line) if type(box).__name__ == "TextBox"),
               line.element_tag) for line in pdf_notes.descendants(page._page_box.children[0])
              if type(line).__name__ == "LineBox"] for page in document.pages]
    where = next(index for index, lines in enumerate(pages) if any(tag == "li::marker" for _, tag in lines))
    first = next(text for text, tag in pages[where] if tag != "li::marker" and text.strip())
    assert first.startswith("An item"), pages[where][:3]  # the list opens its page …
    assert any(text.startswith("A paragraph of the section") for text, _ in pages[where - 1])  # … not the paragraph
    ending = pdf_spreads.endings(document)[where - 1]
    assert ending.last_line - ending.baseline < 2 * pdf_notes.leading(document)  # the page before is full


def test_a_list_that_misses_the_foot_by_its_space_is_set_closer_under_the_text(tmp_path):
    """Two lines left at the foot of page 2, and a list whose first item is two lines, with the space above
    it: it went overleaf whole, and the page ended two lines short; the next layout takes the space off."""
    text = "# Chapter\n\n" + "\n".join([*_lines(29), *_lines(35, 30), LIST, *_lines(80, 100)])
    root = make_manuscript(tmp_path / "manuscript", {"01-ch.md": text}, slug="lists")
    book = load_book(root)
    part = pdf_parts.parts(render(parse_book(book)))[1]
    book_plan = plan.make(root, Path("unused"))

    def list_page(document) -> int:
        return next(index for index, page in enumerate(document.pages)
                    if any(getattr(box, "element_tag", None) == "li::marker"
                           for box in pdf_notes.descendants(page._page_box)))

    first = pdf_parts.lay_out(book_plan, book, part, False, max_layouts=1).document
    assert list_page(first) == 2  # without the remedy the list opens page 3, and page 2 is short
    assert pdf_spreads.endings(first)[1].last_line - pdf_spreads.endings(first)[1].baseline > \
        1.5 * pdf_notes.leading(first)
    document = pdf_parts.lay_out(book_plan, book, part, False).document
    assert list_page(document) == 1
    ending = pdf_spreads.endings(document)[1]
    assert ending.full, ending  # page 2 ends on its area's last line, with the list's first item
    assert not pdf_spreads.uneven(document)
