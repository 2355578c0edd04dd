"""Every note is set at the foot of the page that holds its call, in both PDF editions' layout.

Checked on our manuscript, on the long test manuscript (many notes, long ones
near page ends, notes of several paragraphs) and on a small manuscript of
awkward cases: notes called from a block quotation, a list item and a
heading, and a note too long for one page, which must continue on the next.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.book import load_book
from publish.pipeline import parse_book
from publish.render import render
from tests.conftest import MANUSCRIPT, make_manuscript, words
from tests.pdf_support import MM, boxes, calls, dehyphenate, note_texts, page_texts

pytestmark = pytest.mark.slow

FILLER = "A sentence of ordinary running text that fills the page with words to set. " * 12
LONG_NOTE = " ".join(f"Sentence {i} of a note far too long for one page, which must continue on the next."
                     for i in range(1, 46))
AWKWARD = f"""# A chapter with awkward notes

{FILLER}

> A quotation with a note called from inside it.[^quote] {FILLER[:200]}

- A list item that calls a note.[^item]
- Another item.

## A heading with a note[^heading]

{FILLER}

A paragraph whose note has several paragraphs.[^multi] {FILLER}

A paragraph whose note is longer than a page.[^long] {FILLER}

{FILLER}

[^quote]: The note called from the block quotation.
[^item]: The note called from the list item.
[^heading]: The note called from the heading.
[^multi]: The first paragraph of a note in several paragraphs.

    The second paragraph of that note.

    The third paragraph of that note.
[^long]: The beginning of the long note. {LONG_NOTE}
"""


@pytest.fixture(scope="module")
def awkward_book(tmp_path_factory):
    """A5, arabic folios, and the awkward notes."""
    return make_manuscript(tmp_path_factory.mktemp("awkward") / "manuscript", {"notes.md": AWKWARD},
                           trim="A5", folio="arabic", slug="awkward")


def _notes(manuscript):
    """(number, words) of every note of the book, in order."""
    chapters = render(parse_book(load_book(manuscript)))
    return [(note.number, words(note.body.text_content())) for chapter in chapters for note in chapter.notes]


def _contains(haystack: list[str], needle: list[str]) -> bool:
    return any(haystack[i:i + len(needle)] == needle for i in range(len(haystack) - len(needle) + 1))


def _assert_notes_at_their_calls(manuscript, pdf) -> None:
    expected = _notes(manuscript)
    found = calls(pdf)
    assert [number for _, number in found] == [number for number, _ in expected], "calls missing or misnumbered"
    texts = note_texts(pdf)
    areas = [words(text) for text in texts]
    for (page, number), (_, note) in zip(found, expected, strict=True):
        beginning = [str(number), *note[:8]]
        assert _contains(areas[page], beginning), f"note {number} does not begin on page {page + 1}, its call's"
        # The whole note follows, in order, on this page and the next ones (a word hyphenated at the turn joined).
        following = words(dehyphenate("\n".join(texts[page:page + 3])))
        assert _contains(following, note), f"note {number} is not whole"


@pytest.mark.parametrize("variant", ["pdf", "print"])
def test_our_notes_sit_on_the_page_of_their_call(build_book, variant):
    out = build_book(MANUSCRIPT, ("pdf", "print"))
    suffix = "" if variant == "pdf" else "-print"
    _assert_notes_at_their_calls(MANUSCRIPT, out / f"industrialisation-of-care-foreword{suffix}.pdf")


def test_many_notes_sit_on_the_page_of_their_call(build_book, long_book):
    out = build_book(long_book, ("pdf",))
    _assert_notes_at_their_calls(long_book, out / "long-test-book.pdf")


def test_awkward_notes_sit_on_the_page_of_their_call(build_book, awkward_book):
    out = build_book(awkward_book, ("pdf", "print"))
    _assert_notes_at_their_calls(awkward_book, out / "awkward.pdf")


def test_a_note_longer_than_a_page_continues_on_the_next(build_book, awkward_book):
    pdf = build_book(awkward_book, ("pdf", "print")) / "awkward.pdf"
    areas = [words(text) for text in note_texts(pdf)]
    first = next(i for i, area in enumerate(areas) if _contains(area, words("The beginning of the long note")))
    assert _contains(areas[first + 1], words("Sentence 45 of a note far too long")), "the long note does not go on"
    # Where it breaks, a line is filled to the measure, with no gap at the foot of the page.
    assert not _contains(areas[first], words("Sentence 45 of a note"))


def test_trim_from_book_yaml_is_honoured(build_book, awkward_book):
    out = build_book(awkward_book, ("pdf", "print"))
    a5 = [148 * MM, 210 * MM]
    for name in ("awkward.pdf", "awkward-print.pdf"):
        for page in boxes(out / name):
            left, bottom, right, top = page["TrimBox"]
            assert [right - left, top - bottom] == pytest.approx(a5, abs=0.05)


def test_arabic_folios_when_book_yaml_asks(build_book, awkward_book):
    texts = page_texts(build_book(awkward_book, ("pdf", "print")) / "awkward.pdf")
    # Title page, imprint, then the chapter opens on the third page, a recto: the body's folios start at 1.
    assert texts[2].split()[-1] == "1"
    assert texts[3].split()[-1] == "2"


def test_no_page_is_left_short_by_a_note_called_at_the_top_of_the_next():
    """A note too tall for the room under its call runs on to the next page; the page stays full."""
    from publish import plan
    from publish.book import load_book
    from publish.editions import pdf, pdf_notes
    from publish.pipeline import parse_book
    from publish.render import render
    from tests.conftest import MANUSCRIPT

    book = load_book(MANUSCRIPT)
    document = pdf.layout(plan.make(MANUSCRIPT, Path("unused")), book, render(parse_book(book)))
    calls, notes = pdf_notes._calls_and_notes(document)
    assert pdf_notes._short_page_notes(document, calls, notes) == {}
    # the opening page is full: note 1 starts under its call there and runs on to the next page
    assert calls["foreword-note-1"][0] == notes["foreword-note-1"][0] == 2
