"""Facing pages: where each page's last line sits, and which spreads end on different lines.

A spread is a verso (an even page, counting the first page as 1) and the
recto beside it. Its two pages should end on the same line, the last line of
text or of notes, unless a chapter ends on one of them (a chapter's last page
is short by design) or one is blank. This module reads a WeasyPrint layout
and reports each page's ending: the baseline of its last line, whether it
holds notes, whether a chapter ends there, and why a page ends short when it
does (the next page opens with the rest of a paragraph that could not leave
a lone line, or with a heading kept with what follows).

Two things keep spreads level. The text area is whole lines
(``grid_bottom_margin``), so a full page of text and a page with notes end
on the same line. And where one page of a spread still ends short (a widow
or an orphan would otherwise be left), the other is made short by as many
lines in the next layout (``Shortened``): the usual remedy of a compositor,
who runs a spread a line short rather than leave its pages uneven. The folio
stays where it was. Where a page ends short because a note of one line did
not fit under its call, so that WeasyPrint took the call's line overleaf,
that page's note area is set closer under the text in the next layout
(``TIGHT_SKIP_PT``, as TeX's skip above the notes shrinks), which gives the
note the room it lacked: the call stays on its line and the page is full.
A longer note is cut instead, so that it runs on overleaf (pdf_notes.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from publish.editions import pdf_notes
from publish.editions.pdf_notes import descendants

TOLERANCE = 0.5  # px: two baselines closer than this are the same line
LEADING_PT = 14.5  # the running text's line, as print.css sets it on html (a test holds them together)
PT_PER_MM = 72 / 25.4


def grid_bottom_margin(height_mm: float, top_mm: float, bottom_mm: float) -> float:
    """The bottom margin (mm) that makes the text area a whole number of lines tall.

    The area is what *height_mm* less the margins leaves, to the nearest
    whole line (so a page holds about what it did); the bottom margin gives
    or takes the difference, less than half a line. Then a page of running
    text fills its area to its last line, the notes' last line (print.css
    sets it on that line's baseline) sits where a full page's last line
    does, and facing pages with and without notes end level.
    """
    area_pt = (height_mm - top_mm - bottom_mm) * PT_PER_MM
    lines = round(area_pt / LEADING_PT)
    return height_mm - top_mm - lines * LEADING_PT / PT_PER_MM


@dataclass(frozen=True)
class Ending:
    """How one page ends."""

    index: int  # 0-based page index
    baseline: float | None  # px from the page's top; None for a page with no lines
    bottom: float  # px: the foot of the page's content area
    notes: bool  # the page has notes at its foot
    chapter_ends: bool  # the page is a chapter's last (or the book's)
    body_baseline: float | None  # the last line of running text

    @property
    def blank(self) -> bool:
        return self.baseline is None


def endings(document) -> list[Ending]:
    """Every page's ending, in order."""
    pages = document.pages
    found = []
    for index, page in enumerate(pages):
        box = page._page_box
        body = _baselines(box.children[0])
        area = next((child for child in box.children if type(child).__name__ == "FootnoteAreaBox"), None)
        notes = _baselines(area) if area is not None and area.children else []
        following = pages[index + 1]._page_box if index + 1 < len(pages) else None
        chapter_ends = following is None or _opens_chapter(following) or not _baselines(following.children[0])
        found.append(Ending(index, max(body + notes, default=None), box.content_box_y() + box.height,
                            bool(notes), chapter_ends, max(body, default=None)))
    return found


def spreads(document) -> list[tuple[Ending, Ending]]:
    """Each (verso, recto) pair of facing pages."""
    pages = endings(document)
    return [(pages[i], pages[i + 1]) for i in range(1, len(pages) - 1, 2)]


def uneven(document) -> list[tuple[Ending, Ending]]:
    """The spreads whose pages end on different lines, where neither is blank nor ends a chapter."""
    return [(verso, recto) for verso, recto in spreads(document)
            if not (verso.blank or recto.blank or verso.chapter_ends or recto.chapter_ends)
            and abs(verso.baseline - recto.baseline) > TOLERANCE]


