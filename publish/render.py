"""The filtered book rendered to HTML once, for every edition to lay out.

pandoc writes all chapters in one call. Each note call becomes a placeholder
``<a class="note-call">`` and each note body a separate fragment, so that an
edition decides where a note goes: beside its paragraph (web), at the end of
its chapter file (EPUB) or at its call for the foot of the page (print).

pandoc writes a document's top-level blocks one after the other, each on its
own, so a chapter's two (its text, its notes) are the same text whether
written with the book or alone. Each chapter's is kept in the output folder's
cache under its filtered AST's key (``FilteredChapter.key``), and a rebuild
writes only the chapters whose key is new; the book's HTML is theirs joined.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import logging
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import panflute as pf
from lxml import html as lxml_html
from lxml.html import HtmlElement

from publish import anchors, pandoc, sanitise
from publish.errors import ResourceError
from publish.filters import ids, notes
from publish.pipeline import Ast, FilteredChapter

RENDERED = "rendered"  # the folder, in the chapter cache's, of each chapter's HTML from pandoc, by its AST's key

BLOCK_TAGS = {"p", "div", "ul", "ol", "li", "blockquote", "pre", "table", "thead", "tbody", "tr", "td", "th",
              "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "hr", "section", "aside"}


# What a span may carry of a block's attributes (the rest is not valid HTML on a span).
SPAN_ATTRIBUTES = {"id", "class", "lang", "dir", "title", "style", "role"}


@dataclass
class Note:
    number: int
    id: str  # the note's id: its call links here
    call_id: str  # the call's id: the note's backlink returns here
    body: HtmlElement  # <div> holding the note's blocks


@dataclass
class RenderedChapter:
    id: str
    title: str  # plain text of the chapter's first heading
    running_head: str
    classes: list[str]
    body: HtmlElement  # <div> holding the chapter's blocks, calls as placeholders
    notes: list[Note] = field(default_factory=list)
    matter: str = "body"  # "front", "body" or "back": which folios its pages carry
    source: str = ""  # the chapter's file, for warnings that name it


def render(ast: Ast, warn: anchors.Warn | None = None, cache_folder: Path | None = None,
           reuse: bool = True) -> list[RenderedChapter]:
    """All chapters to HTML with one pandoc run; notes split out, block wrappers unwrapped.

    Ids are made unique across the book and links mended (anchors.py); *warn* hears each repair.
    With a *cache_folder*, each chapter's HTML from pandoc is kept there, and (if *reuse*) a chapter
    kept is not written again.
    """
    out = _pandoc_html(ast, cache_folder / RENDERED if cache_folder is not None else None, reuse)
    root = lxml_html.fragment_fromstring(out, create_parent="div")
    if found := sanitise.active(root):  # the safety check read it as a browser would; this is the last guard
        raise ResourceError(f"the rendered book still carries script ({'; '.join(found[:3])}): please report this")
    _drop_comments(root)
    _show_captions(root)
    _unwrap_blocks(root)
    wrappers = {element.get("id"): element for element in root}  # each chapter's two blocks, at the top
    parts = [anchors.Chapter(f.id, f.chapter.path, f.chapter.text, [wrappers[f"{kind}--{f.id}"]
                                                                    for kind in ("chapter", "notes")])
             for f in ast]
    said: set[str] = set()

    def once(message: str) -> None:  # a repair named once, however many links share it
        if message not in said:
            said.add(message)
            (warn or _log_warning)(message)

    anchors.repair(parts, once)
    return [_chapter(filtered, wrappers) for filtered in ast]


def _pandoc_html(ast: Ast, folder: Path | None, reuse: bool) -> str:
    """The book's HTML as one pandoc run writes it: each chapter's kept in *folder*, or written (in one run)."""
    html: dict[int, str] = {}
    if folder is not None and reuse:
        for index, filtered in enumerate(ast):
            with contextlib.suppress(OSError, UnicodeDecodeError):
                if filtered.key:
                    html[index] = (folder / f"{filtered.key}.html").read_text(encoding="utf-8")
    todo = [index for index in range(len(ast)) if index not in html]
    if todo or not ast:
        # the chapters parted by a marker no manuscript holds, each chapter's text taken from between them
        marker = f"<!-- publish: a chapter ends {secrets.token_hex(16)} -->"
        blocks: list[pf.Block] = []
        for index in todo:
            blocks += [pf.RawBlock(marker, format="html")] if blocks else []
            blocks += _blocks(ast[index])
        out = pandoc.write(pf.Doc(*blocks).to_json(), "html5", "--wrap=none", "--mathml")
        if not ast:
            return out
        pieces = out.split(f"{marker}\n")
        if len(pieces) != len(todo):
            raise RuntimeError("pandoc wrote the marker between chapters other than as given: please report this")
        html.update(zip(todo, pieces, strict=True))
        if folder is not None:
            _keep(folder, {ast[index].key: html[index] for index in todo if ast[index].key})
    if folder is not None and all(filtered.key for filtered in ast) and folder.is_dir():
        for stale in set(folder.glob("*.html")) - {folder / f"{filtered.key}.html" for filtered in ast}:
            stale.unlink(missing_ok=True)  # keep only the current chapters'
    return "".join(html[index] for index in range(len(ast)))


def _blocks(filtered: FilteredChapter) -> list[pf.Div]:
    """A chapter's two top-level blocks: its text, calls as placeholders, and its notes' bodies."""
    doc = pf.load(io.StringIO(json.dumps(filtered.doc.to_json())))  # a copy: the walk changes it
    note_divs: list[pf.Div] = []
    doc.walk(lambda elem, _doc, bodies=note_divs: _placeholder(elem, bodies))
    return [pf.Div(*doc.content, identifier=f"chapter--{filtered.id}"),
            pf.Div(*note_divs, identifier=f"notes--{filtered.id}")]


def _keep(folder: Path, html: dict[str, str]) -> None:
    from publish.errors import PublishError
    from publish.output import write_bytes

    with contextlib.suppress(OSError, PublishError):  # a cache that cannot be written only costs time
        for key, text in html.items():
            write_bytes(folder / f"{key}.html", text.encode("utf-8"))


def _log_warning(message: str) -> None:
    logging.getLogger("publish.render").warning("%s", message)


def _placeholder(elem: pf.Element, bodies: list[pf.Div]):
    if isinstance(elem, pf.Span) and notes.CLASS in elem.classes:
        note = next(child for child in elem.content if isinstance(child, pf.Note))
        attrs = elem.attributes
        bodies.append(pf.Div(*note.content, identifier=attrs["note-id"], attributes={"number": attrs["number"]}))
        return pf.RawInline(
            f'<a class="note-call" data-note-id="{attrs["note-id"]}" data-call-id="{elem.identifier}" '
            f'data-number="{attrs["number"]}"></a>',
            format="html",
        )
    return None


def _drop_comments(root: HtmlElement) -> None:
    """An author's ``<!-- … -->`` is a note to self: no edition shows it (the text around it stays)."""
    for comment in root.xpath("//comment() | //processing-instruction()"):
        comment.drop_tree()  # lxml keeps the comment's tail text in its place


