"""No edition carries script: no ``on*`` event attribute, no ``javascript:`` (or other script) URL.

Whoever made the build folder. The HTML edition's pages are parsed as a
browser parses them (tinyhtml5, the HTML5 algorithm: character references
decoded, ``/`` between attributes); the EPUB's content documents (XHTML and
SVG) as an XML reading system does, without external entities and within
the size cap of ``check.epub``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import tinyhtml5
from lxml import etree

from publish.check import Build, Result, edition_checks
from publish.check.epub import MAX_DOCUMENT, PARSER
from publish.errors import CheckFailed
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
        found += [f"{page.relative_to(index.parent)}: {what}" for what in active(root)]
    return _summary(found)


def epub_documents(path: Path) -> str | None:
    """Every content document in the EPUB is free of handlers and script URLs."""
    found = []
    try:
        with zipfile.ZipFile(path) as epub:
            for info in epub.infolist():
                if not info.filename.lower().endswith(CONTENT):
                    continue
                if info.file_size > MAX_DOCUMENT:
                    raise CheckFailed(f"{info.filename} in the EPUB is over {MAX_DOCUMENT // 2**20} MB", path)
                root = etree.fromstring(epub.read(info), PARSER)
                found += [f"{info.filename}: {what}" for what in active(root)]
    except (zipfile.BadZipFile, etree.XMLSyntaxError) as error:
        raise CheckFailed(f"not a readable EPUB: {error}", path) from None
    return _summary(found)


def _summary(found: list[str]) -> str | None:
    if not found:
        return None
    return f"{len(found)} place(s) that could run script: " + "; ".join(found[:SHOWN])
