"""Facing pages: where each page's last line sits, and which spreads end on different lines.

A spread is a verso (an even page, counting the first page as 1) and the
recto beside it. Its two pages should end on the same line, the last line of
text or of notes, unless a chapter ends on one of them (a chapter's last page
is short by design) or one is blank. This module reads a WeasyPrint layout
and reports each page's ending: the baseline of its last line, whether it
holds notes, whether a chapter ends there, and why a page ends short when it
does (the next page opens with the rest of a paragraph that could not leave
a lone line, or with a heading kept with what follows).

Several things keep spreads level. The text area is whole lines
(``grid_bottom_margin``), so a full page of text and a page with notes end
on the same line. Where one page of a spread still ends higher, the spaces
between its blocks (around headings, lists, quotations, code) are stretched
down to the other's last line in the next layout (``_stretch``, vertical
justification): the page keeps its lines, so no later page moves. Where
that cannot be done (running text only, or more than a line a space), the
other page is made short by as many lines (``Shortened``): the usual remedy
of a compositor, who runs a spread a line short rather than leave its pages
uneven. The folio stays where it was. Where a page ends short because a
note of one line did not fit under its call, so that WeasyPrint took the
call's line overleaf, that page's note area is set closer under the text in
the next layout (``TIGHT_SKIP_PT``, as TeX's skip above the notes shrinks),
which gives the note the room it lacked: the call stays on its line and the
page is full. A longer note is cut instead, so that it runs on overleaf
(pdf_notes.py). A page left short because the next opens with a figure
that did not fit has that figure floated, in the next layout, past the
text that follows it (``_float``, ``float_figures``): the text fills the
short page, the figure heads the next, never past a heading. A heading
sent overleaf with its first lines, that lacked at most half the space
around it, is set closer to them where nothing else levels its spread
(``_shrink``); a list that went overleaf for want of the space above it
is set closer under the text (``_shrink_block``). A picture alone in its
paragraph floats as a figure does (``picture``), and a page that ends with
a picture ends at its foot. A page whose last line is in its area's last
line (a line of code, whose depth is less than the text's, may sit a little
below the text's last baseline) is full, and level with another full page
(``Ending.full``); where neither page of a spread reaches the other's last
line, both may be stretched to the grid line below (``_stretch_both``). A
spread no remedy levels, or none had a layout left to, is told as a
warning that names its pages (``left_uneven``, ``warn``).
"""

from __future__ import annotations

import collections
import math
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


def margin_mm(value: float) -> str:
    """*value* (mm) as CSS, rounded down to its fourth decimal.

    Rounded to the nearest, a bottom margin could come out a ten-thousandth
    of a millimetre deeper than the whole lines of the area ask, and the last
    line, which WeasyPrint fits without tolerance, would go overleaf: a page
    made two lines short held three fewer. Rounded down, the area is whole
    lines and a fraction too small to hold any more.
    """
    return f"{math.floor(value * 10_000) / 10_000:.4f}mm"


@dataclass(frozen=True)
class Ending:
    """How one page ends."""

    index: int  # 0-based page index
    baseline: float | None  # px from the page's top; None for a page with no lines
    bottom: float  # px: the foot of the page's content area
    notes: bool  # the page has notes at its foot
    chapter_ends: bool  # the page is a chapter's last (or the book's)
    body_baseline: float | None  # the last line of running text
    last_line: float = math.inf  # px: the baseline of the area's last line of running text

    @property
    def blank(self) -> bool:
        return self.baseline is None

    @property
    def full(self) -> bool:
        """Whether the page ends on its area's last line: a line of text there, or a smaller one (a line of code,
        whose depth is less than the text's) or a picture's foot below it, in the last line's room."""
        return self.baseline is not None and self.baseline >= self.last_line - TOLERANCE

    @property
    def level(self) -> float | None:
        """The line a facing page ends on to be level with this one: its last, or the area's last if it is full."""
        return None if self.baseline is None else min(self.baseline, self.last_line)


def endings(document) -> list[Ending]:
    """Every page's ending, in order."""
    pages = document.pages
    found = []
    descent = _descent(pages)
    for index, page in enumerate(pages):
        box = page._page_box
        body = _baselines(box.children[0])
        area = next((child for child in box.children if type(child).__name__ == "FootnoteAreaBox"), None)
        notes = _baselines(area) if area is not None and area.children else []
        following = pages[index + 1]._page_box if index + 1 < len(pages) else None
        chapter_ends = (following is None or pdf_notes.opens_chapter(following)
                        or not _baselines(following.children[0]))
        found.append(Ending(index, max(body + notes, default=None), box.content_box_y() + box.height,
                            bool(notes), chapter_ends, max(body, default=None),
                            box.content_box_y() + box.height - descent))
    return found


