"""A chapter's title in its YAML front matter becomes its level-1 heading.

Many books are written one chapter a file, each opening with
``---\\ntitle: Piracy\\n---`` and no ``#`` heading. pandoc keeps that title in
the metadata, where no edition would show it; this filter sets it as the
chapter's first block, so its heading, contents entries and running heads
come from it like any other. A chapter that already opens with that heading
is left as it is (the filter is idempotent).
"""

from __future__ import annotations

import panflute as pf

from publish.filters.base import standalone


def heading(doc: pf.Doc) -> pf.Header | None:
    """The level-1 heading the front matter's ``title`` asks for, or None."""
    title = doc.metadata.content.get("title") if doc.metadata is not None else None
    if isinstance(title, pf.MetaInlines):
        inlines = [pf.Str(" ".join(pf.stringify(title).split()))] if _has_notes(title) else list(title.content)
    elif isinstance(title, pf.MetaString) and title.text.strip():
        inlines = [pf.Str(title.text.strip())]
    else:
        return None
    return pf.Header(*inlines, level=1) if pf.stringify(pf.Plain(*inlines)).strip() else None


def finalize(doc: pf.Doc) -> None:
    header = heading(doc)
    if header is None:
        return
    first = doc.content[0] if len(doc.content) else None
    if isinstance(first, pf.Header) and first.level == 1 and _same_text(first, header):
        return
    doc.content.insert(0, header)


def _same_text(a: pf.Element, b: pf.Element) -> bool:
    return " ".join(pf.stringify(a).split()) == " ".join(pf.stringify(b).split())


def _has_notes(meta: pf.MetaInlines) -> bool:
    found = []
    meta.walk(lambda elem, _doc: found.append(elem) if isinstance(elem, pf.Note) else None)
    return bool(found)


def main(doc: pf.Doc | None = None):
    return pf.run_filter(lambda _elem, _doc: None, finalize=finalize, doc=doc)


def run() -> None:
    """``pandoc --filter publish-filter-title`` (the console script)."""
    standalone(main, "title")


if __name__ == "__main__":
    run()
