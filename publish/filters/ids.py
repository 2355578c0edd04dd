"""A stable id on every block: the same from build to build while its text is.

Paragraphs, lists, quotations and other blocks that carry no attributes in
pandoc's AST are wrapped in a Div ``.block`` whose id is the chapter id and a
short hash of the block's text (``foreword-3fa9c2``); a repeated text gets
``-2``, ``-3``. Headings and Divs keep an id they have and get one if not.
The print edition and the proofreader's diff align blocks by these ids.
"""

from __future__ import annotations

import hashlib

import panflute as pf

from publish.filters.base import ancestors, chapter_id_of, standalone

CLASS = "block"
WRAPPED = (pf.Para, pf.Plain, pf.BlockQuote, pf.BulletList, pf.OrderedList, pf.DefinitionList,
           pf.LineBlock, pf.CodeBlock, pf.Table, pf.HorizontalRule)


def prepare(doc: pf.Doc) -> None:
    doc.block_chapter = chapter_id_of(doc)
    doc.block_ids = set()
    # ids already in the document (a second run, or ids the author wrote) stay.
    doc.walk(lambda e, d: doc.block_ids.add(e.identifier) if getattr(e, "identifier", "") else None)


def action(elem: pf.Element, doc: pf.Doc):
    if isinstance(elem, pf.Doc) or _in_note_or_block(elem):
        return None
    if isinstance(elem, (pf.Header, pf.Div)):
        if not elem.identifier:
            # A Div with a role keeps it in its id (foreword-byline); others hash.
            named = isinstance(elem, pf.Div) and elem.classes
            elem.identifier = _new_id(doc, elem, elem.classes[0] if named else None)
        return None
    if isinstance(elem, WRAPPED) and isinstance(elem.parent, (pf.Doc, pf.Div, pf.BlockQuote, pf.ListItem)):
        return pf.Div(elem, identifier=_new_id(doc, elem), classes=[CLASS])
    return None


def block_hash(elem: pf.Element) -> str:
    text = " ".join(pf.stringify(elem).split())
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]


def _new_id(doc: pf.Doc, elem: pf.Element, name: str | None = None) -> str:
    base = f"{doc.block_chapter}-{name or block_hash(elem)}"
    candidate, n = base, 1
    while candidate in doc.block_ids:
        n += 1
        candidate = f"{base}-{n}"
    doc.block_ids.add(candidate)
    return candidate


def _in_note_or_block(elem: pf.Element) -> bool:
    parent = elem.parent
    if isinstance(parent, pf.Div) and CLASS in parent.classes:
        return True
    return any(isinstance(node, pf.Note) for node in ancestors(elem))


def main(doc: pf.Doc | None = None):
    return pf.run_filter(action, prepare=prepare, doc=doc)


def run() -> None:
    """``pandoc --filter publish-filter-ids`` (the console script)."""
    standalone(main, "ids")


if __name__ == "__main__":
    run()
