"""Find the changed words on a page, so the page image shows where to read.

The pixel boxes cover everything that moved (a changed word re-justifies its
whole paragraph); these marks point at the words themselves: inserted words
on the new page, deleted ones on the old. A word is looked up with the words
before it, or alone if it occurs once on the page; a word not found is not
marked (the pixel box still covers it).
"""

from __future__ import annotations

import pypdfium2 as pdfium

from publish.diff.text import Token, plain

MAX_TOKENS = 30  # a longer run is a new passage: its pixel box says enough
CONTEXT = 2  # tokens of unchanged text searched with a changed word


def word_marks(page: pdfium.PdfPage, pairs: list, old: bool) -> list[tuple[float, float, float, float]]:
    """Boxes (fractions of the trim box) around the words *pairs* (blocks or notes) deleted or inserted on *page*."""
    text_page = page.get_textpage()
    wanted = "-" if old else "+"
    marks = []
    for pair in pairs:
        for k, (op, tokens) in enumerate(pair.segments):
            if op != wanted or len(tokens) > MAX_TOKENS or not plain(tokens).strip():
                continue
            before, needle = _context(pair.segments[:k]), plain(tokens).strip()
            found = _find(text_page, before, needle) or _find(text_page, "", needle)
            # not found whole (a page break inside it): mark each longer word the page holds once
            words = [t.text.strip() for t in tokens if len(t.text.strip()) > 3]
            marks += found or [box for word in words for box in _find(text_page, "", word)]
    left, bottom, right, top = page.get_trimbox()
    width, height = right - left, top - bottom
    return [((x0 - left) / width, (top - y1) / height, (x1 - x0) / width, (y1 - y0) / height)
            for x0, y0, x1, y1 in marks]


def _context(segments: list[tuple[str, list[Token]]]) -> str:
    """The unchanged words just before a change (on both sides alike)."""
    equal = [tokens for op, tokens in segments if op == "="]
    return plain(equal[-1][-CONTEXT:]) if equal else ""


def _find(text_page: pdfium.PdfTextPage, before: str, needle: str) -> list[tuple[float, float, float, float]]:
    """Rectangles of *needle* where it follows *before*; with no *before*, only if it occurs once."""
    searcher = text_page.search(before + needle, match_case=True)
    found = searcher.get_next()
    if found is None or (not before and searcher.get_next() is not None):
        return []
    index, count = found
    index, count = index + len(before), count - len(before)
    return [text_page.get_rect(i) for i in range(text_page.count_rects(index, count))]
