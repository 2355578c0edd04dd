"""The body text and the notes of a markup edition (HTML, or the EPUB's XHTML documents).

Both editions mark a chapter with the class ``chapter``, a note call with
``role="doc-noteref"`` and a note with ``<aside role="doc-footnote">``; the
web edition's sidenotes (``doc-footnote`` too, rendered only where the aside
is not) are read once, from the aside. Names are matched by local
name, so the same code reads HTML and namespaced XHTML.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from publish.check.text import letters

IS_CHAPTER = 'contains(concat(" ", normalize-space(@class), " "), " chapter ")'
CHAPTERS = f"//*[{IS_CHAPTER}][not(ancestor::*[{IS_CHAPTER}])]"  # a chapter inside one is read with it
NOTES = './/*[local-name()="aside"][@role="doc-footnote"]'
# inside a chapter: what is not its running text (notes are read apart; sidenotes, doc-footnotes too, repeat them)
NOT_TEXT = ('.//*[@role="doc-footnote"] | .//*[@aria-hidden="true"]'
            ' | .//*[local-name()="section"][contains(concat(" ", @class, " "), " notes ")]')
NUMBER = ('.//*[contains(concat(" ", normalize-space(@class), " "), " note-number ")]'
          ' | .//*[local-name()="a"][@role="doc-backlink"]')


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
        for chapter in root.xpath(CHAPTERS):
            parts.append(letters(" ".join(_text_without(chapter, NOT_TEXT))))
        # notes wherever they are (in their chapter, or in a notes document of their own)
        edition.notes += [_note(aside) for aside in root.xpath(NOTES)]
    edition.body = "".join(parts)
    return edition


def _note(aside) -> Note:
    numbers = aside.xpath(NUMBER)
    digits = re.sub(r"\D", "", "".join(numbers[0].itertext())) if numbers else ""
    text = letters(" ".join(_text_without(aside, NUMBER)))
    return Note(aside.get("id", ""), int(digits) if digits else None, text)


def _text_without(element, xpath: str) -> list[str]:
    """The text of *element* without the elements *xpath* selects (their tails kept)."""
    element = copy.deepcopy(element)
    for unwanted in element.xpath(xpath):
        drop(unwanted)
    return list(element.itertext())


def drop(element) -> None:
    """Remove *element* but keep the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)