def _descent(pages) -> float:
    """A line of running text's depth below its baseline (px): the most common among the paragraphs' lines."""
    depths = collections.Counter(round(box.height - box.baseline, 3) for page in pages
                                 for box in descendants(page._page_box.children[0])
                                 if type(box).__name__ == "LineBox" and box.element_tag == "p")
    return depths.most_common(1)[0][0] if depths else 0.0


def spreads(document) -> list[tuple[Ending, Ending]]:
    """Each (verso, recto) pair of facing pages."""
    pages = endings(document)
    return [(pages[i], pages[i + 1]) for i in range(1, len(pages) - 1, 2)]


def uneven(document) -> list[tuple[Ending, Ending]]:
    """The spreads whose pages end on different lines, where neither is blank nor ends a chapter."""
    return [(verso, recto) for verso, recto in spreads(document)
            if not (verso.blank or recto.blank or verso.chapter_ends or recto.chapter_ends)
            and abs(verso.baseline - recto.baseline) > TOLERANCE and not (verso.full and recto.full)]


def _baselines(box) -> list[float]:
    """Where every line box under *box* ends (px from the top of the page): its baseline, or a picture's foot.

    A line that holds a picture (an image in a paragraph or a table's cell)
    ends at the picture's foot, where the picture sits on the line's
    baseline as an image does by default: a page that ends with a picture
    ends there, not at its last line of text above it, which would count a
    page filled to its foot by a picture as many lines short.
    """
    found = []
    for line in descendants(box):
        if type(line).__name__ != "LineBox":
            continue
        ends = [picture.border_box_y() + picture.border_height() for picture in descendants(line)
                if type(picture).__name__ == "InlineReplacedBox"]
        if _has_text(line):
            ends.append(line.position_y + line.baseline)
        if ends:
            found.append(max(ends))
    return found


def _pictured(line) -> bool:
    """Whether *line* holds a picture (an image, inline or alone in its paragraph)."""
    return any(type(box).__name__ == "InlineReplacedBox" for box in descendants(line))


def _has_text(line) -> bool:
    return any(type(box).__name__ == "TextBox" and box.text.strip() for box in descendants(line))




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
    stretch: dict[str, tuple[int, float]] = field(default_factory=dict)  # block (a selector) → (its page, padding px)
    stretched: set[int] = field(default_factory=set)  # page indexes whose spaces were stretched once
    tried: set[tuple[int, int, int]] = field(default_factory=set)  # (verso, its lines off, the recto's) laid out
    floats: dict[int, int] = field(default_factory=dict)  # a figure (its place among the figures) → blocks it follows
    shrink: dict[str, tuple[int, float, float]] = field(default_factory=dict)  # heading → (page, margins px)
    fit: dict[str, tuple[int, float]] = field(default_factory=dict)  # picture (a selector) → (page, height px)

    def shorten(self, index: int, lines: int) -> None:
        """Make page *index* *lines* short; the stretches from it on are dropped, its lines now falling otherwise."""
        if lines:
            self.lines[index] = lines
        else:
            self.lines.pop(index, None)
        self.restyled_from(index)
        self.shrink = {selector: made for selector, made in self.shrink.items() if made[0] < index}
        self.fit = {selector: made for selector, made in self.fit.items() if made[0] < index}

    def restyled_from(self, index: int) -> None:
        """Drop the stretches made for page *index* and those after it: a remedy there moves their lines."""
        self.stretch = {selector: made for selector, made in self.stretch.items() if made[0] < index}
        self.stretched = {page for page in self.stretched if page < index}

    def css(self, bottom_mm: float) -> str:
        """``@page :nth()`` rules: a deeper bottom margin by whole lines, the folio kept in its place;
        and the padding that stretches a space between blocks."""
        rules = []
        for index, lines in sorted(self.lines.items()):
            depth = lines * LEADING_PT
            rules.append(f"@page :nth({index + 1}) {{ margin-bottom: {margin_mm(bottom_mm + depth / PT_PER_MM)};"
                         f" @bottom-center {{ padding-top: {FOLIO_GAP_PT + depth:g}pt }} }}")
        rules += [f"@page :nth({index + 1}) {{ @footnote {{ margin-top: {TIGHT_SKIP_PT:g}pt }} }}"
                  for index in sorted(self.tight)]
        rules += [f"{selector} {{ padding-top: {math.floor(padding * 1000) / 1000:.3f}px }}"
                  for selector, (_page, padding) in sorted(self.stretch.items())]
        rules += [f"{selector} {{ margin-top: {math.floor(top * 1000) / 1000:.3f}px;"
                  f" margin-bottom: {math.floor(bottom * 1000) / 1000:.3f}px }}"
                  for selector, (_page, top, bottom) in sorted(self.shrink.items())]
        rules += [f"{selector} {{ height: {math.floor(height * 1000) / 1000:.3f}px; width: auto }}"
                  for selector, (_page, height) in sorted(self.fit.items())]
        return "\n".join(rules) + ("\n" if rules else "")


