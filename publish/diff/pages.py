"""Pages of the print PDF, each classed for the proofreader.

Blocks are mapped to pages by their ids, which WeasyPrint writes as named
destinations, so an insertion on page 3 does not flag every later page.
This module reads the two PDFs (pages, lines, destinations) and hands the
classing to ``classify`` (what the renders show), ``locate`` (where each
change is) and ``breaks`` (what moved on a reflowed page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from publish.diff import breaks, classify, folios, images, locate, marks
from publish.diff.notes import NoteChange
from publish.diff.reading import Block, Edition
from publish.diff.text import FOLD, Pair
from publish.readers.pdf import PdfFile, named_destinations

CLASSES = ("text", "reflow", "renumbered", "furniture", "shifted", "visual", "blank-added", "identical")
SHOWN = ("text", "reflow", "renumbered", "furniture", "visual", "blank-added")  # pages the summary sends one to
MAX_IMAGES = 60  # pages whose images go into the report


@dataclass
class Page:
    index: int
    label: str  # the folio printed on the page, else its place in the file
    body: tuple[str, ...]  # its lines, running head and folio left out
    furniture: list[tuple[float, float, float, float]]  # running head and folio areas (fractions)
    first_words: str = ""
    boxes: tuple[tuple[float, float, float, float], ...] = ()  # each body line's box in points (l, b, r, t)
    furniture_text: tuple[str, ...] = ()  # the running head and folio as printed


@dataclass
class PageResult:
    index: int
    label: str
    cls: str
    old_index: int | None = None
    old_label: str | None = None
    blocks: list[str] = field(default_factory=list)
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)
    old_image: str = ""
    new_image: str = ""
    marks: list[tuple[float, float, float, float]] = field(default_factory=list)  # inserted words (new page)
    old_marks: list[tuple[float, float, float, float]] = field(default_factory=list)  # deleted words (old page)
    findings: list[str] = field(default_factory=list)  # what moved at the breaks (widow, orphan, page end…)
    line_ends: list[tuple[float, float, float, float]] = field(default_factory=list)  # new line ends (new page)
    page_end: list[tuple[float, float, float, float]] = field(default_factory=list)  # the moved page end
    note_marks: list[tuple[float, float, float, float]] = field(default_factory=list)  # notes that moved here
    margin: tuple[float, float] = (0.05, 0.05)  # where the change bars go: the old and new text block's left edge
    place_label: str = ""  # a page with no old page: the old page that was at its place (shown beside it)


@dataclass
class Pages:
    results: list[PageResult]
    old_count: int
    new_count: int
    old_pages_of: dict[str, list[int]]  # block or note id → page indexes (old)
    new_pages_of: dict[str, list[int]]
    old_labels: list[str]
    new_labels: list[str]
    removed: list[PageResult] = field(default_factory=list)  # old pages no new page replaces (index: old page)


@dataclass
class _Both:
    """Everything the classifier reads of both sides."""

    old_pages: list[Page]
    new_pages: list[Page]
    old_of: dict[str, list[int]]
    new_of: dict[str, list[int]]
    old_doc: PdfFile
    new_doc: PdfFile
    pairs: list[Pair]
    notes: list[NoteChange]


def compare(old: Edition, new: Edition, pairs: list[Pair], notes: list[NoteChange]) -> Pages:
    """Class every page of the new print PDF against the old one."""
    old_doc = PdfFile(old.pdf)
    try:
        new_doc = PdfFile(new.pdf)
    except BaseException:
        old_doc.close()
        raise
    try:
        old_pages, new_pages = _read_pages(old_doc), _read_pages(new_doc)
        both = _Both(old_pages, new_pages, _spans(old.blocks, _destinations(old.pdf), old_pages),
                     _spans(new.blocks, _destinations(new.pdf), new_pages), old_doc, new_doc, pairs, notes)
        results, gone = _classify_all(both)
    finally:
        old_doc.close()
        new_doc.close()
    for result in [r for r in results + gone if r.new_image or r.old_image][MAX_IMAGES:]:
        result.old_image = result.new_image = ""  # a report stays a file one can open
    return Pages(results, len(old_pages), len(new_pages), both.old_of, both.new_of,
                 [p.label for p in old_pages], [p.label for p in new_pages], gone)


def _read_pages(doc: PdfFile) -> list[Page]:
    """Each page's lines (readers.pdf: running head and folio set apart), folded for comparison."""
    pages = []
    for page in doc.text():
        body = [_folded(line.text) for line in page.body]
        pages.append(Page(page.index, page.folio, tuple(body),
                          [_fraction(line.box, doc[page.index]) for line in page.furniture],
                          _words(body[0]) if body else "", tuple(line.box for line in page.body),
                          tuple(_folded(line.text) for line in page.furniture)))
    folios.infer(pages)
    return pages


def _folded(text: str) -> str:
    return " ".join(text.translate(FOLD).split())


def _fraction(box: tuple, page) -> tuple[float, float, float, float]:
    """A box in page points as fractions of the rendered trim box (left, top, width, height)."""
    left, bottom, right, top = page.trimbox
    width, height = right - left, top - bottom
    return ((box[0] - left) / width - 0.01, (top - box[3]) / height - 0.01,
            (box[2] - box[0]) / width + 0.02, (box[3] - box[1]) / height + 0.02)


