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
from dataclasses import dataclass, field

from lxml.html import HtmlElement

HYPHEN = "\u2010"  # what WeasyPrint adds where it hyphenates a word


@dataclass
class Remedies:
    """What the next layout must do differently so that every note sits under its call."""

    split: dict[str, list[str]] = field(default_factory=dict)  # note id → its lines: set it line by line
    breaks: set[str] = field(default_factory=set)  # ids of blocks to start on a new page
    orphans: set[str] = field(default_factory=set)  # ids of blocks that may leave one line at a page's foot

    def __bool__(self) -> bool:
        return bool(self.split or self.breaks or self.orphans)

    def add(self, found: Remedies) -> bool:
        """Take the remedies in *found* not tried yet; False if there were none."""
        new_splits = {key: lines for key, lines in found.split.items() if key not in self.split}
        new_breaks, new_orphans = found.breaks - self.breaks, found.orphans - self.orphans
        self.split |= new_splits
        self.breaks |= new_breaks
        self.orphans |= new_orphans
        return bool(new_splits or new_breaks or new_orphans)

    def misplaced(self) -> list[str]:
        """Where the layout these remedies were found in left a note off its call's page."""
        return sorted(self.split.keys() | {f"the note before block {block}" for block in self.breaks | self.orphans})


def remedies(document, tried: Remedies | None = None) -> Remedies:
    """The notes of *document* not wholly on the page of their call, and what to do about each.

    A note taller than half the page is cut into lines. A shorter note that
    WeasyPrint carried to the next page gets room instead. WeasyPrint does
    that to keep a paragraph's first two lines together at the foot of the
    page (``orphans: 2``), so that paragraph may leave its first line alone
    there: the page then loses one line of text and gains the note's, and
    the pages after it barely move, so a second round of remedies is rarely
    needed and a chapter does not grow a page of its own last lines. Only if
    that did not help does the paragraph start the next page.
    """
    tried = tried or Remedies()
    found = Remedies()
    calls, notes = _calls_and_notes(document)
    for note_id, (number, box, overflow) in notes.items():
        call = calls.get(note_id, (number, None, None))
        if overflow or box.margin_height() > 0.5 * _page_height(document.pages[number]):
            found.split[note_id] = _lines(box)
        elif call[0] != number:
            block = _last_block_id(document.pages[call[0]]._page_box, call[1])
            (found.breaks if block in tried.orphans else found.orphans).add(block)
    found.breaks.discard(None)
    found.orphans.discard(None)
    for note_id, lines in _short_page_notes(document, calls, notes).items():
        if note_id not in tried.split:
            found.split.setdefault(note_id, lines)
    return found


def overleaf_blocks(page_boxes: list, tried: Remedies) -> Remedies:
    """The orphans and breaks for the notes called on the last page but one of *page_boxes* and set on the last.

    The layout asks as it goes (pdf_parts.lay_out), one page behind: a note
    called at the foot of a page is known to have gone overleaf once the next
    page is made. What needs the whole layout (a note to cut into lines) is
    left to ``remedies``, after it.
    """
    found = remedies(Pages(page_boxes[-2:]), tried)
    return Remedies(breaks=found.breaks, orphans=found.orphans)


class Pages:
    """Page boxes, read as a document's pages are read here and in pdf_spreads (``document.pages[n]._page_box``)."""

    def __init__(self, page_boxes: list):
        self.pages = [_Page(box) for box in page_boxes]


@dataclass
class _Page:
    _page_box: object


def leading(document) -> float:
    """The text's line in CSS px, as print.css sets it on ``html`` and the layout computed it (not a copy here)."""
    root = document.pages[0]._page_box.children[0]
    value = root.style["line_height"]
    if getattr(value, "unit", None) == "px":
        return value.value
    if isinstance(value, int | float):  # a unitless line-height: a factor of the font size
        return value * root.style["font_size"]
    return 1.2 * root.style["font_size"]  # "normal"


def _short_page_notes(document, calls, notes) -> dict[str, list[str]]:
    """Notes of two lines or more whose call WeasyPrint took to the next page, leaving this page short.

    A note too tall for the room left under its call moves the call's line
    (with the widow rule, the line before it too) over; cut into lines, it
    can start under its call and run on to the next page (TeX's split
    footnote), and the page stays full. A note of two lines is cut too: its
    first line needs a line less of room than the whole note (foreword, p. v).
    A note of one line cannot be cut; pdf_spreads gives its page a tighter
    note area instead (``overleaf``).
    """
    found = {}
    for _index, note_id, lines in _taken_overleaf(document, calls, notes):
        if len(lines) >= 2:
            found[note_id] = lines
    return found


