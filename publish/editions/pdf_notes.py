"""Notes too long for the page of their call: found in one layout, split by line for the next.

WeasyPrint never breaks a footnote across pages: a note taller than the room
left on its page is pushed whole to a later page, away from its call. So,
after a first layout, each such note is cut at its own line breaks (the note
area has one width, so its lines break the same on every page) into
one-line footnotes anchored at the same call. The first keeps the number;
the others carry no call and no number, and WeasyPrint sets as many as fit
under the call and carries the rest, in order, to the next page. Each line
but a paragraph's last is justified to the full measure, so the cut is
invisible.
"""

from __future__ import annotations

import copy
import re

from lxml.html import HtmlElement

HYPHEN = "\u2010"  # what WeasyPrint adds where it hyphenates a word


def overlong(document) -> dict[str, list[str]]:
    """Note id → the text of each of its lines, for the notes not wholly on the page of their call."""
    calls: dict[str, int] = {}
    notes: dict[str, tuple[int, object, bool]] = {}
    for number, page in enumerate(document.pages):
        box = page._page_box
        bottom = box.content_box_y() + box.height
        for child in _descendants(box):
            element = getattr(child, "element", None)
            tag = getattr(child, "element_tag", "") or ""
            if element is None or "footnote" not in (element.get("class") or "").split():
                continue
            if tag.endswith("::footnote-call"):
                calls.setdefault(element.get("id"), number)
            elif type(child).__name__ == "BlockBox" and element.get("id") and element.get("id") not in notes:
                overflow = child.border_box_y() + child.border_height() > bottom + 0.5
                notes[element.get("id")] = (number, child, overflow)
    return {
        note_id: _lines(box)
        for note_id, (page, box, overflow) in notes.items()
        if overflow or calls.get(note_id, page) != page
    }


def split(footnote: HtmlElement, lines: list[str]) -> list[HtmlElement]:
    """*footnote* cut into one footnote per line of *lines* (its lines in an earlier layout)."""
    text = footnote.text_content()
    starts = _paragraph_starts(footnote)
    bounds, position = [], 0
    for line in lines:
        begin = _skip_space(text, position)
        position = _advance(text, begin, len(re.sub(r"\s", "", line.removesuffix(HYPHEN))))
        bounds.append((begin, position))
    if bounds:
        bounds[-1] = (bounds[-1][0], len(text))
    pieces = []
    for index, (begin, end) in enumerate(bounds):
        piece = _slice(footnote, begin, end)
        classes = ["footnote"] if index == 0 else ["footnote", "fn-more"]
        if index and begin in starts:
            classes.append("fn-new-paragraph")
        if index + 1 < len(bounds) and _skip_space(text, bounds[index + 1][0]) not in starts:
            classes.append("fn-justified")  # not a paragraph's last line
        if lines[index].endswith(HYPHEN) and end < len(text) and not text[end - 1].isspace() and text[end - 1] != "-":
            classes.append("fn-hyphenated")  # the word continues on the next line
        piece.set("class", " ".join(classes))
        if index:
            for name in ("id", "data-number"):
                piece.attrib.pop(name, None)
        pieces.append(piece)
    return pieces


def _descendants(box):
    stack = [box]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(getattr(current, "children", None) or []))


def _lines(box) -> list[str]:
    lines = []
    for child in _descendants(box):
        if type(child).__name__ == "LineBox" and not (child.element_tag or "").endswith("::footnote-marker"):
            lines.append("".join(
                text.text for text in _descendants(child)
                if type(text).__name__ == "TextBox" and not (text.element_tag or "").endswith("::footnote-marker")
            ))
    return lines


def _paragraph_starts(footnote: HtmlElement) -> set[int]:
    """Offsets in the note's text where a paragraph after the first begins."""
    starts, offset = set(), len(footnote.text or "")
    for index, child in enumerate(footnote):
        if index:
            starts.add(offset)
        offset += len(child.text_content()) + len(child.tail or "")
    return starts


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _advance(text: str, position: int, visible: int) -> int:
    """The offset after *visible* non-space characters from *position*."""
    while visible and position < len(text):
        if not text[position].isspace():
            visible -= 1
        position += 1
    return position


def _slice(element: HtmlElement, begin: int, end: int) -> HtmlElement:
    """A copy of *element* keeping only the characters [begin, end) of its text."""
    position = 0

    def cut(text: str | None) -> str | None:
        nonlocal position
        if not text:
            return text
        start, stop = max(begin - position, 0), min(end - position, len(text))
        position += len(text)
        return text[start:stop] if start < stop else None

    def walk(node: HtmlElement) -> HtmlElement:
        kept = copy.copy(node)
        for child in list(kept):
            kept.remove(child)
        kept.text = cut(node.text)
        for child in node:
            piece = walk(child)
            piece.tail = cut(child.tail)
            if len(piece) or piece.text or piece.tail:
                kept.append(piece)
        return kept

    return walk(element)
