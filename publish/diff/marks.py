"""Find the changed words on a page, so the page image shows where to read.

The pixel boxes cover everything that moved (a changed word re-justifies its
whole paragraph); these marks point at the words themselves: inserted words
on the new page, deleted ones on the old. A word is looked up with the words
before it, or alone if it occurs once on the page; a word not found is not
marked (the pixel box still covers it).
"""

from __future__ import annotations

from publish.diff.text import Token, plain
from publish.readers.pdf import Page

MAX_TOKENS = 30  # a longer run is a new passage: its pixel box says enough
CONTEXT = 2  # tokens of unchanged text searched with a changed word


def word_marks(page: Page, pairs: list, old: bool) -> list[tuple[float, float, float, float]]:
    """Boxes (fractions of the trim box) around the words *pairs* (blocks or notes) deleted or inserted on *page*."""
    wanted = "-" if old else "+"
    marks = []
    for pair in pairs:
        for k, (op, tokens) in enumerate(pair.segments):
            if op != wanted or len(tokens) > MAX_TOKENS or not plain(tokens).strip():
                continue
            before, needle = _context(pair.segments[:k]), plain(tokens).strip()
            found = _find(page, before, needle) or _find(page, "", needle)
            # not found whole (a page break inside it): mark each longer word the page holds once
            words = [t.text.strip() for t in tokens if len(t.text.strip()) > 3]
            marks += found or [box for word in words for box in _find(page, "", word)]
    left, bottom, right, top = page.trimbox
    width, height = right - left, top - bottom
    return [((x0 - left) / width, (top - y1) / height, (x1 - x0) / width, (y1 - y0) / height)
            for x0, y0, x1, y1 in marks]


def _context(segments: list[tuple[str, list[Token]]]) -> str:
    """The unchanged words just before a change (on both sides alike)."""
    equal = [tokens for op, tokens in segments if op == "="]
    return plain(equal[-1][-CONTEXT:]) if equal else ""


def _find(page: Page, before: str, needle: str) -> list[tuple[float, float, float, float]]:
    """Rectangles of *needle* where it follows *before*; with no *before*, only if it occurs once."""
    found = page.find(before + needle, skip=len(before))
    if not found or (not before and len(found) > 1):
        return []
    return found[0]
