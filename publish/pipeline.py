"""Parse once, filter once: the manuscript's chapters as filtered pandoc ASTs.

Every edition, the check and the diff start from what ``parse_book`` returns,
so they cannot disagree about the text or the notes.
"""

from __future__ import annotations

import io
import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import panflute as pf

from publish import filters, pandoc, safety
from publish.book import Book, Chapter
from publish.errors import NoteError, PublishError

UNUSED_NOTE = re.compile(r"Note with key '(?P<label>[^']*)' defined .*but not used")
DUPLICATE_NOTE = re.compile(r"Duplicate note reference '(?P<label>[^']*)'")


@dataclass
class FilteredChapter:
    chapter: Chapter
    doc: pf.Doc

    @property
    def id(self) -> str:
        return self.chapter.id


Ast = list[FilteredChapter]


def parse_book(book: Book) -> Ast:
    """Each chapter parsed once by pandoc (in parallel), then filtered in process."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        parsed = list(pool.map(lambda chapter: (chapter, pandoc.parse(chapter.text)), book.chapters))
    return [_filter(book, chapter, ast, warnings) for chapter, (ast, warnings) in parsed]


def _filter(book: Book, chapter: Chapter, ast: dict, warnings: list[pandoc.Warning]) -> FilteredChapter:
    for warning in warnings:
        unused = UNUSED_NOTE.search(warning.message)
        if unused:
            raise NoteError(f"note [^{unused['label']}] is never called in the text", chapter.path, warning.line)
        duplicate = DUPLICATE_NOTE.search(warning.message)
        if duplicate:
            message = f"note [^{duplicate['label']}] is defined twice in this chapter"
            raise NoteError(message, chapter.path, warning.line)
    doc = pf.load(io.StringIO(json.dumps(ast)))
    try:
        doc = filters.apply(doc, chapter.id)
        safety.check_chapter(doc, book.root, chapter.path, chapter.text, book.metadata.raw_html)
    except PublishError as error:
        error.path = error.path or chapter.path
        error.line = error.line or _line_of_call(chapter.text, error.message)
        raise
    return FilteredChapter(chapter, doc)


def _line_of_call(text: str, message: str) -> int | None:
    """The line of the first call ``[^label]`` (not its definition) named in *message*."""
    label = re.search(r"\[\^([^\]]+)\]", message)
    if not label:
        return None
    call = re.compile(re.escape(f"[^{label[1]}]") + r"(?!:)")
    for number, line in enumerate(text.splitlines(), 1):
        if call.search(line):
            return number
    return None


def to_json(doc: pf.Doc) -> dict:
    """A deep copy of *doc* as pandoc's JSON, for writers that must not touch the original."""
    return json.loads(json.dumps(doc.to_json()))
