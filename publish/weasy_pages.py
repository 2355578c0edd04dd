"""pydyf's list of page references, made once per page count instead of once per use.

WeasyPrint's PDF/UA tagging (``weasyprint.pdf.tags``) asks ``pdf.page_references[n]`` for every
tagged element, and pydyf's ``PDF.page_references`` is a property that builds a new tuple over
every page of the document each time it is read: writing a PDF of P pages with E tagged elements
costs E × P. In a 10,000-note build (1,283 pages, ``benchmarks/notes.py``) that was 248 s of the
263 s spent tagging, under a profiler (issue 14); at 1,000 notes it was under a second. The
tuple depends only on the page tree's ``Kids`` array, which pydyf only ever appends to, so it
is kept and made again only when that array has changed (another object, length or last page).
The references, and so the PDF's bytes, are the same.
"""

from __future__ import annotations


def install() -> None:
    """Replace ``pydyf.PDF.page_references`` with the kept version (once per process)."""
    import pydyf

    current = pydyf.PDF.__dict__.get("page_references")
    if not isinstance(current, property) or getattr(current.fget, "kept", False):
        return
    made = current.fget

    def page_references(self) -> tuple[bytes, ...]:
        kids = self.pages["Kids"]
        stamp = (id(kids), len(kids), kids[-3] if kids else None)
        kept = self.__dict__.get("_publish_page_references")
        if kept is None or kept[0] != stamp:
            kept = (stamp, made(self))
            self.__dict__["_publish_page_references"] = kept
        return kept[1]

    page_references.kept = True
    pydyf.PDF.page_references = property(page_references, doc=current.__doc__)
