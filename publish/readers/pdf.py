"""The PDF editions read back: characters and lines with their positions, named destinations, page images.

Characters come from pdfium in content-stream order, which is WeasyPrint's
reading order (the body, then the footnote area, then the margin boxes); the
line breaks pdfium generates are left out, spaces (the PDF's, or those pdfium
finds between two words) kept. Lines are grouped in that order: a new line starts when a glyph
lies wholly above or below the line so far. Which lines are a page's running
head and folio is decided once, in ``furniture.py``. Positions are PDF
points, y upwards, each glyph's box its font's full height (so a quote mark and an
x-height letter share a line); sizes are points as set (the font size times the text
matrix, so WeasyPrint's 0.75 px→pt scale is undone).

Structure (boxes, fonts, output intents, tags) is read with pypdf through
``objects()``; check/ and diff/ import no PDF library themselves.
"""

from __future__ import annotations

import ctypes
import dataclasses
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from publish.errors import PublishError
from publish.readers.furniture import mark_furniture
from publish.readers.pdf_marks import FigureMarks

Box = tuple[float, float, float, float]  # left, bottom, right, top
GAP = 0.25  # em: a gap between two glyphs this wide parts two words


@dataclass(frozen=True)
class Char:
    text: str
    left: float
    bottom: float
    right: float
    top: float
    size: float  # points
    figure: bool = False  # drawn as part of an image (an SVG's own text), not the book's text


@dataclass(eq=False)
class Line:
    chars: list[Char]  # its glyphs (spaces between words are in text only)
    text: str  # with the spaces the PDF has between words
    furniture: bool = False  # a running head or folio (furniture.py)

    @property
    def box(self) -> Box:
        return (min(c.left for c in self.chars), min(c.bottom for c in self.chars),
                max(c.right for c in self.chars), max(c.top for c in self.chars))

    @property
    def top(self) -> float:
        return max(c.top for c in self.chars)

    @property
    def size(self) -> float:
        return max(c.size for c in self.chars)


@dataclass
class PageText:
    index: int
    lines: list[Line]  # in reading (content-stream) order
    folio: str = ""  # the folio printed on the page, if any
    chars: list[Char] = field(default_factory=list)

    @property
    def body(self) -> list[Line]:
        """The lines that are not running head or folio, in reading order."""
        return [line for line in self.lines if not line.furniture]

    @property
    def furniture(self) -> list[Line]:
        return [line for line in self.lines if line.furniture]


class Page:
    """One page of an open PDF."""

    def __init__(self, page, index: int):
        self._page = page
        self.index = index

    @functools.cached_property
    def chars(self) -> list[Char]:
        """Every character the PDF draws, in content-stream order, generated ones left out."""
        import pypdfium2.raw as pdfium_c

        text = self._page.get_textpage()
        matrix, box = pdfium_c.FS_MATRIX(), pdfium_c.FS_RECTF()
        found = []
        in_figure = FigureMarks(self._page.raw)
        for index in range(text.count_chars()):
            char = chr(pdfium_c.FPDFText_GetUnicode(text.raw, index))
            generated = pdfium_c.FPDFText_IsGenerated(text.raw, index) == 1
            if char == "\x00" or (generated and char != " "):
                continue  # a line break pdfium made; a space it made is kept: it parts two words
            char = "-" if char == "\x02" else char  # pdfium's mark for a hyphen-minus that ends a line
            if found and "\udc00" <= char <= "\udfff" and "\ud800" <= found[-1].text[-1:] <= "\udbff":
                # pdfium gives a character beyond U+FFFF (𝒙, an emoji) as two UTF-16 halves: join them
                joined = (found[-1].text + char).encode("utf-16", "surrogatepass").decode("utf-16")
                found[-1] = dataclasses.replace(found[-1], text=joined)
                continue
            pdfium_c.FPDFText_GetLooseCharBox(text.raw, index, ctypes.byref(box))
            left, bottom, right, top = box.left, box.bottom, box.right, box.top
            scale = abs(matrix.a) if pdfium_c.FPDFText_GetMatrix(text.raw, index, ctypes.byref(matrix)) else 1.0
            found.append(Char(char, left, bottom, right, top, pdfium_c.FPDFText_GetFontSize(text.raw, index) * scale,
                              in_figure(pdfium_c.FPDFText_GetTextObject(text.raw, index))))
        return found

    @property
    def tagged(self) -> bool:
        """Whether the page marks its content (a tagged PDF): then an image's drawn text is known as such."""
        import pypdfium2.raw as pdfium_c

        page = self._page.raw
        return any(pdfium_c.FPDFPageObj_CountMarks(pdfium_c.FPDFPage_GetObject(page, index)) > 0
                   for index in range(pdfium_c.FPDFPage_CountObjects(page)))

    def lines(self, keep: Callable[[Char], bool] | None = None) -> list[Line]:
        """The page's lines in reading order (of the characters *keep* accepts, if given)."""
        return group_lines([c for c in self.chars if keep is None or c.text.isspace() or keep(c)])

    @property
    def trimbox(self) -> Box:
        return tuple(self._page.get_trimbox())

    @property
    def mediabox(self) -> Box:
        return tuple(self._page.get_mediabox())

    def image(self, scale: float):
        """The page's trim box rendered as a grey image (a numpy array, 0 black, 255 white)."""
        media, trim = self.mediabox, self.trimbox
        crop = tuple(max(0.0, c) for c in (trim[0] - media[0], trim[1] - media[1], media[2] - trim[2],
                                           media[3] - trim[3]))
        image = self._page.render(scale=scale, grayscale=True, crop=crop).to_numpy()
        return image[..., 0] if image.ndim == 3 else image

    def find(self, text: str, skip: int = 0) -> list[list[Box]]:
        """Every place *text* is on the page, each as the boxes of its lines (its first *skip* chars left out)."""
        text_page = self._page.get_textpage()
        searcher = text_page.search(text, match_case=True)
        found = []
        while (match := searcher.get_next()) is not None:
            index, count = match[0] + skip, match[1] - skip
            found.append([tuple(text_page.get_rect(i)) for i in range(text_page.count_rects(index, count))])
        return found


