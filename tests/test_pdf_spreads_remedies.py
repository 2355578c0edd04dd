"""The remedies that level a spread (pdf_spreads.py), each on a small book made here.

The books are of one-line paragraphs, so that every page of running text is
full and a page ends short only where the case under test makes it: a block
quotation (its lines are not the text's), a section heading kept with its
first line, a note called near the foot. Page 1 opens the chapter; pages 2
and 3 are the spread.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from publish import plan, weasy
from publish.book import load_book
from publish.editions import pdf_notes, pdf_parts, pdf_spreads
from publish.pipeline import parse_book
from publish.render import render
from tests.conftest import make_manuscript

QUOTE = "> " + "A quotation set smaller, on lines of its own, " * 4 + "\n"
LIST = "- An item of a list.\n- Another item.\n"
THREE = " ".join(["A paragraph of the section, of three lines and no more."] * 3) + "\n"  # one that may not part


def _lines(count: int, start: int = 1) -> list[str]:
    return [f"Line {number} of the text.\n" for number in range(start, start + count)]


def _part(tmp_path: Path, blocks: list[str], notes: str = ""):
    text = "# Chapter\n\n" + "\n".join(blocks) + notes
    root = make_manuscript(tmp_path / "manuscript", {"01-ch.md": text}, slug="levels")
    book = load_book(root)
    return plan.make(root, Path("unused")), book, pdf_parts.parts(render(parse_book(book)))[1]


def _lay_out(part, max_layouts=None):
    return pdf_parts.lay_out(*part, False, max_layouts)


def _first_words(document) -> list[str]:
    """Each page's first line of text: where the page breaks fall."""
    found = []
    for page in document.pages:
        line = next(box for box in pdf_notes.descendants(page._page_box.children[0])
                    if type(box).__name__ == "LineBox")
        found.append("".join(box.text for box in pdf_notes.descendants(line) if type(box).__name__ == "TextBox"))
    return found


def _depths(document) -> list[float]:
    line = pdf_notes.leading(document)
    return [round((verso.baseline - recto.baseline) / line, 2) for verso, recto in pdf_spreads.uneven(document)]


def test_a_page_made_short_holds_as_many_lines_fewer_as_it_was_shortened_by(tmp_path):
    """Its bottom margin is rounded down: rounded to the nearest, the area of a page shortened by two lines came
    out 0.0001 px short of them, and its last line went overleaf (it held three lines fewer)."""
    book_plan, book, part = _part(tmp_path, _lines(200))
    shortened = pdf_spreads.Shortened({1: 1, 2: 2})
    document = pdf_parts._lay_out_once(book_plan, book, part, pdf_notes.Remedies(), False, shortened=shortened).document
    full = pdf_notes.text_lines(document.pages[3])
    assert [pdf_notes.text_lines(document.pages[index]) for index in (1, 2)] == [full - 1, full - 2]


def test_a_page_whose_note_went_overleaf_keeps_its_whole_area():
    """WeasyPrint kept the empty note area's margin and padding reserved at the foot of a page whose only note
    it had sent overleaf with its call's line: the two lines it kept before that line no longer fitted, and
    the whole paragraph followed."""
    weasyprint = weasy.load()  # with publish's correction of the note area
    css = weasyprint.CSS(string="""
        @page { size: 100mm 200px; margin: 0 10mm; @footnote { margin-top: 40px; padding-top: 10px } }
        html { font: 10px/20px serif; orphans: 2; widows: 2 }  body, p { margin: 0 }
        .note { float: footnote; footnote-policy: line }""")
    lead = "".join(f"<p>Line {number}.</p>" for number in range(1, 6))  # five of the page's ten lines
    paragraph = "<p>First<br>second<br>third<br>fourth<span class='note'>A note.</span></p>"
    document = weasyprint.HTML(string=f"<html><body>{lead}{paragraph}</body></html>").render(stylesheets=[css])
    # the note needs 70px under its call's line, 20px are left: that line and the one before it go overleaf;
    # with the area's 50px kept, "First" and "second" went too
    assert [pdf_notes.text_lines(page) for page in document.pages] == [7, 2]


def test_a_page_ending_off_the_grid_is_stretched_to_its_partners_line(tmp_path):
    """A quotation's smaller lines leave p. 2 ending 0.31 of a line above p. 3; the space around the quotation
    is stretched by that much, and no line changes page (before, a difference under a line had no remedy)."""
    part = _part(tmp_path, _lines(50) + [QUOTE] + _lines(100, 51))
    first = _lay_out(part, 1).document
    assert _depths(first) == [-0.31]
    document = _lay_out(part).document
    assert pdf_spreads.uneven(document) == []
    assert _first_words(document) == _first_words(first)


