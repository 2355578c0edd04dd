"""A figure that does not fit at the foot of a page is floated to the head of the next (pdf_spreads._float).

WeasyPrint has no page floats: a figure (``break-inside: avoid``) that does
not fit goes overleaf whole and leaves its page short. The next layout sets
it after the blocks that follow it, as many as fill the short page, so that
the text runs on there and the figure opens the next page. The books are of
one-line paragraphs, so that every page of running text is full.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from publish import plan
from publish.book import load_book
from publish.editions import pdf_notes, pdf_parts, pdf_spreads
from publish.pipeline import parse_book
from publish.render import render
from tests.conftest import make_manuscript

FIGURE = "![A figure too tall for the foot of its page.](tall.png){#fig-tall}\n"


def _lines(count: int, start: int = 1) -> list[str]:
    return [f"Line {number} of the text.\n" for number in range(start, start + count)]


def _part(tmp_path: Path, blocks: list[str]):
    root = make_manuscript(tmp_path / "manuscript", {"01-ch.md": "# Chapter\n\n" + "\n".join(blocks)}, slug="floats")
    Image.new("RGB", (300, 200), "grey").save(root / "tall.png")  # 200px: ten lines and more with its caption
    book = load_book(root)
    return plan.make(root, Path("unused")), book, pdf_parts.parts(render(parse_book(book)))[1]


def _pages(document) -> list[list[str]]:
    """Each page's blocks, in order: a paragraph's text, or a figure's id."""
    found = []
    for page in document.pages:
        blocks = []
        for box in pdf_notes.descendants(page._page_box.children[0]):
            tag = getattr(box, "element_tag", None)
            if tag == "figure" and type(box).__name__ == "BlockBox" and box.element.get("id") not in blocks:
                blocks.append(box.element.get("id"))
            elif tag in ("p", "h2") and type(box).__name__ == "LineBox":
                blocks.append("".join(text.text for text in pdf_notes.descendants(box)
                                      if type(text).__name__ == "TextBox"))
        found.append(blocks)
    return found


def _where(pages, block: str) -> int:
    return next(index for index, blocks in enumerate(pages) if block in blocks)


def test_a_figure_that_does_not_fit_opens_the_next_page_and_the_text_after_it_fills_the_short_one(tmp_path):
    # the figure comes four lines from the foot of page 2 (page 1 holds the heading and 29 lines, page 2 37)
    part = _part(tmp_path, [*_lines(62), FIGURE, *_lines(60, 63)])
    first = pdf_parts._lay_out_once(*part, pdf_notes.Remedies(), False, shortened=pdf_spreads.Shortened())
    before = _pages(first.document)
    assert before[2][0] == "fig-tall" and pdf_spreads.uneven(first.document)  # page 2 is short without the float
    layout = pdf_parts.lay_out(*part, False)
    pages = _pages(layout.document)
    assert not pdf_spreads.uneven(layout.document)
    assert pages[2][0] == "fig-tall"  # the figure heads the next page
    assert len(pages[1]) > len(before[1])  # the lines after it run on at the foot of the short page
    # no line is lost nor set twice, and the text keeps its order
    text = [block for blocks in pages for block in blocks if block.startswith("Line")]
    assert text == [f"Line {number} of the text." for number in range(1, 123)]
    caption = [box for box in pdf_notes.descendants(layout.document.pages[2]._page_box.children[0])
               if getattr(box, "element_tag", None) == "figcaption"]
    assert caption, "the caption goes with its figure"
    assert "fig-tall" in layout.document.pages[2].anchors  # its id, a link's target, is on its page


def test_a_figure_is_never_floated_past_a_heading(tmp_path):
    """The blocks after the figure end at a section heading: the figure stays before it."""
    part = _part(tmp_path, [*_lines(62), FIGURE, *_lines(2, 63), "## A section\n", *_lines(60, 65)])
    layout = pdf_parts.lay_out(*part, False)
    pages = _pages(layout.document)
    figure, heading = _where(pages, "fig-tall"), _where(pages, "A section")
    assert figure <= heading
    assert pages[figure].index("fig-tall") < pages[heading].index("A section") if figure == heading else True
    assert _where(pages, "Line 64 of the text.") <= figure  # the two lines before the heading went ahead of it


def test_float_figures_moves_a_figure_past_blocks_never_past_a_heading_and_keeps_the_figures_order():
    from lxml import html

    section = html.fragment_fromstring("<section><p>a</p><figure id='f'><img src='x.png'><figcaption>c</figcaption>"
                           "</figure><p>b</p><p>c</p><figure id='g'></figure><p>d</p><h2>h</h2></section>")
    body = html.Element("body")
    body.append(section)
    pdf_spreads.float_figures(body, {0: 3, 1: 9})
    order = [element.get("id") or element.text for element in section]
    assert order == ["a", "b", "c", "d", "f", "g", "h"]  # g went along with f, past d; neither past h
    assert body.get_element_by_id("f").find("figcaption").text == "c"


def _short_pages(document) -> list[int]:
    """The pages, but the last, that end more than two lines above the foot of their area (a figure's margin
    below it, and a line, may be left at a page's foot)."""
    line = pdf_notes.leading(document)
    found = []
    for index, page in enumerate(document.pages[:-1]):
        box = page._page_box
        last = max(line_box.position_y + line_box.height for line_box in pdf_notes.descendants(box.children[0])
                   if type(line_box).__name__ == "LineBox")
        if box.content_box_y() + box.height - last > 2 * line:
            found.append(index)
    return found


def test_two_figures_in_a_row_keep_their_order_and_leave_no_page_short(tmp_path):
    """The second goes along with the first, then is floated in its turn when it does not fit under it."""
    other = "![Another figure, as tall.](tall.png){#fig-other}\n"
    part = _part(tmp_path, [*_lines(62), FIGURE, other, *_lines(90, 63)])
    first = pdf_parts._lay_out_once(*part, pdf_notes.Remedies(), False, shortened=pdf_spreads.Shortened())
    assert _short_pages(first.document)
    layout = pdf_parts.lay_out(*part, False)
    pages = _pages(layout.document)
    assert not _short_pages(layout.document)
    assert (_where(pages, "fig-tall"), pages[_where(pages, "fig-tall")].index("fig-tall")) < \
        (_where(pages, "fig-other"), pages[_where(pages, "fig-other")].index("fig-other"))
    text = [block for blocks in pages for block in blocks if block.startswith("Line")]
    assert text == [f"Line {number} of the text." for number in range(1, 153)]
