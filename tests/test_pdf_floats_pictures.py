"""A picture held in a paragraph of its own floats as a figure does, and a page that ends with a picture ends
at its foot (pdf_spreads.picture, _float, _baselines).

Markdown gives an image with no caption (``![](diagram.svg)`` in a paragraph
of its own) as a paragraph, not a figure: shell-novice's diagrams are such.
One too tall for the foot of its page went overleaf and left the page many
lines short, where a figure would have been floated. And a page that ends
with a picture was measured at its last line of text, above the picture, so
that a page the picture filled to its foot counted as many lines short.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html
from PIL import Image

from publish import plan
from publish.book import load_book
from publish.editions import pdf_notes, pdf_parts, pdf_spreads
from publish.pipeline import parse_book
from publish.render import render
from tests.conftest import make_manuscript
from tests.test_pdf_floats import _lines, _where

PICTURE = "![](tall.png)\n"


def _part(tmp_path: Path, blocks: list[str]):
    root = make_manuscript(tmp_path / "manuscript", {"01-ch.md": "# Chapter\n\n" + "\n".join(blocks)}, slug="pics")
    Image.new("RGB", (300, 200), "grey").save(root / "tall.png")  # 200 px: ten lines and more
    book = load_book(root)
    return plan.make(root, Path("unused")), book, pdf_parts.parts(render(parse_book(book)))[1]


def _pages(document) -> list[list[str]]:
    """Each page's blocks, in order: a line's text, or "picture" for a paragraph holding the picture."""
    found = []
    for page in document.pages:
        blocks = []
        for box in pdf_notes.descendants(page._page_box.children[0]):
            if type(box).__name__ == "InlineReplacedBox":
                blocks.append("picture")
            elif getattr(box, "element_tag", None) in ("p", "h2", "div") and type(box).__name__ == "LineBox":
                text = "".join(text.text for text in pdf_notes.descendants(box) if type(text).__name__ == "TextBox")
                if text.strip():
                    blocks.append(text)
        found.append(blocks)
    return found


def test_picture_is_a_figure_or_a_paragraph_of_pictures_alone():
    def element(markup: str):
        return html.fragment_fromstring(markup)

    assert pdf_spreads.picture(element("<figure><img src='a.png'><figcaption>c</figcaption></figure>"))
    assert pdf_spreads.picture(element("<p><img src='a.png'></p>"))
    assert pdf_spreads.picture(element("<p> <a href='#x'><img src='a.png'></a> </p>"))
    assert pdf_spreads.picture(element("<p><img src='a.png'><img src='b.png'></p>"))
    assert not pdf_spreads.picture(element("<p>See <img src='a.png'></p>"))
    assert not pdf_spreads.picture(element("<p><img src='a.png'> and text</p>"))
    assert not pdf_spreads.picture(element("<p><em>text</em></p>"))
    assert not pdf_spreads.picture(element("<p></p>"))


def test_a_picture_that_does_not_fit_opens_the_next_page_and_the_text_after_it_fills_the_short_one(tmp_path):
    part = _part(tmp_path, [*_lines(62), PICTURE, *_lines(60, 63)])
    first = pdf_parts._lay_out_once(*part, pdf_notes.Remedies(), False, shortened=pdf_spreads.Shortened())
    before = _pages(first.document)
    assert before[2][0] == "picture" and pdf_spreads.uneven(first.document)  # page 2 is short without the float
    layout = pdf_parts.lay_out(*part, False)
    pages = _pages(layout.document)
    assert not pdf_spreads.uneven(layout.document)
    assert pages[2][0] == "picture"  # the picture heads the next page
    assert len(pages[1]) > len(before[1])  # the lines after it run on at the foot of the short page
    text = [block for blocks in pages for block in blocks if block.startswith("Line")]
    assert text == [f"Line {number} of the text." for number in range(1, 123)]


def test_a_picture_is_never_floated_past_a_block_that_holds_a_heading(tmp_path):
    """A callout with its own heading (a solution under an exercise) after the picture: it stays before it."""
    callout = "::: solution\n\n## Solution\n\n" + "\n".join(_lines(3, 200)) + "\n:::\n"
    part = _part(tmp_path, [*_lines(62), PICTURE, callout, *_lines(60, 63)])
    layout = pdf_parts.lay_out(*part, False)
    pages = _pages(layout.document)
    picture, heading = _where(pages, "picture"), _where(pages, "Solution")
    assert (picture, pages[picture].index("picture")) < (heading, pages[heading].index("Solution"))


def test_a_page_that_ends_with_a_picture_ends_at_its_foot(tmp_path):
    part = _part(tmp_path, [*_lines(10), PICTURE])  # the chapter's last page ends with the picture
    document = pdf_parts.lay_out(*part, False, max_layouts=1).document
    page = document.pages[-1]._page_box
    image = next(box for box in pdf_notes.descendants(page) if type(box).__name__ == "InlineReplacedBox")
    foot = image.border_box_y() + image.border_height()
    lines = [box for box in pdf_notes.descendants(page.children[0]) if type(box).__name__ == "LineBox"]
    text = max(line.position_y + line.baseline for line in lines if line.position_y + line.height <= image.position_y)
    assert foot > text + 100  # the picture stands well below the last line of text
    assert pdf_spreads.endings(document)[-1].baseline == foot  # and the page ends at its foot


def test_a_picture_that_cannot_float_and_misses_the_foot_by_a_little_is_set_smaller(tmp_path):
    """A heading follows it, so it cannot float; ten per cent too tall for the room at the foot of page 2, it is
    set that much smaller (its proportions kept), and page 2 ends with it, full."""
    part = _part(tmp_path, [*_lines(29 + 27), PICTURE, "## A section\n", *_lines(60, 100)])  # ten lines left
    first = pdf_parts._lay_out_once(*part, pdf_notes.Remedies(), False, shortened=pdf_spreads.Shortened())
    assert _where(_pages(first.document), "picture") == 2  # without the remedy it opens page 3
    layout = pdf_parts.lay_out(*part, False)
    pages = _pages(layout.document)
    assert _where(pages, "picture") == 1
    image = next(box for box in pdf_notes.descendants(layout.document.pages[1]._page_box)
                 if type(box).__name__ == "InlineReplacedBox")
    assert 0.8 * 200 <= image.height < 200 and image.width / image.height == pytest.approx(300 / 200, rel=0.01)
    assert pdf_spreads.endings(layout.document)[1].full
