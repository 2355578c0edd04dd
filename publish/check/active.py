"""No edition carries script: no script element (but the web book's own search), no ``on*`` event
attribute, no ``javascript:`` (or other script) URL, no script in CSS, no refresh, no animated link.

Whoever made the build folder. The HTML edition's pages are parsed as a
browser parses them (tinyhtml5, the HTML5 algorithm: character references
decoded, ``/`` between attributes); the EPUB's content documents (XHTML and
SVG) as an XML reading system does, without external entities and within
the size cap of ``readers.epub``.
"""

from __future__ import annotations

from pathlib import Path

import tinyhtml5

from publish.check import Build, Result, edition_checks
from publish.errors import CheckFailed
from publish.readers.epub import MAX_DOCUMENT, content_documents
from publish.sanitise import active

SHOWN = 3
CONTENT = (".xhtml", ".html", ".htm", ".svg", ".xml")


def run(build: Build) -> list[Result]:
    return [
        *edition_checks(build, "html", [("html no-script", html_pages)]),
        *edition_checks(build, "epub", [("epub no-script", epub_documents)]),
    ]


def html_pages(index: Path) -> str | None:
    """Every page of the HTML edition (the folder of *index*) is free of handlers and script URLs."""
    found = []
    for page in sorted(index.parent.rglob("*.htm*")):
        if page.stat().st_size > MAX_DOCUMENT:
            raise CheckFailed(f"over {MAX_DOCUMENT // 2**20} MB", page)
        root = tinyhtml5.parse(page.read_text(encoding="utf-8", errors="replace"))
        found += [f"{page.relative_to(index.parent)}: {what}" for what in active(root, _own_scripts())]
    return _summary(found)


def _own_scripts() -> frozenset[tuple[str, str]]:
    """The web book's search (Pagefind's UI and the line that starts it): the only script an edition has."""
    from publish.editions import html_book

    return frozenset({("src", f"{html_book.PAGEFIND}/pagefind-ui.js"), ("text", html_book.SEARCH_SCRIPT)})


def epub_documents(path: Path) -> str | None:
    """Every content document in the EPUB is free of handlers and script URLs."""
    found = []
    for name, root in content_documents(path, CONTENT):
        found += [f"{name}: {what}" for what in active(root)]
    return _summary(found)


def _summary(found: list[str]) -> str | None:
    if not found:
        return None
    return f"{len(found)} place(s) that could run script: " + "; ".join(found[:SHOWN])
