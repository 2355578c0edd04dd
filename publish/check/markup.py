"""The body text and the notes of a markup edition (HTML, or the EPUB's XHTML documents), as letters.

The documents are read by ``publish.readers.html`` (chapters, notes, what is
not running text); here they become the letter streams parity compares.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from publish.check.text import joined, letters
from publish.readers import html as reader
from publish.readers.html import drop

__all__ = ["Edition", "Note", "drop", "read"]


@dataclass
class Note:
    id: str
    number: int | None
    text: str  # letters


@dataclass
class Edition:
    body: str = ""  # letters of the chapters' running text, each call as its number
    notes: list[Note] = field(default_factory=list)


def read(roots: list) -> Edition:
    """The chapters of the documents *roots* (lxml trees, in reading order) as one edition."""
    edition = Edition()
    parts = []
    for root in roots:
        for chapter in reader.chapters(root):
            parts.append(letters(joined(reader.text_without(chapter, reader.NOT_TEXT))))
        # notes wherever they are (in their chapter, or in a notes document of their own)
        edition.notes += [_note(aside) for aside in reader.notes(root)]
    edition.body = "".join(parts)
    return edition


def _note(aside) -> Note:
    text = letters(joined(reader.text_without(aside, reader.NUMBER)))
    return Note(aside.get("id", ""), reader.note_number(aside), text)
