"""Notes on their pages: in both PDFs, each note's text begins on the page of its call."""

from __future__ import annotations

import functools
from pathlib import Path

from publish.check import Build, Result, edition_checks
from publish.check.expected import expected
from publish.check.pdftext import aligned, call_page


def run(build: Build) -> list[Result]:
    return [
        *edition_checks(build, "pdf", [("pdf notes-on-call-page", functools.partial(on_call_page, build=build))]),
        *edition_checks(build, "print", [("print notes-on-call-page", functools.partial(on_call_page, build=build))]),
    ]


def on_call_page(path: Path, build: Build) -> str | None:
    """For every note of the manuscript: the page where its text begins is the page of its call."""
    book = expected(build)
    alignment = aligned(build, path)
    problems = []
    for note in book.notes:
        where = f"note {note.number} ({note.chapter})"
        note_page = alignment.notes.get(note.id)
        if note_page is None:
            problems.append(f"{where}: its text is not in the PDF")
            continue
        page = call_page(alignment, book, note)
        if page is None:
            problems.append(f"{where}: its call cannot be found in the text")
        elif page != note_page:
            problems.append(f"{where}: called on page {page + 1}, its text begins on page {note_page + 1}")
    if problems:
        return f"{len(problems)} of {len(book.notes)} notes: " + "; ".join(problems[:3])
    return None
