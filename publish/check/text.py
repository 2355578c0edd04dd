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


def letters(text: str) -> str:
    """*text* as a stream of letters and digits: NFKC, case-folded, everything else dropped."""
    return "".join(char for char in unicodedata.normalize("NFKC", text).casefold() if char.isalnum())


class Words:
    """A text's words, and where each begins in its letter stream (to name a difference in words)."""

    def __init__(self, text: str):
        self.words = WORD.findall(text)
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


def difference(expected: Words, found: str, edition: str) -> str | None:
    """A one-line reason if the letter stream *found* differs from *expected*, else None."""
    at = first_difference(expected.stream, found)
    if at is None:
        return None
    if at >= len(found):
        return f"the {edition} ends early: missing from '… {expected.around(at)} …' on"
    if at >= len(expected.stream):
        return f"the {edition} has text after the end of the book: '{found[at:at + 40]}…'"
    shown = found[max(0, at - 15): at + 25]
    return f"the {edition} differs from the manuscript at '… {expected.around(at)} …' (the {edition} has '…{shown}…')"
