"""Maths takes no paragraph indent (print.css: ``math { text-indent: 0 }``).

Inherited from the paragraph, the indent pushed a display formula off the
centre of the measure and each row of a fraction off the centre of its bar,
which ran an indent wider than its numerator.
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

TEXT = """# Maths

A paragraph before the formula, long enough to be set as a whole line of the page or more than one.

$$x + y = z$$

And a fraction in the text, $\\frac{a+b}{c}$, with words after it to fill the line and the one below it too.
"""


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    root = make_manuscript(tmp_path_factory.mktemp("maths") / "manuscript", {"01-ch.md": TEXT}, slug="maths")
    book = load_book(root)
    part = pdf_parts.parts(render(parse_book(book)))[1]
    return pdf_parts.lay_out(plan.make(root, Path("unused")), book, part, False, max_layouts=1).document


def _boxes(document, name: str):
    return [box for page in document.pages for box in pdf_notes.descendants(page._page_box)
            if (getattr(box, "element_tag", None) or "").endswith("}" + name)]


def _ink(box) -> tuple[float, float]:
    texts = [text for text in pdf_notes.descendants(box) if type(text).__name__ == "TextBox" and text.text.strip()]
    return min(text.position_x for text in texts), max(text.position_x + text.width for text in texts)


def test_a_display_formula_is_centred_on_the_measure(document):
    formula = next(box for box in _boxes(document, "math") if type(box).__name__ == "BlockBox")
    left, right = _ink(formula)
    start, end = formula.content_box_x(), formula.content_box_x() + formula.width
    assert left - start == pytest.approx(end - right, abs=1.0)


def test_a_fractions_rows_are_centred_under_its_bar(document):
    fraction = next(box for box in _boxes(document, "mfrac") if type(box).__name__ == "InlineBlockBox")
    for row in fraction.children:
        left, right = _ink(row)
        start, end = row.content_box_x(), row.content_box_x() + row.width
        assert left - start == pytest.approx(end - right, abs=2.5), "a row of the fraction is off its centre"
