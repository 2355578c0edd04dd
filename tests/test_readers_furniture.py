"""The furniture rule on pages made here: a running head is in the page's margin; a text line that repeats is text.

Pandoc's manual, built as a book, set two terms of a definition list, each
the word ``description`` in code (smaller than the text), as the last line
of a page at the same height, and drawn just before the folio. The rule
took them for a running head, and ``publish check`` failed the book's
parity with its manuscript (the word was "missing"): a wolf.
"""

from __future__ import annotations

from publish.readers.furniture import mark_furniture
from publish.readers.pdf import Char, Line, PageText

TEXT, SMALL = 11.0, 9.0


def _line(text: str, top: float, size: float = TEXT) -> Line:
    chars = [Char(letter, 60 + 6 * index, top - size, 66 + 6 * index, top, size) for index, letter in
             enumerate(text.replace(" ", ""))]
    return Line(chars, text)


def _page(index: int, foot_line: str | None, head: str | None) -> PageText:
    body = [_line(f"body line {n} of page {index}", 600 - 14.5 * n) for n in range(30)]
    if foot_line:
        body.append(_line(foot_line, 600 - 14.5 * 30, SMALL))
    margins = ([_line(head, 640, SMALL)] if head else []) + [_line(str(index + 1), 40)]
    return PageText(index, body + margins)


def _furniture(pages: list[PageText]) -> list[list[str]]:
    mark_furniture(pages)
    return [[line.text for line in page.furniture] for page in pages]


def test_a_smaller_line_at_two_page_feet_is_text():
    pages = [_page(0, None, "A Running Head"), _page(1, "description", "A Running Head"),
             _page(2, None, "A Running Head"), _page(3, "description", "A Running Head")]
    found = _furniture(pages)
    assert all("description" not in lines for lines in found), found
    assert [lines for lines in found] == [["A Running Head", str(n + 1)] for n in range(4)]


def test_a_running_head_on_two_pages_is_furniture_without_being_named():
    pages = [_page(n, None, "Chapter Head") for n in range(2)]
    assert _furniture(pages) == [["Chapter Head", str(n + 1)] for n in range(2)]


def test_a_named_running_head_is_furniture_on_one_page():
    pages = [_page(0, None, "Biography"), _page(1, None, None)]
    mark_furniture(pages, lambda text: text == "Biography")
    assert [line.text for line in pages[0].furniture] == ["Biography", "1"]


def test_a_term_that_opens_a_page_and_reads_as_a_running_head_is_text():
    """Pandoc's manual has a section "Description" (a running head) and a term ``description`` that opens p. 55."""
    page = _page(0, None, "Templates")
    term = _line("description", 600 + 14.5, SMALL)
    page.lines.insert(0, term)  # the page's first line, drawn first
    mark_furniture([page, _page(1, None, "Templates"), _page(2, None, "Templates")],
                   lambda text: text in {"Description", "description", "Templates"})
    assert not term.furniture
    assert [line.text for line in page.furniture] == ["Templates", "1"]


def test_the_last_line_above_the_folio_is_text_even_if_it_reads_as_a_running_head():
    """Pandoc's manual, before dt kept with its definition: the term ``description`` above the folio of p. 148."""
    pages = [_page(0, "description", "A Running Head"), _page(1, None, "A Running Head")]
    mark_furniture(pages, lambda text: text in {"description", "A Running Head"})
    assert [line.text for line in pages[0].furniture] == ["A Running Head", "1"]
