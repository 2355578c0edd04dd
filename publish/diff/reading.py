"""What a build folder says, for the diff: its blocks and notes (HTML edition) and its print PDF.

A build folder is the unit of comparison, so the texts come from the build
outputs, never from a manuscript: two old build folders can be compared with
no sources at hand. The files are found and parsed by ``publish.readers``
(only from inside the folder, no symlink escapes, under a size cap); here
they become the diff's blocks and notes, word tokens and calls.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from lxml.html import HtmlElement

from publish.diff.text import Token, tokens
from publish.errors import PublishError
from publish.plan import EDITIONS
from publish.readers import html as html_reader
from publish.readers.folder import MAX_HTML, MAX_PDF, inside, print_pdf

__all__ = ["MAX_HTML", "MAX_PDF", "Block", "Edition", "NoteText", "PublishError", "inside", "print_pdf", "read"]
HTML = EDITIONS["html"].path("")  # where a build folder holds the HTML edition
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
    index = inside(folder, HTML, MAX_HTML)
    if index is None:
        raise PublishError("no HTML edition (html/index.html) in this build folder; build it with -f html", folder)
    root = html_reader.parse(index)
    edition = Edition(folder=folder, pdf=print_pdf(folder))
    for article in html_reader.chapters(root):
        chapter = (article.get("id") or "").removeprefix("chapter-")
        heading = next(iter(article.xpath(".//h1|.//h2|.//h3")), None)
        edition.chapters[chapter] = _plain(heading) if heading is not None else chapter
        edition.blocks += _blocks(article, chapter)
        edition.notes += _notes(article, chapter)
    _place_calls(edition)
    return edition


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
    for aside in html_reader.notes(article):
        body = copy.deepcopy(aside)
        for element in body.xpath(html_reader.NUMBER):
            element.drop_tree()
        notes.append(NoteText(aside.get("id", ""), html_reader.note_number(aside) or 0, chapter, tokens(body)))
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
