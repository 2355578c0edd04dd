"""Text as the checks compare it: a stream of letters and digits, case and typography folded.

Editions set the same words differently: a PDF hyphenates at line ends, small
caps may come out in either case, ligatures are single glyphs, quotes and
spaces vary. Compared as letters and digits only (NFKC, case-folded), two
editions agree exactly when they carry the same words in the same order, note
numbers at their calls included.
"""

from __future__ import annotations

import bisect
import re
import unicodedata

WORD = re.compile(r"\w+")


COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def letters(text: str) -> str:
    """*text* as a stream of letters and digits: NFKC, case-folded, everything else dropped.

    NFKC sets a combining accent on the letter just before it (y + U+0302 is ŷ); one after a space
    stands alone and is dropped, like any other mark.
    """
    return "".join(char for char in unicodedata.normalize("NFKC", text).casefold() if char.isalnum())


def joined(pieces: list[str]) -> str:
    """Text pieces (an element's text nodes) joined by spaces, but a piece that begins with a combining
    accent joins the one before it: MathML's ``<mi>y</mi><mo>̂</mo></mover>`` reads ŷ, as on the page."""
    out = ""
    for piece in pieces:
        out += piece if COMBINING.match(piece) or not out else " " + piece
    return out


class Words:
    """A text's words, and where each begins in its letter stream (to name a difference in words)."""

    def __init__(self, text: str):
        # composed first, as letters() composes the edition's text: a letter and its combining accent
        # (an author's decomposed é, MathML's y + U+0302) are one letter on both sides
        self.words = WORD.findall(unicodedata.normalize("NFKC", text))
        self.starts: list[int] = []
        self.stream = ""
        parts = []
        offset = 0
        for word in self.words:
            folded = letters(word)
            self.starts.append(offset)
            parts.append(folded)
            offset += len(folded)
        self.stream = "".join(parts)

    def around(self, offset: int, before: int = 6, after: int = 6) -> str:
        """The words about *offset* in the stream, as the reader would see them."""
        index = max(0, bisect.bisect_right(self.starts, offset) - 1)
        return " ".join(self.words[max(0, index - before): index + after])


def first_difference(expected: str, found: str) -> int | None:
    """Offset of the first letter where two streams differ (or where one ends), None if they are equal."""
    if expected == found:
        return None
    limit = min(len(expected), len(found))
    low, high = 0, limit
    while low < high:  # longest common prefix, by halves: the streams can be long
        middle = (low + high + 1) // 2
        if expected[:middle] == found[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


WINDOW = 3000  # letters either side of its place where a PDF may draw an image's text (a page's worth)


def difference(expected: Words, found: str, edition: str, optional: dict[int, list[str]] | None = None) -> str | None:
    """A one-line reason if the letter stream *found* differs from *expected*, else None.

    *optional* maps an offset of *expected* to letters the edition may carry near there, or not:
    the text a PDF draws from an SVG image, which it may draw after the rest of the page. Where
    *found* has them, they are taken out before the streams are compared.
    """
    at = first_difference(expected.stream, found)
    if at is not None and optional:
        found = without_optional(found, optional)
        at = first_difference(expected.stream, found)
    return None if at is None else _reason(expected, found, at, edition)


def without_optional(found: str, optional: dict[int, list[str]]) -> str:
    """*found* with each image's optional texts taken out where they lie together, nearest their place.

    A PDF draws an image's texts one after another but not always in the order of its file.
    """
    for place in sorted(optional):  # the images before it are taken out: *found* is aligned up to here
        pieces = optional[place]
        low, high = max(0, place - WINDOW), min(len(found), place + WINDOW)
        starts = sorted({m.start() + low for piece in pieces for m in re.finditer(re.escape(piece), found[low:high])},
                        key=lambda at: abs(at - place))
        for start in starts:
            length = _cluster(found, start, pieces)
            if length:
                found = found[:start] + found[start + length:]
                break
    return found


def _cluster(found: str, start: int, pieces: list[str]) -> int:
    """The length of *pieces*, in some order, at *start* of *found*; 0 if they are not all there."""
    left, at = sorted(pieces, key=len, reverse=True), start
    while left:
        piece = next((p for p in left if found.startswith(p, at)), None)
        if piece is None:
            return 0
        left.remove(piece)
        at += len(piece)
    return at - start


def _reason(expected: Words, found: str, at: int, edition: str) -> str:
    if at >= len(found):
        return f"the {edition} ends early: missing from '… {expected.around(at)} …' on"
    if at >= len(expected.stream):
        return f"the {edition} has text after the end of the book: '{found[at:at + 40]}…'"
    shown = found[max(0, at - 15): at + 25]
    return f"the {edition} differs from the manuscript at '… {expected.around(at)} …' (the {edition} has '…{shown}…')"
