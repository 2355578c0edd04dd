"""Facing pages end level, read from WeasyPrint's layout (pdf_spreads.py).

The text area is a whole number of 14.5 pt lines, so a full page of running
text ends on the area's last line; the notes' last baseline sits on that
same line, so a page with notes and a full page without end level; no
spread of the generated book of notes ends on two lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from publish import plan
from publish.book import load_book
from publish.editions import pdf, pdf_notes, pdf_spreads
from publish.pipeline import parse_book
from publish.render import render
from tests.conftest import MANUSCRIPT

PX_PER_PT = 4 / 3


def _layout(manuscript: Path):
    book = load_book(manuscript)
    return pdf.layout(plan.make(manuscript, Path("unused")), book, render(parse_book(book)))


@pytest.fixture(scope="module")
def foreword():
    return _layout(MANUSCRIPT)


@pytest.fixture(scope="module")
def long_layout(long_book):
    return _layout(long_book)


def _grid(document) -> tuple[float, float, int]:
    """(the area's first baseline, the line in px, lines in the area), from a page that opens with running text."""
    line = pdf_notes.leading(document)
    for page in document.pages:
        box = page._page_box
        first = next((b for b in pdf_spreads.descendants(box.children[0]) if type(b).__name__ == "LineBox"), None)
        if first is not None and getattr(first, "element_tag", "") == "p" and first.position_y == box.content_box_y():
            return first.position_y + first.baseline, line, round(box.height / line)
    raise AssertionError("no page opens with a line of running text")


def test_the_text_area_is_whole_lines_of_the_stylesheets_leading(foreword):
    line = pdf_notes.leading(foreword)  # what print.css gave the layout
    assert line == pytest.approx(pdf_spreads.LEADING_PT * PX_PER_PT)
    for page in foreword.pages:
        lines = page._page_box.height / line
        assert lines == pytest.approx(round(lines), abs=1e-3), "the text area is not whole lines"


@pytest.mark.parametrize("which", ["foreword", "long"])
def test_a_page_with_notes_ends_on_the_areas_last_line(which, foreword, long_layout):
    document = foreword if which == "foreword" else long_layout
    with_notes = [e for e in pdf_spreads.endings(document) if e.notes]
    assert len(with_notes) >= 4
    first, line, _lines = _grid(document)
    for ending in with_notes:
        lines = round(document.pages[ending.index]._page_box.height / line)  # fewer on a page made short
        assert ending.baseline == pytest.approx(first + (lines - 1) * line, abs=pdf_spreads.TOLERANCE), ending


def test_no_spread_of_the_long_book_ends_on_two_lines(long_layout):
    spreads = pdf_spreads.spreads(long_layout)
    assert len(spreads) >= 6
    assert pdf_spreads.uneven(long_layout) == []


def test_no_spread_of_the_foreword_ends_on_two_lines(foreword):
    """Its page v used to end four lines short of iv (note 2 took its call's line overleaf), then one."""
    assert len(pdf_spreads.spreads(foreword)) >= 3
    assert pdf_spreads.uneven(foreword) == []


def test_a_page_made_short_keeps_its_folio_in_place(foreword, build_book):
    """The remedy deepens a page's bottom margin by whole lines; the folio is printed where every other is."""
    import pdfplumber

    short = [e.index for e in pdf_spreads.endings(foreword)
             if round(foreword.pages[e.index]._page_box.height / pdf_notes.leading(foreword)) < 36]
    assert short, "no page of the foreword was made short (the test would prove nothing)"
    pdf = next(p for p in build_book(MANUSCRIPT, ("pdf", "print")).glob("*.pdf") if not p.stem.endswith("-print"))
    with pdfplumber.open(pdf) as document:
        folio_tops = {}
        for index, page in enumerate(document.pages):
            sizes = [w for w in page.extract_words(extra_attrs=["size"])
                     if round(w["size"], 1) == 9.0 and w["top"] > 0.85 * page.height]  # the folio, not the imprint
            if sizes:
                folio_tops[index] = round(max(w["top"] for w in sizes), 1)
    assert set(short) <= set(folio_tops)
    assert len(set(folio_tops.values())) == 1, folio_tops