def test_a_stretch_widens_a_space_by_itself_alone(tmp_path):
    """A list (a margin below it) and then a division holding a quotation (a margin above it): the two margins
    collapse into one. Padding on the division would keep both, widen the space by a margin more than the
    stretch, and send p. 2's last line overleaf; the quotation, inside it, is padded instead."""
    part = _part(tmp_path, _lines(50) + [LIST, "::: aside\n" + QUOTE + ":::\n"] + _lines(100, 51))
    first = _lay_out(part, 1).document
    assert _depths(first) == [-0.81]
    document = _lay_out(part).document
    assert pdf_spreads.uneven(document) == []
    assert _first_words(document) == _first_words(first)


def test_a_page_short_of_a_heading_is_stretched_between_its_blocks(tmp_path):
    """Two lists on p. 2 and a section heading three lines from its foot, which needs four (its space, its line,
    the space below it and the first line after it): p. 2 ends three lines short. A recto made three lines
    shorter is past MAX_SHORT; the four spaces around the lists are stretched by three quarters of a line each."""
    part = _part(tmp_path, _lines(40) + [LIST] + _lines(8, 41) + [LIST] + _lines(9, 49) + ["## A section\n"]
                 + _lines(60, 200))
    first = _lay_out(part, 1).document
    assert _depths(first) == [-3.0]
    document = _lay_out(part).document
    assert pdf_spreads.uneven(document) == []
    assert _first_words(document) == _first_words(first)
    assert _gaps(document.pages[1]) == [1.25, 1.25, 1.25, 1.25]  # half a line each, and three quarters more
    lines = [box for box in pdf_notes.descendants(document.pages[1]._page_box.children[0])
             if type(box).__name__ == "LineBox"]
    markers = [box.position_y for box in lines if (box.element_tag or "").endswith("::marker")]
    items = {round(box.position_y, 1) for box in lines if box.element_tag == "div"}
    assert len(markers) == 4 and {round(y, 1) for y in markers} <= items  # each bullet beside its item's line


def _gaps(page) -> list[float]:
    """The spaces between blocks on *page*, in lines."""
    line = pdf_spreads.LEADING_PT * 4 / 3
    lines = pdf_spreads._flow_lines(page._page_box.children[0])
    spaces = [below.position_y - (above.position_y + above.height)
              for (above, _boxes), (below, _others) in zip(lines, lines[1:], strict=False)]
    return [round(space / line, 2) for space in spaces if space > 1]


def test_a_spread_is_levelled_by_shortening_the_recto_and_stretching_the_verso(tmp_path):
    """One list on p. 2 (two spaces: two lines of stretch at most) and a heading three lines from its foot: p. 3
    is made MAX_SHORT lines short and p. 2 stretched by the line left, so both end two lines up."""
    part = _part(tmp_path, _lines(40) + [LIST] + _lines(20, 41) + ["## A section\n"] + _lines(60, 200))
    first = _lay_out(part, 1).document
    assert _depths(first) == [-3.0]
    document = _lay_out(part).document
    assert pdf_spreads.uneven(document) == []
    line = pdf_notes.leading(document)
    assert [round(document.pages[index]._page_box.height / line) for index in (1, 2, 3)] == [37, 35, 37]
    assert _gaps(document.pages[1]) == [1.0, 1.0]  # half a line each, and half a line more


def test_a_spread_no_remedy_levels_is_warned_about_naming_its_pages(tmp_path, caplog):
    """Running text only (no space to stretch) and a heading three lines from the foot of p. 2, kept with a
    paragraph of three lines (which may not be parted): levelling would take three lines off p. 3, more than
    MAX_SHORT, and the heading lacks more than half its space (pdf_spreads._shrink). The spread is left, and
    said so once."""
    part = _part(tmp_path, _lines(63) + ["## A section\n", THREE] + _lines(60, 200))
    layout = _lay_out(part)
    assert _depths(layout.document) == [-3.0]
    with caplog.at_level(logging.WARNING, logger="publish.editions.pdf"):
        pdf_spreads.warn(layout.uneven_spreads, 1, logging.getLogger("publish.editions.pdf"))
    assert [record.getMessage() for record in caplog.records] == [
        "pages 2\u20133 end on different lines (p. 2 ends 3 lines higher): no stretch levels them, and a shorter"
        " page would be more than 2 lines short"]


