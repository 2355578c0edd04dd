"""A page's running head and folio, told apart from its text by one rule (check, diff and the tests use it).

A folio is a bare numeral (arabic or roman) that is the page's topmost or
bottommost line. A running head is one of the two lines at the head or the
foot of a page, set smaller than the book's text, drawn after the page's
text (WeasyPrint draws the margin boxes last: a code line that starts two
pages is text, and so is a term that opens a page and happens to be a
section's title, as ``description`` in pandoc's manual) and the page's
topmost or bottommost line (in the margin: the last line of text above the
folio is not), that is either named by the caller as one of the book's
running heads or found at the same height with the same words (numerals
aside) on another page.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from publish.readers.pdf import Line, PageText

FOLIO = re.compile(r"(?i)\d+|[ivxlcdm]+")
EDGE = 2  # lines at the head and at the foot of a page that may be furniture


def is_folio(text: str) -> bool:
    return bool(FOLIO.fullmatch(text.replace(" ", "")))


def mark_furniture(pages: list[PageText], is_head: Callable[[str], bool] | None = None) -> None:
    """Set ``furniture`` on each page's running head and folio lines, and the page's ``folio``."""
    sizes = [line.size for page in pages for line in page.lines for _ in line.chars]
    text_size = statistics.median(sizes) if sizes else 0.0  # the book's text, by the glyphs set in it
    edges = [_edges(page.lines) for page in pages]
    seen = Counter(key for edge in edges for key in {_key(line) for line in edge})
    for page, edge in zip(pages, edges, strict=True):
        if not page.lines:
            continue
        highest, lowest = max(line.top for line in page.lines), min(line.box[1] for line in page.lines)
        extremes = {id(line) for line in page.lines if line.top >= highest - 1 or line.box[1] <= lowest + 1}
        last = _drawn_last(page.lines, edge)
        for line in edge:
            folio = id(line) in extremes and is_folio(line.text)
            # a running head is drawn after the text (the margin boxes come last): a code line that starts
            # two pages is not, nor a term that opens one and reads as a section's title
            # the page's topmost or bottommost line, as a running head in its margin is: the last line of text
            # above the folio (a term, a code line's "}") may repeat at the same height elsewhere, or read as
            # a section's title (pandoc's manual: the term "description", the section "Description")
            repeated = seen[_key(line)] > 1
            named = bool(is_head and is_head(line.text))
            head = line.size < text_size and id(line) in last and id(line) in extremes and (repeated or named)
            line.furniture = folio or head
            if folio and not page.folio:
                page.folio = line.text.replace(" ", "")


def _drawn_last(lines: list[Line], edge: list[Line]) -> set[int]:
    """The edge lines drawn after every other line of the page (in reading order: its margin boxes)."""
    edges, found = {id(line) for line in edge}, set()
    for line in reversed(lines):
        if id(line) not in edges:
            break
        found.add(id(line))
    return found


def _edges(lines: list[Line]) -> list[Line]:
    ordered = sorted(lines, key=lambda line: -line.top)
    chosen = ordered[:EDGE] + ordered[-EDGE:]
    return list({id(line): line for line in chosen}.values())


def _key(line: Line) -> tuple[int, str]:
    """A line's height on the page and its words, numerals masked (a running head with its folio)."""
    return round(line.box[1]), FOLIO.sub("#", " ".join(line.text.split()))
