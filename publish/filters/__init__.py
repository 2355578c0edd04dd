"""Python pandoc filters, applied in process in a fixed order.

Each module here is a real pandoc filter too: ``pandoc --filter
publish-filter-notes`` (an entry point) or ``python -m publish.filters.notes``.
In process the build hands each module the panflute Doc it already holds,
so no filter costs a subprocess.
"""

from __future__ import annotations

from types import ModuleType

import panflute as pf

from publish.filters import ids, notes, paths, title, typography
from publish.filters.base import apply_in_one_walk

# the front matter's title first (it becomes a heading like any other), notes
# next (it must see the raw calls), typography next, ids last (ids hash the
# final text of each block, so they change only when the text does).
ORDER: tuple[ModuleType, ...] = (title, paths, notes, typography, ids)


def apply(doc: pf.Doc, chapter_id: str, lang: str = "en", folder: str = "") -> pf.Doc:
    """Run every filter over *doc*, in ORDER, in this process (*lang*: the book's, for its typography).

    *folder* is the chapter file's folder inside the manuscript ("" at its top).
    """
    doc.metadata["chapter-id"] = pf.MetaString(chapter_id)
    doc.metadata["lang"] = pf.MetaString(lang)
    if folder:
        doc.metadata["chapter-folder"] = pf.MetaString(folder)
    return apply_in_one_walk(doc, ORDER)  # each module's main(doc) in turn, in one walk of the tree
