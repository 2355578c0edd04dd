"""Edition parity: the PDFs, the EPUB and the HTML carry the notes and the body text of the filtered AST.

The same notes (count, order, number, text) and the same body text, each
note's number at its call, compared letter for letter (see text.py) with
the manuscript the manifest names, parsed again. It is the guarantee that the
editions are one book.
"""

from __future__ import annotations

import functools
from pathlib import Path

from publish.check import LABEL, Build, Result, edition_checks, markup
from publish.check.expected import Book, expected
from publish.check.pdftext import aligned
from publish.check.text import difference
from publish.editions import html_book
from publish.plan import EDITIONS
from publish.readers import html as html_reader
from publish.readers.epub import documents


def run(build: Build) -> list[Result]:
    results = []
    for edition in EDITIONS:
        results += edition_checks(build, edition, [
            (f"{edition} parity-notes", functools.partial(notes, build=build, edition=edition)),
            (f"{edition} parity-text", functools.partial(text, build=build, edition=edition)),
        ])
    return results


def read(build: Build, edition: str, path: Path) -> markup.Edition:
    """The body letters and notes of a markup edition (read once per check run)."""
    def make() -> markup.Edition:
        if edition == "epub":
            return markup.read(documents(path))
        return markup.read([html_reader.parse(page) for page in html_book.pages(path)])  # a web book: every page

    return build.memo(f"markup:{path}", make)


def notes(path: Path, build: Build, edition: str) -> str | None:
    """The edition's notes are the manuscript's: as many, in the same order, with the same numbers and text."""
    book = expected(build)
    if edition in ("pdf", "print"):
        alignment = aligned(build, path)
        label = LABEL[edition]
        problems = []
        for ids, what in ((alignment.missing, "not found, whole,"), (alignment.disordered, "out of order")):
            if ids:
                shown = ", ".join(f"note {n.number} ({n.chapter})" for n in book.notes if n.id in ids)
                problems.append(f"{len(ids)} of {len(book.notes)} notes {what} in the {label}: {shown}")
        return "; ".join(problems) or None
    return compare_notes(book, read(build, edition, path).notes, LABEL[edition])


def compare_notes(book: Book, found: list[markup.Note], label: str) -> str | None:
    count = f"the {label} has {len(found)} notes, the manuscript {len(book.notes)}"
    for index, want in enumerate(book.notes):
        where = f"note {index + 1} of the book (note {want.number} of {want.chapter})"
        if index >= len(found):
            return f"{count}: {where} and after are missing"
        have = found[index]
        want_text = want.text if want.markup_text is None else want.markup_text
        if have.number != want.number or have.text != want_text:
            differs = (f"is numbered {have.number} in the {label}" if have.number != want.number
                       else f"has different text in the {label}: {_first_words(have.text, want_text)}")
            return f"{count}: {where} {differs}" if len(found) != len(book.notes) else f"{where} {differs}"
    return count if len(found) != len(book.notes) else None


def _first_words(have: str, want: str) -> str:
    at = next((i for i, (a, b) in enumerate(zip(have, want, strict=False)) if a != b), min(len(have), len(want)))
    return f"'…{want[max(0, at - 15):at + 20]}…' became '…{have[max(0, at - 15):at + 20]}…'"


def text(path: Path, build: Build, edition: str) -> str | None:
    """The edition's running text (chapters, note numbers at their calls, notes apart) is the manuscript's."""
    book = expected(build)
    if edition in ("pdf", "print"):
        alignment = aligned(build, path)
        # a tagged PDF says which glyphs an image draws, and they are left out; an untagged one may
        # carry an SVG's labels near its place, or not (book.optional)
        return difference(book.body, alignment.body, LABEL[edition], None if alignment.tagged else book.optional)
    return difference(book.markup or book.body, read(build, edition, path).body, LABEL[edition])