def shorten(document, shortened: Shortened) -> bool:
    """Add to *shortened* the remedies for the uneven spreads of *document*; whether anything was added.

    First, a page left short because the next opens with a figure has that
    figure floated past the text that follows it (``_float``), the first
    such page of a chapter, whether its spread is uneven or not: a page
    before a heading of level 1 is allowed to end short, and one before a
    figure never is.
    A page short because a note of one line took its call's line overleaf
    gets a tighter note area first (``tight``). Else the page that ends
    higher has the spaces between its blocks stretched (``_stretch``) down
    to the other's last line; or, if it cannot reach it and a list, a
    quotation, a code block or a table set its lines off the grid, down to
    the grid line below, the rest left to shortening. A stretched page
    keeps its lines, so no later page moves, and every such spread of a
    chapter is stretched at once. A spread that stretching does not level
    has the page that ends lower made shorter by the whole lines between the
    two (a recto below its verso, by MAX_SHORT lines at most, if the verso
    can be stretched the rest). Only the first such spread of a chapter: making a page shorter
    moves every later line of the chapter (and drops the stretches made for
    the pages from it on), so the spreads after it are measured again in the
    next layout. A spread that is uneven still after its remedy (the shorter
    page could not leave a lone line either, or took a line over) has its
    lower page shortened again, up to MAX_SHORT lines a page, or its partner
    given back the lines it was shortened by; past that, or back where it
    was, the heading that opens the page after the higher one, if that is
    why it is short, is set closer to its text (``_shrink``); else the
    spread is settled, left as it is, and the chapter's next spread tried.
    """
    line = LEADING_PT * 4 / 3  # px
    added = False
    chapters_seen: set[int] = set()
    overleaf = pdf_notes.overleaf(document)
    grid = _Grid(document)
    for ending in endings(document)[:-1]:  # a page short before a figure, in a spread or not
        chapter = _chapter_start(document, ending.index)
        if chapter not in chapters_seen and _float(document, ending, shortened):
            chapters_seen.add(chapter)  # its chapter reflows from that page on: measured again
            added = True
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
        if higher.index not in shortened.stretched and (
                _stretch(grid, higher, lower.level, shortened)
                or (abs(grid.line_at(lower) - lower.baseline) <= TOLERANCE
                    and _stretch(grid, higher, grid.line_at(higher), shortened))):
            added = True
            continue  # measured again, stretched, in the next layout
        if not ({higher.index, lower.index} & shortened.stretched) and _stretch_both(grid, higher, lower, shortened):
            added = True
            continue
        apart = lower.level - higher.baseline  # a full page's last line is the area's, whatever its size
        lines = round(apart / line)
        allowed = MAX_SHORT - shortened.lines.get(lower.index, 0)
        if lower is recto and higher.index not in shortened.stretched and 0 < allowed < lines \
                and apart - allowed * line <= _reach(grid, higher):
            lines = allowed  # the recto as short as it may be, the verso stretched to it in the next layout
        # a list that opens the next page set closer under the text, or a picture set a little smaller, fills
        # the short page, where taking lines off the full one would leave both short
        if _shrink_block(grid, higher, shortened) or _fit(grid, higher, shortened) \
                or _shorten(shortened, verso, recto, lower, higher, lines) or _shrink(document, higher, shortened):
            chapters_seen.add(chapter)  # a shrunk heading's lines come back too: the chapter reflows from there
            added = True
        else:
            shortened.settled.add(verso.index)
    return added


def _shorten(shortened: Shortened, verso: Ending, recto: Ending, lower: Ending, higher: Ending, lines: int) -> bool:
    """Give *lines* back to the higher page if it was shortened, else take them off the lower; whether either was.

    Not past MAX_SHORT, and not to lines the spread was laid out with before.
    """
    made = {index: shortened.lines.get(index, 0) for index in (verso.index, recto.index)}
    given = min(made[higher.index], lines)
    options = [{higher.index: made[higher.index] - given, lower.index: made[lower.index] + lines - given},
               {higher.index: made[higher.index], lower.index: made[lower.index] + lines}]
    shortened.tried.add((verso.index, made[verso.index], made[recto.index]))
    for wanted in options:
        tried = (verso.index, wanted[verso.index], wanted[recto.index])
        if lines and wanted[lower.index] <= MAX_SHORT and tried not in shortened.tried:
            shortened.tried.add(tried)
            for index in sorted(wanted):
                if wanted[index] != made[index]:
                    shortened.shorten(index, wanted[index])
            return True
    return False


HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _last_foot(page_box, ending: Ending) -> float:
    """The foot of the page's last line box (px): where the room at the foot of its area begins."""
    return max((line.position_y + line.height for line in descendants(page_box.children[0])
                if type(line).__name__ == "LineBox"), default=ending.bottom)


def picture(element) -> bool:
    """Whether *element* is a picture that may float: a ``figure``, or a paragraph that holds nothing but
    pictures (an image with no caption, as Markdown gives ``![](file.svg)`` in a paragraph of its own).

    Both trees it is asked of (lxml's print HTML and WeasyPrint's html5lib one)
    give the same answer, so a picture's place among the pictures names it in both.
    """
    if element.tag == "figure":
        return True
    if element.tag != "p" or (element.text or "").strip():
        return False
    children = [child for child in element if isinstance(child.tag, str)]
    return bool(children) and all(_image(child) and not (child.tail or "").strip() for child in children)


def _heading(element) -> bool:
    """Whether *element* is a heading or holds one (a section, a callout with its own heading)."""
    return isinstance(element.tag, str) and any(isinstance(inner.tag, str) and inner.tag in HEADINGS
                                                for inner in element.iter())


def _image(element) -> bool:
    if element.tag == "img":
        return True
    children = [child for child in element if isinstance(child.tag, str)]
    return element.tag in {"a", "span"} and not (element.text or "").strip() and len(children) == 1 \
        and _image(children[0]) and not (children[0].tail or "").strip()


def _float(document, ending: Ending, shortened: Shortened) -> bool:
    """Float the figure that opens the page after a short one past the blocks that fill it; whether it was done.

    A figure that does not fit at the foot of a page goes whole to the next
    (print.css: ``break-inside: avoid``), and the page before it ends short
    by as much as the figure lacked. A compositor sets the text that follows
    the figure on the short page and the figure at the head of the next: so
    the next layout sets the figure after as many of the blocks that follow
    it as fill the room at the short page's foot (``Shortened.floats``,
    applied to the HTML by ``float_figures``), the last of them a paragraph
    that runs on overleaf if a whole one does not fit. A figure never passes
    a heading, so it stays in its section; a figure met on the way goes
    along after it, so the figures keep their order.
    """
    pages = document.pages
    if ending.index + 1 >= len(pages) or ending.body_baseline is None:
        return False
    short, following = pages[ending.index]._page_box, pages[ending.index + 1]._page_box
    top = following.content_box_y()
    box = next((box for box in descendants(following.children[0]) if type(box).__name__.endswith("BlockBox")
                and getattr(box, "element", None) is not None and picture(box.element)), None)
    if box is None or box.position_y > top + TOLERANCE or any(
            other.element is box.element for other in descendants(short.children[0])):
        return False  # the page opens with no figure, or with the rest of one begun on the short page
    root = short.children[0].element
    parents = {child: parent for parent in root.iter() for child in parent}
    if box.element not in parents:
        return False
    siblings = [child for child in parents[box.element] if isinstance(child.tag, str)]
    after = siblings[siblings.index(box.element) + 1:]
    heights = _heights(pages[ending.index + 1:ending.index + 4], set(after))
    line = LEADING_PT * 4 / 3
    last = _last_foot(short, ending)
    # WeasyPrint fits a line whose foot is at the area's foot, to the hundredth of a pixel: a tolerance
    # here would leave out the last line that fits, and the page a line short
    room, area = ending.bottom - last + 0.01, ending.bottom - top
    used, count = 0.0, 0
    for element in after:
        if _heading(element) or element not in heights:
            break
        height, margin = heights[element]
        if picture(element):  # met on the way, it goes along (float_figures), and is floated in turn
            continue
        if used + margin + height <= room:
            used, count = used + margin + height, count + 1
            continue
        left = room - used - margin  # a paragraph runs on overleaf, the figure after it there
        if element.tag == "p" and left >= 2 * line and height - left + box.margin_height() <= area:
            count += 1
        break
    if not count:
        return False
    figures = [element for element in root.iter() if isinstance(element.tag, str) and picture(element)]
    place = figures.index(box.element)
    shortened.floats[place] = shortened.floats.get(place, 0) + count
    shortened.shrink = {key: made for key, made in shortened.shrink.items() if made[0] < ending.index}
    shortened.restyled_from(ending.index)
    return True


