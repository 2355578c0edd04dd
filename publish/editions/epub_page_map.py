"""The print edition's pages as the EPUB's page-list reads them: each page's lines, kept by the page's own content.

Reading a PDF's text glyph by glyph (pdfium, ``readers.pdf``) costs seconds
for a long book, and after an edit to one chapter almost every page is the
one the last build read. So each page's lines are kept, in the output
folder's cache, under a key of all that pdfium reads to draw the page's text:
its content streams and its resources (fonts with their files and maps,
forms, images), hashed object by object; not where the page sits in the
file (its parent, its structure keys, its link annotations, which the join
renumbers). A page whose key is kept is not read again; the others are, and
the running heads and folios are then marked over every page at once
(``readers.furniture``, the same rule as everywhere), so a page's marks
depend on the whole book as when it is read whole.

A line is kept as what the page-list and the furniture rule use of it: its
text, its box, its size and its count of glyphs (``Line``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from publish.readers.furniture import mark_furniture
from publish.readers.pdf import PageText

FILE = "epub-pages/lines.json"  # in a folder of its own: the chapter cache beside it keeps only its own *.json
# Where a page sits in the file, not what it draws: the join renumbers these for every part after an edit.
PLACED = frozenset({"/Parent", "/Annots", "/StructParents"})
# A font descriptor's embedded program. The join subsets it to the glyphs the whole book draws (pdf_join.py),
# so one new letter anywhere changes it on every page; the text read from a page does not: pdfium takes each
# glyph's text from the ToUnicode map, its width from the W array and its box from the descriptor's ascent and
# descent, all of them kept in the key, and the subset keeps every glyph the page draws, ids unchanged.
PROGRAMS = frozenset({"/FontFile", "/FontFile2", "/FontFile3"})


@dataclass(eq=False)
class Line:
    """A line of a page as read (``readers.pdf.Line``), without its glyphs: their count stands for them."""

    text: str
    box: tuple[float, float, float, float]
    size: float
    glyphs: int
    furniture: bool = False

    @property
    def top(self) -> float:
        return self.box[3]

    @property
    def chars(self) -> range:
        """One item per glyph (the furniture rule weighs each line's size by its glyphs)."""
        return range(self.glyphs)


def read(pdf_path: Path, cache_folder: Path | None = None, reuse: bool = True) -> list[PageText]:
    """Every page of *pdf_path*: its lines in reading order, running heads and folios marked.

    With a *cache_folder*, each page's lines are kept there for the next
    read, and (if *reuse*) those already kept are not read again.
    """
    kept = _Kept(cache_folder, reuse)
    with pikepdf.open(pdf_path) as pdf:
        memo: dict = {}
        keys = [page_key(page, memo) for page in pdf.pages]
    lines = {index: kept.get(key) for index, key in enumerate(keys)}
    missing = [index for index, found in lines.items() if found is None]
    if missing:
        from publish.readers.pdf import PdfFile

        with PdfFile(pdf_path) as pdf:
            for index in missing:
                lines[index] = [_summary(line) for line in pdf[index].lines()]
    pages = [PageText(index, lines[index]) for index in range(len(keys))]
    mark_furniture(pages)
    kept.save({key: lines[index] for index, key in enumerate(keys)})
    return pages


def page_key(page: pikepdf.Page, memo: dict | None = None) -> str:
    """The hash of all that the page draws its text from; *memo* keeps the objects hashed (shared fonts)."""
    memo = {} if memo is None else memo
    digest = hashlib.sha256(b"page")
    for name in sorted(set(page.obj.keys()) - PLACED):
        digest.update(name.encode() + b"\0" + _digest(page.obj[name], memo))
    for name in ("/Resources", "/MediaBox", "/CropBox", "/Rotate"):  # inherited from the page tree
        if name not in page.obj and (value := _inherited(page.obj, name)) is not None:
            digest.update(name.encode() + b"\0" + _digest(value, memo))
    return digest.hexdigest()


def _inherited(obj, name: str):
    node = obj.get("/Parent")
    while node is not None:
        if name in node:
            return node[name]
        node = node.get("/Parent")
    return None


def _digest(obj, memo: dict) -> bytes:
    """The hash of *obj* and every object it refers to (an indirect object hashed once)."""
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        if obj.objgen not in memo:
            memo[obj.objgen] = b"cycle"  # what a reference back to an object being hashed counts as
            memo[obj.objgen] = _direct(obj, memo)
        return memo[obj.objgen]
    return _direct(obj, memo)


def _direct(obj, memo: dict) -> bytes:
    digest = hashlib.sha256()
    if isinstance(obj, pikepdf.Stream):
        digest.update(b"stream" + _direct(obj.stream_dict, memo) + obj.read_raw_bytes())
    elif isinstance(obj, pikepdf.Dictionary):
        if obj.get("/Type") == "/Page":
            return b"a page"  # a link to another page (its content is its own key's)
        digest.update(b"<<")
        skip = PROGRAMS if obj.get("/Type") == "/FontDescriptor" else ()
        for name in sorted(set(obj.keys()) - set(skip)):
            digest.update(name.encode() + b"\0" + _digest(obj[name], memo))
    elif isinstance(obj, pikepdf.Array):
        digest.update(b"[")
        for item in obj:
            digest.update(_digest(item, memo))
    elif isinstance(obj, pikepdf.Object):
        digest.update(b"o" + obj.unparse())
    else:  # pikepdf gives numbers and booleans as Python's
        digest.update(f"{type(obj).__name__}:{obj!r}".encode())
    return digest.digest()


def _summary(line) -> Line:
    return Line(line.text, line.box, line.size, len(line.chars))


class _Kept:
    """The pages' lines kept in the cache folder, under a key of the reader's code and tools."""

    def __init__(self, folder: Path | None, reuse: bool):
        self.path = folder / FILE if folder is not None else None
        self.stamp = _reader_stamp()
        self.entries: dict = {}
        if self.path is not None and reuse:
            with contextlib.suppress(OSError, ValueError, AttributeError):
                kept = json.loads(self.path.read_text(encoding="utf-8"))
                if kept.get("reader") == self.stamp:
                    self.entries = kept["pages"]

    def get(self, key: str) -> list[Line] | None:
        found = self.entries.get(key)
        if not isinstance(found, list):
            return None
        try:
            return [Line(text, tuple(box), size, glyphs) for text, box, size, glyphs in found]
        except (TypeError, ValueError):
            return None

    def save(self, pages: dict[str, list[Line]]) -> None:
        """Keep *pages* (this PDF's pages, by key) and only them."""
        if self.path is None:
            return
        from publish.errors import PublishError
        from publish.output import write_bytes

        entries = {key: [[line.text, list(line.box), line.size, line.glyphs] for line in lines]
                   for key, lines in sorted(pages.items())}
        data = json.dumps({"reader": self.stamp, "pages": entries}, ensure_ascii=False, separators=(",", ":"))
        with contextlib.suppress(OSError, PublishError):  # a cache that cannot be written only costs time
            write_bytes(self.path, data.encode("utf-8"))


def _reader_stamp() -> str:
    """What, beside a page's content, shapes the lines read from it: the reader's code and pdfium's version."""
    import pypdfium2

    from publish.readers import pdf as reader

    digest = hashlib.sha256(str(pypdfium2.version.PYPDFIUM_INFO).encode() + str(pypdfium2.version.PDFIUM_INFO).encode())
    for module in (reader, Path(__file__)):
        path = Path(module.__file__) if not isinstance(module, Path) else module
        digest.update(path.read_bytes())
    digest.update((Path(reader.__file__).parent / "pdf_marks.py").read_bytes())
    return digest.hexdigest()
