"""Pages of the print PDF, each classed for the proofreader.

Blocks are mapped to pages by their ids, which WeasyPrint writes as named
destinations, so an insertion on page 3 does not flag every later page. A
new page is TEXT if it holds a changed block or note (re-read it); REFLOW if
no text changed but its lines differ from every old page (check the breaks);
SHIFTED if an old page had the same lines under another folio (skip it);
VISUAL if the same page has the same lines but different pixels (style or
font); IDENTICAL otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from publish.diff import folios, images, marks
from publish.diff.notes import NoteChange
from publish.diff.reading import Block, Edition
from publish.diff.text import FOLD, Pair
from publish.readers.pdf import PdfFile, named_destinations

CLASSES = ("text", "reflow", "shifted", "visual", "identical")
MAX_IMAGES = 60  # pages whose images go into the report


@dataclass
class Page:
    index: int
    label: str  # the folio printed on the page, else its place in the file
    body: tuple[str, ...]  # its lines, running head and folio left out
    furniture: list[tuple[float, float, float, float]]  # running head and folio areas (fractions)
    first_words: str = ""


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


@dataclass
class Pages:
    results: list[PageResult]
    old_count: int
    new_count: int
    old_pages_of: dict[str, list[int]]  # block or note id → page indexes (old)
    new_pages_of: dict[str, list[int]]
    old_labels: list[str]
    new_labels: list[str]


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
        text_pages = _text_pages(pairs, notes, both.new_of)
        results = [_classify(page, text_pages, both) for page in new_pages]
    finally:
        old_doc.close()
        new_doc.close()
    for result in [r for r in results if r.new_image][MAX_IMAGES:]:
        result.old_image = result.new_image = ""  # a report stays a file one can open
    return Pages(results, len(old_pages), len(new_pages), both.old_of, both.new_of,
                 [p.label for p in old_pages], [p.label for p in new_pages])


def _read_pages(doc: PdfFile) -> list[Page]:
    """Each page's lines (readers.pdf: running head and folio set apart), folded for comparison."""
    pages = []
    for page in doc.text():
        body = [_folded(line.text) for line in page.body]
        pages.append(Page(page.index, page.folio, tuple(body),
                          [_fraction(line.box, doc[page.index]) for line in page.furniture],
                          _words(body[0]) if body else ""))
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


def _text_pages(pairs: list[Pair], notes: list[NoteChange], pages_of: dict[str, list[int]]) -> dict[int, list[str]]:
    """New page index → ids of the changed blocks and notes on it."""
    found: dict[int, list[str]] = {}
    anchor = None
    for pair in reversed(pairs):  # a deleted block is marked where its successor now is
        if pair.new is not None:
            anchor = pair.new.id
        if pair.kind is not None:
            name = pair.new.id if pair.new is not None else anchor
            for page in pages_of.get(name, [])[:None if pair.new is not None else 1]:
                found.setdefault(page, []).append(pair.new.id if pair.new is not None else pair.old.id)
    for change in notes:
        if change.kind is None:
            continue
        note = change.new or change.old
        where = pages_of.get(change.new.id, []) if change.new else []
        where = where[:1] or pages_of.get(note.block, [])[:1]
        for page in where:
            found.setdefault(page, []).append(note.id)
    return found


def _classify(page: Page, text_pages: dict[int, list[str]], both: _Both) -> PageResult:
    result = PageResult(page.index, page.label, "identical",
                        blocks=[name for name, where in both.new_of.items() if page.index in where])
    if page.index in text_pages:
        result.cls = "text"
        result.old_index = _old_counterpart(page.index, text_pages[page.index] + result.blocks, both)
    else:
        same = [p.index for p in both.old_pages if p.body == page.body]
        if not same:
            result.cls = "reflow"
            result.old_index = _old_counterpart(page.index, result.blocks, both)
        else:
            result.old_index = min(same, key=lambda k: abs(k - page.index))
            result.cls = "identical" if result.old_index == page.index else "shifted"
    if result.old_index is not None:
        result.old_label = both.old_pages[result.old_index].label
    if result.cls in ("identical", "shifted", "text") and result.old_index is not None:
        _compare_pixels(result, both.old_pages[result.old_index], page, both)
    if result.cls == "text":
        _mark_words(result, both)
    return result


def _old_counterpart(index: int, names: list[str], both: _Both) -> int | None:
    """The old page that held what this new page holds, by way of a paired block."""
    partner = {p.new.id: p.old.id for p in both.pairs if p.new is not None and p.old is not None}
    placed = [n for n in names if n in partner and partner[n] in both.old_of and n in both.new_of]
    # a block that starts on this page says best where its old page was
    for name in sorted(placed, key=lambda n: both.new_of[n][0] != index):
        k = both.old_of[partner[name]][0] + (index - both.new_of[name][0])
        if 0 <= k < len(both.old_pages):
            return k
    return index if index < len(both.old_pages) else None


def _compare_pixels(result: PageResult, old_page: Page, new_page: Page, both: _Both) -> None:
    """Box what differs; a same-text page with a visible difference outside the folio is VISUAL."""
    moved = result.old_index != result.index
    if moved and (result.old_index - result.index) % 2 and result.cls != "text":
        return  # recto became verso: the whole text block moved with the gutter
    old_image, new_image = images.render(both.old_doc[old_page.index]), images.render(both.new_doc[new_page.index])
    mask = old_page.furniture + new_page.furniture if moved or result.cls == "text" else []
    result.boxes = images.changed_boxes(old_image, new_image, mask)
    if result.boxes and result.cls in ("identical", "shifted"):
        result.cls = "visual"
    if result.cls in ("text", "visual"):
        result.old_image, result.new_image = images.png_data_uri(old_image), images.png_data_uri(new_image)


def _mark_words(result: PageResult, both: _Both) -> None:
    """Mark the inserted words on the new page and the deleted ones on the old."""
    changes = [c for c in both.pairs + both.notes if c.kind is not None]
    on_new = [c for c in changes if c.new is not None and result.index in both.new_of.get(c.new.id, [])]
    result.marks = marks.word_marks(both.new_doc[result.index], on_new, old=False)
    if result.old_index is not None:
        on_old = [c for c in changes if c.old is not None and result.old_index in both.old_of.get(c.old.id, [])]
        result.old_marks = marks.word_marks(both.old_doc[result.old_index], on_old, old=True)