def _baselines(box) -> list[float]:
    """The baseline of every line box under *box* (px from the top of the page)."""
    return [line.position_y + line.baseline for line in descendants(box)
            if type(line).__name__ == "LineBox" and _has_text(line)]


def _has_text(line) -> bool:
    return any(type(box).__name__ == "TextBox" and box.text.strip() for box in descendants(line))


def _opens_chapter(page_box) -> bool:
    return any(getattr(box, "element_tag", None) == "h1" for box in descendants(page_box.children[0]))


FOLIO_GAP_PT = 12.0  # print.css: the folio's padding-top below the text area
MAX_SHORT = 2  # lines: no page is made shorter than this to level its spread
# print.css sets the note area 14.5pt under the text; a note of one line then needs 14.5 + 4 (padding) + 2 (its
# margin) + 11 (its line) + 1.22 (padding) = 32.72pt, more than the two lines (29pt) under a call on the
# third line from the foot. 10pt above the area makes that 28.22pt: the note fits and the page ends on its grid.
TIGHT_SKIP_PT = 10.0


@dataclass
class Shortened:
    """Pages the next layout makes shorter, so that their spread ends level."""

    lines: dict[int, int] = field(default_factory=dict)  # page index → lines taken off its text area
    settled: set[int] = field(default_factory=set)  # versos of spreads tried once and left as they are
    tight: set[int] = field(default_factory=set)  # page indexes whose note area sits TIGHT_SKIP_PT under the text

    def css(self, bottom_mm: float) -> str:
        """``@page :nth()`` rules: a deeper bottom margin by whole lines, the folio kept in its place."""
        rules = []
        for index, lines in sorted(self.lines.items()):
            depth = lines * LEADING_PT
            rules.append(f"@page :nth({index + 1}) {{ margin-bottom: {bottom_mm + depth / PT_PER_MM:.4f}mm;"
                         f" @bottom-center {{ padding-top: {FOLIO_GAP_PT + depth:g}pt }} }}")
        rules += [f"@page :nth({index + 1}) {{ @footnote {{ margin-top: {TIGHT_SKIP_PT:g}pt }} }}"
                  for index in sorted(self.tight)]
        return "\n".join(rules) + ("\n" if rules else "")


def shorten(document, shortened: Shortened) -> bool:
    """Add to *shortened* the remedy for the first uneven spread of each chapter; whether anything was added.

    The page that ends lower is made shorter by the lines between the two.
    Only the first spread of a chapter: making a page shorter moves every
    later line of the chapter, so the spreads after it are measured again
    in the next layout. A spread that is uneven still after its remedy (the
    shorter page could not leave a lone line either, or took a line over)
    has its lower page shortened again, up to MAX_SHORT lines a page; past
    that it is settled, left as it is, and the chapter's next spread tried.
    A page short because a note of one line took its call's line overleaf
    gets a tighter note area first (``tight``); the lines are the fallback.
    """
    line = LEADING_PT * 4 / 3  # px
    added = False
    chapters_seen: set[int] = set()
    overleaf = pdf_notes.overleaf(document)
    for verso, recto in uneven(document):
        chapter = _chapter_start(document, verso.index)
        if chapter in chapters_seen or verso.index in shortened.settled:
            continue
        lower = verso if verso.baseline > recto.baseline else recto
        higher = recto if lower is verso else verso
        if higher.index not in shortened.tight and 1 in overleaf.get(higher.index, []):
            shortened.tight.add(higher.index)  # the one-line note may stay under its call
            chapters_seen.add(chapter)
            added = True
            continue
        lines = shortened.lines.get(lower.index, 0) + round(abs(verso.baseline - recto.baseline) / line)
        if lines > MAX_SHORT or lines == shortened.lines.get(lower.index, 0):
            shortened.settled.add(verso.index)
            continue
        chapters_seen.add(chapter)
        shortened.lines[lower.index] = lines
        added = True
    return added


def _chapter_start(document, index: int) -> int:
    """The index of the page that opens the chapter page *index* belongs to."""
    while index > 0 and not _opens_chapter(document.pages[index]._page_box):
        index -= 1
    return index
