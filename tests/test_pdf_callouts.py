"""A level-1 heading in a fenced div is that box's title, not a chapter's (pdf_html.py, print.css, pdf_notes).

Quarto writes a callout's title as a level-1 heading inside its div
(``::: {.callout-tip}`` then ``# Use probabilities``): interpretable-ml-book
has dozens. Each was set as a chapter's title in the middle of a page (15 pt,
58 pt above it), became the running head of the pages after it and a
bookmark beside the chapters, and the page before it counted as a chapter's
last, so that its spread was never levelled.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from publish import plan
from publish.book import load_book
from publish.editions import pdf_html, pdf_notes, pdf_parts
from publish.pipeline import parse_book
from publish.render import render
from tests.conftest import make_manuscript
from tests.test_pdf_spreads_remedies import _lines

CALLOUT = "::: {.callout-tip}\n\n# A tip of the box\n\nThe box's own words, under its title.\n\n:::\n"


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    text = "\n".join(["# The chapter\n", *_lines(30), CALLOUT, *_lines(80, 31), "# A second part of it\n",
                      *_lines(10, 200)])
    root = make_manuscript(tmp_path_factory.mktemp("callouts") / "manuscript", {"01-ch.md": text}, slug="callouts")
    book = load_book(root)
    return root, book, render(parse_book(book))


@pytest.fixture(scope="module")
def document(book):
    root, loaded, chapters = book
    return pdf_parts.lay_out(plan.make(root, Path("unused")), loaded, pdf_parts.parts(chapters)[1], False).document


def _running_head(page) -> str:
    """The text of the page's margin boxes but its folio."""
    texts = []
    for box in page._page_box.children:
        if type(box).__name__ == "MarginBox" and box.at_keyword.startswith("@top"):
            texts.append("".join(text.text for text in pdf_notes.descendants(box) if type(text).__name__ == "TextBox"))
    return " ".join(text for text in texts if text.strip())


def test_only_the_chapters_own_level_one_headings_set_the_running_head(book):
    section = pdf_html._chapter(book[2][0], pdf_notes.Remedies())
    heads = {" ".join(h.text_content().split()): h.get("data-running-head") for h in section.iter("h1")}
    assert heads["The chapter"] and heads["A second part of it"] == "A second part of it"
    assert heads["A tip of the box"] is None


def test_the_callouts_title_is_set_as_a_heading_of_the_text_and_opens_no_chapter(document):
    pages = document.pages
    where = next(index for index, page in enumerate(pages)
                 if any(getattr(box, "element_tag", None) == "h1" and "tip" in (box.element.text or "")
                        for box in pdf_notes.descendants(page._page_box)))
    title = next(box for box in pdf_notes.descendants(pages[where]._page_box)
                 if type(box).__name__ == "LineBox" and box.element_tag == "h1")
    assert title.height == pytest.approx(pdf_notes.leading(document), abs=0.01)  # a line of the text's leading
    assert not pdf_notes.opens_chapter(pages[where]._page_box)
    after = [_running_head(page) for page in pages[where + 1:where + 3]]
    assert len(after) == 2 and all("tip" not in head for head in after), after
    assert "The chapter" in after, after  # the recto's head is still the chapter's
    titles = []

    def walk(bookmarks):
        for label, _target, children, _state in bookmarks:
            titles.append(label)
            walk(children)

    walk(document.make_bookmark_tree())
    assert "A tip of the box" not in titles and "A second part of it" in titles