def _show_captions(root: HtmlElement) -> None:
    """A figure's caption is text every reader gets: pandoc hides it from assistive technology
    when it repeats the image's alt text, which leaves it out of the text the editions carry."""
    for caption in root.xpath("//figcaption[@aria-hidden]"):
        del caption.attrib["aria-hidden"]


def _unwrap_blocks(root: HtmlElement) -> None:
    """``<div class="block" id=X><p>…</p></div>`` → ``<p id=X>…</p>``."""
    for div in root.xpath(f'//div[@class="{ids.CLASS}"]'):
        children = list(div)
        if len(children) == 1 and not (div.text or "").strip() and not children[0].get("id"):
            children[0].set("id", div.get("id"))
            div.getparent().replace(div, children[0])


def _chapter(filtered, wrappers: dict[str, HtmlElement]) -> RenderedChapter:
    body = wrappers[f"chapter--{filtered.id}"]
    notes_div = wrappers[f"notes--{filtered.id}"]
    for element in (body, notes_div):
        del element.attrib["id"]
    heading = body.find(".//h1")
    if heading is None:
        heading = next(iter(body.xpath(".//h2|.//h3")), None)
    title = " ".join(heading.text_content().split()) if heading is not None else filtered.id
    note_list = []
    for div in notes_div:
        number = int(div.get("data-number"))
        note_list.append(Note(number, div.get("id"), f"{filtered.id}-call-{number}", div))
        del div.attrib["id"]
        del div.attrib["data-number"]
    note_list.sort(key=lambda note: note.number)  # numbered in reading order, collected in the AST's
    return RenderedChapter(
        id=filtered.id,
        title=title,
        running_head=(heading.get("data-running-head") if heading is not None else None) or title,
        classes=(heading.get("class") or "").split() if heading is not None else [],
        body=body,
        notes=note_list,
        matter=filtered.chapter.matter,
        source=str(filtered.chapter.path),
    )