def _destinations(path: Path) -> dict[str, int]:
    """Element id → index of the page it starts on, from the PDF's named destinations."""
    return named_destinations(path)


def _spans(blocks: list[Block], starts: dict[str, int], pages: list[Page]) -> dict[str, list[int]]:
    """Block id → the pages it is on: from its own start to the start of the next block."""
    if not starts:
        return {}  # a PDF without named destinations: no block can be placed on a page
    placed = [b for b in blocks if b.id in starts]
    last_text = max((p.index for p in pages if p.body), default=0)
    spans = {name: [page] for name, page in starts.items()}
    for i, block in enumerate(placed):
        first = starts[block.id]
        last = starts[placed[i + 1].id] if i + 1 < len(placed) else last_text
        if i + 1 < len(placed) and last > first and _opens_page(placed[i + 1], pages[last]):
            last -= 1  # the next block starts its page: this one ended on the page before
        # a blank page between chapters holds nothing of the block before it
        spans[block.id] = [p for p in range(first, max(first, last) + 1) if p == first or pages[p].body]
    previous: list[int] = []
    for block in blocks:  # a block the PDF gave no destination shares its neighbour's pages
        previous = spans.setdefault(block.id, previous[-1:] or [0])
    return spans


def _opens_page(block: Block, page: Page) -> bool:
    start = _words("".join(t.text for t in block.tokens[:8] if not t.call))
    return bool(start and page.first_words) and (start.startswith(page.first_words)
                                                 or page.first_words.startswith(start))


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.translate(FOLD).lower())[:3])


def _classify_all(both: _Both) -> tuple[list[PageResult], list[PageResult]]:
    """Every new page classed against the old page it replaces; the old pages none replaces."""
    paired = classify.pair_pages(both.old_pages, both.new_pages)
    found = locate.changes(both)
    renumbering = {n.old.number: n.new.number for n in both.notes if n.renumbered}
    heads = classify.running_heads(both.old_pages)
    results = []
    for page, k in zip(both.new_pages, paired, strict=True):
        old_page = both.old_pages[k] if k is not None else None
        new_image = images.render(both.new_doc[page.index])
        old_image = images.render(both.old_doc[k]) if k is not None else None
        has_change = page.index in found.new or k in found.old
        cls, boxes = classify.page_class(old_page, page, old_image, new_image, renumbering, has_change, heads)
        result = PageResult(page.index, page.label, cls, k, old_page.label if old_page else None,
                            blocks=[name for name, where in both.new_of.items() if page.index in where], boxes=boxes)
        if cls in SHOWN:
            _show(result, old_image, new_image, found, both)
            if old_image is None and page.index < len(both.old_pages):  # a new page: beside the old one at its place
                result.old_image = images.png_data_uri(images.render(both.old_doc[page.index]))
                result.place_label = both.old_pages[page.index].label
        results.append(result)
    gone = [PageResult(k, both.old_pages[k].label, cls, k, both.old_pages[k].label,
                       old_image=images.png_data_uri(images.render(both.old_doc[k])),
                       old_marks=found.old_marks.get(k, []))
            for k, cls in classify.removed(len(both.old_pages), paired, both.old_pages)]
    return results, gone


def _show(result: PageResult, old_image, new_image, found, both: _Both) -> None:
    """Give a page the summary sends the proofreader to its images, word marks and break findings."""
    result.new_image = images.png_data_uri(new_image)
    result.old_image = images.png_data_uri(old_image) if old_image is not None else ""
    result.margin = (_left_edge(both.old_pages[result.old_index], both.old_doc) if result.old_index is not None
                     else 0.05, _left_edge(both.new_pages[result.index], both.new_doc))
    result.marks = found.new_marks.get(result.index, [])
    result.old_marks = found.old_marks.get(result.old_index, []) if result.old_index is not None else []
    if result.cls in ("text", "reflow") and result.old_index is not None:
        old_page, page = both.old_pages[result.old_index], both.new_pages[result.index]
        moved = _note_moves(result, both)
        renumbering = {n.old.number: n.new.number for n in both.notes if n.renumbered}
        found_breaks = breaks.compare(classify.renumbered(old_page, renumbering), page, both.old_doc[old_page.index],
                                      both.new_doc[page.index], result.label, result.old_label, moved)
        result.findings, result.line_ends, result.page_end = (found_breaks.findings, found_breaks.line_ends,
                                                              found_breaks.page_end)


def _left_edge(page: Page, doc: PdfFile) -> float:
    """The left edge of the page's text block, as a fraction of its trim box width."""
    left, _, right, _ = doc[page.index].trimbox
    return (min(b[0] for b in page.boxes) - left) / (right - left) if page.boxes else 0.05


def _note_moves(result: PageResult, both: _Both) -> list[str]:
    """Notes that start on this page but started elsewhere than its old page."""
    out = []
    for note in both.notes:
        if note.old is None or note.new is None or both.new_of.get(note.new.id, [None])[0] != result.index:
            continue
        was = both.old_of.get(note.old.id, [None])[0]
        if was is not None and was != result.old_index:
            out.append(f"note {note.new.number} now starts on p. {result.label} (it was on old p. "
                       f"{both.old_pages[was].label})")
            result.note_marks += marks.opening_marks(both.new_doc[result.index], note.new.tokens)
    return out
