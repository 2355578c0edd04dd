"""A markup edition read back: its chapters, its notes and their numbers (HTML, or the EPUB's XHTML).

Both editions mark a chapter with the class ``chapter``, a note call with
``role="doc-noteref"`` and a note with ``<aside role="doc-footnote">``; the
web edition's sidenotes (``doc-footnote`` spans, rendered only where the
aside is not) are read once, from the aside. Names are matched by local
name, so the same code reads HTML and namespaced XHTML.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

from lxml import html as lxml_html

from publish.errors import PublishError

IS_CHAPTER = 'contains(concat(" ", normalize-space(@class), " "), " chapter ")'
CHAPTERS = f"//*[{IS_CHAPTER}][not(ancestor::*[{IS_CHAPTER}])]"  # a chapter inside one is read with it
NOTES = './/*[local-name()="aside"][@role="doc-footnote"]'
# inside a chapter: what is not its running text (notes are read apart; sidenotes, doc-footnotes too, repeat them)
NOT_TEXT = ('.//*[@role="doc-footnote"] | .//*[@aria-hidden="true"]'
            ' | .//*[local-name()="section"][contains(concat(" ", @class, " "), " notes ")]')
NUMBER = ('.//*[contains(concat(" ", normalize-space(@class), " "), " note-number ")]'
          ' | .//*[local-name()="a"][@role="doc-backlink"]')
NOTE_NUMBER = './/*[contains(concat(" ", normalize-space(@class), " "), " note-number ")]'


def parse(path: Path):
    """The HTML page at *path* (UTF-8), parsed; a PublishError if it cannot be."""
    try:
        return lxml_html.document_fromstring(Path(path).read_bytes(), parser=lxml_html.HTMLParser(encoding="utf-8"))
    except (ValueError, lxml_html.etree.ParserError) as error:
        raise PublishError(f"cannot read the HTML edition: {error}", path) from None


def chapters(root) -> list:
    """The outermost elements of class ``chapter``, in document order."""
    return root.xpath(CHAPTERS)


def notes(root) -> list:
    """The note asides under *root*, in document order."""
    return root.xpath(NOTES)


def note_number(aside) -> int | None:
    """The number a note shows before its text."""
    numbers = aside.xpath(NOTE_NUMBER)
    digits = re.sub(r"\D", "", "".join(numbers[0].itertext())) if numbers else ""
    return int(digits) if digits else None


def text_without(element, xpath: str) -> list[str]:
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
