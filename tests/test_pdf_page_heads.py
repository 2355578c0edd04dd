"""A block that opens a page (not after a forced break) loses its space above it (print.css: margin-break).

WeasyPrint truncates the margins at the head of a page only where the
break was not forced, and it takes every page of a named page's run for one
after a forced break: the front matter and the book's first body chapter are
such runs (pdf_html.py names their pages). A list, quotation or heading
that opened one of their pages kept its space above it, and set every line
of the page half a line or a line below the grid.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from publish import plan
from publish.book import load_book
from publish.editions import pdf_notes, pdf_parts
from publish.pipeline import parse_book
from publish.render import render
from tests.conftest import make_manuscript
from tests.test_pdf_spreads_remedies import _lines

BLOCKS = {
    "list": "- An item of a list.\n- Another item of it.\n",
    "quotation": "> A quotation, set smaller on lines of its own.\n",
    "heading": "## A section\n",
    "code": "```\necho one\necho two\n```\n",
}


@pytest.mark.parametrize("kind", sorted(BLOCKS))
def test_a_block_that_opens_a_page_sits_on_the_areas_first_line(tmp_path, kind):
    # page 1 holds the chapter's title and 29 lines, page 2 37: the block opens page 3
    text = "# Chapter\n\n" + "\n".join([*_lines(66), BLOCKS[kind], *_lines(40, 100)])
    root = make_manuscript(tmp_path / "manuscript", {"01-ch.md": text}, slug="heads")
    book = load_book(root)
    part = pdf_parts.parts(render(parse_book(book)))[1]
    document = pdf_parts.lay_out(plan.make(root, Path("unused")), book, part, False, max_layouts=1).document
    page = document.pages[2]._page_box
    first = next(box for box in pdf_notes.descendants(page.children[0]) if type(box).__name__ == "LineBox")
    text_of = "".join(box.text for box in pdf_notes.descendants(first) if type(box).__name__ == "TextBox")
    assert "Line" not in text_of, "the block does not open page 3"
    assert first.position_y == pytest.approx(page.content_box_y(), abs=0.01)