SHRINK = 0.5  # the share of the space around a heading that may be taken off to keep it on its page


def _shrink(document, ending: Ending, shortened: Shortened) -> bool:
    """Set the heading that opens the page after a short one closer to its text, so that it fits there.

    A heading is kept with the first lines of its text (print.css:
    ``break-after: avoid``; orphans of two, a whole paragraph of fewer than
    four lines); where those do not fit at a page's foot, all go overleaf
    and the page ends as many lines short as they take. Where taking at most
    SHRINK of the space above and below the heading makes them fit, as TeX
    shrinks the glue around a heading, the next layout sets it so, and the
    page ends full, its last line on the grid. Once a heading; whether it was done.
    """
    pages = document.pages
    if ending.index + 1 >= len(pages) or ending.body_baseline is None:
        return False
    short, following = pages[ending.index]._page_box, pages[ending.index + 1]._page_box
    top = following.content_box_y()
    heading = next((box for box in descendants(following.children[0])
                    if getattr(box, "element_tag", None) in HEADINGS - {"h1"}), None)
    if heading is None or heading.position_y > top + TOLERANCE or heading.element.get("id") is None:
        return False
    selector = f'[id="{heading.element.get("id")}"]'
    if selector in shortened.shrink:
        return False
    lines = [line for line in descendants(following.children[0]) if type(line).__name__ == "LineBox"
             and line.position_y >= heading.border_box_y() + heading.border_height() - TOLERANCE
             and _has_text(line)]
    if not lines:
        return False
    block = lines[0].element
    own = [line for line in lines if line.element is block]
    whole = len(own) < 4 and not any(box.element is block for box in descendants(pages[ending.index + 2]._page_box)
                                     ) if ending.index + 2 < len(pages) else len(own) < 4
    kept = own if whole else own[:2]
    margin_top, margin_bottom = heading.style["margin_top"].value, heading.margin_bottom
    needed = kept[-1].position_y + kept[-1].height - heading.border_box_y() + margin_top  # its margin at a foot
    last = _last_foot(short, ending)
    deficit = needed - (ending.bottom - last)
    space = margin_top + margin_bottom
    if deficit <= TOLERANCE or deficit > SHRINK * space + TOLERANCE / 5:
        return False
    deficit += TOLERANCE / 5  # a hair more: WeasyPrint fits the last line without tolerance
    share = 1 - deficit / space
    shortened.shrink[selector] = (ending.index, margin_top * share, margin_bottom * share)
    shortened.restyled_from(ending.index)
    return True


SPACED = {"ul", "ol", "dl", "blockquote", "pre"}  # blocks set off from the text by a space above them
LISTS = {"ul", "ol", "dl"}  # of those, the ones that may be set close under the text (all the space taken off)


def _shrink_block(grid: _Grid, ending: Ending, shortened: Shortened) -> bool:
    """Set the list, quotation or code block that opens the page after a short one closer to the text above it,
    so that its first lines fit at the foot of the short page; whether it was done.

    As a heading (``_shrink``): a list whose first item (or first two lines)
    did not fit in the room left at a page's foot went overleaf whole, by as
    little as a fraction of a line, and the page ended a line or more short.
    Where taking at most SHRINK of the space above the block makes them fit,
    the next layout sets it so; a list may lose all of it (a list set close
    under the paragraph that introduces it reads as one, where a quotation
    or a code block against the text would not). Once a block.
    """
    pages = grid.document.pages
    if ending.index + 1 >= len(pages) or ending.body_baseline is None:
        return False
    short, following = pages[ending.index]._page_box, pages[ending.index + 1]._page_box
    top = following.content_box_y()
    block = next((box for box in descendants(following.children[0]) if type(box).__name__.endswith("BlockBox")
                  and getattr(box, "element_tag", None) in SPACED), None)
    if block is None or block.position_y > top + TOLERANCE or block.element not in grid.parents:
        return False
    selector = grid.selector(block.element)
    if selector in shortened.shrink:
        return False
    lines = [line for line in descendants(block) if type(line).__name__ == "LineBox"
             and not (line.element_tag or "").endswith("::marker") and _has_text(line)]
    if not lines:
        return False
    first = lines[0].element
    own = [line for line in lines if line.element is first]
    later = pages[ending.index + 2]._page_box if ending.index + 2 < len(pages) else None
    whole = len(own) < 4 and (later is None or not any(getattr(box, "element", None) is first
                                                        for box in descendants(later)))
    kept = own if whole else own[:2]  # orphans of two; an item of three lines or fewer goes whole
    margin_top = block.style["margin_top"].value
    # from its border (its margin, kept or truncated at the page's head, is counted once) to its kept lines
    needed = kept[-1].position_y + kept[-1].height - block.border_box_y() + margin_top
    last = _last_foot(short, ending)
    deficit = needed - (ending.bottom - last)
    share = 1.0 if block.element_tag in LISTS else SHRINK
    if deficit <= TOLERANCE or deficit > share * margin_top + TOLERANCE / 5:
        return False
    deficit += TOLERANCE / 5  # a hair more: WeasyPrint fits the last line without tolerance
    shortened.shrink[selector] = (ending.index, max(0.0, margin_top - deficit), block.style["margin_bottom"].value)
    shortened.restyled_from(ending.index)
    return True


