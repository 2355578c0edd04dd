"""A heading kept with its text that lacked a little room at a page's foot is set closer to it and stays
(pdf_spreads._shrink), where no stretch or shortening levels its spread."""

from __future__ import annotations

from publish.editions import pdf_notes, pdf_parts, pdf_spreads
from tests.test_pdf_spreads_remedies import _first_words, _lines, _part


def test_a_heading_that_lacked_part_of_a_line_at_a_page_foot_is_set_closer_to_its_text_and_stays(tmp_path):
    """Four lines are left at page 2's foot; the section heading (a line of space, its line, a line of space)
    and the first two lines of its paragraph need five. Half the space around it is taken off instead of
    sending them overleaf and leaving page 2 four lines short, more than page 3 may be shortened by."""
    paragraph = " ".join(["A long paragraph of the section, set on many lines of the page."] * 8) + "\n"
    part = _part(tmp_path, [*_lines(62), "## A section\n", paragraph, *_lines(80, 63)])
    first = pdf_parts._lay_out_once(*part, pdf_notes.Remedies(), False, shortened=pdf_spreads.Shortened())
    assert _first_words(first.document)[2] == "A section"  # without the remedy it opens page 3
    layout = pdf_parts.lay_out(*part, False)
    assert not pdf_spreads.uneven(layout.document)
    page = list(pdf_notes.descendants(layout.document.pages[1]._page_box.children[0]))
    heading = next(box for box in page if getattr(box, "element_tag", None) == "h2")
    line = pdf_notes.leading(layout.document)
    assert heading.margin_top + heading.margin_bottom >= line - pdf_spreads.TOLERANCE  # half its space kept
    assert _first_words(layout.document)[2] != "A section"


def test_a_heading_that_lacks_more_than_half_its_space_is_not_shrunk(tmp_path):
    """Three lines are left; the heading and a paragraph of three lines (which may not be parted) need six."""
    three = " ".join(["A paragraph of the section, of three lines and no more."] * 3) + "\n"
    part = _part(tmp_path, [*_lines(63), "## A section\n", three, *_lines(60, 200)])
    layout = pdf_parts.lay_out(*part, False)
    assert _first_words(layout.document)[2] == "A section"
    assert [round(spread.lines) for spread in layout.uneven_spreads] == [3]