def test_a_spread_the_layouts_ran_out_for_is_warned_about_by_its_folios(tmp_path, caplog):
    """Given one layout only, the quotation's spread is left uneven: the warning says so, with the folios the
    pages have where the part starts (here the part's first page is folio 11)."""
    layout = _lay_out(_part(tmp_path, _lines(50) + [QUOTE] + _lines(100, 51)), 1)
    with caplog.at_level(logging.WARNING, logger="publish.editions.pdf"):
        pdf_spreads.warn(layout.uneven_spreads, 11, logging.getLogger("publish.editions.pdf"))
    assert [record.getMessage() for record in caplog.records] == [
        "pages 12\u201313 end on different lines (p. 12 ends 0.3 lines higher): no layout was left to level them"]


@pytest.mark.parametrize("lead, line_from_foot", [(62, 2), (63, 1)])
def test_a_one_line_note_called_on_a_pages_last_two_lines(tmp_path, lead, line_from_foot):
    """No note area fits under a call on the last two lines of a page, even the tighter one: the call's
    paragraph of three lines (two may not be parted) goes overleaf whole and the note with it, under its call.
    p. 2 ends four or three lines short, more than p. 3 may be shortened by: the spread is left, and told."""
    note = "\n[^n]: A gloss of one line.\n"
    paragraph = ("The paragraph whose note is short. " + "It runs on for some lines of text, clause after clause. " * 2
                 + "Its end.[^n]\n")
    part = _part(tmp_path, _lines(lead) + [paragraph] + _lines(60, 200), note)
    first = _lay_out(part, 1).document
    calls, _notes = pdf_notes._calls_and_notes(first)
    assert calls["ch-note-1"][0] == 2 and pdf_notes.overleaf(first) == {1: [1]}
    layout = _lay_out(part)
    calls, notes = pdf_notes._calls_and_notes(layout.document)
    assert calls["ch-note-1"][0] == notes["ch-note-1"][0] == 2
    assert pdf_notes.remedies(layout.document).misplaced() == []
    assert [spread.message(1) for spread in layout.uneven_spreads] == [
        f"pages 2\u20133 end on different lines (p. 2 ends {2 + line_from_foot} lines higher): no stretch levels"
        " them, and a shorter page would be more than 2 lines short"]


def test_the_build_warns_of_a_spread_left_uneven_once_by_its_folios(tmp_path, caplog):
    """The part is laid out in a worker; its warning reaches the build's report once, with the pages' folios."""
    from publish import cli

    root = make_manuscript(tmp_path / "manuscript", {"01-ch.md": "# Chapter\n\n" + "\n".join(
        _lines(63) + ["## A section\n", THREE] + _lines(60, 200))}, slug="levels")
    with caplog.at_level(logging.INFO, logger="publish.report"):
        code = cli.main(["build", str(root), "-o", str(tmp_path / "out"), "-f", "pdf"])
    assert code == 0
    found = [record.getMessage() for record in caplog.records if "different lines" in record.getMessage()]
    assert found == ["pdf   warning: pages 2\u20133 end on different lines (p. 2 ends 3 lines higher): no stretch"
                     " levels them, and a shorter page would be more than 2 lines short"]



def _code(lines: int) -> str:
    return "```\n" + "\n".join(f"echo line {number}" for number in range(lines)) + "\n```\n"


@pytest.mark.parametrize("before", [31, 33, 35, 38])  # the code's last line on page 2: above, below, above, below
def test_a_page_full_to_its_foot_with_code_is_level_with_a_full_page_of_text(tmp_path, before):
    """Code is set on its own, smaller, lines: a page that a code block fills to its foot ends on a baseline of
    its own, below or above the text's last. Below it (within the last line's room) the page is full, and the
    page beside it ends on the area's last line; above it, one page or both are stretched to the same line."""
    part = _part(tmp_path, [*_lines(before), _code(50), *_lines(80, 100)])
    document = _lay_out(part).document
    endings = pdf_spreads.endings(document)
    verso = endings[1]
    foot = [box for box in pdf_notes.descendants(document.pages[1]._page_box.children[0])
            if type(box).__name__ == "LineBox"][-1]
    assert foot.element_tag == "pre" or foot.element_tag == "code"  # page 2 ends with a line of code
    assert not _depths(document), (verso, endings[2])