FIT = 0.8  # a picture may be set at no less than this share of its height to keep its page full


def _fit(grid: _Grid, ending: Ending, shortened: Shortened) -> bool:
    """Set the picture that opens the page after a short one a little smaller, so that it fits there; whether done.

    A picture alone in its paragraph that cannot float (a heading follows
    it) and that missed the foot of the short page by at most a fifth of its
    height is set that much smaller in the next layout (its width follows,
    its proportions kept): the page ends full, with the picture at its foot,
    as a compositor reduces a cut to fit. Not a figure's (its caption would
    have to come along) nor one in a table's row (WeasyPrint then cuts the
    row, its text from its picture). Once a picture.
    """
    pages = grid.document.pages
    if ending.index + 1 >= len(pages) or ending.body_baseline is None:
        return False
    short, following = pages[ending.index]._page_box, pages[ending.index + 1]._page_box
    top = following.content_box_y()
    first = next((box for box in descendants(following.children[0]) if type(box).__name__ == "LineBox"), None)
    if first is None or first.position_y > top + TOLERANCE or first.element is None \
            or first.element.tag != "p" or not picture(first.element):
        return False
    images = [box for box in descendants(first) if type(box).__name__ == "InlineReplacedBox"]
    if not images or any(box.element not in grid.parents for box in images):
        return False
    image = max(images, key=lambda box: box.height)
    selector = grid.selector(image.element)
    if selector in shortened.fit:
        return False
    needed = first.position_y + first.height - top  # the picture's line, its depth below the picture included
    last = _last_foot(short, ending)
    deficit = needed - (ending.bottom - last) + TOLERANCE / 5  # a hair more: WeasyPrint fits without tolerance
    if deficit <= TOLERANCE or deficit > (1 - FIT) * image.height:
        return False
    shortened.fit[selector] = (ending.index, image.height - deficit)
    shortened.restyled_from(ending.index)
    return True


def _heights(pages, elements: set) -> dict:
    """Each of *elements* laid out on *pages*: its height (its boxes' on every page it spans, px) and top margin."""
    found: dict = {}
    for page in pages:
        seen = set()
        for box in descendants(page._page_box.children[0]):
            element = getattr(box, "element", None)
            if element in elements and element not in seen and type(box).__name__.endswith("BlockBox"):
                seen.add(element)
                height = box.margin_height() - box.margin_top - box.margin_bottom
                made = found.get(element)
                found[element] = (made[0] + height, made[1]) if made else (height, box.margin_top)
    return found


def float_figures(body, floats: dict[int, int]) -> None:
    """Set each figure *floats* names (by its place among the figures of *body*) after the blocks that follow it.

    The figure moves whole, with its caption, id and links, past as many
    blocks as *floats* says, never past a heading; a figure met on the way
    goes along after it, so that the figures keep their order (``_float``).
    """
    if not floats:
        return
    figures = [element for element in body.iter() if isinstance(element.tag, str) and picture(element)]
    for place, count in sorted(floats.items()):
        if place >= len(figures):
            continue
        run, target, left = [figures[place]], None, count
        following = figures[place].getnext()
        while left and following is not None and not _heading(following):
            if isinstance(following.tag, str) and picture(following):
                run.append(following)  # figures keep their order: one met on the way goes along
            elif isinstance(following.tag, str):
                target, left = following, left - 1
            following = following.getnext()
        if target is None:
            continue
        for figure in reversed(run):
            _detach(figure)
            target.addnext(figure)


def _detach(element) -> None:
    """Take *element* out of its parent, leaving the text after it (whitespace between blocks) where it was."""
    tail, element.tail = element.tail, None
    previous, parent = element.getprevious(), element.getparent()
    if tail and previous is not None:
        previous.tail = (previous.tail or "") + tail
    elif tail:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


