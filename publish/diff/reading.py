"""Read what a build folder says: its blocks and notes (HTML edition) and its print PDF.

A build folder is the unit of comparison, so the texts come from the build
outputs, never from a manuscript: two old build folders can be compared with
no sources at hand. Files are read only from inside the folder (no symlink
escapes) and only up to a size cap.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import html as lxml_html
from lxml.html import HtmlElement

from publish.diff.text import Token, tokens
from publish.errors import PublishError

MAX_HTML = 64 * 1024 * 1024
MAX_PDF = 512 * 1024 * 1024
BLOCK_TAGS = {"p", "div", "ul", "ol", "blockquote", "pre", "table", "dl", "figure", "hr",
              "h1", "h2", "h3", "h4", "h5", "h6"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass
class Block:
    id: str
    chapter: str
    section: str  # plain text of the heading the block falls under
    tag: str
    tokens: list[Token]


@dataclass
class NoteText:
    id: str
    number: int
    chapter: str
    tokens: list[Token]
    block: str = ""  # id of the block holding the call
    before: tuple[str, ...] = ()  # the words just before the call
    after: tuple[str, ...] = ()  # and just after it


@dataclass
class Edition:
    folder: Path
    blocks: list[Block] = field(default_factory=list)
    notes: list[NoteText] = field(default_factory=list)
    chapters: dict[str, str] = field(default_factory=dict)  # id → title
    pdf: Path | None = None


def read(folder: Path) -> Edition:
    """The blocks and notes of the build in *folder*, and its print PDF if there is one."""
    index = inside(folder, "html/index.html", MAX_HTML)
    if index is None:
        raise PublishError("no HTML edition (html/index.html) in this build folder; build it with -f html", folder)
    try:
        root = lxml_html.document_fromstring(index.read_bytes(), parser=lxml_html.HTMLParser(encoding="utf-8"))
    except (ValueError, lxml_html.etree.ParserError) as error:
        raise PublishError(f"cannot read the HTML edition: {error}", index) from None
    edition = Edition(folder=folder, pdf=print_pdf(folder))
    for article in root.xpath('//article[contains(concat(" ", @class, " "), " chapter ")]'):
        chapter = (article.get("id") or "").removeprefix("chapter-")
        heading = next(iter(article.xpath(".//h1|.//h2|.//h3")), None)
        edition.chapters[chapter] = _plain(heading) if heading is not None else chapter
        edition.blocks += _blocks(article, chapter)
        edition.notes += _notes(article, chapter)
    _place_calls(edition)
    return edition


def print_pdf(folder: Path) -> Path | None:
    """The print-ready PDF of the build (``<slug>-print.pdf``), if it was made."""
    found = sorted(p.name for p in folder.glob("*-print.pdf"))
    return inside(folder, found[0], MAX_PDF) if found else None


def inside(folder: Path, name: str, cap: int) -> Path | None:
    """``folder/name`` if it is a regular file inside *folder* and under *cap* bytes."""
    base = folder.resolve()
    path = (folder / name).resolve()
    if not path.is_relative_to(base) or not path.is_file():
        return None
    if path.stat().st_size > cap:
        raise PublishError(f"refusing to read a file over {cap / 2**20:g} MB", path)
    return path


def _blocks(article: HtmlElement, chapter: str) -> list[Block]:
    blocks: list[Block] = []
    section = ""
    for element in article.iter():
        if not isinstance(element.tag, str) or element.tag not in BLOCK_TAGS or not element.get("id"):
            continue
        if element.xpath('ancestor::section[contains(@class, "notes")]'):
            continue
        if element.tag in HEADINGS:
            section = _plain(element)
        if any(d.get("id") and d.tag in BLOCK_TAGS for d in element.iterdescendants() if isinstance(d.tag, str)):
            continue  # only the innermost blocks carry text of their own
        blocks.append(Block(element.get("id"), chapter, section, element.tag, tokens(_without_sidenotes(element))))
    return blocks


def _notes(article: HtmlElement, chapter: str) -> list[NoteText]:
    notes = []
    for aside in article.xpath('.//aside[@role="doc-footnote"]'):
        body = copy.deepcopy(aside)
        number = body.xpath('.//span[contains(@class, "note-number")]')
        for element in number + body.xpath('.//a[@role="doc-backlink"]'):
            element.drop_tree()
        digits = re.sub(r"\D", "", _plain(number[0])) if number else ""
        notes.append(NoteText(aside.get("id", ""), int(digits or 0), chapter, tokens(body)))
    return notes


def _place_calls(edition: Edition) -> None:
    """Record for each note the block of its call and the words either side of it."""
    by_id = {note.id: note for note in edition.notes}
    for block in edition.blocks:
        words = [t for t in block.tokens if not t.call]
        seen = 0
        for token in block.tokens:
            if token.call:
                note = by_id.get(token.call)
                if note is not None:
                    note.block = block.id
                    note.before = tuple(t.fold for t in words[max(0, seen - 3):seen])
                    note.after = tuple(t.fold for t in words[seen:seen + 3])
            else:
                seen += 1


def _without_sidenotes(element: HtmlElement) -> HtmlElement:
    """A copy without the web edition's sidenotes (the note is read once, from its aside)."""
    element = copy.deepcopy(element)
    for side in element.xpath('.//span[contains(concat(" ", @class, " "), " sidenote ")]'):
        side.drop_tree()
    return element


def _plain(element: HtmlElement) -> str:
    return " ".join(element.text_content().split())