class PdfFile:
    """An open PDF edition: ``with PdfFile(path) as pdf: pdf[0].lines()``."""

    def __init__(self, path: Path):
        import pypdfium2 as pdfium

        self.path = Path(path)
        try:
            self._document = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as error:
            raise PublishError(f"cannot read a PDF: {error}", path) from None
        self._pages: dict[int, Page] = {}

    def __enter__(self) -> PdfFile:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._pages.clear()
        self._document.close()

    def __len__(self) -> int:
        return len(self._document)

    def __getitem__(self, index: int) -> Page:
        if index not in self._pages:
            self._pages[index] = Page(self._document[index], index)
        return self._pages[index]

    def __iter__(self) -> Iterator[Page]:
        return (self[index] for index in range(len(self)))

    @property
    def tagged(self) -> bool:
        """Whether the PDF marks its content (WeasyPrint's tagged PDF): its first page with content says."""
        return next((page.tagged for page in self if page.chars), False)

    def text(self, is_head: Callable[[str], bool] | None = None, figures: bool = True) -> list[PageText]:
        """Every page's lines, running heads and folios marked (*is_head* names the book's running heads).

        Without *figures*, the text an image draws (an SVG's labels, in a tagged PDF) is left out.
        """
        keep = None if figures else (lambda char: not char.figure)
        pages = [PageText(page.index, page.lines(keep), chars=page.chars) for page in self]
        mark_furniture(pages, is_head)
        return pages


def read_text(path: Path, is_head: Callable[[str], bool] | None = None, figures: bool = True) -> list[PageText]:
    """The pages of the PDF at *path*: lines in reading order, running heads and folios marked."""
    with PdfFile(path) as pdf:
        return pdf.text(is_head, figures)


def is_tagged(path: Path) -> bool:
    """Whether the PDF at *path* marks its content, so that an image's own text is known (``Char.figure``)."""
    with PdfFile(path) as pdf:
        return pdf.tagged


def group_lines(chars: list[Char]) -> list[Line]:
    """Characters in stream order → lines: a new line starts when a glyph lies wholly above or below the line.

    Words are parted where the PDF has a space, or a gap of a quarter em (a note's number and its text).
    """
    lines: list[Line] = []
    low = high = 0.0
    space = False
    for char in chars:
        if char.text.isspace():
            space = bool(lines)
            continue
        if lines and char.bottom < high and char.top > low:
            space = space or char.left - lines[-1].chars[-1].right > GAP * char.size
            lines[-1].chars.append(char)
            lines[-1].text += (" " if space else "") + char.text
            low, high = min(low, char.bottom), max(high, char.top)
        else:
            lines.append(Line([char], char.text))
            low, high = char.bottom, char.top
        space = False
    return lines


def named_destinations(path: Path) -> dict[str, int]:
    """Named destination (WeasyPrint writes one for each element id) → index of its page."""
    import pypdf

    try:
        reader = objects(path)
        found = {}
        for name, destination in reader.named_destinations.items():
            page = reader.get_destination_page_number(destination)
            if page is not None and page >= 0:
                found[str(name)] = page
        return found
    except (pypdf.errors.PyPdfError, ValueError, KeyError) as error:
        raise PublishError(f"cannot read the named destinations: {error}", path) from None


def objects(path: Path):
    """The PDF's objects (a ``pypdf.PdfReader``) for what its text does not say: boxes, fonts, intents, tags."""
    path = Path(path)
    return _objects(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _objects(path: Path, mtime: int):
    from pypdf import PdfReader

    return PdfReader(path)