class _Grid:
    """The lines of the text area: where a page's last baseline may sit, and the blocks' places in the HTML."""

    def __init__(self, document):
        self.document = document
        self.line = pdf_notes.leading(document)
        root = document.pages[0]._page_box.children[0].element if document.pages else None
        self.parents = {child: parent for parent in root.iter() for child in parent} if root is not None else {}
        self.descent = _descent(document.pages)  # a text line's depth below its baseline

    def line_at(self, ending: Ending) -> float:
        """The baseline of the grid line at or below the page's last line (a page with notes ends on the grid)."""
        if ending.notes:
            return ending.baseline
        foot = ending.bottom - self.descent  # the area's last baseline
        return foot - math.floor((foot - ending.baseline + TOLERANCE) / self.line) * self.line

    def selector(self, element) -> str:
        """A CSS selector for *element* alone: its place among its siblings, up to the root."""
        steps = []
        while element in self.parents:
            parent = self.parents[element]
            siblings = [child for child in parent if isinstance(child.tag, str)]
            steps.append(f":nth-child({siblings.index(element) + 1})")
            element = parent
        return " > ".join([element.tag, *reversed(steps)])


def _stretch(grid: _Grid, ending: Ending, level: float, shortened: Shortened) -> bool:
    """Stretch the spaces between the blocks of a page so that it ends on *level*; whether it was done.

    The depth between the page's last line and *level* is shared among the
    page's spaces between blocks (above a heading, a list, a quotation,
    after them), as padding on the block below each space, at most a line
    a space; it is less than the room left at the page's foot, so every
    line stays on its page. A page with notes ends on the grid (its notes'
    last line sits on the area's last), and a page with no space between
    blocks cannot be stretched: both are left to the other remedies.
    """
    gaps, room = _spaces(grid, ending)
    depth = level - ending.body_baseline
    if not TOLERANCE < depth <= min(room, len(gaps) * grid.line):
        return False
    shortened.stretched.add(ending.index)
    for block in gaps:
        selector = grid.selector(block.element)
        # a hair short of the depth: WeasyPrint fits the last line without tolerance
        shortened.stretch[selector] = (ending.index, block.padding_top + (depth - TOLERANCE / 5) / len(gaps))
    return True


def _stretch_both(grid: _Grid, higher: Ending, lower: Ending, shortened: Shortened) -> bool:
    """Stretch both pages of a spread down to the grid line at or below the lower one's last line; whether done.

    Where the higher page cannot reach the lower's last line and that line is
    off the grid too (a code block, a list or a quotation set the lines of
    each page off it, by different fractions of a line), both pages end on
    the grid line below, if each can be stretched to it.
    """
    level = grid.line_at(lower)
    if higher.notes or lower.notes or higher.body_baseline is None or lower.body_baseline is None:
        return False
    if not all(TOLERANCE < level - ending.body_baseline <= _reach(grid, ending) for ending in (higher, lower)):
        return False
    return _stretch(grid, higher, level, shortened) and _stretch(grid, lower, level, shortened)


def _spaces(grid: _Grid, ending: Ending) -> tuple[list, float]:
    """The blocks below the spaces a page's stretch may widen, and the room at its foot (px); none with notes."""
    if ending.notes or ending.body_baseline is None:
        return [], 0.0
    lines = _flow_lines(grid.document.pages[ending.index]._page_box.children[0])
    if not lines:
        return [], 0.0
    last = lines[-1][0]
    room = ending.bottom - (last.position_y + last.height) + TOLERANCE
    # a space between blocks, or the foot of a picture, whose height is no whole number of lines: the text
    # under it may be set lower, and the page end on the grid
    gaps = [block for block in (_opening(above, below) for above, below in zip(lines, lines[1:], strict=False)
                                if below[0].position_y - (above[0].position_y + above[0].height) > TOLERANCE
                                or _pictured(above[0]))
            if block is not None and _plain(block)]
    return gaps, room


def _reach(grid: _Grid, ending: Ending) -> float:
    """How far down a stretch can bring the page's last line (px)."""
    gaps, room = _spaces(grid, ending)
    return min(room, len(gaps) * grid.line)


def _flow_lines(flow) -> list[tuple[object, tuple]]:
    """(line, the boxes above it down from *flow*) for each line of running text on the page, in order down it.

    Not the lines of a table, an inline block or a list's marker, which sit
    beside others.
    """
    found = []
    stack = [(flow, ())]
    while stack:
        box, above = stack.pop()
        name = type(box).__name__
        if name.startswith("Table") or name.startswith("InlineBlock") or name.startswith("Flex"):
            continue
        if name == "LineBox":
            if not (box.element_tag or "").endswith("::marker") and (_has_text(box) or _pictured(box)):
                found.append((box, above))
            continue
        stack.extend((child, (*above, box)) for child in reversed(getattr(box, "children", None) or []))
    kept, bottom = [], float("-inf")
    for line, above in found:  # drop any line beside another (a float, a marker)
        if line.position_y >= bottom - TOLERANCE:
            kept.append((line, above))
            bottom = line.position_y + line.height
    return kept


