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
from tests.conftest import MANUSCRIPT, make_manuscript

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


def test_the_forewords_spreads_are_level(foreword):
    """Note 2 (two lines) is called on v's third line from the foot: its first line is set under its call and
    its second runs on to vi, so v ends full (before, its call's line and three more went overleaf)."""
    spreads = pdf_spreads.spreads(foreword)
    assert len(spreads) >= 3
    assert pdf_spreads.uneven(foreword) == []
    assert pdf_notes.overleaf(foreword) == {}, "a note's call was taken to the page after a short page"
    calls, notes = pdf_notes._calls_and_notes(foreword)
    assert calls["foreword-note-2"][0] == notes["foreword-note-2"][0] == 4  # v


FILLER = ("The argument turns on what care becomes when it is counted, audited and sold;"
          " each clause stands in for a sentence. ")


@pytest.fixture(scope="module")
def sparse_notes(tmp_path_factory):
    """A chapter of paragraphs of varying length, a section every ninth, a note of one line every seventeenth:
    its call, on a paragraph's last line, falls on the third line from a page's foot, a section heading after."""
    parts, notes = ["# Chapter 1\n"], []
    for number in range(1, 25):
        if number % 9 == 0:
            parts.append(f"## Section {number // 9}\n")
        call = f"[^p{number}]" if number % 17 == 0 else ""
        parts.append(f"Paragraph {number}. " + FILLER * (1 + (number * 7) % 5) + f"It ends.{call}\n")
        if call:
            notes.append(f"{call}: A gloss on paragraph {number}. " + "Its source and its reading. " * 2 + "\n")
    root = make_manuscript(tmp_path_factory.mktemp("sparse") / "manuscript", {"01-ch.md": "\n".join(parts + notes)},
                           slug="sparse")
    return _layout(root)


def test_a_one_line_note_keeps_its_call_on_its_line(sparse_notes):
    """Its page's note area is set closer under the text, so the note fits under its call and the page ends
    full; without that, its call's line and the line before went overleaf and the page ended four lines short."""
    calls, notes = pdf_notes._calls_and_notes(sparse_notes)
    assert len(pdf_notes._lines(notes["ch-note-1"][1])) == 1
    assert pdf_notes.overleaf(sparse_notes) == {}
    assert calls["ch-note-1"][0] == notes["ch-note-1"][0]
    assert pdf_spreads.uneven(sparse_notes) == []


def test_a_page_made_short_keeps_its_folio_in_place():
    """The remedy deepens a page's bottom margin by whole lines; its text ends on the grid, its folio where all are."""
    import io

    import pdfplumber

    from publish.editions import pdf_parts

    book = load_book(MANUSCRIPT)
    chapters = render(parse_book(book))
    whole = pdf_parts.Part("book", chapters, front=True, listed=chapters)
    shortened = pdf_spreads.Shortened({3: 2, 4: 1})
    document = pdf_parts._lay_out_once(plan.make(MANUSCRIPT, Path("unused")), book, whole, pdf_notes.Remedies(),
                                       False, shortened=shortened).document
    line = pdf_notes.leading(document)
    full = round(document.pages[5]._page_box.height / line)
    assert [round(document.pages[i]._page_box.height / line) for i in (3, 4)] == [full - 2, full - 1]
    with pdfplumber.open(io.BytesIO(document.write_pdf())) as printed:
        tops = {}
        for index, page in enumerate(printed.pages[2:], 2):  # the title page and imprint have none
            folio = [w for w in page.extract_words(extra_attrs=["size"])
                     if round(w["size"], 1) == 9.0 and w["top"] > 0.85 * page.height]  # the folio, not the imprint
            if folio:
                tops[index] = round(max(w["top"] for w in folio), 1)
    assert {3, 4} <= set(tops) and len(set(tops.values())) == 1, tops
