"""Inline code, superior figures and inline maths keep the text's leading (print.css).

A line of running text is 14.5 pt, and a page of it sits on a grid of such
lines, so that facing pages end on the same line (pdf_spreads.py). Inline
code, a ``sup`` and inline MathML are set in other fonts, whose ascent and
descent are not EB Garamond's: at the text's line-height their boxes sat
lower or higher than the text's and made their line taller (19.7 px, not
19.33 px, for code; 20–28 px for maths), so every such line pushed the
lines below it off the grid. Here every line of every paragraph, whatever
it holds, is one leading below the one before it.
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

INLINE = [
    "the command `ls -F ~/Desktop` lists it",
    "press <kbd>Ctrl</kbd>+<kbd>C</kbd> to stop",
    "a samp <samp>done</samp> is printed",
    "the 21<sup>st</sup> century and H<sub>2</sub>O",
    "where $x^2 + y_i = \\sqrt{z}$ holds",
    "the sum $\\sum_{i=1}^{n} a_i$ is taken",
    "with $\\hat{\\beta}$ and $\\bar{x}$ estimated",
]
WORDS = ["the", "reading", "of", "a", "clause", "in", "the", "record", "of", "care", "counted", "and", "audited",
         "by", "the", "clinic"]


def _text() -> str:
    paragraphs = []
    for number in range(18):
        words = [WORDS[(number * 7 + k) % len(WORDS)] for k in range(70)]
        words.insert(20, INLINE[number % len(INLINE)])
        words.insert(50, INLINE[(number + 3) % len(INLINE)])
        text = " ".join(words)
        paragraphs.append(text[0].upper() + text[1:] + ".\n")
    return "# Leading\n\n" + "\n".join(paragraphs)


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    root = make_manuscript(tmp_path_factory.mktemp("leading") / "manuscript", {"01-ch.md": _text()}, slug="leading")
    book = load_book(root)
    part = pdf_parts.parts(render(parse_book(book)))[1]
    return pdf_parts.lay_out(plan.make(root, Path("unused")), book, part, False, max_layouts=1).document


def _paragraph_lines(document):
    """Each page's paragraphs: the lines of each ``p`` of running text, in order down the page."""
    for page in document.pages:
        found: dict = {}
        for box in pdf_notes.descendants(page._page_box.children[0]):
            if type(box).__name__ == "LineBox" and box.element_tag == "p":
                found.setdefault(box.element, []).append(box)
        yield from found.values()


def test_the_inline_material_is_set(document):
    tags = {box.element_tag for page in document.pages for box in pdf_notes.descendants(page._page_box.children[0])}
    assert {"code", "kbd", "samp", "sup", "sub"} <= tags
    assert any(tag.endswith("}math") or tag == "math" for tag in tags if tag), "no inline maths laid out"


def test_every_line_of_running_text_is_one_leading_below_the_last(document):
    line = pdf_spreads.LEADING_PT * 4 / 3
    tall, steps = [], []
    for lines in _paragraph_lines(document):
        for box in lines:
            if abs(box.height - line) > 0.01:
                tall.append((round(box.height, 2), "".join(text.text for text in pdf_notes.descendants(box)
                                                           if type(text).__name__ == "TextBox")[:60]))
        steps += [below.position_y - above.position_y for above, below in zip(lines, lines[1:], strict=False)]
    assert not tall, f"lines taller than the leading: {tall[:5]}"
    assert steps and all(step == pytest.approx(line, abs=0.01) for step in steps)
