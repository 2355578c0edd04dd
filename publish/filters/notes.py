"""Check and number the notes: every call has a note, every note a call.

pandoc leaves a call with no definition as literal text (``[^9]``); that is an
error here, as is a definition never called (the build reads pandoc's warning
for those, with the line). Each note is wrapped in a Span ``.note-call`` that
carries its number and stable ids, scoped to the chapter, so that ``[^1]`` in
two chapters never collide. Editions render the call and the note from it.
"""

from __future__ import annotations

import re

import panflute as pf

from publish.errors import NoteError
from publish.filters.base import ancestors, chapter_id_of, standalone

LITERAL_CALL = re.compile(r"\[\^([^\]\s]+)\]")
CLASS = "note-call"


# Where an element's parts are read, in order: a table's caption is set above it.
READING_ORDER = {pf.Table: ("caption", "head", "content", "foot")}


def prepare(doc: pf.Doc) -> None:
    doc.note_chapter = chapter_id_of(doc)
    doc.note_count = 0
    doc.note_order = {id(note): number for number, note in enumerate(_in_reading_order(doc), 1)}


def _in_reading_order(elem: pf.Element):
    """The notes under *elem* as a reader meets them (a table's caption before its cells)."""
    if isinstance(elem, pf.Note):
        if not _in_figure_image(elem):
            yield elem
        return  # a note inside a note is not valid pandoc: nothing to number below
    for name in READING_ORDER.get(type(elem), getattr(elem, "_children", ())):
        child = getattr(elem, name, None)
        if name == "metadata" or child is None:
            continue
        for item in (child if isinstance(child, (list, pf.ListContainer)) else [child]):
            if isinstance(item, pf.Element):
                yield from _in_reading_order(item)


def action(elem: pf.Element, doc: pf.Doc):
    if isinstance(elem, pf.Str):
        match = LITERAL_CALL.search(elem.text)
        if match and not _inside_code(elem):
            raise NoteError(f"note call [^{match[1]}] has no note: define it as '[^{match[1]}]: …'")
        return None
    if isinstance(elem, pf.Note):
        if isinstance(elem.parent, pf.Span) and CLASS in elem.parent.classes:
            return None  # already numbered (the filter is idempotent)
        if _in_figure_image(elem):
            return []  # pandoc copies a figure's caption into its image's alt: the caption keeps the note
        doc.note_count += 1
        number = doc.note_order.get(id(elem), doc.note_count)
        prefix = doc.note_chapter
        return pf.Span(
            elem,
            identifier=f"{prefix}-call-{number}",
            classes=[CLASS],
            attributes={"number": str(number), "note-id": f"{prefix}-note-{number}"},
        )
    return None


def _in_figure_image(note: pf.Note) -> bool:
    holders = list(ancestors(note))
    image = next((i for i, node in enumerate(holders) if isinstance(node, pf.Image)), None)
    return image is not None and any(isinstance(node, pf.Figure) for node in holders[image:])


def _inside_code(elem: pf.Element) -> bool:
    return any(isinstance(a, (pf.Code, pf.CodeBlock)) for a in ancestors(elem))


def main(doc: pf.Doc | None = None):
    return pf.run_filter(action, prepare=prepare, doc=doc)


def run() -> None:
    """``pandoc --filter publish-filter-notes`` (the console script)."""
    standalone(main, "notes")


if __name__ == "__main__":
    run()
