"""What moved on a page whose lines changed: line ends, the page's end, widows, orphans, notes.

A proofreader checking breaks wants to know where to look: the lines of the
new page that the old page did not have (their ends are highlighted), the
page's first and last lines of text when they are not the old page's, and the faults a
page turn can make: a paragraph's last line alone at the top (a widow), its
first line alone at the foot (an orphan), a word broken across the turn of
a leaf (at the foot of a recto, as ``editions/pdf_turns`` defines it), a
note that now starts on another page than before.

The text block and the notes are told apart by their type size (the notes
are set smaller), read from the PDF's characters (``readers.pdf``).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from publish.readers.pdf import Page as PdfPage

INDENT = 4.0  # points: a line starting this far right of the text block opens a paragraph
MAX_INDENT = 40.0  # points: a line starting further right is set apart (a signature, a centred line), no paragraph
SHORT = 24.0  # points: a line ending this far left of the block's right edge ends a paragraph
NOTE_SIZE = 0.9  # a line set below this fraction of the page's body size is a note
HYPHENS = ("-", "\u2010", "\u00ad")


@dataclass
class Breaks:
    findings: list[str] = field(default_factory=list)  # one sentence each, for the report
    line_ends: list[tuple[float, float, float, float]] = field(default_factory=list)  # fractions of the trim box
    page_end: list[tuple[float, float, float, float]] = field(default_factory=list)  # its moved first/last line


def body_and_notes(page: PdfPage, boxes: tuple, lines: tuple[str, ...]) -> tuple[list[int], list[int]]:
    """Indexes of the page's text lines and of its note lines, by the size of their type."""
    sizes = _line_sizes(page, boxes)
    body_size = statistics.median_high([s for s in sizes if s] or [0])
    notes = [k for k, size in enumerate(sizes) if size and size < NOTE_SIZE * body_size
             and all(s < NOTE_SIZE * body_size for s in sizes[k:] if s)]
    return [k for k in range(len(lines)) if k not in notes], notes


def compare(old_page, new_page, old_pdf: PdfPage, new_pdf: PdfPage, label: str, old_label: str,
            note_moves: list[str]) -> Breaks:
    """The breaks of *new_page* read against *old_page* (pages.Page, with their PDF pages)."""
    found = Breaks(findings=list(note_moves))
    body, _ = body_and_notes(new_pdf, new_page.boxes, new_page.body)
    old_body, _ = body_and_notes(old_pdf, old_page.boxes, old_page.body) if old_page else ([], [])
    old_lines = set(old_page.body) if old_page else set()
    trim = new_pdf.trimbox
    for k in body:
        if new_page.body[k] not in old_lines:
            found.line_ends.append(_end_of(new_page.boxes[k], new_page.body[k], trim))
    if not body:
        return found
    first, old_first = new_page.body[body[0]], old_page.body[old_body[0]] if old_page and old_body else ""
    if old_first and first != old_first:  # the page turn before it moved: lines came over, or went back
        found.page_end.append(_fraction(new_page.boxes[body[0]], trim))
        found.findings.append(f"p. {label} now starts “{_head(first)}…” (old p. {old_label} started "
                              f"“{_head(old_first)}…”)")
    last, old_last = new_page.body[body[-1]], old_page.body[old_body[-1]] if old_page and old_body else ""
    if last != old_last:
        found.page_end.append(_fraction(new_page.boxes[body[-1]], trim))
        found.findings.append(f"p. {label} now ends “…{_tail(last)}”" + (f" (old p. {old_label} ended “…"
                              f"{_tail(old_last)}”)" if old_last else ""))
    was = set(_faults(old_page, old_body)) if old_page and old_body else set()
    found.findings += [FAULTS[kind].format(label=label, tail=_tail(line))
                       for kind, line in _faults(new_page, body) if (kind, line) not in was]  # new faults only
    return found


FAULTS = {"widow": "widow: a paragraph’s last line alone at the top of p. {label} (“{tail}”)",
          "orphan": "orphan: a paragraph’s first line alone at the foot of p. {label} (“{tail}”)",
          "broken": "a word broken across the page turn at the foot of p. {label} (“…{tail}”)"}


def _faults(page, body: list[int]) -> list[tuple[str, str]]:
    """The page's turn faults: (kind, the line), for widow, orphan and a word broken at its foot."""
    left = min(page.boxes[k][0] for k in body)
    right = max(page.boxes[k][2] for k in body)
    first, last = body[0], body[-1]
    out = []
    opens = page.boxes[first][0] > left + INDENT
    if not opens and page.boxes[first][2] < right - SHORT and len(body) > 1:
        out.append(("widow", page.body[first]))
    indent = page.boxes[last][0] - left
    if INDENT < indent < MAX_INDENT and page.boxes[last][2] >= right - 1 and len(body) > 1:
        out.append(("orphan", page.body[last]))
    if page.body[last].endswith(HYPHENS) and page.index % 2 == 0:  # a recto: the leaf is turned between the halves
        out.append(("broken", page.body[last]))  # (at the foot of a verso the next page is in view: harmless)
    return out


def _head(line: str, words: int = 4) -> str:
    return " ".join(line.split()[:words])


def _tail(line: str, words: int = 4) -> str:
    return " ".join(line.split()[-words:])


def _end_of(box: tuple, line: str, trim: tuple) -> tuple[float, float, float, float]:
    """The line's last word, roughly (its share of the line's characters), as fractions of the trim box."""
    word = re.findall(r"\S+$", line)
    share = min(1.0, (len(word[0]) + 1) / max(1, len(line))) if word else 0.1
    x0 = box[2] - (box[2] - box[0]) * share
    return _fraction((x0, box[1], box[2], box[3]), trim)


def _fraction(box: tuple, trim: tuple) -> tuple[float, float, float, float]:
    left, bottom, right, top = trim
    width, height = right - left, top - bottom
    return ((box[0] - left) / width, (top - box[3]) / height, (box[2] - box[0]) / width, (box[3] - box[1]) / height)


def _line_sizes(page: PdfPage, boxes: tuple) -> list[float]:
    """The type size of each line: the most common size of the characters whose middle is in its box."""
    chars = [((c.left + c.right) / 2, (c.bottom + c.top) / 2, c.size) for c in page.chars if c.right > c.left]
    sizes = []
    for x0, y0, x1, y1 in boxes:
        inside = [round(s, 1) for x, y, s in chars if x0 <= x <= x1 and y0 <= y <= y1]
        sizes.append(statistics.mode(inside) if inside else 0.0)
    return sizes
