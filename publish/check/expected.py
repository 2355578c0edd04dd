"""What every edition must carry, read from the filtered AST of the manuscript the manifest names.

The body text of the book, chapter after chapter, with each note's number at
its call; and the notes in order, each with its number and text. Computed from
panflute's AST, not from the shared HTML rendering, so that a fault there
shows as a difference here.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field

import panflute as pf

from publish.book import load_book
from publish.check import Build, Skip, visible
from publish.check.files import HINT, manuscript_folder
from publish.check.text import Words, letters
from publish.filters import notes as note_filter
from publish.pipeline import parse_book

CONTAINERS = (pf.Div, pf.BlockQuote, pf.BulletList, pf.OrderedList, pf.ListItem)
SPECIAL = re.compile(f"\ue000(?P<note>\\d+)\ue001|{visible.OPTIONAL[0]}(?P<optional>[^{visible.OPTIONAL[1]}]*)"
                     f"{visible.OPTIONAL[1]}")


@dataclass
class Note:
    chapter: str
    number: int
    id: str
    call_id: str
    text: str  # letters of the note's text as the PDFs print it
    call: int = 0  # offset of the call's number in the body stream
    markup_text: str | None = None  # letters of the note's text as the HTML and EPUB carry it


@dataclass
class Book:
    body: Words  # the body text as the PDFs print it, calls as their numbers
    notes: list[Note] = field(default_factory=list)
    chapters: list[str] = field(default_factory=list)  # chapter ids in order
    heads: set[str] = field(default_factory=set)  # letters of every running head a page may carry
    markup: Words | None = None  # the body text as the HTML and EPUB carry it
    optional: dict[int, list[str]] = field(default_factory=dict)  # offset in body → letters a PDF may show there


def expected(build: Build) -> Book:
    """The filtered AST of the build's manuscript, as text and notes (parsed once per check run)."""
    return build.memo("expected", lambda: _expected(build))


def _expected(build: Build) -> Book:
    folder = manuscript_folder(build)
    if folder is None:
        raise Skip(f"no manuscript to compare the editions with ({HINT})")
    book = load_book(folder)
    ast = parse_book(book)
    meta = book.metadata
    heads = {letters(meta.title), letters(f"{meta.title}: {meta.subtitle}"), letters(meta.author)}
    notes: list[Note] = []
    texts = []
    docs = [_copy(filtered.doc) for filtered in ast]  # the walk replaces the calls: never in the parsed AST
    shown = visible.formulas(docs)
    for filtered, doc in zip(ast, docs, strict=True):
        doc.walk(lambda elem, _doc, chapter=filtered.id: _mark(elem, chapter, notes, shown, book.root))
        texts.append(plain_text(doc.content))
        heads |= _heads(doc)
    text = "\n\n".join(texts)
    markup = _with_calls(visible.for_edition(text, pdf=False), notes, [f.id for f in ast], heads)
    book = _with_calls(visible.for_edition(text, pdf=True), notes, [f.id for f in ast], heads)
    book.markup = markup.body
    order = {chapter: index for index, chapter in enumerate(book.chapters)}
    book.notes = sorted(notes, key=lambda note: (order[note.chapter], note.number))  # reading order
    return book


def _copy(doc: pf.Doc) -> pf.Doc:
    return pf.load(io.StringIO(json.dumps(doc.to_json())))


def _mark(elem: pf.Element, chapter: str, found: list[Note], shown: dict, root=None):
    """A note call becomes a marker holding the note's index; the note is kept aside.

    Everything else takes the form the editions show (see visible.py).
    """
    if isinstance(elem, pf.Span) and note_filter.CLASS in elem.classes:
        note = next(child for child in elem.content if isinstance(child, pf.Note))
        number = int(elem.attributes["number"])
        text = plain_text(note.content)
        found.append(Note(chapter, number, elem.attributes["note-id"], elem.identifier,
                          letters(visible.for_edition(text, pdf=True)),
                          markup_text=letters(visible.for_edition(text, pdf=False))))
        return pf.Str(f"\ue000{len(found) - 1}\ue001")
    return visible.action(elem, shown, root)


def plain_text(blocks) -> str:
    """The text of *blocks*, a line break between blocks so that words never run together."""
    lines = []
    for block in blocks:
        if isinstance(block, CONTAINERS):
            lines.append(plain_text(block.content))
        elif isinstance(block, pf.Table):  # its caption is set above it
            lines.append(pf.stringify(block.caption))
            lines += [pf.stringify(part) for part in (block.head, *block.content, block.foot)]
        else:
            lines.append(pf.stringify(block))
    return "\n".join(lines)


def _heads(doc: pf.Doc) -> set[str]:
    """Every level-1 heading sets the running head from its page on: one in a div too (a Quarto callout's)."""
    heads = set()

    def take(elem, _doc):
        if isinstance(elem, pf.Header) and elem.level == 1:
            heads.add(letters(pf.stringify(elem)))
            if elem.attributes.get("running-head"):
                heads.add(letters(elem.attributes["running-head"]))

    doc.walk(take)
    return heads


def _with_calls(text: str, notes: list[Note], chapters: list[str], heads: set[str]) -> Book:
    """Put each note's number at its call, and record where in the body stream it is.

    Text the edition may or may not show (visible.OPTIONAL) is taken out, and where it was is kept.
    """
    offset = 0
    plain = []
    optional: dict[int, list[str]] = {}
    at = 0
    for match in SPECIAL.finditer(text):
        before = text[at:match.start()]
        offset += len(letters(before))
        plain.append(before)
        if match["note"] is not None:
            note = notes[int(match["note"])]
            note.call = offset
            plain.append(f"{note.number} ")
            offset += len(letters(plain[-1]))
        elif letters(match["optional"]):
            optional.setdefault(offset, []).append(letters(match["optional"]))
        at = match.end()
    plain.append(text[at:])
    return Book(Words("".join(plain)), notes, chapters, heads - {""}, optional=optional)
