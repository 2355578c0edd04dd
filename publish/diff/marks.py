"""Find the changed words on a page, so the page image shows where to read.

The pixel boxes cover everything that moved (a changed word re-justifies its
whole paragraph); these marks point at the words themselves: inserted words
on the new page, deleted ones on the old. A change is looked up with the
words before it, else with the words after it, never alone: a word found in
another paragraph is worse than no mark (the pixel box still covers it). A
long passage (a paragraph inserted or deleted) is looked up in pieces of a
few words, each marked where it occurs once on the page.
"""

from __future__ import annotations

import itertools
import re

from publish.diff.text import Token, printed, printed_segments
from publish.readers.pdf import Page

MAX_TOKENS = 30  # a longer run is a passage: looked for in pieces, each where it occurs once on the page
PIECE = 8  # tokens in each piece of a passage
CONTEXT = 2  # tokens of unchanged text searched with a changed word
BREAK = r"[\u00ad\u2010-]?"  # a line end may put a hyphen between two characters (readers.pdf drops the break)


def word_marks(page: Page, pairs: list, old: bool) -> list[tuple[float, float, float, float]]:
    """Boxes (fractions of the trim box) around the words *pairs* (blocks or notes) deleted or inserted on *page*."""
    text_page = page
    wanted = "-" if old else "+"
    marks = []
    for pair in pairs:
        segments = printed_segments(pair.segments)  # a call's number set close after its word, as printed
        for k, (op, tokens) in enumerate(segments):
            if op != wanted or not printed(tokens).strip():
                continue
            if len(tokens) > MAX_TOKENS:
                marks += _passage(text_page, tokens)
                continue
            before, after = _context(segments[:k]), _after(segments[k + 1:], wanted)
            needle = printed(tokens).strip() if not before.endswith(" ") else printed(tokens).rstrip()
            marks += (before and _find(text_page, before, needle)) or (after and _find(text_page, "", needle, after))
    return _fractions(page, marks)


def _passage(text_page: Page, tokens: list[Token]) -> list:
    """The rectangles of a long insertion or deletion: each piece of it found where it occurs once."""
    found = []
    for start in range(0, len(tokens), PIECE):
        piece = printed(tokens[start:start + PIECE]).strip()
        found += _find(text_page, "", piece) if len(piece) > 12 else []
    return found


def opening_marks(page: Page, block_tokens: list[Token], words: int = 5) -> list:
    """Boxes (fractions of the trim box) of a note's or paragraph's first words, where they occur once on *page*."""
    opening = printed([t for t in block_tokens if not t.call][:2 * words]).strip()
    return _fractions(page, _find(page, "", opening)) if opening else []


def _fractions(page: Page, rects: list) -> list[tuple[float, float, float, float]]:
    left, bottom, right, top = page.trimbox
    width, height = right - left, top - bottom
    return [((x0 - left) / width, (top - y1) / height, (x1 - x0) / width, (y1 - y0) / height)
            for x0, y0, x1, y1 in rects]


def _context(segments: list[tuple[str, list[Token]]]) -> str:
    """The unchanged words just before a change (on both sides alike)."""
    equal = [tokens for op, tokens in segments if op == "="]
    return printed(equal[-1][-CONTEXT:]) if equal else ""


def _after(segments: list[tuple[str, list[Token]]], wanted: str) -> str:
    """The unchanged words just after a change, on the side being marked."""
    for op, tokens in segments:
        if op == "=":
            return printed(tokens[:CONTEXT]).rstrip()
        if op == wanted:
            return ""
    return ""


def _find(page: Page, before: str, needle: str, after: str = "") -> list[tuple[float, float, float, float]]:
    """Boxes (left, bottom, right, top) of *needle*'s lines where *before* and *after* surround it, if that occurs
    once on the page.

    Matched over the page's characters as readers.pdf gives them (line breaks left out), so a word hyphenated at a
    line end, a note call (raised) and a space that became a line end all match.
    """
    if not needle.strip():
        return []
    chars = page.chars
    page_text = "".join(c.text for c in chars)
    pattern = re.compile(_pattern(before) + BREAK + "(" + _pattern(needle) + ")" + BREAK + _pattern(after))
    found = list(itertools.islice(pattern.finditer(page_text), 2))
    if len(found) != 1:
        return []
    start, end = found[0].span(1)
    return _line_boxes([c for c in chars[start:end] if not c.text.isspace()])


def _line_boxes(chars: list) -> list[tuple[float, float, float, float]]:
    """The characters' boxes joined line by line (a new line where a glyph lies wholly below the last one)."""
    boxes: list[list[float]] = []
    for c in chars:
        if boxes and c.bottom < boxes[-1][3] and c.top > boxes[-1][1]:
            box = boxes[-1]
            box[:] = [min(box[0], c.left), min(box[1], c.bottom), max(box[2], c.right), max(box[3], c.top)]
        else:
            boxes.append([c.left, c.bottom, c.right, c.top])
    return [tuple(b) for b in boxes]


def _pattern(text: str) -> str:
    """A regex for *text* that lets a line break (with a hyphen, or for a space) fall between any two characters."""
    out: list[str] = []
    for char in text:
        if char.isspace():
            if out and out[-1] != r"\s*":
                out.append(r"\s*")  # a space may have become a line end, which leaves no character
            continue
        if out and out[-1] != r"\s*":
            out.append(BREAK)
        out.append(re.escape(char))
    return "".join(out)