def overleaf(document) -> dict[int, list[int]]:
    """Page index → the line counts of the notes whose call was taken from that short page to the next."""
    calls, notes = _calls_and_notes(document)
    found: dict[int, list[int]] = {}
    for index, _note_id, lines in _taken_overleaf(document, calls, notes):
        found.setdefault(index, []).append(len(lines))
    return found


def _taken_overleaf(document, calls, notes):
    """(index, note id, the note's lines) for each note called in the first lines of the page after a short one."""
    line = leading(document) if document.pages else 0
    for index, page in enumerate(document.pages[:-1]):
        box = page._page_box
        lines = [line for line, _ in _descendants_with_block(box.children[0]) if type(line).__name__ == "LineBox"]
        area = next((child for child in box.children if type(child).__name__ == "FootnoteAreaBox"), None)
        bottom = area.position_y if area is not None and area.children else box.content_box_y() + box.height
        if not lines or bottom - max(line.position_y + line.height for line in lines) < 2 * line:
            continue
        following = document.pages[index + 1]._page_box
        if opens_chapter(following):
            continue  # a chapter's last page is short by design
        next_top = following.content_box_y()
        for note_id, (page_number, _block, call_y) in calls.items():
            if page_number == index + 1 and note_id in notes and call_y is not None and call_y - next_top < 6 * line:
                yield index, note_id, _lines(notes[note_id][1])


def text_lines(page) -> int:
    """How many lines of text (not notes) *page* holds."""
    return sum(1 for line, _ in _descendants_with_block(page._page_box.children[0]) if type(line).__name__ == "LineBox")


def _calls_and_notes(document):
    calls: dict[str, tuple[int, object]] = {}
    notes: dict[str, tuple[int, object, bool]] = {}
    for number, page in enumerate(document.pages):
        box = page._page_box
        bottom = box.content_box_y() + box.height
        for child, block in _descendants_with_block(box):
            element = getattr(child, "element", None)
            tag = getattr(child, "element_tag", "") or ""
            if element is None or "footnote" not in (element.get("class") or "").split():
                continue
            if tag.endswith("::footnote-call"):
                calls.setdefault(element.get("id"), (number, block, child.position_y))
            elif type(child).__name__ == "BlockBox" and element.get("id") and element.get("id") not in notes:
                overflow = child.border_box_y() + child.border_height() > bottom + 0.5
                notes[element.get("id")] = (number, child, overflow)
    return calls, notes


def opens_chapter(page_box) -> bool:
    """Whether a chapter's heading is on the page: a level-1 heading of the chapter's own, not one in a fenced
    div (a Quarto callout's title), which is no chapter (pdf_html marks the chapters' with data-running-head)."""
    return any(getattr(box, "element_tag", None) == "h1" and box.element.get("data-running-head") is not None
               for box, _ in _descendants_with_block(page_box.children[0]))


def _page_height(page) -> float:
    return page._page_box.height


def _last_block_id(page_box, call_block) -> str | None:
    """The id of the last paragraph on the page, or of the call's own if it is the last."""
    blocks = [box for box, _ in _descendants_with_block(page_box.children[0]) if _holds_lines(box)]
    last = blocks[-1] if blocks else call_block
    element = getattr(last, "element", None)
    while element is not None and not element.get("id"):
        # WeasyPrint's tree is ElementTree's: no parent links (a paragraph inside a list item has no id)
        element = element.getparent() if hasattr(element, "getparent") else None
    return element.get("id") if element is not None else None


def _holds_lines(box) -> bool:
    return any(type(child).__name__ == "LineBox" for child in getattr(box, "children", []) or [])


def _descendants_with_block(box, block=None):
    """Every box under *box*, with the nearest block box holding lines above it."""
    stack = [(box, block)]
    while stack:
        current, holder = stack.pop()
        yield current, holder
        if _holds_lines(current):
            holder = current
        stack.extend((child, holder) for child in reversed(getattr(current, "children", None) or []))


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


def descendants(box):
    """*box* and every box below it, in layout order (without recursion: a deep tree cannot overflow)."""
    stack = [box]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(getattr(current, "children", None) or []))


def _lines(box) -> list[str]:
    lines = []
    for child in descendants(box):
        if type(child).__name__ == "LineBox" and not (child.element_tag or "").endswith("::footnote-marker"):
            lines.append("".join(
                text.text for text in descendants(child)
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