FIELDS = ("id", "title", "running_head", "classes", "matter", "source")  # a chapter's plain fields


def dump(chapters: list[RenderedChapter]) -> list[dict]:
    """The rendered chapters as plain data (strings), to send to another process."""
    def text(element: HtmlElement) -> str:
        return lxml_html.tostring(element, encoding="unicode", with_tail=False)

    return [
        {**{k: getattr(c, k) for k in FIELDS}, "body": text(c.body),
         "notes": [(n.number, n.id, n.call_id, text(n.body)) for n in c.notes]}
        for c in chapters
    ]


def load(data: list[dict]) -> list[RenderedChapter]:
    """The inverse of ``dump``."""
    def element(text: str) -> HtmlElement:
        return lxml_html.fragment_fromstring(text)

    return [
        RenderedChapter(
            id=c["id"], title=c["title"], running_head=c["running_head"], classes=list(c["classes"]),
            body=element(c["body"]), notes=[Note(n, i, call, element(body)) for n, i, call, body in c["notes"]],
            matter=c.get("matter", "body"), source=c.get("source", ""),
        )
        for c in data
    ]


def calls(body: HtmlElement) -> list[HtmlElement]:
    """The note-call placeholders in *body*, in order."""
    return body.xpath('.//a[@class="note-call"]')


def as_inline(block: HtmlElement, prefix: str = "n") -> HtmlElement:
    """A copy of *block* with every block element turned into a ``<span class="n-p">``.

    Sidenotes and print footnotes sit inside the paragraph of their call,
    where HTML allows only phrasing content.
    """
    inline = copy.deepcopy(block)
    for element in inline.iter():
        if isinstance(element.tag, str) and element.tag in BLOCK_TAGS:
            element.set("class", " ".join(filter(None, [f"{prefix}-{element.tag}", element.get("class")])))
            element.tag = "span"
            for name in set(element.attrib) - SPAN_ATTRIBUTES:  # <ol start type>, <td colspan>…
                if not name.startswith(("data-", "aria-")):
                    del element.attrib[name]
    return inline


ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
         (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def list_marker(number: int, kind: str = "1") -> str:
    """An ordered list item's number as HTML's ``type`` sets it: 1, a, A, i or I."""
    if kind in "aA" and number > 0:
        text = ""
        while number:
            number, rest = divmod(number - 1, 26)
            text = chr(ord("a") + rest) + text
        return text.upper() if kind == "A" else text
    if kind in "iI" and 0 < number < 4000:
        text = ""
        for value, letters_ in ROMAN:
            while number >= value:
                text, number = text + letters_, number - value
        return text.upper() if kind == "I" else text
    return str(number)


def number_lists(body: HtmlElement) -> HtmlElement:
    """A copy of *body* whose ordered lists carry their numbers as text (``span.list-number``).

    A PDF reader takes CSS list markers out of reading order (after the page's
    text); numbers set as text stay where the reader sees them.
    """
    body = copy.deepcopy(body)
    for ol in body.iter("ol"):
        start, kind = int(ol.get("start") or 1), ol.get("type") or "1"
        ol.set("class", " ".join(filter(None, [ol.get("class"), "numbered"])))
        for offset, item in enumerate(ol.iterchildren("li")):
            # the number goes into the item's first paragraph (or block wrapper) so that it shares its line
            first = item[0] if len(item) and item[0].tag in ("p", "div") and not (item.text or "").strip() else item
            marker = lxml_html.Element("span", {"class": "list-number"})
            marker.text = f"{list_marker(start + offset, kind)}."
            marker.tail, first.text = first.text, None
            first.insert(0, marker)
    return body
