"""The text of a PDF edition, page by page, and where each note and each call of the book fall in it.

The pages are read by ``publish.readers.pdf`` (lines in WeasyPrint's reading
order: the body, then the footnote area; running heads and folios set apart
by one rule, the book's own running heads named). Pages before the first
chapter are front matter. What is left is the body with each note's text
somewhere after its call; ``align`` finds each note in turn, takes it out,
and keeps for every letter the page it is on.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from publish.check.expected import Book
from publish.check.text import letters
from publish.readers.pdf import Char, PdfFile, is_tagged, named_destinations, read_text

KEY = 48  # letters of a note's text that find it: plenty to be unique, short enough to sit on one page
__all__ = ["Alignment", "Char", "Layout", "align", "aligned", "call_page", "named_destinations", "page_chars", "read"]


@dataclass
class Layout:
    pages: list[str]  # each page's letters, running head and folio removed
    first: int  # index of the page where the first chapter begins
    destinations: dict[str, int] = field(default_factory=dict)  # named destination → page index
    tagged: bool = False  # an image's own text (an SVG's labels) is known, and left out of pages


@dataclass
class Alignment:
    body: str  # the layout's letters from the first chapter on, notes taken out
    pages: list[int]  # the page index of each letter of body
    notes: dict[str, int] = field(default_factory=dict)  # note id → page index where its text begins
    missing: list[str] = field(default_factory=list)  # ids of notes not found
    disordered: list[str] = field(default_factory=list)  # ids of notes found out of the book's order
    tagged: bool = False  # the layout left out the images' own text (Layout.tagged)


def read(path: Path, book: Book) -> Layout:
    """The letters of each page of the PDF at *path*, furniture and (in a tagged PDF) images' own text removed."""
    heads = book.heads
    pages = ["".join(letters(line.text) for line in page.body)
             for page in read_text(path, lambda text: letters(text) in heads, figures=False)]
    destinations = named_destinations(path)
    first = destinations.get(f"chapter-{book.chapters[0]}") if book.chapters else None
    if first is None:  # no destination for the chapter: the first page holding its opening words
        opening = book.body.stream[:20]
        first = next((i for i, page in enumerate(pages) if opening and opening in page), 0)
    return Layout(pages, first, destinations, is_tagged(path))


def page_chars(path: Path) -> list[list[Char]]:
    """Each page's characters (spaces aside) in content-stream order."""
    with PdfFile(path) as pdf:
        return [[char for char in page.chars if not char.text.isspace()] for page in pdf]


def align(layout: Layout, book: Book) -> Alignment:
    """Take each of the book's notes, in order, out of the layout's text; note the page of every letter."""
    pages = layout.pages[layout.first:]
    stream = "".join(pages)
    starts = []
    offset = 0
    for page in pages:
        starts.append(offset)
        offset += len(page)
    taken: list[tuple[int, int]] = []
    result = Alignment("", [], tagged=layout.tagged)
    position = 0
    for note in book.notes:
        key = f"{note.number}{note.text}"
        spans = _find_note(stream, key, position, starts)
        if not spans:  # out of order? anywhere not yet taken
            spans = next((found for at in _occurrences(stream, key[:KEY])
                          if (found := _find_note(stream, key, at, starts)) and not _overlaps(found, taken)), [])
            if spans:
                result.disordered.append(note.id)
        if not spans:
            result.missing.append(note.id)
            continue
        result.notes[note.id] = layout.first + bisect_right(starts, spans[0][0]) - 1
        position = max(position, spans[0][0] + 1)
        taken += spans
    kept = [True] * len(stream)
    for start, end in taken:
        kept[start:end] = [False] * (end - start)
    result.body = "".join(char for char, keep in zip(stream, kept, strict=True) if keep)
    result.pages = [layout.first + bisect_right(starts, i) - 1 for i, keep in enumerate(kept) if keep]
    return result


def _find_note(stream: str, key: str, position: int, starts: list[int]) -> list[tuple[int, int]]:
    """Where the note *key* (number and letters) lies, as spans: more than one if it runs on to later pages."""
    spans = []
    start = stream.find(key[:KEY], position)
    while start >= 0:
        # a note's piece ends with its page: the next page's first letters are not the note's
        following = starts[bisect_right(starts, start)] if bisect_right(starts, start) < len(starts) else len(stream)
        length = _common(stream[:following], start, key)
        spans.append((start, start + length))
        key = key[length:]
        if not key:
            return spans
        # the rest of a long note runs on at the foot of a later page
        start = stream.find(key[:KEY], following)
    return []


def _occurrences(stream: str, key: str):
    at = stream.find(key)
    while at >= 0:
        yield at
        at = stream.find(key, at + 1)


def _overlaps(spans: list[tuple[int, int]], taken: list[tuple[int, int]]) -> bool:
    return any(start < end_taken and start_taken < end for start, end in spans for start_taken, end_taken in taken)


def _common(stream: str, start: int, key: str) -> int:
    length = 0
    limit = min(len(key), len(stream) - start)
    while length < limit and stream[start + length] == key[length]:
        length += 1
    return length


def aligned(build, path: Path) -> Alignment:
    """The alignment of the PDF at *path* with the build's manuscript, made once per check run."""
    from publish.check.expected import expected

    def make() -> Alignment:
        book = expected(build)
        return align(read(path, book), book)

    return build.memo(f"aligned:{path}", make)


def call_page(alignment: Alignment, book: Book, note) -> int | None:
    """The page index of *note*'s call: by its place in the body where the body agrees up to it, else by context."""
    number = str(note.number)
    end = note.call + len(number)
    if alignment.body[:end] == book.body.stream[:end]:
        return alignment.pages[note.call]
    context = book.body.stream[max(0, note.call - 30): note.call] + number
    at = alignment.body.find(context)
    if at < 0 or alignment.body.find(context, at + 1) >= 0:
        return None
    return alignment.pages[at + len(context) - len(number)]