def _opening(above: tuple, below: tuple):
    """The block to pad to widen the space between two lines: the one holding the lower line, or the list item
    it is in (whose marker must stay beside it), if it opens there; None where padding would undo the collapse
    of a margin below it (it would widen the space by that margin too)."""
    (_line, before), (_next, after) = above, below
    shared = next((index for index, (one, other) in enumerate(zip(before, after, strict=False)) if one is not other),
                  min(len(before), len(after)))
    opening = after[shared:]  # the boxes that begin between the two lines, outermost first
    if not opening:
        return None
    items = [index for index, box in enumerate(opening) if box.element_tag == "li"]
    chosen = items[-1] if items else len(opening) - 1
    if any(box.margin_top for box in opening[chosen + 1:]):
        return None
    return opening[chosen]


def _plain(block) -> bool:
    """Whether padding on top of *block* is only space: its own element, no border or background above."""
    style = block.style
    if type(style).__name__ == "AnonymousStyle" or block.element is None or not block.element_tag.isalnum():
        return False
    return (block.border_top_width == 0 and style["background_color"].alpha == 0
            and all(image[0] == "none" for image in style["background_image"]))


@dataclass(frozen=True)
class Left:
    """A spread still uneven after the remedies: its pages (indexes in the part), which ends higher, and why."""

    verso: int
    recto: int
    higher: int
    lines: float  # how far apart their last lines are
    settled: bool  # its remedies were tried and failed (else the layouts ran out first)

    def message(self, first: int) -> str:
        """The warning, with the folios the pages have when the part's first is *first*."""
        whole = abs(self.lines - round(self.lines)) < 0.05
        depth = f"{round(self.lines)} line{'' if round(self.lines) == 1 else 's'}" if whole \
            else f"{self.lines:.1f} lines"
        remedy = (f"no stretch levels them, and a shorter page would be more than {MAX_SHORT} lines short"
                  if self.settled else "no layout was left to level them")
        return (f"pages {first + self.verso}\u2013{first + self.recto} end on different lines"
                f" (p. {first + self.higher} ends {depth} higher): {remedy}")


def left_uneven(document, shortened: Shortened) -> list[Left]:
    """Each spread still uneven after the remedies in *shortened*, in page order."""
    line = LEADING_PT * 4 / 3
    return [Left(verso.index, recto.index, min((verso, recto), key=lambda e: e.baseline).index,
                 abs(verso.baseline - recto.baseline) / line, verso.index in shortened.settled)
            for verso, recto in uneven(document)]


def warn(spreads: list[Left], first: int, logger) -> None:
    """Log a warning for each spread left uneven, by the folios its pages have from *first*."""
    for spread in spreads:
        logger.warning("%s", spread.message(first))


def install() -> None:
    """Let a page whose last note WeasyPrint sent overleaf keep its whole text area (once per process).

    WeasyPrint reserves the note area's margin and padding (print.css: 19.72pt,
    more than a line) at the foot of a page as soon as a note is set there,
    and when it then sends that note to the next page with its call's line
    (``footnote-policy: line``), it gives back the area's height but keeps
    that reserve, though the page now has no notes. The lines it kept before
    the call's no longer fit, so the whole paragraph follows the call
    overleaf and the page ends four or six lines short, an uneven spread no
    shortening of its partner can level. Here an area left empty is made
    again as it was before any note: no height and nothing reserved.
    """
    from weasyprint.layout import LayoutContext

    made = LayoutContext._update_footnote_area
    if getattr(made, "empty_area_free", False):
        return

    def update_footnote_area(self) -> bool:
        overflow = made(self)
        area = self.current_footnote_area
        if not area.children and area.height == 0 and not self.in_column:
            self.page_bottom += area.margin_height()  # what WeasyPrint took for an area with no notes
            area.height = "auto"  # as on a page that never had a note: the next update takes nothing back
        return overflow

    update_footnote_area.empty_area_free = True
    LayoutContext._update_footnote_area = update_footnote_area


def _chapter_start(document, index: int) -> int:
    """The index of the page that opens the chapter page *index* belongs to."""
    while index > 0 and not pdf_notes.opens_chapter(document.pages[index]._page_box):
        index -= 1
    return index
